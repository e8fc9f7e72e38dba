//! Events in KCNA's Spanish edition, read from the headline and lead as
//! the English ones are (see [`crate::events`]) and named with the English
//! actions (`envió un mensaje` → `sends message`), so that one query finds
//! both editions. The Spanish edition often prints no accents (`envio`,
//! `recibio`): every pattern takes both spellings.
//!
//! Dates: `el día 26` (that day of the publication month, or of the month
//! before when that is after publication), `el 31 de diciembre [de 2011]`,
//! `el jueves` / `este sábado` (the latest such day on or before
//! publication), `ayer`, `anteayer`, `hoy`, `la víspera` (the day before
//! publication; not `la víspera del aniversario`), `los días 2 y 3` and
//! `del día 23 al 25` (the first day); never a date in brackets, nor a
//! month printed with a capital and no year (`Complejo de Vinalon 8 de
//! Febrero`). In `recibió un mensaje que le enviara el día 19 X` the date
//! is X's sending, not the receipt (see `sent_to_receiver`).
//! Occasions: `con motivo de(l) X`, `en ocasión de(l) X`, `por el Nº
//! aniversario de X`.
//!
//! Owns: the Spanish patterns. Must not touch: the English ones, finding
//! mentions, or storage.

use std::sync::OnceLock;

use chrono::{Datelike, Duration, NaiveDate};
use regex::Regex;

use crate::events::{first_person, names_body, Event};
use crate::gazetteer::EntityKind;
use crate::mentions::Mention;
use crate::text::sentences;

const MONTHS: &str = "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre";

struct Res {
    action: Regex,
    date: Regex,
    occasion: Regex,
    to: Regex,
    from: Regex,
    lead_date: Regex,
    full_text: Regex,
}

