//! Events from the headline and lead paragraph: who did what to whom, on
//! what occasion and on what day, with the event's own date resolved
//! against the publication date.
//!
//! Date rules (all results are on or before the publication date):
//! - `December 31, 2025` → that day; a later date than publication is not
//!   an event date (it is announced, not reported) → `None`.
//! - `Dec. 22` (no year) → that day in the publication year, or the year
//!   before if that would be after publication.
//! - `Thursday`, `on Thursday` → the latest Thursday on or before
//!   publication: an article published on a Thursday that says "on
//!   Thursday" means that same day (KCNA reports same-day events so:
//!   kcna-2011 line 1, published Thursday 2011-12-01, "on Thursday sent").
//! - `yesterday` → the day before publication; `today` → publication day.

use std::ops::Range;
use std::sync::OnceLock;

use chrono::{Datelike, Duration, NaiveDate};
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::ascii::{ascii_classes, Scope, Twins};
use crate::gazetteer::EntityKind;
use crate::mentions::Mention;
use crate::text::sentences;

/// One event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Canonical name of the acting person, when the sentence names one.
    pub actor: Option<String>,
    /// Normalized action: `sends message`, `sends letter`, `receives
    /// message`, `inspects`, `visits`, `guides`, `congratulates`, `makes
    /// speech`, `meets`, `attends`, `enjoys`, `expresses condolences`, ...
    pub action: String,
    /// A qualifier of the action: `congratulatory`, `condolence`, `greeting`...
    pub modifier: Option<String>,
    /// Recipient or object as printed (`the officers and soldiers of ...`).
    pub recipient: Option<String>,
    /// People named in the recipient/object.
    pub recipient_people: Vec<String>,
    /// The sender when the action is receiving (`from X`).
    pub from: Option<String>,
    /// `the new year`, `the 36th founding anniversary of the Republic`, ...
    pub occasion: Option<String>,
    /// The event's own date, resolved (see the module doc).
    pub date: Option<NaiveDate>,
    /// The date expression as printed (`December 31, 2025`, `Thursday`).
    pub date_text: Option<String>,
    /// Where the event was read: `None` = headline, `Some(i)` = paragraph.
    pub paragraph: Option<usize>,
    /// Paragraphs holding the full text of the message, letter or speech
    /// (the paragraphs after "The full text of the message is as follows:"
    /// to the end), as a half-open range of paragraph indices.
    pub full_text: Option<Range<usize>>,
}

/// The actions an event is read from, one alternative each; the first
/// that matches at the leftmost place wins. Their word boundaries are ASCII
/// ones; `Res::action_unicode` is the same with Unicode ones (see
/// `event_in`).
const ACTIONS: [&str; 11] = [
    r"(?P<send>sent|sends)\s+(?:(?:a|an|his|her|its)\s+)?(?P<smod>(?:congratulatory|condolatory|consolatory|greeting|sympathy|reply|thank-you|new\s+year'?s?|new\s+year’s)\s+)?(?P<sobj>message|letter|telegram|greetings|congratulations|wreath|floral\s+basket|gift|reply)(?:\s+of\s+(?P<sof>greetings?|condolences?|sympathy|thanks|congratulations?))?",
    r"(?P<recv>received|receives)\s+(?:(?:a|an)\s+)?(?P<rmod>(?:congratulatory|condolatory|consolatory|greeting|reply)\s+)?(?P<robj>messages?|letters?|telegrams?|gifts?|floral\s+baskets?|greetings|congratulations|wreaths?)?(?:\s+and\s+(?:a\s+)?(?:congratulatory\s+|greeting\s+)?(?P<rmsg>letters?|messages?))?(?:\s+of\s+(?P<rof>greetings?|condolences?|sympathy|thanks|congratulations?))?",
    r"(?P<insp>inspected|inspects|(?:made|makes)\s+(?:a\s+)?field\s+surveys?\s+of|acquainted\s+(?:himself|herself|themselves)\s+with)",
    r"(?P<guide>(?:gave|gives|provided|provides)\s+field\s+guidance\s+to|guided)",
    r"(?P<visit>visited|visits|(?:paid|pays)\s+(?:a\s+)?(?:\w+\s+)?(?:visit|call)\s+(?:to|on))",
    r"(?P<cong>congratulated|congratulates)",
    r"(?P<speech>(?:made|makes|delivered|delivers)\s+(?:a\s+)?(?P<spmod>\w+\s+)?(?:speech|address))",
    r"(?P<meet>met\s+with|met|meets|(?:had|held|has|holds)\s+(?:a\s+)?talks?\s+with)",
    r"(?P<attend>attended|attends)",
    r"(?P<enjoy>enjoyed|enjoys|watched|watches)",
    r"(?P<expr>(?:expressed|expresses)\s+(?:deep\s+|profound\s+|heartfelt\s+|sincere\s+)?condolences)",
];

/// The first words of `ACTIONS`, each with the one alternative it can
/// start (each is followed by a space or a word boundary there, so no
/// other alternative matches text that starts with it), save `made`,
/// which starts a field survey (2) as well as a speech (6): `action_in`
/// tries the others when the table's misses.
const ACTION_VERBS: &[(&str, usize)] = &[
    ("sent", 0),
    ("sends", 0),
    ("received", 1),
    ("receives", 1),
    ("inspected", 2),
    ("inspects", 2),
    ("acquainted", 2),
    ("gave", 3),
    ("gives", 3),
    ("provided", 3),
    ("provides", 3),
    ("guided", 3),
    ("visited", 4),
    ("visits", 4),
    ("paid", 4),
    ("pays", 4),
    ("congratulated", 5),
    ("congratulates", 5),
    ("made", 6),
    ("makes", 6),
    ("delivered", 6),
    ("delivers", 6),
    ("met", 7),
    ("meets", 7),
    ("had", 7),
    ("held", 7),
    ("has", 7),
    ("holds", 7),
    ("attended", 8),
    ("attends", 8),
    ("enjoyed", 9),
    ("enjoys", 9),
    ("watched", 9),
    ("watches", 9),
    ("expressed", 10),
    ("expresses", 10),
];

/// Which of `ACTIONS` an action found in ASCII text starts with, by its
/// first word: one lookup instead of trying each anchored regex in turn.
fn action_of_verb(action: &str) -> Option<usize> {
    let len = action.bytes().take_while(u8::is_ascii_alphabetic).count();
    let word = &action[..len];
    ACTION_VERBS
        .iter()
        .find(|(verb, _)| verb.eq_ignore_ascii_case(word))
        .map(|&(_, i)| i)
}

