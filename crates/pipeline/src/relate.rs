//! Keeping relations between articles (reprints, translations) caught up
//! with the archive: after every ingest, the articles whose current
//! version changed since the archive's `related_seq` get new features
//! (signature, anchors), and the relations touching them are computed
//! again, in one transaction that also advances `related_seq`. A killed
//! run leaves `related_seq` behind, and the next ingest redoes the work.
//!
//! Must not touch: how a signature, anchor or pairing is computed
//! (`tealeaf-relate`), SQL (`tealeaf-archive`).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Mutex;

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use tealeaf_archive::{ArchiveWriter, RelatedFeatures, Relation, RelationKind, UnparsedDoc};
use tealeaf_model::ArticleDoc;
use tealeaf_relate::reprint::{bands_from_bytes, bands_to_bytes};
use tealeaf_relate::translation::MAX_DAYS_APART;
use tealeaf_relate::{is_reprint, pair_translations, Anchors, Signature, TranslationCandidate};

use crate::{DataDir, Result};

/// Reprint candidates kept for one article: a text shared by thousands
/// (boilerplate, an error page) must not make relating quadratic.
const MAX_CANDIDATES: usize = 500;

/// Changed articles agreeing in one band beyond which the band is not
/// used to find candidates.
const CROWDED_BAND: usize = 64;

/// Articles related per transaction: bounds the memory a pass over a
/// whole archive takes (an article's features are about a kilobyte).
const CHUNK: usize = 25_000;

/// Days of changed articles whose translations are paired at once: the
/// articles published then (and a few days around) are in memory.
const WINDOW_DAYS: i64 = 31;

/// Threads computing signatures and anchors.
const WORKERS: usize = 2;

/// An article's features, and its signature (`None`: too short).
fn features_of(doc: &ArticleDoc) -> (RelatedFeatures, Option<Signature>) {
    let signature = Signature::of(&doc.paragraphs);
    let anchors = Anchors::of(doc);
    (
        RelatedFeatures {
            article_id: doc.id.clone(),
            language: doc.language.clone(),
            published: doc.published.map(|d| d.format("%Y-%m-%d").to_string()),
            signature: signature.as_ref().map(Signature::to_bytes),
            bands: signature.as_ref().map(|s| bands_to_bytes(&s.bands())),
            anchors: anchors.joined(),
            chars: anchors.chars,
            paragraphs: anchors.paragraphs,
            syllabic: anchors.syllabic,
            text_key: signature.as_ref().map(Signature::text_key),
        },
        signature,
    )
}

/// Features remembered, by [`tealeaf_relate::features_digest`]: copies
/// of a text (an archive's reprints, a corpus loaded twice) are computed
/// once. Bounded: forgotten at once past it.
const REMEMBERED: usize = 20_000;

/// The features of texts computed in this pass, shared by the workers and
/// kept from chunk to chunk: a text's copies fall to either worker and
/// into any chunk.
type Remembered = Mutex<HashMap<u128, (RelatedFeatures, Option<Signature>)>>;

/// An article's features, computed once for the copies of a text
/// (`remembered`: by digest, the features of the last copy).
fn features_remembered(
    doc: &ArticleDoc,
    remembered: &Remembered,
) -> (RelatedFeatures, Option<Signature>) {
    let digest = tealeaf_relate::features_digest(doc);
    let known = remembered
        .lock()
        .ok()
        .and_then(|map| map.get(&digest).cloned());
    if let Some((f, sig)) = known {
        let features = RelatedFeatures {
            article_id: doc.id.clone(),
            language: doc.language.clone(),
            published: doc.published.map(|d| d.format("%Y-%m-%d").to_string()),
            ..f
        };
        return (features, sig);
    }
    let computed = features_of(doc);
    if let Ok(mut map) = remembered.lock() {
        if map.len() >= REMEMBERED {
            map.clear();
        }
        map.insert(digest, computed.clone());
    }
    computed
}