fn res() -> &'static Res {
    static R: OnceLock<Res> = OnceLock::new();
    R.get_or_init(|| Res {
        // Leftmost first: at one place, `dirigió sobre el terreno` (guides)
        // before `dirigió un mensaje` (sends).
        action: Regex::new(
            r"(?ix)\b(?:
              (?P<guide>(?:dirigi[oó]|dirige|orient[oó]|orienta)(?:\s+[^\s,.;]+){0,5}?\s+(?:sobre|en)\s+el\s+terreno
                |(?:dio|da|brind[oó]|brinda)\s+(?:su\s+)?orientaci[oó]n\s+sobre\s+el\s+terreno)
             |(?P<send>envi[oó]|env[ií]a|env[ií]an|enviaron|remiti[oó]|remite|dirigi[oó]|dirige|hizo\s+llegar|hace\s+llegar)
                (?:\s+[^\s,.;]+){0,6}?\s+(?:(?:un|una|el|la|los|las|sus?)\s+)?
                (?P<sobj>mensajes?|cartas?|misivas?|telegramas?|saludos?|felicitaciones|ofrendas?\s+florale?s?|coronas?\s+de\s+flores|cestas?\s+de\s+flores|canastas?\s+de\s+flores|regalos?|obsequios?|respuestas?)\b
                (?:\s+de\s+(?P<sof>felicitaci[oó]n|condolencias?|p[eé]sames?|saludos?|agradecimiento|respuesta|simpat[ií]a|solidaridad))?
             |(?P<sendp>(?P<pobj>mensajes?|cartas?|telegramas?|ofrendas?\s+florale?s?|coronas?\s+de\s+flores|cestas?\s+de\s+flores|canastas?\s+de\s+flores|regalos?|obsequios?)\s+(?:[^\s,.;]+\s+){0,3}?enviad[oa]s?\s+por)
             |(?P<recv>recibi[oó]|recibe|recibieron|reciben)
                (?:(?:\s+[^\s,.;]+){0,4}?\s+(?:(?:un|una|el|la|los|las|sus?)\s+)?(?P<robj>mensajes?|cartas?|misivas?|telegramas?|tarjetas?|regalos?|obsequios?|presentes?|ofrendas?\s+florale?s?|cest[ao]s?\s+de\s+flores|felicitaciones|saludos?)\b
                (?:\s+de\s+(?P<rof>felicitaci[oó]n(?:es)?|condolencias?|p[eé]sames?|saludos?|agradecimiento|respuesta))?)?
             |(?P<insp>inspeccion[oó]|inspecciona|inspeccionaron|averigu[oó]|averigua|(?:analiz[oó]|analiza|estudi[oó]|estudia)(?:\s+[^\s,.;]+){0,5}?\s+(?:sobre|en)\s+el\s+(?:mismo\s+)?terreno)
             |(?P<visit>visit[oó]|visita|visitaron|visitan|recorri[oó]|recorre|recorrieron|realiz[oó]\s+(?:una\s+|su\s+)?visita|realiza\s+(?:una\s+|su\s+)?visita)
             |(?P<cong>felicit[oó]|felicita|felicitaron)
             |(?P<cond>(?:expres[oó]|expresa|expresaron|expresan|manifest[oó]|manifiesta)(?:\s+el\s+d[ií]a\s+\S+|\s+ayer|\s+hoy)?\s+(?:sus\s+|su\s+|las\s+|el\s+)?(?:m[aá]s\s+)?(?:sentid[ao]s?\s+|profund[ao]s?\s+|hond[ao]s?\s+)?(?:condolencias|p[eé]same)|(?:dio|da)\s+el\s+p[eé]same)
             |(?P<speech>(?:pronunci[oó]|pronuncia)\s+(?:un\s+|el\s+|su\s+)?(?:[^\s,.;]+\s+)?discurso|hizo\s+uso\s+de\s+la\s+palabra)
             |(?P<meet>(?:se\s+entrevist[oó]|se\s+entrevista|se\s+reuni[oó]|se\s+re[uú]ne)(?:\s+[^\s,.;]+){0,4}?\s+con|departi[oó]|departe|sostuvo\s+(?:una\s+)?(?:conversaci[oó]n|conversaciones|entrevista)\s+con|convers[oó]\s+con|conversa\s+con)
             |(?P<attend>asisti[oó]\s+a|asiste\s+a|asistieron\s+a)
             |(?P<enjoy>(?:disfrut[oó]|disfruta|apreci[oó]|aprecia|presenci[oó]|presencia|vio)\s+(?:de\s+)?(?:la|el|una|un|las|los)\s+(?:[^\s,.;]+\s+){0,2}?(?:presentaci[oó]n|funci[oó]n|concierto|espect[aá]culo|actuaci[oó]n|representaci[oó]n|pel[ií]cula|[oó]pera|exhibici[oó]n|demostraci[oó]n|partido|gimnasia))
            )\b",
        )
        .expect("static regex"),
        date: Regex::new(&format!(
            r"(?ix)\b(?:
               el\s+d[ií]a\s+(?P<dd>\d{{1,2}}|primero)(?:\s+de\s+(?P<dm>{MONTHS}))?(?:\s+de(?:l)?\s+(?P<dy>\d{{4}}))?
              |los\s+d[ií]as\s+(?P<ds>\d{{1,2}}|primero)(?:\s*,\s*\d{{1,2}})*\s+y\s+\d{{1,2}}
              |del\s+d[ií]a\s+(?P<dr>\d{{1,2}}|primero)\s+al\s+\d{{1,2}}
              |(?P<eve>la\s+v[ií]spera)
              |(?:el\s+)?(?P<d2>\d{{1,2}})\s+de\s+(?P<m2>{MONTHS})(?:\s+de(?:l)?\s+(?P<y2>\d{{4}}))?
              |(?:el|este|el\s+pasado|este\s+pasado)\s+(?P<wd>lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo)
              |(?P<anteayer>anteayer)
              |(?P<yest>ayer)
              |(?P<today>hoy)
             )\b"
        ))
        .expect("static regex"),
        occasion: Regex::new(
            r"(?ix)(?:
               \bcon\s+motivo\s+del?\s+(?P<a>[^,;]+?)
              |\ben\s+ocasi[oó]n\s+del?\s+(?P<b>[^,;]+?)
              |\b(?:por|para\s+celebrar|en\s+saludo\s+al?)\s+(?P<c>el\s+(?:[^\s,;]+\s+){0,3}?(?:aniversario|cumplea[nñ]os|natalicio|centenario)(?:\s+del?\s+[^,;]+?)?)
             )(?:\s+el\s+d[ií]a\s|[,;]|\.\s|\.$|$)",
        )
        .expect("static regex"),
        to: Regex::new(r"(?i)^(?:[^.;]*?\s)?(?:a|al)\s+").expect("static regex"),
        from: Regex::new(r"(?i)\b(?:de|del|desde)\s+").expect("static regex"),
        lead_date: Regex::new(
            r"(?i)^(?:el\s+d[ií]a\s+\S+|la\s+v[ií]spera|ayer|hoy|anteayer|este\s+\S+|el\s+(?:lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo))\s+(?:en\s+el\s+terreno\s+|sobre\s+el\s+terreno\s+)?",
        )
        .expect("static regex"),
        full_text: Regex::new(
            r"(?ix)^(?:
               (?:su|el|la)\s+texto(?:\s+[ií]ntegro)?(?:\s+del?\s+(?:la\s+)?[\w\s]{1,40}?)?\s+(?:es\s+como\s+sigue|va\s+como\s+sigue|sigue|dice|reza|es\s+el\s+siguiente)
              |(?:el|la)\s+(?:mensaje|carta|misiva|telegrama|discurso|declaraci[oó]n|respuesta|nota)\s+(?:dice|reza|va\s+como\s+sigue|sigue|es\s+como\s+sigue|expresa|se[nñ]ala|indica)(?:\s+a\s+continuaci[oó]n)?
             )\s*:\s*$",
        )
        .expect("static regex"),
    })
}

