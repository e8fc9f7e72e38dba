//! Scoring the analyzer against hand annotations (issue 20; the format is
//! `tests/data/ANNOTATION.md`). Shared by `tests/analysis_gold.rs` and the
//! `analysis_score` example.
//!
//! Owns: reading annotation files, normalising gold and analyzer values so
//! that spellings meet, and the counts per language. Must not touch the
//! corpus (the caller passes each article's [`Analysis`]) or the rules.
//!
//! Where the analyzer's output grows (a `named_after` link on mentions, an
//! `honorifics` field beside the titles), the places to adapt are
//! [`analyzer_orgs`] and [`analyzer_titles`].
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;
use tealeaf_analyze::{Analysis, Analyzer, EntityKind};

/// One annotated article.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldArticle {
    /// 1-based line of `kcna-2011.jsonl.gz`.
    pub line: usize,
    pub language: String,
    /// Null for an untitled article.
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub people: Vec<GoldPerson>,
    #[serde(default)]
    pub named_after: Vec<NamedAfter>,
    #[serde(default)]
    pub organizations: Vec<String>,
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub events: Vec<GoldEvent>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldPerson {
    pub name: String,
    /// Every form the article prints the person's name in.
    #[serde(default)]
    pub printed: Vec<String>,
    #[serde(default)]
    pub titles: Vec<String>,
    #[serde(default)]
    pub honorifics: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NamedAfter {
    pub printed: String,
    pub person: String,
    #[serde(default)]
    pub kind: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldEvent {
    pub actor: Option<String>,
    pub action: String,
    pub date: Option<String>,
}

/// Reads an annotation file (one JSON object a line; blank lines skipped).
pub fn load(path: &Path) -> Result<Vec<GoldArticle>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))
        })
        .collect()
}

/// True positives, false positives, false negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prf {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Prf {
    pub fn p(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn r(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.p(), self.r());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: Prf) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

/// An empty denominator scores 1 (nothing to find, nothing wrongly found).
fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// The counts of one article, or summed over many.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub articles: usize,
    pub people: Prf,
    pub organizations: Prf,
    pub countries: Prf,
    pub titles: Prf,
    /// Gold `named_after` people the analyzer reports as people of the
    /// article while the gold does not list them.
    pub institutions_as_people: usize,
    pub gold_events: usize,
    /// Gold events with an analyzer event of the same actor, action, date.
    pub gold_events_right: usize,
    /// The same ignoring the date.
    pub gold_events_actor_action: usize,
    pub analyzer_events: usize,
    pub analyzer_events_right: usize,
    /// Analyzer events in articles whose gold events are `[]`.
    pub false_events: usize,
}

impl Counts {
    pub fn add(&mut self, o: &Counts) {
        self.articles += o.articles;
        self.people.add(o.people);
        self.organizations.add(o.organizations);
        self.countries.add(o.countries);
        self.titles.add(o.titles);
        self.institutions_as_people += o.institutions_as_people;
        self.gold_events += o.gold_events;
        self.gold_events_right += o.gold_events_right;
        self.gold_events_actor_action += o.gold_events_actor_action;
        self.analyzer_events += o.analyzer_events;
        self.analyzer_events_right += o.analyzer_events_right;
        self.false_events += o.false_events;
    }
    pub fn event_accuracy(&self) -> f64 {
        ratio(self.gold_events_right, self.gold_events)
    }
    pub fn event_precision(&self) -> f64 {
        ratio(self.analyzer_events_right, self.analyzer_events)
    }
}

/// One article's counts and what differed, one line per kind.
#[derive(Debug, Clone, Default)]
pub struct ArticleScore {
    pub counts: Counts,
    pub diffs: Vec<String>,
}