/// An article's id and the representative it was stored as a copy of.
type IdAndCopyOf = (String, Option<String>);

/// What grouping copies changed.
#[derive(Default)]
struct Grouping {
    /// Changed articles stored as copies: not paired themselves.
    copies: HashSet<String>,
    /// Unchanged articles that now represent their group (its former
    /// representative changed or left it, or it took over another's
    /// pairs), with their stored features.
    promoted: Vec<RelatedFeatures>,
    /// Unchanged articles that represented a group and are now copies in
    /// it: their pairs go.
    demoted: Vec<String>,
    /// The representative of each changed article stored as a copy.
    copy_of: HashMap<String, String>,
}

/// What a relating pass did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RelateSummary {
    /// Articles whose features were computed.
    pub articles: u64,
    /// Reprint pairs among (or with) those articles, between copy groups'
    /// representatives.
    pub reprint_pairs: u64,
    /// Those articles whose text's signature equals another article's:
    /// stored as copies in its group, which makes them reprints of every
    /// copy without a pair each.
    pub reprint_copies: u64,
    /// Translation pairs made or confirmed around those articles' days.
    pub translation_pairs: u64,
    /// Wall time of the pass.
    pub seconds: f64,
}

fn day(published: &Option<String>) -> Option<NaiveDate> {
    published
        .as_deref()
        .and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok())
}

impl DataDir {
    /// Relates the articles changed since the last pass (all of them when
    /// `from_scratch`), [`CHUNK`] articles per transaction. Returns what
    /// was done.
    pub fn catch_up_relations(
        &self,
        archive: &mut ArchiveWriter,
        from_scratch: bool,
    ) -> Result<RelateSummary> {
        self.catch_up_relations_by(archive, from_scratch, CHUNK)
    }