/// Whether a paragraph (trimmed) introduces the full text of a message,
/// letter or speech in Spanish (`Su texto íntegro es como sigue:`, `El
/// mensaje dice:`, `La misiva va como sigue:`).
pub(crate) fn introduces_full_text(p: &str) -> bool {
    p.ends_with(':') && p.len() < 200 && res().full_text.is_match(p)
}

/// The events of a Spanish article (see the module doc).
pub(crate) fn find_events(
    mentions: &[Mention],
    title: &str,
    paragraphs: &[String],
    published: Option<NaiveDate>,
) -> Vec<Event> {
    let mut out = Vec::new();
    let mut referent = first_person(mentions, None, 0..title.len());
    // A sentence of the lead with no date of its own happened on the day
    // an earlier one gives, in its paragraph or, when recent, the one
    // before (`fueron depositadas el día 24 las ofrendas ...` then `la
    // ofrenda enviada por Kim Jong Un`).
    let mut lead_date: Option<(NaiveDate, String)> = None;
    for (p, text) in paragraphs.iter().enumerate().take(2) {
        for sent in sentences(text) {
            let s = &text[sent.clone()];
            for mut e in event_in(mentions, Some(p), sent.start, s, published, &referent) {
                let mut handed = Vec::new();
                let sender = if e.action.starts_with("receives ") {
                    sent_to_receiver(
                        mentions,
                        paragraphs,
                        p,
                        &sent,
                        &mut e,
                        published,
                        &mut handed,
                    )
                } else {
                    None
                };
                if let Some(sender) = sender {
                    if e.action.starts_with("receives ") {
                        out.push(e);
                    }
                    e = sender;
                }
                if e.date.is_none() {
                    if let Some((d, t)) = &lead_date {
                        (e.date, e.date_text) = (Some(*d), Some(t.clone()));
                    }
                }
                out.push(e);
                out.append(&mut handed);
            }
            if lead_date.is_none() {
                let occasion = res().occasion.captures(s).as_ref().and_then(occasion_range);
                lead_date = resolve_date(s, occasion, published);
            }
            if let Some(named) = first_person(mentions, Some(p), sent) {
                referent = Some(named);
            }
        }
        if !out.is_empty() {
            return out;
        }
        lead_date = lead_date.filter(|(d, _)| crate::events::recent(*d, published));
    }
    let title_actor = first_person(mentions, None, 0..title.len());
    let mut events = event_in(mentions, None, 0, title, published, &title_actor);
    for e in &mut events {
        if e.date.is_none() {
            if let Some((d, t)) = lead_day_of(mentions, paragraphs, e.actor.as_deref(), published) {
                (e.date, e.date_text) = (Some(d), Some(t));
            }
        }
    }
    out.extend(events);
    out
}

/// The day of a headline's act that the lead tells in words no pattern
/// reads (`Jang Jae On expresa condolencias` over `Jang Jae On ... envio
/// este lunes ... el siguiente telegrama de consuelo`): the date of the
/// lead's first sentence, when its subject (first person) is the
/// headline's actor and the date is recent.
fn lead_day_of(
    mentions: &[Mention],
    paragraphs: &[String],
    actor: Option<&str>,
    published: Option<NaiveDate>,
) -> Option<(NaiveDate, String)> {
    let actor = actor?;
    let text = paragraphs.first()?;
    let sent = sentences(text).into_iter().next()?;
    if first_person(mentions, Some(0), sent.clone()).as_deref() != Some(actor) {
        return None;
    }
    let s = text.get(sent)?;
    let occasion = res().occasion.captures(s).as_ref().and_then(occasion_range);
    resolve_date(s, occasion, published).filter(|(d, _)| crate::events::recent(*d, published))
}