/// Lower case, accents off the common Latin letters, every run of
/// non-alphanumeric characters one space: `Workers’ Party` and `workers'
/// party` meet, as do `Comisión` and `Comision`.
pub fn fold(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    let mut space = true;
    for c in lower.chars() {
        if c.is_alphanumeric() {
            // Accents are often dropped in KCNA's Spanish (`Comision`):
            // the common ones fold to the bare letter.
            out.push(match c {
                'á' | 'à' | 'â' | 'ä' => 'a',
                'é' | 'è' | 'ê' | 'ë' => 'e',
                'í' | 'ì' | 'î' | 'ï' => 'i',
                'ó' | 'ò' | 'ô' | 'ö' => 'o',
                'ú' | 'ù' | 'û' | 'ü' => 'u',
                'ñ' => 'n',
                'ç' => 'c',
                c => c,
            });
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    out.trim_end().to_string()
}

/// Long forms and their short forms in titles, folded (see [`fold`]); the
/// short form is what both sides become. In order: a party's name is
/// shortened before the forms of its central committee are read.
const TITLE_FORMS: &[(&str, &str)] = &[
    ("workers party of korea", "wpk"),
    ("korean people s army", "kpa"),
    ("supreme people s assembly", "spa"),
    ("national defence commission", "ndc"),
    ("national defense commission", "ndc"),
    ("c c the wpk", "central committee of the wpk"),
    ("c c wpk", "central committee of the wpk"),
    ("c c of the wpk", "central committee of the wpk"),
    ("wpk central committee", "central committee of the wpk"),
    ("partido del trabajo de corea", "ptc"),
    ("ejercito popular de corea", "epc"),
    ("asamblea popular suprema", "aps"),
    ("comision de defensa nacional", "cdn"),
    ("comite de defensa nacional", "cdn"),
    ("cc del ptc", "comite central del ptc"),
];

/// Leading words dropped from a title.
const TITLE_LEADS: &[&str] = &["the", "as", "el", "la"];

/// A title as compared: folded (lower case, punctuation and spaces), the
/// long forms shortened, leading `the`/`as`/`el`/`la` dropped.
pub fn normalize_title(t: &str) -> String {
    // `the DPRK NDC` is `the NDC`, as the analyzer shortens it (`the
    // DPRK ` before another word).
    let folded = fold(t);
    let words: Vec<&str> = folded.split(' ').collect();
    let kept: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|&(i, w)| !(*w == "dprk" && i > 0 && words[i - 1] == "the" && i + 1 < words.len()))
        .map(|(_, w)| *w)
        .collect();
    let mut s = format!(" {} ", kept.join(" "));
    for (long, short) in TITLE_FORMS {
        s = s.replace(&format!(" {long} "), &format!(" {short} "));
    }
    let mut s = s.trim();
    while let Some((first, rest)) = s.split_once(' ') {
        if !TITLE_LEADS.contains(&first) {
            break;
        }
        s = rest;
    }
    s.to_string()
}

/// Words of respect, not offices (ANNOTATION.md): an analyzer title made
/// of these alone is an honorific and is not scored as a title.
const HONORIFIC_WORDS: &[&str] = &[
    "respected",
    "dear",
    "great",
    "leader",
    "comrade",
    "his",
    "her",
    "excellency",
    "he",
    "heroic",
    "beloved",
    "estimado",
    "estimada",
    "compañero",
    "compañera",
    "querido",
    "respetado",
    "respetable",
    "gran",
    "dirigente",
    "camarada",
    "excelencia",
    "su",
];

fn is_honorific(normalized: &str) -> bool {
    !normalized.is_empty() && normalized.split(' ').all(|w| HONORIFIC_WORDS.contains(&w))
}

/// The canonical name of an organization, country or place written as
/// `name`: the analyzer's own reading of `name` as a headline when one
/// mention of `kind` covers all of it, else `name`; then folded.
pub fn canonical_entity(analyzer: &Analyzer, kind: EntityKind, name: &str) -> String {
    let name = name.trim();
    let a = analyzer.analyze_parts(name, &[], None);
    let whole = a
        .mentions
        .iter()
        .find(|m| m.kind == kind && m.paragraph.is_none() && m.start == 0 && m.end == name.len());
    fold(whole.map_or(name, |m| &m.canonical))
}

/// The analyzer's organizations of one article, folded canonical names.
pub fn analyzer_orgs(a: &Analysis) -> BTreeSet<String> {
    a.entities(EntityKind::Organization)
        .into_iter()
        .map(fold)
        .collect()
}

/// The analyzer's (person, title) pairs, normalised, without those that
/// are honorifics: made of words of respect alone, or listed among the
/// person's honorifics in the gold (`General` of Kim Jong Il).
pub fn analyzer_titles(
    a: &Analysis,
    gold_honorifics: &BTreeSet<(String, String)>,
) -> BTreeSet<(String, String)> {
    a.person_titles()
        .into_iter()
        .map(|(p, t)| (p.to_string(), normalize_title(t)))
        .filter(|(p, t)| !is_honorific(t) && !gold_honorifics.contains(&(p.clone(), t.clone())))
        .collect()
}

/// Gold actions are a closed list; the analyzer's finer ones map onto it,
/// anything else is `other`.
pub fn gold_action(action: &str) -> &str {
    match action {
        "sends message"
        | "sends letter"
        | "sends greetings"
        | "sends gift"
        | "sends wreath"
        | "receives message"
        | "receives"
        | "congratulates"
        | "expresses condolences"
        | "inspects"
        | "guides"
        | "visits"
        | "meets"
        | "attends"
        | "enjoys"
        | "makes speech" => action,
        "sends telegram" | "sends reply" | "sends congratulations" => "sends message",
        "sends floral basket" => "sends gift",
        "receives letter"
        | "receives telegram"
        | "receives greetings"
        | "receives congratulations"
        | "receives reply" => "receives message",
        _ => "other",
    }
}

fn set_prf<T: Ord>(want: &BTreeSet<T>, got: &BTreeSet<T>) -> Prf {
    let tp = want.intersection(got).count();
    Prf {
        tp,
        fp: got.len() - tp,
        fn_: want.len() - tp,
    }
}

fn diff_line<T: Ord + std::fmt::Debug>(
    out: &mut Vec<String>,
    what: &str,
    want: &BTreeSet<T>,
    got: &BTreeSet<T>,
) {
    if want != got {
        out.push(format!(
            "  {what}: missed {:?} extra {:?}",
            want.difference(got).collect::<Vec<_>>(),
            got.difference(want).collect::<Vec<_>>()
        ));
    }
}

type EventKey = (Option<String>, String, Option<String>);

/// Scores one article's analysis against its annotation.
pub fn score_article(analyzer: &Analyzer, gold: &GoldArticle, a: &Analysis) -> ArticleScore {
    let mut c = Counts {
        articles: 1,
        ..Counts::default()
    };
    let mut diffs = Vec::new();

    // People: gold names through the analyzer's person-name lookup; a
    // person the analyzer stores under a form the article prints
    // (`Aleksandr Lukashenko` where the annotator wrote the usual
    // `Alexander Lukashenko`) is that person, folded alike.
    let got_people: BTreeSet<String> = a.people().into_iter().map(str::to_string).collect();
    let resolve = |name: &str| -> String {
        let canonical = analyzer.person_name(name);
        if got_people.contains(&canonical) {
            return canonical;
        }
        let forms: BTreeSet<String> = gold
            .people
            .iter()
            .filter(|p| p.name == name)
            .flat_map(|p| std::iter::once(&p.name).chain(&p.printed))
            .flat_map(|f| [fold(f), fold(&analyzer.person_name(f))])
            .collect();
        got_people
            .iter()
            .find(|g| forms.contains(&fold(g)))
            .cloned()
            .unwrap_or(canonical)
    };
    let want_people: BTreeSet<String> = gold.people.iter().map(|p| resolve(&p.name)).collect();
    c.people = set_prf(&want_people, &got_people);
    diff_line(&mut diffs, "people", &want_people, &got_people);

    // Organizations: an analyzer organization the gold has under
    // `named_after` counts as found, and is not missed when absent.
    let want_orgs: BTreeSet<String> = gold
        .organizations
        .iter()
        .map(|o| canonical_entity(analyzer, EntityKind::Organization, o))
        .collect();
    let named_after: BTreeSet<String> = gold
        .named_after
        .iter()
        .flat_map(|n| {
            [
                fold(&n.printed),
                canonical_entity(analyzer, EntityKind::Organization, &n.printed),
            ]
        })
        .collect();
    let got_orgs = analyzer_orgs(a);
    let mut orgs = set_prf(&want_orgs, &got_orgs);
    let credited: BTreeSet<String> = got_orgs
        .difference(&want_orgs)
        .filter(|o| named_after.contains(*o))
        .cloned()
        .collect();
    orgs.tp += credited.len();
    orgs.fp -= credited.len();
    c.organizations = orgs;
    let got_uncredited: BTreeSet<String> = got_orgs.difference(&credited).cloned().collect();
    diff_line(&mut diffs, "organizations", &want_orgs, &got_uncredited);

    let want_countries: BTreeSet<String> = gold
        .countries
        .iter()
        .map(|o| canonical_entity(analyzer, EntityKind::Country, o))
        .collect();
    let got_countries: BTreeSet<String> = a
        .entities(EntityKind::Country)
        .into_iter()
        .map(fold)
        .collect();
    c.countries = set_prf(&want_countries, &got_countries);
    diff_line(&mut diffs, "countries", &want_countries, &got_countries);

    // Titles: offices only, on both sides.
    let mut want_titles = BTreeSet::new();
    let mut honorifics = BTreeSet::new();
    for p in &gold.people {
        let name = resolve(&p.name);
        for t in &p.titles {
            want_titles.insert((name.clone(), normalize_title(t)));
        }
        for h in &p.honorifics {
            honorifics.insert((name.clone(), normalize_title(h)));
        }
    }
    let got_titles = analyzer_titles(a, &honorifics);
    c.titles = set_prf(&want_titles, &got_titles);
    diff_line(&mut diffs, "titles", &want_titles, &got_titles);

    // Institutions counted as people.
    let inst: BTreeSet<String> = gold
        .named_after
        .iter()
        .map(|n| analyzer.person_name(&n.person))
        .filter(|p| got_people.contains(p) && !want_people.contains(p))
        .collect();
    c.institutions_as_people = inst.len();
    if !inst.is_empty() {
        diffs.push(format!("  institutions counted as people: {inst:?}"));
    }

    // Events: (actor, action, date) matched one to one; the actor is
    // the person as people are scored (`resolve`), so a person found under
    // a form the article prints is the same actor.
    let want_events: Vec<EventKey> = gold
        .events
        .iter()
        .map(|e| {
            (
                e.actor.as_deref().map(resolve),
                e.action.clone(),
                e.date.clone(),
            )
        })
        .collect();
    let got_events: Vec<EventKey> = a
        .events
        .iter()
        .map(|e| {
            (
                e.actor.clone(),
                gold_action(&e.action).to_string(),
                e.date.map(|d| d.format("%Y-%m-%d").to_string()),
            )
        })
        .collect();
    c.gold_events = want_events.len();
    c.analyzer_events = got_events.len();
    let mut used = vec![false; got_events.len()];
    let mut missed = Vec::new();
    for w in &want_events {
        match (0..got_events.len()).find(|&i| !used[i] && got_events[i] == *w) {
            Some(i) => {
                used[i] = true;
                c.gold_events_right += 1;
            }
            None => missed.push(w),
        }
    }
    c.analyzer_events_right = used.iter().filter(|u| **u).count();
    let mut used_aa = vec![false; got_events.len()];
    for w in &want_events {
        if let Some(i) = (0..got_events.len())
            .find(|&i| !used_aa[i] && got_events[i].0 == w.0 && got_events[i].1 == w.1)
        {
            used_aa[i] = true;
            c.gold_events_actor_action += 1;
        }
    }
    if want_events.is_empty() {
        c.false_events = got_events.len();
    }
    let extra: Vec<_> = got_events
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(e, _)| e)
        .collect();
    if !missed.is_empty() || !extra.is_empty() {
        diffs.push(format!("  events: missed {missed:?} extra {extra:?}"));
    }

    ArticleScore { counts: c, diffs }
}