    fn catch_up_relations_by(
        &self,
        archive: &mut ArchiveWriter,
        from_scratch: bool,
        chunk: usize,
    ) -> Result<RelateSummary> {
        let aerr = |e| self.archive_err(e);
        let max = archive.max_seq().map_err(aerr)?;
        let mut after = if from_scratch {
            0
        } else {
            archive.related_through().map_err(aerr)?
        };
        let started = std::time::Instant::now();
        let mut summary = RelateSummary::default();
        let remembered = Remembered::default();
        while after < max {
            let upto = archive
                .nth_seq_after(after, chunk)
                .map_err(aerr)?
                .unwrap_or(max)
                .min(max);
            let done = self.relate_chunk(archive, after, upto, &remembered)?;
            summary.articles += done.articles;
            summary.reprint_pairs += done.reprint_pairs;
            summary.reprint_copies += done.reprint_copies;
            summary.translation_pairs += done.translation_pairs;
            after = upto;
        }
        summary.seconds = (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
        Ok(summary)
    }

    /// Relates the articles with `after < seq <= upto`, with each other and
    /// with every article related before, and records `upto`, in one
    /// transaction. Articles of later chunks whose stored features are
    /// stale may be paired meanwhile: their own chunk replaces those pairs.
    fn relate_chunk(
        &self,
        archive: &mut ArchiveWriter,
        after: i64,
        upto: i64,
        remembered: &Remembered,
    ) -> Result<RelateSummary> {
        let aerr = |e| self.archive_err(e);
        let mut summary = RelateSummary::default();
        // Signatures are most of the work: computed on worker threads
        // while the archive is read, and the paragraphs parsed there too
        // (this thread reading is what the workers wait for).
        let (docs_tx, docs_rx) = crossbeam_channel::bounded::<UnparsedDoc>(256);
        let (done_tx, done_rx) = crossbeam_channel::unbounded();
        let read = std::thread::scope(|scope| {
            for _ in 0..WORKERS {
                let (docs, done) = (docs_rx.clone(), done_tx.clone());
                scope.spawn(move || {
                    for doc in docs {
                        let features = doc.parse().map(|doc| features_remembered(&doc, remembered));
                        if done.send(features).is_err() {
                            return;
                        }
                    }
                });
            }
            drop(done_tx);
            let read = archive.for_each_unparsed_doc_between(after, upto, |_, doc| {
                // The workers only stop when this sender is dropped.
                let _ = docs_tx.send(doc);
                Ok(())
            });
            drop(docs_tx);
            read
        });
        read.map_err(aerr)?;
        let mut changed: Vec<(RelatedFeatures, Option<Signature>)> = done_rx
            .into_iter()
            .collect::<std::result::Result<_, _>>()
            .map_err(aerr)?;
        changed.sort_by(|x, y| x.0.article_id.cmp(&y.0.article_id));
        summary.articles = changed.len() as u64;
        let (features, signatures): (Vec<RelatedFeatures>, Vec<Option<Signature>>) =
            changed.into_iter().unzip();
        archive.begin().map_err(aerr)?;
        let ids: Vec<String> = features.iter().map(|f| f.article_id.clone()).collect();
        let old_keys = archive.text_keys_of(&ids).map_err(aerr)?;
        // Grouped before the features are stored, so that a new copy is
        // stored as one rather than stored and then updated.
        let grouping = self.group_copies(archive, &features, old_keys)?;
        archive
            .store_related_features(&features, &grouping.copy_of)
            .map_err(aerr)?;
        summary.reprint_copies = grouping.copies.len() as u64;

        // Pairs are computed for the groups' representatives only (and
        // for articles without copies).
        let mut relating: Vec<(&RelatedFeatures, &Signature)> = features
            .iter()
            .zip(&signatures)
            .filter(|(f, _)| !grouping.copies.contains(&f.article_id))
            .filter_map(|(f, s)| s.as_ref().map(|s| (f, s)))
            .collect();
        let promoted: Vec<(RelatedFeatures, Signature)> = grouping
            .promoted
            .into_iter()
            .filter_map(|f| {
                let sig = f.signature.as_deref().and_then(Signature::from_bytes)?;
                Some((f, sig))
            })
            .collect();
        relating.extend(promoted.iter().map(|(f, s)| (f, s)));
        let reprints = self.reprints(archive, &relating)?;
        summary.reprint_pairs = reprints.len() as u64;
        let mut replaced = ids;
        replaced.extend(promoted.iter().map(|(f, _)| f.article_id.clone()));
        replaced.extend(grouping.demoted);
        archive
            .replace_relations(RelationKind::Reprint, &replaced, &reprints)
            .map_err(aerr)?;

        let days: BTreeSet<NaiveDate> = features
            .iter()
            .filter(|f| !f.language.is_empty())
            .filter_map(|f| day(&f.published))
            .collect();
        drop((features, signatures, promoted));
        // Translations window by window: a window's articles and anchors
        // are in memory at once, not the whole chunk's. The window after
        // sees the pairs of the one before as stored, as a later run would.
        let mut windows: Vec<BTreeSet<NaiveDate>> = Vec::new();
        for d in days {
            match windows.last_mut() {
                Some(w)
                    if w.first()
                        .is_some_and(|&first| d - first < Duration::days(WINDOW_DAYS)) =>
                {
                    w.insert(d);
                }
                _ => windows.push(BTreeSet::from([d])),
            }
        }
        for window in &windows {
            let (core, translations) = self.translations(archive, window)?;
            summary.translation_pairs += translations.len() as u64;
            archive
                .replace_relations(RelationKind::Translation, &core, &translations)
                .map_err(aerr)?;
        }

        archive.set_related_through(upto).map_err(aerr)?;
        archive.commit().map_err(aerr)?;
        Ok(summary)
    }

    /// The copy groups of the changed articles' texts, old and new: the
    /// articles of one language with one text key (a hash of the
    /// signature) are a group, its first member the representative (the
    /// least id of those arriving together, or of those left when it
    /// goes), the others its copies. Stores the unchanged articles' new
    /// places; the changed ones' (`Grouping::copy_of`) are stored with
    /// their features.
    fn group_copies(
        &self,
        archive: &mut ArchiveWriter,
        changed: &[RelatedFeatures],
        old_keys: Vec<(String, i64)>,
    ) -> Result<Grouping> {
        let aerr = |e| self.archive_err(e);
        let mine: HashSet<&str> = changed.iter().map(|f| f.article_id.as_str()).collect();
        let mut keys: BTreeSet<(String, i64)> = old_keys.into_iter().collect();
        let mut new_members: HashMap<(&str, i64), Vec<&str>> = HashMap::new();
        for f in changed {
            if let Some(k) = f.text_key {
                keys.insert((f.language.clone(), k));
                new_members
                    .entry((f.language.as_str(), k))
                    .or_default()
                    .push(f.article_id.as_str());
            }
        }
        let mut grouping = Grouping::default();
        let mut promoted = Vec::new();
        for (language, key) in keys {
            // The stored members as they will be once the changed
            // articles' features are stored (with no group yet).
            let stored: Vec<IdAndCopyOf> = archive.key_members(&language, key).map_err(aerr)?;
            let mut list: Vec<IdAndCopyOf> = stored
                .iter()
                .filter(|(id, _)| !mine.contains(id.as_str()))
                .cloned()
                .collect();
            let joining = new_members.get(&(language.as_str(), key));
            list.extend(
                joining
                    .into_iter()
                    .flatten()
                    .map(|id| (id.to_string(), None)),
            );
            list.sort();
            if let [(_, None)] = list.as_slice() {
                continue;
            }
            // One key, one group: the key is a 64-bit hash of the whole
            // signature, so two unequal signatures share one about once in
            // 2^64 pairs, and comparing the signatures themselves meant
            // reading every member's row (the most of relating a corpus
            // of many copies).
            //
            // The representative stays while it is a member, whatever
            // the ids of copies arriving later: making the least id the
            // representative re-pointed every member and paired the group
            // again whenever an older printing arrived, as it does for
            // every article when a history is loaded backwards (quadratic
            // in the group's size). A group without one takes its least id.
            let is_member = |id: &str| list.binary_search_by(|m| m.0.as_str().cmp(id)).is_ok();
            let staying = stored
                .iter()
                .filter(|(id, was)| was.is_none() && is_member(id))
                .map(|(id, _)| id.clone())
                .min();
            let Some(rep) = staying.or_else(|| list.first().map(|m| m.0.clone())) else {
                continue;
            };
            let mut took_over = false;
            for (id, was) in list {
                let want = (id != rep).then_some(rep.as_str());
                let is_changed = mine.contains(id.as_str());
                if is_changed {
                    if let Some(rep) = want {
                        grouping.copy_of.insert(id.clone(), rep.to_string());
                    }
                } else if was.as_deref() != want {
                    archive.set_copy_of(&id, want).map_err(aerr)?;
                }
                match (want, is_changed, was.is_some()) {
                    (Some(_), true, _) => {
                        grouping.copies.insert(id);
                    }
                    // Its pairs are its new representative's now.
                    (Some(_), false, false) => {
                        grouping.demoted.push(id);
                        took_over = true;
                    }
                    // It stands for its group now: paired again.
                    (None, false, true) => promoted.push(id),
                    _ => {}
                }
            }
            // An unchanged representative that took over another's place
            // (two stood for one text, as an older archive may have it) is
            // paired again, so that the other's pairs are not lost.
            if took_over && !mine.contains(rep.as_str()) && !promoted.contains(&rep) {
                promoted.push(rep);
            }
        }
        grouping.promoted = archive
            .related_features_of(&promoted)
            .map_err(aerr)?
            .into_values()
            .collect();
        grouping
            .promoted
            .sort_by(|x, y| x.article_id.cmp(&y.article_id));
        Ok(grouping)
    }

    /// The reprint pairs of the articles `relating`, with each other and
    /// with every representative of a copy group (or article without
    /// copies) of their language.
    fn reprints(
        &self,
        archive: &ArchiveWriter,
        changed: &[(&RelatedFeatures, &Signature)],
    ) -> Result<Vec<Relation>> {
        let aerr = |e| self.archive_err(e);
        let mut by_language: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, (f, _)) in changed.iter().enumerate() {
            by_language.entry(f.language.as_str()).or_default().push(i);
        }
        // Candidates by the other article's id: a copy agrees in every
        // band, and the id is stored once however many bands agree.
        let mut candidates: HashMap<String, Vec<usize>> = HashMap::new();
        let mut per_article = vec![0usize; changed.len()];
        for (language, members) in &by_language {
            let mine: HashSet<&str> = members
                .iter()
                .map(|&i| changed[i].0.article_id.as_str())
                .collect();
            let mut buckets: HashMap<(usize, u32), Vec<usize>> = HashMap::new();
            for &i in members {
                for (band, key) in changed[i].1.bands().into_iter().enumerate() {
                    buckets.entry((band, key)).or_default().push(i);
                }
            }
            // A band many texts agree on is a formula, not a reprint: the
            // reprints among them also agree in other bands.
            buckets.retain(|_, members| members.len() <= CROWDED_BAND);
            archive
                .for_each_reprint_bands(language, |other, bytes| {
                    let Some(keys) = bands_from_bytes(bytes) else {
                        return;
                    };
                    // A pair of two changed articles is found from both:
                    // kept from the lesser id.
                    let other_changed = mine.contains(other);
                    for (band, key) in keys.into_iter().enumerate() {
                        for &i in buckets.get(&(band, key)).into_iter().flatten() {
                            let me = changed[i].0.article_id.as_str();
                            if other == me
                                || (other_changed && other < me)
                                || per_article[i] >= MAX_CANDIDATES
                            {
                                continue;
                            }
                            let seen = match candidates.get_mut(other) {
                                Some(list) if list.contains(&i) => true,
                                Some(list) => {
                                    list.push(i);
                                    false
                                }
                                None => {
                                    candidates.insert(other.to_string(), vec![i]);
                                    false
                                }
                            };
                            if !seen {
                                per_article[i] += 1;
                            }
                        }
                    }
                })
                .map_err(aerr)?;
        }
        let changed_index: HashMap<&str, usize> = changed
            .iter()
            .enumerate()
            .map(|(i, (f, _))| (f.article_id.as_str(), i))
            .collect();
        let others: Vec<String> = candidates
            .keys()
            .filter(|o| !changed_index.contains_key(o.as_str()))
            .cloned()
            .collect();
        let stored = archive.related_features_of(&others).map_err(aerr)?;
        let anchors = |f: &RelatedFeatures| {
            Anchors::from_stored(&f.anchors, f.chars, f.paragraphs, f.syllabic)
        };
        let mut pairs: Vec<(usize, String)> = candidates
            .into_iter()
            .flat_map(|(other, list)| list.into_iter().map(move |i| (i, other.clone())))
            .collect();
        pairs.sort();
        let mut my_anchors: HashMap<usize, Anchors> = HashMap::new();
        let mut out = Vec::new();
        for (i, other) in pairs {
            let mine = changed[i].1;
            let (their_sig, their_features) = match changed_index.get(other.as_str()) {
                Some(&j) => (Some(changed[j].1.clone()), changed[j].0),
                None => match stored.get(&other) {
                    Some(f) => (f.signature.as_deref().and_then(Signature::from_bytes), f),
                    None => continue,
                },
            };
            let Some(theirs) = their_sig else { continue };
            let similarity = mine.similarity(&theirs);
            if similarity < tealeaf_relate::REPRINT_THRESHOLD {
                continue;
            }
            let their_anchors = anchors(their_features);
            let mine = my_anchors.entry(i).or_insert_with(|| anchors(changed[i].0));
            if is_reprint(similarity, mine, &their_anchors) {
                out.push(Relation {
                    a: changed[i].0.article_id.clone(),
                    b: other,
                    score: similarity,
                    confidence: similarity,
                });
            }
        }
        Ok(out)
    }