/// `recibió un mensaje de condolencias que le enviara el día 19 X`: the
/// relative clause tells X's sending, and its date is the sending's; the
/// receipt keeps only a date printed outside it. Gives X's event (`sends
/// message`, the object received), by the first person the clause names;
/// a gift (`recibió presente que le dirigiera X`) is only X's act (the
/// action list has no receiving of gifts), which with no date of its own
/// takes that of its handing over in the lead (`El visitante lo entregó el
/// día 9`), and with nobody named, its giver is who handed it over; a
/// different person named handing it over is his own act (`hands over
/// gift`, pushed on `handed`), and the sending keeps no date. `e` becomes
/// the sending when it is a gift.
fn sent_to_receiver(
    mentions: &[Mention],
    paragraphs: &[String],
    p: usize,
    sent: &std::ops::Range<usize>,
    e: &mut Event,
    published: Option<NaiveDate>,
    handed: &mut Vec<Event>,
) -> Option<Event> {
    static RE: OnceLock<(Regex, Regex, Regex, Regex)> = OnceLock::new();
    let (relative, gift, hand, message) = RE.get_or_init(|| {
        (
            Regex::new(
                r"(?i)\bque\s+(?:[^.;]{0,160}?\s)?le\s+(?:envi(?:ara|aran|[oó]|aron)|mand(?:ara|aran|[oó]|aron)|remiti(?:era|eran|[oó]|eron)|dirigi(?:era|eran|[oó]|eron)|dedic(?:ara|aran|[oó]|aron)|hicieran?\s+llegar|hizo\s+llegar|hicieron\s+llegar)\b",
            )
            .expect("static regex"),
            Regex::new(r"(?i)\b(?:regalos?|presentes?|obsequios?|cest[ao]s?\s+de\s+flores|canastas?\s+de\s+flores)\b")
                .expect("static regex"),
            Regex::new(r"(?i)\b(?:lo|los|la|las)\s+entreg(?:[oó]|aron)\b|\bhizo\s+entrega\b|\bfue(?:ron)?\s+entregad[oa]s?\b")
                .expect("static regex"),
            // A message received with the gift makes it a message's
            // receipt (`un cesto de flores y carta de felicitación`).
            Regex::new(r"(?i)\b(?:cartas?|mensajes?|misivas?|telegramas?)\b").expect("static regex"),
        )
    });
    static CUT: OnceLock<Regex> = OnceLock::new();
    // KCNA's `.,` between two sentences leaves them one to `sentences`
    // (`Romania.,  Vasile Orleanu`): the clause ends there.
    let cut = CUT.get_or_init(|| Regex::new(r"\.\s*,").expect("static regex"));
    let whole = paragraphs.get(p)?.get(sent.clone())?;
    let s = cut.find(whole).map_or(whole, |m| &whole[..m.start()]);
    let rel = relative.find(s);
    // What was received: from the verb to the relative clause (or the
    // sentence's end).
    let received = s
        .split_once("recib")
        .map(|(head, rest)| match rel {
            Some(r) if r.start() > head.len() => &s[head.len()..r.start()],
            _ => rest,
        })
        .unwrap_or("");
    let is_gift =
        (e.action == "receives gift" || gift.is_match(received)) && !message.is_match(received);
    if rel.is_none() && !is_gift {
        return None;
    }
    let occasion = res().occasion.captures(s).as_ref().and_then(occasion_range);
    let mut sender = Event {
        actor: None,
        action: String::new(),
        modifier: e.modifier.clone(),
        recipient: e.actor.clone(),
        recipient_people: e.actor.clone().into_iter().collect(),
        from: None,
        occasion: e.occasion.clone(),
        date: None,
        date_text: None,
        paragraph: e.paragraph,
        full_text: None,
    };
    if let Some(rel) = rel {
        let (rs, re) = (sent.start + rel.end(), sent.start + s.len());
        sender.actor = mentions
            .iter()
            .filter(|m| m.paragraph == Some(p) && m.kind == EntityKind::Person)
            .filter(|m| {
                occasion
                    .as_ref()
                    .is_none_or(|o| m.end <= sent.start + o.start || m.start >= sent.start + o.end)
            })
            .find(|m| m.start >= rs && m.end <= re)
            .map(|m| m.canonical.to_string());
        let shifted = occasion.as_ref().and_then(|o| {
            (o.end > rel.end()).then(|| o.start.saturating_sub(rel.end())..o.end - rel.end())
        });
        if let Some((d, t)) = resolve_date(&s[rel.end()..], shifted, published) {
            (sender.date, sender.date_text) = (Some(d), Some(t));
        }
        // The receipt's own date is one printed before the clause.
        let own = resolve_date(&s[..rel.start()], occasion.clone(), published);
        (e.date, e.date_text) = match own {
            Some((d, t)) => (Some(d), Some(t)),
            None => (None, None),
        };
    }
    if rel.is_none() && e.occasion.is_none() {
        // No relative clause: the giver named after `de` (`recibió un
        // regalo del presidente X`), when that is no occasion.
        let at = e.from.as_deref().and_then(|f| s.find(f));
        if let (Some(at), Some(f)) = (at, e.from.as_deref()) {
            let (fs, fe) = (sent.start + at, sent.start + at + f.len());
            sender.actor = people_in(mentions, Some(p), fs, fe).into_iter().next();
        }
    }
    let handing = crate::events::handing_over(paragraphs, p, sent.start + s.len(), hand)
        .map(|h| Handing::read(mentions, paragraphs, &h, published));
    if !is_gift {
        if message.is_match(received)
            && matches!(
                e.action.as_str(),
                "receives gift" | "receives floral basket"
            )
        {
            e.action = "receives message".into();
        }
        let what = e.action.trim_start_matches("receives ").to_string();
        if let Some(h) = handing {
            // With no day of its own, the receipt's is its handing over's
            // (`El cesto y la carta fueron entregados el día 15`).
            if e.date.is_none() {
                if let Some((d, t)) = &h.day {
                    (e.date, e.date_text) = (Some(*d), Some(t.clone()));
                }
            }
            if let Some(other) = h.by_another(sender.actor.as_deref(), e.actor.as_deref(), &what) {
                handed.push(other);
            }
        }
        sender.action = format!("sends {what}");
        return sender.actor.is_some().then_some(sender);
    }
    sender.action = "sends gift".into();
    if let Some(h) = handing {
        match h.by_another(sender.actor.as_deref(), e.actor.as_deref(), "gift") {
            // Somebody else handed it over (`el presidente del Consejo
            // Olímpico Asiático ... lo entregó el día 21`): that is his
            // own act, on its own day; the sending keeps none.
            Some(other) => handed.push(other),
            None => {
                if sender.actor.is_none() {
                    sender.actor = h.by;
                }
                if sender.date.is_none() {
                    if let Some((d, t)) = h.day {
                        (sender.date, sender.date_text) = (Some(d), Some(t));
                    }
                }
            }
        }
    }
    // The receipt is dropped: `find_events` keeps only a receipt whose
    // action still says `receives`.
    e.action = sender.action.clone();
    Some(sender)
}