/// All the actions in one regex, which finds where the first one is.
fn action_pattern(boundary: &str) -> String {
    format!("(?i){boundary}(?:{}){boundary}", ACTIONS.join("|"))
}

struct Res {
    action: Regex,
    /// Each of `ACTIONS` alone, anchored: which one matched, and its parts.
    /// (The whole alternation's captures would send every event through a
    /// slow engine over all the alternatives.)
    action_parts: Vec<Regex>,
    /// `action` with Unicode word boundaries, for the rare text that needs
    /// them (see `event_in`); built on first use.
    action_unicode: OnceLock<Regex>,
    non_ascii_word: Regex,
    to: Regex,
    from: Regex,
    /// The occasion and the date, each for any text and for ASCII text
    /// (`Twins`).
    occasion: Twins,
    date: Twins,
    /// A paragraph that introduces a full text (`The full text of the
    /// message is as follows:`); `what` may hold 40 characters at most.
    /// (Not written `{1,40}`: that repeats the Unicode class forty times,
    /// slow to compile in every process.)
    full_text: Regex,
}

/// Whether a paragraph (trimmed) introduces the full text of a message,
/// letter or speech.
fn introduces_full_text(r: &Res, p: &str) -> bool {
    // The pattern ends with a colon and white space, and `p` is trimmed:
    // the colon check spares nearly every paragraph the regex.
    p.ends_with(':')
        && r.full_text.is_match(p)
        && r.full_text.captures(p).is_some_and(|c| {
            // The match found has the shortest `what` of all that match.
            c.name("what")
                .is_none_or(|what| what.as_str().chars().count() <= 40)
        })
}

impl Res {
    fn action_unicode(&self) -> &Regex {
        self.action_unicode
            .get_or_init(|| Regex::new(&action_pattern("\\b")).expect("static regex"))
    }
}

fn res() -> &'static Res {
    static R: OnceLock<Res> = OnceLock::new();
    R.get_or_init(|| Res {
        // These two only read text in which no non-ASCII character is a
        // word character (see `event_in`), where `\w` means ASCII ones
        // alone; the Unicode class would make them larger and slower to
        // build.
        action: Regex::new(&ascii_classes(&action_pattern("(?-u:\\b)"), Scope::Words)).expect("static regex"),
        action_parts: ACTIONS
            .iter()
            .map(|a| {
                Regex::new(&ascii_classes(&format!("(?i)^(?:{a})(?-u:\\b)"), Scope::Words))
                    .expect("static regex")
            })
            .collect(),
        action_unicode: OnceLock::new(),
        non_ascii_word: Regex::new(r"[\w&&[^\x00-\x7F]]").expect("static regex"),
        to: Regex::new(r"^(?:[^,.;]*?\s)?to\s+").expect("static regex"),
        from: Regex::new(r"(?-u:\b)from\s+").expect("static regex"),
        occasion: Twins::new(
            r"(?x)(?:
               (?-u:\b)on\s+the\s+occasion\s+of\s+(?P<a>[^,;]+?)
              |(?-u:\b)(?:on|marking|to\s+mark|to\s+celebrate|in\s+celebration\s+of)\s+(?P<b>(?:the|his|her|its|their)\s+(?:[\w-]+\s+){0,3}?(?:anniversary|birthday|birth\s+anniversary|centenary|holiday|day)(?:\s+of\s+[^,;]+?)?)
              |(?-u:\b)on\s+(?P<c>(?:[A-Z][\w-]*\s+){1,4}?(?:[A-Z][\w]*)(?:'s|’s)\s+birthday)
             )
             # The occasion's own day in apposition (`his birthday,
             # February 16 in 2012`) is no date of the act.
             (?:,\s+(?:Jan|January|Feb|February|Mar|March|Apr|April|May|Jun|June|Jul|July|Aug|August|Sep|Sept|September|Oct|October|Nov|November|Dec|December)\.?\s+\d{1,2}(?:,?\s+(?:in\s+)?\d{4})?)?
             (?:\s+on\s|\s+in\s|[,;]|\.\s|\.$|$)",
        ),
        date: Twins::new(
            r"(?x)(?-u:\b)(?:
               (?P<m>Jan|January|Feb|February|Mar|March|Apr|April|May|Jun|June|Jul|July|Aug|August|Sep|Sept|September|Oct|October|Nov|November|Dec|December)\.?\s+(?P<d>\d{1,2})(?-u:\b)(?:,?\s+(?P<y>\d{4})(?-u:\b))?(?P<juche>,\s+Juche)?
              |(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)
              |(?P<yest>yesterday)
              |(?P<today>today)
             )",
        ),
        full_text: Regex::new(
            r"(?ix)^(?:
               (?:the\s+)?(?:full\s+)?text\s+of\s+the\s+(?P<what>[\w\s'’-]+?)\s+(?:is\s+as\s+follows|reads|follows)
              |the\s+(?:message|letter|telegram|speech|address|statement|reply)\s+(?:said|says|reads|read|went\s+on|noted)
             )\s*:\s*$",
        )
        .expect("static regex"),
    })
}

/// Stops a recipient/object phrase.
fn cut_phrase(s: &str) -> &str {
    const STOPS: [&str; 19] = [
        ",",
        ";",
        ". ",
        " on ",
        " in ",
        " at ",
        " for ",
        " through ",
        " who ",
        " which ",
        " when ",
        " and expressed",
        " and said",
        " upon ",
        " with ",
        " during ",
        " after ",
        " as ",
        " via ",
    ];
    static AC: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    s[..crate::text::first_stop(s, &STOPS, &AC)]
        .trim()
        .trim_end_matches('.')
}

fn normalize_modifier(m: &str) -> String {
    let m = m.trim().to_ascii_lowercase().replace('’', "'");
    match m.as_str() {
        "condolences" | "condolence" | "condolatory" | "consolatory" => "condolence".into(),
        "greetings" | "greeting" => "greeting".into(),
        "congratulation" | "congratulations" | "congratulatory" => "congratulatory".into(),
        "new year's" | "new years" | "new year" => "new year".into(),
        other => other.to_string(),
    }
}

/// Resolves the first date expression in `s` against `published`.
pub fn resolve_date(s: &str, published: Option<NaiveDate>) -> Option<(NaiveDate, String)> {
    resolve_date_with(s, published, |_| false)
}

/// [`resolve_date`] of sentence `s` (at `offset` in paragraph `para`),
/// knowing the person mentions: a month and day followed by a capitalized
/// word are a name (`April 25 House of Culture`, `February 8 Vinalon
/// Complex`) unless a person's name starts there (`on Dec. 22 Kim Jong Il
/// visited`).
fn resolve_date_in(
    s: &str,
    mentions: &[Mention],
    para: Option<usize>,
    offset: usize,
    published: Option<NaiveDate>,
) -> Option<(NaiveDate, String)> {
    resolve_date_with(s, published, |at| {
        mentions
            .iter()
            .any(|m| m.paragraph == para && m.kind == EntityKind::Person && m.start == offset + at)
    })
}