/// Counts per language (and `all`), and each article's differences.
#[derive(Debug, Default)]
pub struct Report {
    pub by_language: BTreeMap<String, Counts>,
    pub diffs: Vec<String>,
}

impl Report {
    pub fn add(&mut self, gold: &GoldArticle, s: ArticleScore) {
        self.by_language
            .entry(gold.language.clone())
            .or_default()
            .add(&s.counts);
        self.by_language
            .entry("all".into())
            .or_default()
            .add(&s.counts);
        if !s.diffs.is_empty() {
            self.diffs.push(format!(
                "line {} ({}) {}\n{}",
                gold.line,
                gold.language,
                gold.title.as_deref().unwrap_or("(untitled)"),
                s.diffs.join("\n")
            ));
        }
    }

    pub fn get(&self, language: &str) -> Counts {
        self.by_language.get(language).cloned().unwrap_or_default()
    }

    /// A markdown table: one row a measure, one column a language.
    pub fn table(&self) -> String {
        let langs: Vec<&String> = self.by_language.keys().collect();
        let mut t = String::from("| measure |");
        for l in &langs {
            let _ = write!(t, " {l} |");
        }
        t.push_str("\n|---|");
        for _ in &langs {
            t.push_str("---|");
        }
        t.push('\n');
        let row = |t: &mut String, name: &str, f: &dyn Fn(&Counts) -> String| {
            let _ = write!(t, "| {name} |");
            for l in &langs {
                let _ = write!(t, " {} |", f(&self.by_language[*l]));
            }
            t.push('\n');
        };
        let prf = |p: &Prf| {
            format!(
                "P {:.3} R {:.3} F1 {:.3} ({}/{}/{})",
                p.p(),
                p.r(),
                p.f1(),
                p.tp,
                p.fp,
                p.fn_
            )
        };
        row(&mut t, "articles", &|c| c.articles.to_string());
        row(&mut t, "people (tp/fp/fn)", &|c| prf(&c.people));
        row(&mut t, "organizations", &|c| prf(&c.organizations));
        row(&mut t, "countries", &|c| prf(&c.countries));
        row(&mut t, "titles (person, title)", &|c| prf(&c.titles));
        row(&mut t, "institutions counted as people", &|c| {
            c.institutions_as_people.to_string()
        });
        row(&mut t, "event accuracy (right/gold)", &|c| {
            format!(
                "{:.3} ({}/{})",
                c.event_accuracy(),
                c.gold_events_right,
                c.gold_events
            )
        });
        row(&mut t, "events actor+action right", &|c| {
            format!("{}/{}", c.gold_events_actor_action, c.gold_events)
        });
        row(&mut t, "event precision (right/analyzer)", &|c| {
            format!(
                "{:.3} ({}/{})",
                c.event_precision(),
                c.analyzer_events_right,
                c.analyzer_events
            )
        });
        row(&mut t, "false events (gold [])", &|c| {
            c.false_events.to_string()
        });
        t
    }
}