/// The lead's sentence that hands over what was received (see
/// `crate::events::handing_over`): who handed it, on what day, to whom.
struct Handing {
    by: Option<String>,
    day: Option<(NaiveDate, String)>,
    to: Vec<String>,
    paragraph: usize,
}

impl Handing {
    fn read(
        mentions: &[Mention],
        paragraphs: &[String],
        h: &(usize, std::ops::Range<usize>, std::ops::Range<usize>),
        published: Option<NaiveDate>,
    ) -> Handing {
        let (q, r, v) = h;
        let t = paragraphs
            .get(*q)
            .and_then(|x| x.get(r.clone()))
            .unwrap_or("");
        Handing {
            by: crate::events::hander(mentions, paragraphs, h),
            day: resolve_date(t, None, published),
            to: people_in(mentions, Some(*q), v.end, r.end),
            paragraph: *q,
        }
    }

    /// The handing over as its own act (`hands over gift`), when a person
    /// named handed it who is neither the sender nor the receiver (an
    /// ambassador, a visiting official).
    fn by_another(
        &self,
        sender: Option<&str>,
        receiver: Option<&str>,
        what: &str,
    ) -> Option<Event> {
        let by = self.by.as_deref()?;
        if sender.is_none_or(|s| s == by) || receiver == Some(by) {
            return None;
        }
        Some(crate::events::handing_over_event(
            by.to_string(),
            what,
            self.to.clone(),
            self.day.clone(),
            self.paragraph,
        ))
    }
}

/// Where the occasion's own words are (not the date that may close it:
/// `con motivo del aniversario ... el día 24`).
fn occasion_range(o: &regex::Captures) -> Option<std::ops::Range<usize>> {
    o.name("a")
        .or(o.name("b"))
        .or(o.name("c"))
        .map(|x| x.range())
}

/// Stops a recipient or object phrase.
fn cut_phrase(s: &str) -> &str {
    const STOPS: [&str; 17] = [
        ",",
        ";",
        ". ",
        " en ",
        " con ",
        " para ",
        " por ",
        " que ",
        " durante ",
        " tras ",
        " el dia ",
        " el día ",
        " y expres",
        " junto ",
        " ante ",
        " ayer",
        " hoy",
    ];
    static AC: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    s[..crate::text::first_stop(s, &STOPS, &AC)]
        .trim()
        .trim_end_matches('.')
}

fn modifier(of: &str) -> Option<String> {
    let of = of.to_lowercase();
    let m = if of.starts_with("felicit") {
        "congratulatory"
    } else if of.starts_with("condolenc") || of.starts_with("pésame") || of.starts_with("pesame") {
        "condolence"
    } else if of.starts_with("saludo") {
        "greeting"
    } else if of.starts_with("agradec") {
        "thank-you"
    } else if of.starts_with("respuesta") {
        "reply"
    } else if of.starts_with("simpat") || of.starts_with("solidar") {
        "sympathy"
    } else {
        return None;
    };
    Some(m.to_string())
}

/// The English name of what was sent or received.
fn object_name(o: &str) -> &'static str {
    let o = o.to_lowercase();
    match () {
        _ if o.starts_with("mensaje") || o.starts_with("misiva") || o.starts_with("respuesta") => {
            "message"
        }
        _ if o.starts_with("carta") => "letter",
        _ if o.starts_with("telegrama") => "telegram",
        _ if o.starts_with("saludo") => "greetings",
        _ if o.starts_with("felicitaciones") || o.starts_with("tarjeta") => "greetings",
        _ if o.starts_with("ofrenda") || o.starts_with("corona") => "wreath",
        _ if o.starts_with("cesta") || o.starts_with("cesto") || o.starts_with("canasta") => {
            "floral basket"
        }
        _ => "gift",
    }
}