/// The first date in `s` that is no part of a name nor in brackets
/// (`Youth Day (Aug. 28)`); `person_at(i)`: a person's name starts at `i`.
fn resolve_date_with(
    s: &str,
    published: Option<NaiveDate>,
    person_at: impl Fn(usize) -> bool,
) -> Option<(NaiveDate, String)> {
    for c in res().date.of(s).captures_iter(s) {
        let m0 = c.get(0)?;
        let whole = m0.as_str().to_string();
        if c.name("juche").is_some() {
            continue; // `October 17, Juche 71 (1982)`: a historical date
        }
        if s[..m0.start()].trim_end().ends_with('(') {
            continue;
        }
        if c.name("m").is_some() && c.name("y").is_none() {
            let after = &s[m0.end()..];
            let named = after.strip_prefix(' ').is_some_and(|w| {
                w.chars().next().is_some_and(char::is_uppercase) && !person_at(m0.end() + 1)
            });
            if named {
                continue;
            }
        }
        if let Some(m) = c.name("m") {
            let month = tealeaf_model::dates::month_number(m.as_str())?;
            let day: u32 = c.name("d")?.as_str().parse().ok()?;
            match c.name("y") {
                Some(y) => {
                    let y: i32 = y.as_str().parse().ok()?;
                    let d = NaiveDate::from_ymd_opt(y, month, day)?;
                    if published.is_some_and(|p| d > p) {
                        return None;
                    }
                    return Some((d, whole));
                }
                None => {
                    let p = published?;
                    let d = NaiveDate::from_ymd_opt(p.year(), month, day)?;
                    let d = if d > p {
                        NaiveDate::from_ymd_opt(p.year() - 1, month, day)?
                    } else {
                        d
                    };
                    return Some((d, whole));
                }
            }
        }
        let p = published?;
        if let Some(wd) = c.name("wd") {
            let want = tealeaf_model::dates::weekday_from_name(wd.as_str())?;
            let back = (p.weekday().num_days_from_monday() + 7 - want.num_days_from_monday()) % 7;
            return Some((p - Duration::days(back as i64), whole));
        }
        if c.name("yest").is_some() {
            return Some((p - Duration::days(1), whole));
        }
        if c.name("today").is_some() {
            return Some((p, whole));
        }
    }
    None
}

/// Whether `d` is at most a month before publication: a date the next
/// paragraph's act may take from the lead (not a birth date of an
/// anniversary: `born on December 24, 1917`).
pub(crate) fn recent(d: NaiveDate, published: Option<NaiveDate>) -> bool {
    published.is_some_and(|p| d <= p && (p - d).num_days() <= 31)
}

/// `spanish`: the article's language ([`crate::text::is_spanish`], which
/// the caller reads once an article).
pub fn find_events(
    mentions: &[Mention],
    title: &str,
    paragraphs: &[String],
    published: Option<NaiveDate>,
    spanish: bool,
) -> Vec<Event> {
    find_events_with(mentions, title, paragraphs, published, spanish, true)
}

/// [`find_events`]; `news_only`: drop an action no person or named body
/// does (off in the tests of the patterns, which name nobody).
fn find_events_with(
    mentions: &[Mention],
    title: &str,
    paragraphs: &[String],
    published: Option<NaiveDate>,
    spanish: bool,
    news_only: bool,
) -> Vec<Event> {
    let r = res();
    if spanish {
        let mut out = crate::events_es::find_events(mentions, title, paragraphs, published);
        mark_full_text(r, paragraphs, &mut out);
        return out;
    }
    let mut out = Vec::new();
    // Whom `He` refers to: the subject (first person named) of the
    // nearest sentence before that names one, else the headline's.
    let mut referent = first_person(mentions, None, 0..title.len());
    // Lead: the first paragraph, or the second when the first has none.
    // A sentence of the lead with no date of its own happened on the day
    // an earlier one gives, in its paragraph or, when recent, the one
    // before.
    let mut lead_date: Option<(NaiveDate, String)> = None;
    for (p, text) in paragraphs.iter().enumerate().take(2) {
        let text = text.as_str();
        for sent in sentences(text) {
            let s = &text[sent.clone()];
            if let Some(mut e) = event_in(
                r,
                mentions,
                Some(p),
                sent.start,
                s,
                published,
                &referent,
                news_only,
            ) {
                let mut handed = None;
                if e.action == "receives gift" || e.action == "receives floral basket" {
                    gift_sent(mentions, paragraphs, p, &sent, &mut e, published);
                } else if e.action.starts_with("receives ") && e.action != "receives" {
                    handed = handed_on(mentions, paragraphs, p, &sent, &mut e, published);
                }
                if e.date.is_none() {
                    if let Some((d, t)) = &lead_date {
                        (e.date, e.date_text) = (Some(*d), Some(t.clone()));
                    }
                }
                out.push(e);
                out.extend(handed);
            }
            if lead_date.is_none() {
                lead_date = resolve_date_in(s, mentions, Some(p), sent.start, published);
            }
            if let Some(named) = first_person(mentions, Some(p), sent) {
                referent = Some(named);
            }
        }
        if !out.is_empty() {
            break;
        }
        lead_date = lead_date.filter(|(d, _)| recent(*d, published));
    }
    if out.is_empty() {
        let title_actor = first_person(mentions, None, 0..title.len());
        if let Some(mut e) = event_in(
            r,
            mentions,
            None,
            0,
            title,
            published,
            &title_actor,
            news_only,
        ) {
            // The headline's act told in the lead in words no pattern
            // reads: the day of the lead's first sentence when its subject
            // is the headline's actor.
            if e.date.is_none() {
                let first = paragraphs
                    .first()
                    .and_then(|t| sentences(t).into_iter().next().map(|s| (t, s)));
                if let (Some((t, sent)), Some(actor)) = (first, e.actor.as_deref()) {
                    let same =
                        first_person(mentions, Some(0), sent.clone()).as_deref() == Some(actor);
                    let day = t
                        .get(sent.clone())
                        .and_then(|s| resolve_date_in(s, mentions, Some(0), sent.start, published));
                    if let (true, Some((d, dt))) = (same, day) {
                        if recent(d, published) {
                            (e.date, e.date_text) = (Some(d), Some(dt));
                        }
                    }
                }
            }
            out.push(e);
        }
    }
    mark_full_text(r, paragraphs, &mut out);
    out
}