    /// The translation pairs around `days` (on which articles changed):
    /// returns the articles whose pairs are replaced (those published
    /// within a day of a changed one) and their pairs.
    fn translations(
        &self,
        archive: &ArchiveWriter,
        days: &BTreeSet<NaiveDate>,
    ) -> Result<(Vec<String>, Vec<Relation>)> {
        let aerr = |e| self.archive_err(e);
        if days.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let near = Duration::days(MAX_DAYS_APART);
        let is_core = |d: NaiveDate| days.range(d - near..=d + near).next().is_some();
        // The candidates reach a day further than the core: a core
        // article's partner may lie there, and keeps its other pairs.
        let mut ranges: Vec<(NaiveDate, NaiveDate)> = Vec::new();
        for &d in days {
            let (from, to) = (d - near - near, d + near + near);
            match ranges.last_mut() {
                Some(last) if from <= last.1 + Duration::days(1) => last.1 = to,
                _ => ranges.push((from, to)),
            }
        }
        let mut features = Vec::new();
        for (from, to) in ranges {
            features.extend(
                archive
                    .related_features_published(
                        &from.format("%Y-%m-%d").to_string(),
                        &to.format("%Y-%m-%d").to_string(),
                    )
                    .map_err(aerr)?,
            );
        }
        let mut candidates = Vec::with_capacity(features.len());
        let mut ids = Vec::with_capacity(features.len());
        let mut core = Vec::new();
        for f in features {
            let Some(published) = day(&f.published) else {
                continue;
            };
            let in_core = is_core(published);
            if in_core {
                core.push(f.article_id.clone());
            }
            candidates.push((
                in_core,
                TranslationCandidate {
                    language: f.language.clone(),
                    published,
                    anchors: Anchors::from_stored(&f.anchors, f.chars, f.paragraphs, f.syllabic),
                    paired_in: Vec::new(),
                },
            ));
            ids.push(f.article_id);
        }
        // An article outside the core keeps its pairs with articles outside
        // it, and is not paired again in their languages; its pairs with
        // core articles are replaced with the core's.
        let core_set: HashSet<&str> = core.iter().map(String::as_str).collect();
        for (k, (in_core, cand)) in candidates.iter_mut().enumerate() {
            if *in_core {
                continue;
            }
            let mut keep = Vec::new();
            for (other, _, _) in archive
                .relations_of(&ids[k], RelationKind::Translation)
                .map_err(aerr)?
            {
                if !core_set.contains(other.as_str()) {
                    if let Some(lang) = archive.language_of(&other).map_err(aerr)? {
                        keep.push(lang);
                    }
                }
            }
            cand.paired_in = keep;
        }
        let items: Vec<TranslationCandidate> = candidates.iter().map(|(_, c)| c.clone()).collect();
        let pairs = pair_translations(&items)
            .into_iter()
            .filter(|p| candidates[p.a].0 || candidates[p.b].0)
            .map(|p| Relation {
                a: ids[p.a].clone(),
                b: ids[p.b].clone(),
                score: p.score,
                confidence: p.confidence,
            })
            .collect();
        Ok((core, pairs))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use tealeaf_archive::RelationKind;

    const COUNTRIES: [(&str, &str); 6] = [
        ("Tanzania", "Tanzania"),
        ("Laos", "Laos"),
        ("Cuba", "Cuba"),
        ("Mongolia", "Mongolia"),
        ("Uganda", "Uganda"),
        ("Nepal", "Nepal"),
    ];

    /// English stories, their Spanish translations a day later or the same
    /// day, and a story run again: JSONL lines.
    fn corpus() -> String {
        let mut lines = Vec::new();
        for day in 1..=6u32 {
            for (k, (en, es)) in COUNTRIES.iter().enumerate() {
                let n = day * 100 + k as u32;
                let en_body = format!(
                    "The delegation of {en} led by Minister Amadou{n} arrived in Pyongyang on {day} May. \
                     It was met by Vice-Minister Ri Kil{n} and the {en} ambassador. The talks covered {n} projects."
                );
                let es_body = format!(
                    "Llego a Pyongyang el dia {day} la delegacion de {es} encabezada por el ministro Amadou{n}. \
                     La recibieron el viceministro Ri Kil{n} y el embajador de {es}. Trataron {n} proyectos."
                );
                let es_day = (day + (k as u32 % 2)).min(28);
                lines.push(serde_json::json!({"id": format!("en-{day}-{k}"), "outlet": "kcna", "language": "en",
                    "published": format!("2011-05-{day:02}"), "title": format!("{en} Delegation Arrives"), "body": en_body}).to_string());
                lines.push(serde_json::json!({"id": format!("es-{day}-{k}"), "outlet": "kcna", "language": "es",
                    "published": format!("2011-05-{es_day:02}"), "title": format!("Llega delegacion de {es}"), "body": es_body}).to_string());
            }
        }
        let rerun = "Rodong Sinmun in a signed article says that the policy of the great unity of the whole \
            nation is the banner of reunification, and that all Koreans in the north, the south and abroad \
            must join hands under it, rejecting foreign interference and confrontation once and for all.";
        for (i, day) in [(0, 3), (1, 9)] {
            lines.push(serde_json::json!({"id": format!("rerun-{i}"), "outlet": "kcna", "language": "en",
                "published": format!("2011-05-{day:02}"), "title": "Great Unity Called For", "body": rerun}).to_string());
        }
        lines.join("\n") + "\n"
    }

    fn relations(data: &crate::DataDir) -> BTreeSet<(String, String, String)> {
        let archive = data.reader().unwrap();
        let mut out = BTreeSet::new();
        let mut ids = Vec::new();
        archive
            .for_each_doc_since(0, |_, d| {
                ids.push(d.id);
                Ok(())
            })
            .unwrap();
        for id in ids {
            for (other, _, _) in archive
                .relations_of(&id, RelationKind::Translation)
                .unwrap()
            {
                out.insert((id.clone(), "translation".to_string(), other));
            }
            // Reprints as readers see them: copies of a text are stored as
            // a group, not as pairs.
            for other in archive.related_articles(&id).unwrap().1 {
                out.insert((id.clone(), "reprint".to_string(), other.id));
            }
        }
        out
    }

    #[test]
    fn relating_in_small_chunks_gives_the_pairs_of_one_pass() {
        let dir = tempfile::tempdir().unwrap();
        let data = crate::DataDir::new(dir.path().join("data"));
        let file = dir.path().join("stories.jsonl");
        std::fs::write(&file, corpus()).unwrap();
        let opts = tealeaf_read::ReadOptions::default();
        let s = crate::ingest_paths(&data, &[file], &opts, 1000, &|_, _| {}).unwrap();
        assert_eq!(s.related.articles, 74);
        let once = relations(&data);
        let translations = once.iter().filter(|(_, k, _)| k == "translation").count();
        assert_eq!(
            translations, 72,
            "every story with its translation, both ways: {once:?}"
        );
        for day in 1..=6 {
            for k in 0..COUNTRIES.len() {
                let (en, es) = (format!("en-{day}-{k}"), format!("es-{day}-{k}"));
                assert!(once.contains(&(en, "translation".into(), es)), "{day} {k}");
            }
        }
        assert!(once.contains(&("rerun-0".into(), "reprint".into(), "rerun-1".into())));

        let mut archive = data.archive().unwrap();
        let again = data.catch_up_relations_by(&mut archive, true, 7).unwrap();
        assert_eq!(again.articles, 74);
        drop(archive);
        assert_eq!(relations(&data), once);
    }
}