fn people_in(mentions: &[Mention], para: Option<usize>, from: usize, to: usize) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for m in mentions {
        if m.paragraph == para
            && m.kind == EntityKind::Person
            && m.start >= from
            && m.end <= to
            && !v.iter().any(|p| **p == *m.canonical)
        {
            v.push(m.canonical.to_string());
        }
    }
    v
}

fn event_in(
    mentions: &[Mention],
    para: Option<usize>,
    offset: usize,
    s: &str,
    published: Option<NaiveDate>,
    referent: &Option<String>,
) -> Vec<Event> {
    one_event_in(mentions, para, offset, s, published, referent)
        .map(|(e, more)| {
            let others: Vec<Event> = more
                .into_iter()
                .map(|a| Event {
                    actor: Some(a),
                    ..e.clone()
                })
                .collect();
            std::iter::once(e).chain(others).collect()
        })
        .unwrap_or_default()
}

/// The event of sentence `s` and, when its subject is several people
/// printed after a plural verb, the others of them, who did the same.
fn one_event_in(
    mentions: &[Mention],
    para: Option<usize>,
    offset: usize,
    s: &str,
    published: Option<NaiveDate>,
    referent: &Option<String>,
) -> Option<(Event, Vec<String>)> {
    let r = res();
    // `la visita de ...` is a noun, not a verb; the verb of a relative
    // clause (`Li Keqiang, ... quien realiza una visita oficial a Corea,
    // deposito`) is no act the sentence reports: the next one may be.
    let c = r.action.captures_iter(s).find(|c| {
        let Some(v) = c.get(0) else {
            return false;
        };
        let before = s[..v.start()].trim_end();
        let last = before.rsplit(' ').next().unwrap_or("").to_lowercase();
        if before.len() > last.len()
            && ["quien", "quienes", "cuando", "donde"].contains(&last.as_str())
        {
            return false;
        }
        c.name("visit").is_none()
            || !["la", "una", "su", "esta", "dicha", "de", "sus", "las"].contains(&last.as_str())
    })?;
    let verb = c.get(0)?;
    let (vs, ve) = (offset + verb.start(), offset + verb.end());
    let occasion_found = r.occasion.captures(s);
    let occasion_span = occasion_found
        .as_ref()
        .and_then(|o| o.get(0))
        .map(|o| offset + o.start()..offset + o.end());
    let outside_occasion = |m: &Mention| {
        occasion_span
            .as_ref()
            .is_none_or(|o| m.end <= o.start || m.start >= o.end)
    };
    let after = &s[verb.end()..];
    let after_start = ve;
    let head = s[..verb.start()].trim();
    // An opening `Al` + infinitive clause (`Al enterarse de la noticia de
    // que fallecio el Dirigente Kim Jong Il, los oficiales ... expresan`)
    // names no subject: the subject comes after its comma.
    let subject_from = offset
        + if head.get(..3).is_some_and(|w| w.eq_ignore_ascii_case("al ")) {
            s[..verb.start()].find(',').map_or(0, |i| i + 1)
        } else {
            0
        };
    let mut actor = mentions
        .iter()
        .filter(|m| m.paragraph == para && m.kind == EntityKind::Person)
        .find(|m| m.start >= subject_from && m.end <= vs && outside_occasion(m))
        .map(|m| m.canonical.to_string());
    let (action, modifier, mut recipient, mut from) = if c.name("sendp").is_some() {
        // `la ofrenda floral enviada por X`: the sender is the agent.
        let agent = cut_phrase(after);
        actor = people_in(mentions, para, after_start, after_start + agent.len())
            .into_iter()
            .next()
            .or_else(|| {
                // The name comes after the agent's title and a comma.
                people_in(mentions, para, after_start, offset + s.len())
                    .into_iter()
                    .next()
            });
        let obj = object_name(c.name("pobj").map_or("", |m| m.as_str()));
        (format!("sends {obj}"), None, None, None)
    } else if c.name("send").is_some() {
        let obj = object_name(c.name("sobj").map_or("", |m| m.as_str()));
        let m = c.name("sof").and_then(|m| modifier(m.as_str()));
        // `un mensaje de saludo` is a greeting, as in English.
        let obj = if obj == "message" && m.as_deref() == Some("greeting") {
            "greetings"
        } else {
            obj
        };
        let rec =
            r.to.find(after)
                .map(|m| cut_phrase(&after[m.end()..]).to_string());
        (format!("sends {obj}"), m, rec, None)
    } else if c.name("recv").is_some() {
        let m = c.name("rof").and_then(|m| modifier(m.as_str()));
        match c.name("robj") {
            Some(o) => {
                let from = r
                    .from
                    .find(after)
                    .map(|m| cut_phrase(&after[m.end()..]).to_string());
                let name = object_name(o.as_str());
                let name = if name == "greetings" { "message" } else { name };
                (format!("receives {name}"), m, None, from)
            }
            None => {
                let rest = r
                    .lead_date
                    .find(after.trim_start())
                    .map_or(after.trim_start(), |d| &after.trim_start()[d.end()..]);
                (
                    "receives".into(),
                    None,
                    Some(cut_phrase(rest).to_string()),
                    None,
                )
            }
        }
    } else {
        let action = match () {
            _ if c.name("guide").is_some() => "guides",
            _ if c.name("insp").is_some() => "inspects",
            _ if c.name("visit").is_some() => "visits",
            _ if c.name("cong").is_some() => "congratulates",
            _ if c.name("cond").is_some() => "expresses condolences",
            _ if c.name("speech").is_some() => "makes speech",
            _ if c.name("meet").is_some() => "meets",
            _ if c.name("attend").is_some() => "attends",
            _ => "enjoys",
        };
        let rest = after.trim_start();
        let rest = r.lead_date.find(rest).map_or(rest, |d| &rest[d.end()..]);
        let rec = if action == "expresses condolences" {
            r.to.find(rest)
                .map(|m| cut_phrase(&rest[m.end()..]).to_string())
        } else if action == "enjoys" {
            let v = verb.as_str();
            let first = v.split_whitespace().next().unwrap_or("");
            Some(
                cut_phrase(&format!("{}{}", &v[first.len()..], after))
                    .trim()
                    .to_string(),
            )
        } else {
            Some(cut_phrase(rest).to_string())
        };
        (action.to_string(), None, rec, None)
    };
    // A verb in the plural (`Expresaron condolencias ... la viuda ... y
    // la presidenta ...`) has a group for its subject, printed after it:
    // not the one person named before.
    let plural = verb
        .as_str()
        .split_whitespace()
        .find(|w| !w.eq_ignore_ascii_case("se"))
        .is_some_and(|w| {
            let w = w.to_lowercase();
            w.ends_with("ron") || w.ends_with("an") || w.ends_with("en")
        });
    // With nothing before it, the plural verb's subjects are the people
    // printed after it (`Asistieron a la ocasion Choe Yong Rim, Kim Ki
    // Nam`; `la viuda del ex presidente surcoreano Kim Dae Jung, Ri Hui
    // Ho, y la presidenta del Grupo Hyundai, Hyon Jong Un`), not a name
    // inside a complement (`ante el cuerpo del Dirigente Kim Jong Il`,
    // `del ex presidente Kim Dae Jung`). One event each; read up to KCNA's
    // `.,` that ends the sentence.
    let mut co_actors: Vec<String> = Vec::new();
    if actor.is_none() && plural && head.is_empty() {
        let end = after.find(".,").map_or(s.len(), |i| verb.end() + i);
        let mut named = mentions
            .iter()
            .filter(|m| m.paragraph == para && m.kind == EntityKind::Person)
            .filter(|m| m.start >= ve && m.end <= offset + end && outside_occasion(m))
            .filter(|m| {
                s.get(verb.end()..m.start - offset)
                    .is_some_and(|b| !in_complement(b))
            })
            .map(|m| m.canonical.to_string());
        actor = named.next();
        for n in named {
            if Some(&n) != actor.as_ref() && !co_actors.contains(&n) {
                co_actors.push(n);
            }
        }
    }
    if actor.is_none() && !plural {
        // No subject before the verb (`Recibio ...`) or a pronoun.
        let pronoun = head.is_empty()
            || ["Él", "El", "Ella"]
                .iter()
                .any(|p| head == *p || head.starts_with(&format!("{p} ")) && head.len() < 12);
        if pronoun {
            actor = referent.clone();
        }
    }
    // As in English, only a person receives a visitor (`RPDC recibe
    // premios maximos` is a prize).
    if actor.is_none()
        && (action == "enjoys"
            || action == "meets"
            || action == "receives"
            || !names_body(mentions, para, offset, vs))
    {
        return None;
    }
    recipient = recipient.filter(|x| !x.is_empty());
    from = from.filter(|x| !x.is_empty());
    let recipient_people = match &recipient {
        Some(rec) => match after.find(rec.as_str()) {
            Some(i) => people_in(mentions, para, after_start + i, after_start + i + rec.len()),
            None => Vec::new(),
        },
        None => Vec::new(),
    };
    let occasion = occasion_found.as_ref().and_then(|o| {
        o.name("a")
            .or(o.name("b"))
            .or(o.name("c"))
            .map(|x| x.as_str().trim().to_string())
    });
    let occasion_local = occasion_found.as_ref().and_then(occasion_range);
    let (date, date_text) = match resolve_date(s, occasion_local, published) {
        Some((d, t)) => (Some(d), Some(t)),
        None => (None, None),
    };
    let e = Event {
        actor,
        action,
        modifier,
        recipient,
        recipient_people,
        from,
        occasion,
        date,
        date_text,
        paragraph: para,
        full_text: None,
    };
    Some((e, co_actors))
}