/// The first person named in `range` of a headline or paragraph.
pub(crate) fn first_person(
    mentions: &[Mention],
    para: Option<usize>,
    range: Range<usize>,
) -> Option<String> {
    mentions
        .iter()
        .find(|m| {
            m.paragraph == para
                && m.kind == EntityKind::Person
                && m.start >= range.start
                && m.end <= range.end
        })
        .map(|m| m.canonical.to_string())
}

/// Where a lead tells the handing over of a gift it reported received
/// (`Vasile Orleanu ... handed the gift over to Kim Yong Il on Monday`,
/// `El visitante lo entregó el día 9`): the first sentence (or the rest
/// of one: a missed sentence break leaves `Romania.,  Vasile Orleanu ...
/// handed` in the receipt's) holding `verb` after byte `from` of paragraph
/// `p`, or in the next paragraph. Gives its paragraph, its range, and
/// the verb's.
pub(crate) fn handing_over(
    paragraphs: &[String],
    p: usize,
    from: usize,
    verb: &Regex,
) -> Option<(usize, Range<usize>, Range<usize>)> {
    (p..paragraphs.len().min(p + 2)).find_map(|q| {
        let text = paragraphs.get(q)?;
        sentences(text).into_iter().find_map(|r| {
            let r = if q > p { r } else { r.start.max(from)..r.end };
            let v = verb.find(text.get(r.clone())?)?;
            Some((q, r.clone(), r.start + v.start()..r.start + v.end()))
        })
    })
}

/// Who handed a gift over (see [`handing_over`]): the agent after `by` /
/// `por` of a passive (`The gift was handed to Kim Ki Nam ... by
/// Vishwanath`), else the first person before the verb.
pub(crate) fn hander(
    mentions: &[Mention],
    paragraphs: &[String],
    (q, r, v): &(usize, Range<usize>, Range<usize>),
) -> Option<String> {
    let text = paragraphs.get(*q)?;
    let after = text.get(v.end..r.end)?;
    let by = [" by ", " por "]
        .iter()
        .find_map(|w| after.find(w).map(|i| i + w.len()));
    match by {
        Some(from) => {
            // The agent's phrase alone: `handed by the general secretary
            // to Choe Thae Bok` names the receiver after it.
            let agent = &after[from..];
            let end = [" to ", " a ", " al ", ","]
                .iter()
                .filter_map(|w| agent.find(w))
                .min()
                .unwrap_or(agent.len());
            let at = v.end + from;
            first_person(mentions, Some(*q), at..at + end)
        }
        None => first_person(mentions, Some(*q), r.start..v.start),
    }
}

/// The verbs of handing over what a lead reports received.
fn hand_verbs() -> &'static Regex {
    static HAND: OnceLock<Regex> = OnceLock::new();
    HAND.get_or_init(|| {
        Regex::new(r"\b(?:handed|hands|conveyed|conveys|delivered|delivers|presented|presents)\b")
            .expect("static regex")
    })
}

/// A receipt with no date of its own (`received floral baskets and
/// congratulatory letters from the diplomatic corps`) happened the day
/// the lead's next sentences say they were handed over (`The baskets and
/// letters were conveyed to Kim Yong Il ... on Thursday`). A person named
/// handing them over (`handed to an official concerned by Sun Yanfeng,
/// military attache of the Chinese embassy`) acts himself: his `hands
/// over` event, on that day, is returned, unless he is the receiver or
/// the sender.
fn handed_on(
    mentions: &[Mention],
    paragraphs: &[String],
    p: usize,
    sent: &Range<usize>,
    e: &mut Event,
    published: Option<NaiveDate>,
) -> Option<Event> {
    let handing = handing_over(paragraphs, p, sent.end, hand_verbs())?;
    let (q, r, v) = &handing;
    let t = paragraphs
        .get(*q)
        .and_then(|x| x.get(r.clone()))
        .unwrap_or("");
    let day = resolve_date_in(t, mentions, Some(*q), r.start, published);
    if e.date.is_none() {
        if let Some((d, t)) = &day {
            (e.date, e.date_text) = (Some(*d), Some(t.clone()));
        }
    }
    let by = hander(mentions, paragraphs, &handing)?;
    let sender = e.from.as_deref().and_then(|f| {
        let text = paragraphs.get(p)?;
        let at = sent.start + text.get(sent.clone())?.find(f)?;
        first_person(mentions, Some(p), at..at + f.len())
    });
    if e.actor.as_deref() == Some(by.as_str()) || sender.as_deref() == Some(by.as_str()) {
        return None;
    }
    let what = e.action.trim_start_matches("receives ");
    let to: Vec<String> = mentions
        .iter()
        .filter(|m| m.paragraph == Some(*q) && m.kind == EntityKind::Person)
        .filter(|m| m.start >= v.end && m.end <= r.end && *m.canonical != *by)
        .map(|m| m.canonical.to_string())
        .take(1)
        .collect();
    Some(handing_over_event(by, what, to, day, *q))
}

/// The act of handing over what another sent (`hands over gift`), by
/// `by` to the people `to`, on `day`, read in paragraph `paragraph`
/// (English and Spanish alike).
pub(crate) fn handing_over_event(
    by: String,
    what: &str,
    to: Vec<String>,
    day: Option<(NaiveDate, String)>,
    paragraph: usize,
) -> Event {
    Event {
        actor: Some(by),
        action: format!("hands over {what}"),
        modifier: None,
        recipient: (!to.is_empty()).then(|| to.join(", ")),
        recipient_people: to,
        from: None,
        occasion: None,
        date: day.as_ref().map(|(d, _)| *d),
        date_text: day.map(|(_, t)| t),
        paragraph: Some(paragraph),
        full_text: None,
    }
}