/// Whether a name printed after `before` stands in a complement: the
/// nearest comma or function word before it, over its title's words
/// (`del ex presidente surcoreano`), is a preposition (`de`, `a`, `ante`),
/// not an article, `y` or a comma.
fn in_complement(before: &str) -> bool {
    for w in before.split_whitespace().rev() {
        if w.ends_with(',') {
            return false;
        }
        let w = w.to_lowercase();
        if [
            "de", "del", "a", "al", "ante", "con", "por", "para", "en", "sobre",
        ]
        .contains(&w.as_str())
        {
            return true;
        }
        if ["y", "e", "la", "el", "los", "las"].contains(&w.as_str()) {
            return false;
        }
    }
    false
}

/// The first Spanish date of `s` outside the occasion phrase and outside
/// brackets, resolved against `published` (never after it).
pub fn resolve_date(
    s: &str,
    occasion: Option<std::ops::Range<usize>>,
    published: Option<NaiveDate>,
) -> Option<(NaiveDate, String)> {
    for c in res().date.captures_iter(s) {
        let m0 = c.get(0)?;
        if occasion
            .as_ref()
            .is_some_and(|o| m0.start() < o.end && o.start < m0.end())
        {
            continue;
        }
        if s[..m0.start()].trim_end().ends_with('(') {
            continue;
        }
        let whole = m0.as_str().to_string();
        let p = published?;
        let month = |m: &str| {
            let m = m.to_lowercase();
            MONTHS
                .split('|')
                .position(|x| x == m)
                .map(|i| if i >= 9 { i } else { i + 1 } as u32)
                .map(|i| if m == "setiembre" { 9 } else { i })
        };
        let day_of = |d: &str| -> Option<u32> {
            if d.eq_ignore_ascii_case("primero") {
                Some(1)
            } else {
                d.parse().ok()
            }
        };
        let dated = |y: Option<i32>, mo: Option<u32>, d: u32| -> Option<NaiveDate> {
            match (y, mo) {
                (Some(y), Some(mo)) => NaiveDate::from_ymd_opt(y, mo, d).filter(|x| *x <= p),
                (None, Some(mo)) => {
                    let x = NaiveDate::from_ymd_opt(p.year(), mo, d)?;
                    if x > p {
                        NaiveDate::from_ymd_opt(p.year() - 1, mo, d)
                    } else {
                        Some(x)
                    }
                }
                // `el día 26`: this month, or the month before.
                _ => {
                    let x = NaiveDate::from_ymd_opt(p.year(), p.month(), d);
                    match x {
                        Some(x) if x <= p => Some(x),
                        _ => {
                            let prev = p.with_day(1)? - Duration::days(1);
                            NaiveDate::from_ymd_opt(prev.year(), prev.month(), d)
                        }
                    }
                }
            }
        };
        if let Some(d) = c.name("dd") {
            let y = c.name("dy").and_then(|y| y.as_str().parse().ok());
            let mo = c.name("dm").and_then(|m| month(m.as_str()));
            return dated(y, mo, day_of(d.as_str())?).map(|d| (d, whole));
        }
        // `los días 2 y 3`, `del día 23 al 25`: the act began on the first.
        if let Some(d) = c.name("ds").or(c.name("dr")) {
            return dated(None, None, day_of(d.as_str())?).map(|d| (d, whole));
        }
        if c.name("eve").is_some() {
            // `la víspera del aniversario` is the eve of that day, not of
            // publication.
            let rest = s[m0.end()..].trim_start().to_lowercase();
            if rest.starts_with("de ") || rest.starts_with("del ") {
                continue;
            }
            return Some((p - Duration::days(1), whole));
        }
        if let Some(d) = c.name("d2") {
            // Dates are printed with the month in lower case: `8 de
            // Febrero` without a year names something (`Complejo de
            // Vinalon 8 de Febrero`).
            let capital = c
                .name("m2")
                .is_some_and(|m| m.as_str().starts_with(char::is_uppercase));
            if capital && c.name("y2").is_none() {
                continue;
            }
            let y = c.name("y2").and_then(|y| y.as_str().parse().ok());
            let mo = c.name("m2").and_then(|m| month(m.as_str()));
            return dated(y, mo, day_of(d.as_str())?).map(|d| (d, whole));
        }
        if let Some(wd) = c.name("wd") {
            let n = match wd.as_str().to_lowercase().as_str() {
                "lunes" => 0,
                "martes" => 1,
                "miércoles" | "miercoles" => 2,
                "jueves" => 3,
                "viernes" => 4,
                "sábado" | "sabado" => 5,
                _ => 6,
            };
            let back = (p.weekday().num_days_from_monday() + 7 - n) % 7;
            return Some((p - Duration::days(back as i64), whole));
        }
        if c.name("anteayer").is_some() {
            return Some((p - Duration::days(2), whole));
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