/// `X received a gift (a floral basket) from Y`: the act the annotation
/// reads is Y's sending (the action list has no receiving of gifts), by
/// the person named in `from Y`, else by the one who handed it over in
/// the next sentences of the lead; with no date of its own, the handing
/// over's.
fn gift_sent(
    mentions: &[Mention],
    paragraphs: &[String],
    p: usize,
    sent: &Range<usize>,
    e: &mut Event,
    published: Option<NaiveDate>,
) {
    let hand = hand_verbs();
    let Some(text) = paragraphs.get(p) else {
        return;
    };
    let s = &text[sent.clone()];
    let from = e
        .from
        .as_deref()
        .and_then(|f| Some(sent.start + s.find(f)?..sent.start + s.find(f)? + f.len()));
    // `from the family of Zhang Weihua`, a martyr: the family gives, and
    // one of them hands it over.
    let giver = from
        .clone()
        .filter(|_| !e.from.as_deref().is_some_and(|f| f.contains("family of")))
        .and_then(|f| first_person(mentions, Some(p), f));
    let after = from.map_or(sent.end, |f| f.end);
    let handing = handing_over(paragraphs, p, after, hand);
    let receiver = e.actor.take();
    e.actor = giver.or_else(|| hander(mentions, paragraphs, handing.as_ref()?));
    e.action = "sends gift".into();
    e.recipient = receiver.clone();
    e.recipient_people = receiver.into_iter().collect();
    if e.date.is_none() {
        if let Some((q, r, _)) = handing {
            let t = paragraphs
                .get(q)
                .and_then(|x| x.get(r.clone()))
                .unwrap_or("");
            if let Some((d, t)) = resolve_date_in(t, mentions, Some(q), r.start, published) {
                (e.date, e.date_text) = (Some(d), Some(t));
            }
        }
    }
}

/// Sets the first event's full text: the paragraphs after one that
/// introduces it (English or Spanish), to the end.
fn mark_full_text(r: &Res, paragraphs: &[String], out: &mut [Event]) {
    // The full text of a message, letter or speech.
    let full = paragraphs
        .iter()
        .position(|p| {
            let p = p.trim();
            introduces_full_text(r, p) || crate::events_es::introduces_full_text(p)
        })
        .filter(|&i| i + 1 < paragraphs.len())
        .map(|i| i + 1..paragraphs.len());
    if let (Some(range), Some(e)) = (full, out.first_mut()) {
        e.full_text = Some(range);
    }
}

/// The action in `s`: its groups, and the offset in `s` they are from.
fn action_in<'s>(r: &Res, s: &'s str) -> Option<(regex::Captures<'s>, usize)> {
    // Each part runs on the match and the one char after it (which a
    // closing word boundary looks at), not on the rest of the sentence.
    // Every assertion inside that text reads as in the sentence, so the
    // part that matches there up to the same end is the one that matched;
    // anything else (a boundary misread at the cut) takes the whole
    // alternation's captures.
    let m = r.action.find(s)?;
    let cut = s[m.end()..]
        .chars()
        .next()
        .map_or(m.end(), |c| m.end() + c.len_utf8());
    let len = m.end() - m.start();
    let span = &s[m.start()..cut];
    // The one alternative the action's first word can start; the others,
    // in order, only if that table missed it.
    let part = action_of_verb(span)
        .and_then(|i| r.action_parts.get(i))
        .and_then(|p| p.captures(span))
        .or_else(|| r.action_parts.iter().find_map(|p| p.captures(span)))
        .filter(|c| c.get(0).is_some_and(|v| v.end() == len));
    match part {
        Some(part) => Some((part, m.start())),
        None => Some((r.action.captures(s)?, 0)),
    }
}

/// `s` with each non-ASCII word character replaced by as many `0`s as it
/// has bytes.
fn mask_non_ascii_words(r: &Res, s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for m in r.non_ascii_word.find_iter(s) {
        out.push_str(&s[last..m.start()]);
        out.extend(std::iter::repeat_n('0', m.len()));
        last = m.end();
    }
    out.push_str(&s[last..]);
    out
}

/// The words that open a subordinate clause: its verb is no act of the
/// sentence (`when he visited`, `who met`).
const SUBORDINATORS: [&str; 8] = ["he", "she", "they", "it", "who", "which", "that", "when"];

/// A copula that puts the person after it inside a description.
const COPULAS: [&str; 4] = ["is", "are", "was", "were"];

/// Words after which `visits` is a noun.
/// (Not `official`: `Senior Russian Official Visits Southern Kurils`.)
const NOUN_BEFORE: [&str; 15] = [
    "the", "a", "their", "his", "her", "its", "our", "my", "your", "these", "those", "during",
    "of", "mutual", "frequent",
];

/// Auxiliaries of an English passive (`was received`).
const AUXILIARIES: [&str; 10] = [
    "was", "were", "is", "are", "been", "be", "Is", "Are", "Was", "Were",
];

/// Whether an organization or a country is named in `from..to` of a
/// paragraph (or the headline): a named body that can act.
pub(crate) fn names_body(
    mentions: &[Mention],
    para: Option<usize>,
    from: usize,
    to: usize,
) -> bool {
    mentions.iter().any(|m| {
        m.paragraph == para
            && matches!(m.kind, EntityKind::Organization | EntityKind::Country)
            && m.start >= from
            && m.end <= to
    })
}

// One sentence and where it stands; a struct built for this one private
// call would only rename the arguments.
#[allow(clippy::too_many_arguments)]
fn event_in(
    r: &Res,
    mentions: &[Mention],
    para: Option<usize>,
    offset: usize,
    s: &str,
    published: Option<NaiveDate>,
    title_actor: &Option<String>,
    news_only: bool,
) -> Option<Event> {
    // The regex's word boundaries are ASCII ones, which its fast engine
    // runs on any text (Unicode ones would send every sentence with a
    // curly quote to a slower one). ASCII and Unicode boundaries differ only beside a
    // non-ASCII word character (Spanish `metálica` holds `met`): in a
    // sentence with one, each such character is read as `0`s of the same
    // byte length, an ASCII word character that no letter of the actions
    // matches. Every part of the regex then matches there as the Unicode
    // one matches the sentence, at the same offsets. The two characters
    // that `(?i)` matches to ASCII letters (`ſ`, the Kelvin sign) would
    // be lost so: a sentence with one takes the Unicode-boundary twin.
    // `c` holds the matched action's groups; its offsets are from `base`,
    // and its text is read from `s`.
    let masked: String;
    let (c, base) = if !s.is_ascii() && r.non_ascii_word.is_match(s) {
        if s.contains(['\u{17F}', '\u{212A}']) {
            (r.action_unicode().captures(s)?, 0)
        } else {
            masked = mask_non_ascii_words(r, s);
            action_in(r, &masked)?
        }
    } else {
        action_in(r, s)?
    };
    let text = |m: regex::Match| &s[base + m.start()..base + m.end()];
    let verb = c.get(0)?;
    let (verb_start, verb_end) = (base + verb.start(), base + verb.end());
    let (vs, ve) = (offset + verb_start, offset + verb_end);
    let in_sentence = |m: &&Mention| m.paragraph == para && m.kind == EntityKind::Person;
    let head = s[..verb_start].trim();
    // `when he visited`, `who met`: the verb of a subordinate clause.
    let last_word = head.rsplit(' ').next().unwrap_or("");
    if head.len() > last_word.len() && SUBORDINATORS.contains(&last_word) {
        return None;
    }
    // The same through a passive's auxiliary: `the days he was received
    // by Kim Jong Il` tells a memory inside another act.
    if AUXILIARIES.contains(&last_word) {
        let before = head[..head.len() - last_word.len()].trim_end();
        let word = before.rsplit(' ').next().unwrap_or("");
        if before.len() > word.len() && SUBORDINATORS.contains(&word) {
            return None;
        }
    }
    // `During their visits to the DPRK`: a noun after a determiner, no
    // verb (`visits` alone is both).
    if text(verb).eq_ignore_ascii_case("visits")
        && NOUN_BEFORE.contains(&last_word.to_ascii_lowercase().as_str())
    {
        return None;
    }
    // A passive (`Kim Jong Un Congratulated by Foreign Personages`, `was
    // received by`): the actor is the agent after `by`, none when it is
    // unnamed; the subject is the recipient.
    let by = s[verb_end..]
        .strip_prefix(' ')
        .and_then(|x| x.strip_prefix("by "))
        .map(|x| verb_end + 4 + (s.len() - verb_end - 4 - x.len()));
    let passive = by.is_some() || AUXILIARIES.contains(&last_word);
    if passive {
        let agent_start = by.map_or(verb_end, |b| b);
        let agent = cut_phrase(&s[agent_start..]);
        let (a0, a1) = (offset + agent_start, offset + agent_start + agent.len());
        let actor = mentions
            .iter()
            .filter(in_sentence)
            .find(|m| m.start >= a0 && m.end <= a1)
            .map(|m| m.canonical.to_string());
        // The subject less its auxiliary (`Kim Jong Un was`).
        let subject = if AUXILIARIES.contains(&last_word) {
            head[..head.len() - last_word.len()].trim_end()
        } else {
            head
        };
        let subject_people: Vec<String> = mentions
            .iter()
            .filter(in_sentence)
            .filter(|m| m.start >= offset && m.end <= vs)
            .map(|m| m.canonical.to_string())
            .fold(Vec::new(), |mut v, p| {
                if !v.contains(&p) {
                    v.push(p);
                }
                v
            });
        let action = match () {
            _ if c.name("cong").is_some() => "congratulates",
            _ if c.name("visit").is_some() => "visits",
            _ if c.name("insp").is_some() => "inspects",
            _ if c.name("guide").is_some() => "guides",
            _ if c.name("recv").is_some() => "receives",
            _ if c.name("meet").is_some() => "meets",
            _ if c.name("attend").is_some() => "attends",
            _ => return None,
        };
        let (date, date_text) = match resolve_date_in(s, mentions, para, offset, published) {
            Some((d, t)) => (Some(d), Some(t)),
            None => (None, None),
        };
        return Some(Event {
            actor,
            action: action.into(),
            modifier: None,
            recipient: Some(subject.to_string()).filter(|x| !x.is_empty()),
            recipient_people: subject_people,
            from: None,
            occasion: None,
            date,
            date_text,
            paragraph: para,
            full_text: None,
        });
    }
    let named = mentions
        .iter()
        .filter(in_sentence)
        .find(|m| m.start >= offset && m.end <= vs);
    // A copula before the person (`On display ... is a table clock
    // President Kim Il Sung received`, `It is based on the fact that Kim
    // Jong Il ... guided`): the verb tells what a thing is, in a clause
    // that describes it, not an act the article reports.
    // Only in this sentence: KCNA's `.,` joins two that `sentences` leaves
    // one (`She is a meritorious person.,  Kim Jong Il visited`).
    let described = named
        .and_then(|m| s.get(..m.start - offset))
        .is_some_and(|before| {
            let own = before.rfind(".,").map_or(before, |i| &before[i + 2..]);
            own.split(|c: char| !c.is_ascii_alphabetic())
                .any(|w| COPULAS.contains(&w))
        });
    if described {
        return None;
    }
    let actor = named.map(|m| m.canonical.to_string()).or_else(|| {
        (head.starts_with("He ")
            || head.starts_with("She ")
            || head == "He"
            || head == "She"
            || head.is_empty())
        .then(|| title_actor.clone())
        .flatten()
    });
    // A news event has a person or a named body acting (`Catfish-Jowl
    // Aspic Enjoys Popularity` is none), and only a person enjoys a
    // performance, meets someone or receives a visitor (a body that
    // `received` something else than a message received a prize, a loan,
    // a report: no act of the list).
    let receives_visitor =
        c.name("recv").is_some() && c.name("robj").is_none() && c.name("rmsg").is_none();
    if news_only
        && actor.is_none()
        && (c.name("enjoy").is_some()
            || c.name("meet").is_some()
            || receives_visitor
            || !names_body(mentions, para, offset, vs))
    {
        return None;
    }
    let (action, modifier) = if c.name("send").is_some() {
        let obj = c.name("sobj").map_or("message", text);
        let m = c
            .name("smod")
            .or(c.name("sof"))
            .map(|m| normalize_modifier(text(m)));
        let obj = obj.split_whitespace().collect::<Vec<_>>().join(" ");
        // A message of greeting is a greeting (`Greetings to President of
        // Mali`), the act the list names `sends greetings`.
        let obj = if obj == "message" && m.as_deref() == Some("greeting") {
            "greetings".to_string()
        } else {
            obj
        };
        (format!("sends {obj}"), m)
    } else if c.name("recv").is_some() {
        let m = c
            .name("rmod")
            .or(c.name("rof"))
            .map(|m| normalize_modifier(text(m)));
        // `floral baskets and congratulatory letters`: a message's receipt.
        match c.name("rmsg").or(c.name("robj")) {
            Some(o) => {
                let o = text(o).split_whitespace().collect::<Vec<_>>().join(" ");
                let one = match o.as_str() {
                    "greetings" | "congratulations" => o.as_str(),
                    _ => o.strip_suffix('s').unwrap_or(&o),
                };
                (format!("receives {one}"), m)
            }
            None => ("receives".to_string(), m),
        }
    } else if c.name("insp").is_some() {
        ("inspects".into(), None)
    } else if c.name("guide").is_some() {
        ("guides".into(), None)
    } else if c.name("visit").is_some() {
        ("visits".into(), None)
    } else if c.name("cong").is_some() {
        ("congratulates".into(), None)
    } else if c.name("speech").is_some() {
        let m = c
            .name("spmod")
            .map(|m| text(m).trim().to_ascii_lowercase())
            .filter(|m| m != "a");
        ("makes speech".into(), m)
    } else if c.name("meet").is_some() {
        ("meets".into(), None)
    } else if c.name("attend").is_some() {
        ("attends".into(), None)
    } else if c.name("enjoy").is_some() {
        ("enjoys".into(), None)
    } else {
        ("expresses condolences".into(), None)
    };
    let after = &s[verb_end..];
    let (recipient, from) = if action.starts_with("sends") || action == "expresses condolences" {
        let rec =
            r.to.find(after)
                .map(|m| cut_phrase(&after[m.end()..]).to_string());
        (rec, None)
    } else if action.starts_with("receives") {
        if action == "receives" {
            (Some(cut_phrase(after).to_string()), None)
        } else {
            let from = r
                .from
                .find(after)
                .map(|m| cut_phrase(&after[m.end()..]).to_string());
            (None, from)
        }
    } else {
        (Some(cut_phrase(after).to_string()), None)
    };
    let recipient = recipient.filter(|x| !x.is_empty());
    let recipient_people = match &recipient {
        Some(rec) => {
            let rs = ve + after.find(rec.as_str()).unwrap_or(0);
            let re = rs + rec.len();
            let mut v: Vec<String> = Vec::new();
            for m in mentions.iter().filter(in_sentence) {
                if m.start >= rs && m.end <= re && !v.iter().any(|p| **p == *m.canonical) {
                    v.push(m.canonical.to_string());
                }
            }
            v
        }
        None => Vec::new(),
    };
    let occasion_found = r.occasion.of(s).captures(s);
    let occasion = occasion_found.as_ref().and_then(|o| {
        o.name("a")
            .or(o.name("b"))
            .or(o.name("c"))
            .map(|x| x.as_str().trim().to_string())
    });
    // The date: first in the part of the sentence outside the occasion.
    let dated = match occasion_found.as_ref().and_then(|o| o.get(0)) {
        Some(o) => {
            let mut t = String::with_capacity(s.len());
            t.push_str(&s[..o.start()]);
            t.push(' ');
            t.push_str(&s[o.end()..]);
            std::borrow::Cow::Owned(t)
        }
        None => std::borrow::Cow::Borrowed(s),
    };
    let (date, date_text) = match occasion_found.as_ref().and_then(|o| o.get(0)) {
        // The occasion cut out, offsets no longer match the mentions.
        Some(_) => match resolve_date(&dated, published) {
            Some((d, t)) => (Some(d), Some(t)),
            None => (None, None),
        },
        None => match resolve_date_in(s, mentions, para, offset, published) {
            Some((d, t)) => (Some(d), Some(t)),
            None => (None, None),
        },
    };
    Some(Event {
        actor,
        action,
        modifier,
        recipient,
        recipient_people,
        from: from.filter(|x| !x.is_empty()),
        occasion,
        date,
        date_text,
        paragraph: para,
        full_text: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The patterns alone: these sentences name nobody.
    fn find_events(
        mentions: &[Mention],
        title: &str,
        paragraphs: &[String],
        published: Option<NaiveDate>,
    ) -> Vec<Event> {
        let spanish = crate::text::is_spanish(title, paragraphs);
        find_events_with(mentions, title, paragraphs, published, spanish, false)
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_resolve_against_publication() {
        let p = Some(d(2026, 1, 1)); // a Thursday
        assert_eq!(
            resolve_date("on December 31, 2025 on", p).unwrap().0,
            d(2025, 12, 31)
        );
        assert_eq!(resolve_date("on Thursday", p).unwrap().0, d(2026, 1, 1));
        assert_eq!(resolve_date("Sunday", p).unwrap().0, d(2025, 12, 28));
        assert_eq!(resolve_date("on Friday", p).unwrap().0, d(2025, 12, 26));
        assert_eq!(resolve_date("yesterday", p).unwrap().0, d(2025, 12, 31));
        assert_eq!(resolve_date("on Dec. 22", p).unwrap().0, d(2025, 12, 22));
        assert_eq!(resolve_date("on Jan. 1", p).unwrap().0, d(2026, 1, 1));
        // A date after publication is announced, not reported.
        assert_eq!(resolve_date("on January 5, 2026", p), None);
        // Historical dates carry `Juche`.
        assert_eq!(
            resolve_date("published on October 17, Juche 71 (1982)", p),
            None
        );
    }

    #[test]
    fn the_ascii_twins_match_as_the_unicode_regexes_on_ascii_text() {
        let (occasion, date) = (&res().occasion, &res().date);
        let sentences = [
            "He sent a message on the occasion of the new year on Thursday.",
            "They met on the 60th founding anniversary of the Republic, on Dec. 9, 2011.",
            "marking the birthday of the leader in Pyongyang today",
            "on Kim Il Sung's birthday",
            "Nothing here on\tthe  occasion of 12 days; and more",
        ];
        let mut matched = [0, 0];
        for s in sentences {
            for (twins, matched) in [occasion, date].into_iter().zip(&mut matched) {
                let groups = |re: &Regex| {
                    re.captures_iter(s)
                        .map(|c| c.iter().map(|g| g.map(|g| g.range())).collect::<Vec<_>>())
                        .collect::<Vec<_>>()
                };
                let ascii = groups(twins.of(s));
                *matched += ascii.len();
                assert_eq!(ascii, groups(twins.of("é")), "{s}");
            }
        }
        assert!(matched[0] >= 4 && matched[1] >= 3, "{matched:?}");
        assert!(std::ptr::eq(occasion.of(sentences[0]), occasion.of("abc")));
        assert!(!std::ptr::eq(occasion.of(sentences[0]), occasion.of("é")));
        // Text that is not ASCII takes the Unicode regex: `é` is a word
        // character there.
        let s = "on the été anniversary";
        assert_eq!(
            occasion
                .of(s)
                .captures(s)
                .and_then(|c| c.name("b"))
                .map(|b| b.as_str()),
            Some("the été anniversary")
        );
    }

    #[test]
    fn a_verb_glued_to_a_non_ascii_letter_is_no_verb() {
        let p = Some(d(2011, 5, 3));
        // `met` + `álica`: ASCII word boundaries alone would read a meeting.
        let spanish = ["La industria metálica y la producción de acero crecen.".to_string()];
        assert!(find_events(&[], "Informe", &spanish, p).is_empty());
        // A curly quote beside the verb is no letter.
        let english = ["He inspected the ‘Kangson’ plant on Monday.".to_string()];
        let events = find_events(&[], "Report", &english, p);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].action, "inspects");
        assert_eq!(events[0].date, Some(d(2011, 5, 2)));
    }

    #[test]
    fn word_boundaries_beside_non_ascii_letters_are_unicode_ones() {
        let p = Some(d(2011, 5, 3));
        let one = |t: &str| find_events(&[], "Report", &[t.to_string()], p);
        // A name with a non-ASCII initial after `received`: the match ends
        // after the space, where only a Unicode boundary stands.
        let e = one("Kim Jong Un received Émile Dupont, French envoy.");
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].action, "receives");
        assert_eq!(e[0].recipient.as_deref(), Some("Émile Dupont"));
        // Refused at `greetingsà`, a Unicode boundary backs off to `message`.
        let e = one("He sent a message of greetingsà to the premier.");
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].action, "sends message");
        // A combining mark is a word character for `\b`.
        assert!(one("He met\u{301} the premier on Monday.").is_empty());
    }

    #[test]
    fn a_sentence_with_non_ascii_letters_reads_its_parts_from_the_text() {
        let p = Some(d(2011, 5, 3));
        let one = |t: &str| find_events(&[], "Report", &[t.to_string()], p);
        // The modifier is read from the sentence, accent and all.
        let e = one("Ri Yong Ho made a brève speech to the café workers on Monday.");
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(
            (e[0].action.as_str(), e[0].modifier.as_deref()),
            ("makes speech", Some("brève"))
        );
        assert_eq!(e[0].recipient.as_deref(), Some("to the café workers"));
        assert_eq!(e[0].date, Some(d(2011, 5, 2)));
        // `(?i)` reads the long s and the Kelvin sign as `s` and `k`.
        let e = one("He \u{17F}ent a message to the Société on Monday.");
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].action, "sends message");
        assert_eq!(e[0].recipient.as_deref(), Some("the Société"));
        let e = one("Le Duan ma\u{212A}es a speech in Hà Nội.");
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].action, "makes speech");
    }

    #[test]
    fn each_first_word_of_an_action_starts_the_alternative_the_table_says() {
        let r = res();
        let tails = [
            "",
            " with",
            " a message to",
            " the message to",
            " a congratulatory letter",
            " field guidance to",
            " a visit to",
            " a speech",
            " talks with",
            " condolences",
            " himself with",
        ];
        for &(verb, i) in ACTION_VERBS {
            for spelled in [verb.to_string(), verb.to_uppercase()] {
                let mut matched = false;
                for tail in tails {
                    let text = format!("{spelled}{tail} them");
                    let first = r.action_parts.iter().position(|p| p.is_match(&text));
                    assert!(
                        first.is_none() || first == Some(i),
                        "{text:?}: alternative {first:?}, the table says {i}"
                    );
                    assert_eq!(action_of_verb(&text), Some(i), "{text:?}");
                    matched |= first.is_some();
                }
                assert!(matched, "no alternative starts with {spelled:?}");
            }
        }
        assert_eq!(action_of_verb("sentence"), None);
    }

    #[test]
    fn the_action_read_with_its_one_alternative_is_the_one_the_whole_alternation_finds() {
        let r = res();
        let whole = &r.action;
        let names = whole
            .capture_names()
            .flatten()
            .map(str::to_string)
            .collect::<Vec<_>>();
        // Every word the actions are written with, each in sentences that
        // give every alternative's continuations a chance.
        let mut tokens: Vec<String> = ACTIONS
            .iter()
            .flat_map(|a| a.split(|c: char| !c.is_ascii_alphabetic()))
            .filter(|t| t.len() > 1)
            .map(str::to_string)
            .collect();
        tokens.sort();
        tokens.dedup();
        let tails = [
            " a congratulatory message of greetings to the army on Monday.",
            " with the premier, and talks with him.",
            " talks with the envoy.",
            " a talk with the envoy.",
            " field guidance to the farm.",
            " a courtesy call on the envoy.",
            " a speech at the rally.",
            " deep condolences to the family.",
            "_x and then inspected the plant.",
            "3 times, and met him.",
            " ",
            "",
        ];
        let mut found = 0;
        for token in &tokens {
            for spelled in [token.clone(), token.to_uppercase()] {
                for head in ["He ", "", "3", "the-", "x_"] {
                    for tail in tails {
                        let s = format!("{head}{spelled}{tail}");
                        let expected = whole.captures(&s).map(|c| {
                            let m = c.get(0).unwrap();
                            let group = names.iter().find(|n| c.name(n).is_some()).cloned();
                            (m.start(), m.end(), group)
                        });
                        let got = action_in(r, &s).map(|(c, base)| {
                            let m = c.get(0).unwrap();
                            let group = names.iter().find(|n| c.name(n).is_some()).cloned();
                            (base + m.start(), base + m.end(), group)
                        });
                        assert_eq!(got, expected, "{s:?}");
                        found += usize::from(got.is_some());
                    }
                }
            }
        }
        assert!(found > 500, "only {found} sentences held an action");
    }

    #[test]
    fn a_full_text_is_introduced_by_a_short_name() {
        let r = res();
        let what = |n: usize| format!("The full text of the {} is as follows:", "x".repeat(n));
        assert!(introduces_full_text(r, &what(1)));
        assert!(introduces_full_text(r, &what(40)));
        assert!(!introduces_full_text(r, &what(41)));
        // Forty characters, not bytes.
        let accented = format!("The text of the {} reads:", "é".repeat(40));
        assert!(introduces_full_text(r, &accented));
        assert!(introduces_full_text(
            r,
            "the text of the congratulatory message reads   :"
        ));
        assert!(introduces_full_text(r, "The letter said:"));
        assert!(!introduces_full_text(r, "The letter said: thanks"));
        assert!(!introduces_full_text(
            r,
            "The text of the message is as follows"
        ));
    }

    #[test]
    fn the_action_found_is_read_whole_whatever_its_last_character() {
        let p = Some(d(2011, 11, 3));
        let one = |t: &str| find_events(&[], "Report", &[t.to_string()], p);
        // `received ` ends with the space before the name: cut right after
        // it, the text would have no word boundary there.
        let e = one("Kim Jong Il received Li Keqiang, vice-premier of China.");
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].action, "receives");
        assert_eq!(e[0].recipient.as_deref(), Some("Li Keqiang"));
        // Every part of a long action, and the first alternative that
        // matches where the action starts.
        let e = one("He sent a new year’s message to the army.");
        assert_eq!(
            (e[0].action.as_str(), e[0].modifier.as_deref()),
            ("sends message", Some("new year")),
            "{e:?}"
        );
        let e = one("He sent a congratulatory message of greetings to the army.");
        assert_eq!(
            (e[0].action.as_str(), e[0].modifier.as_deref()),
            ("sends message", Some("congratulatory")),
            "{e:?}"
        );
        let e = one("Kim Jong Il paid a congratulatory visit to the embassy.");
        assert_eq!(e[0].action, "visits", "{e:?}");
        assert_eq!(e[0].recipient.as_deref(), Some("the embassy"));
    }
}
