//! Facet counts (outlet, language, year, person, country) over a whole
//! result set, read from the fast-field columns in one pass with the hits.

use std::collections::BTreeMap;

use chrono::Datelike;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// One facet value and how many hits have it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Counts for every hit of a query (not only the page shown).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Facets {
    /// Most frequent first, ties by value.
    pub outlet: Vec<FacetCount>,
    /// Most frequent first, ties by value.
    pub language: Vec<FacetCount>,
    /// By year, oldest first; hits without a date are not counted.
    pub year: Vec<FacetCount>,
    /// The [`TOP_ENTITIES`] people mentioned in most hits (canonical
    /// names), most frequent first, ties by name.
    pub person: Vec<FacetCount>,
    /// The [`TOP_ENTITIES`] countries mentioned in most hits.
    pub country: Vec<FacetCount>,
}

/// How many people and countries a facet lists: there are thousands of
/// names, and a long tail helps nobody narrow a search down.
pub const TOP_ENTITIES: usize = 15;

#[derive(Default)]
pub(crate) struct FacetFruit {
    outlet: BTreeMap<String, u64>,
    language: BTreeMap<String, u64>,
    year: BTreeMap<i32, u64>,
    person: BTreeMap<String, u64>,
    country: BTreeMap<String, u64>,
}

impl FacetFruit {
    pub(crate) fn into_facets(self) -> Facets {
        let by_count = |m: BTreeMap<String, u64>| {
            let mut v: Vec<FacetCount> = m
                .into_iter()
                .filter(|(value, _)| !value.is_empty())
                .map(|(value, count)| FacetCount { value, count })
                .collect();
            v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            v
        };
        Facets {
            outlet: by_count(self.outlet),
            language: by_count(self.language),
            year: self
                .year
                .into_iter()
                .map(|(y, count)| FacetCount {
                    value: y.to_string(),
                    count,
                })
                .collect(),
            person: top(by_count(self.person)),
            country: top(by_count(self.country)),
        }
    }
}

impl FacetFruit {
    /// The people counted, most frequent first (ties by name), without
    /// `except`, at most `limit`.
    pub(crate) fn people_except(self, except: &str, limit: usize) -> Vec<FacetCount> {
        let mut v: Vec<FacetCount> = self
            .person
            .into_iter()
            .filter(|(value, _)| !value.is_empty() && value != except)
            .map(|(value, count)| FacetCount { value, count })
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        v.truncate(limit);
        v
    }
}

fn top(mut v: Vec<FacetCount>) -> Vec<FacetCount> {
    v.truncate(TOP_ENTITIES);
    v
}

pub(crate) struct FacetCollector;

impl Collector for FacetCollector {
    type Fruit = FacetFruit;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        let ff = segment.fast_fields();
        let outlet = ff.str("outlet")?;
        let language = ff.str("lang")?;
        let published = ff.date("published")?;
        let person = ff.str("person")?;
        let country = ff.str("country")?;
        Ok(FacetSegment {
            outlet_counts: vec![0; outlet.as_ref().map_or(0, |c| c.num_terms())],
            language_counts: vec![0; language.as_ref().map_or(0, |c| c.num_terms())],
            person_counts: vec![0; person.as_ref().map_or(0, |c| c.num_terms())],
            country_counts: vec![0; country.as_ref().map_or(0, |c| c.num_terms())],
            outlet,
            language,
            person,
            country,
            published,
            days: BTreeMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetFruit>) -> tantivy::Result<FacetFruit> {
        let mut all = FacetFruit::default();
        for f in fruits {
            for (k, n) in f.outlet {
                *all.outlet.entry(k).or_default() += n;
            }
            for (k, n) in f.language {
                *all.language.entry(k).or_default() += n;
            }
            for (k, n) in f.year {
                *all.year.entry(k).or_default() += n;
            }
            for (k, n) in f.person {
                *all.person.entry(k).or_default() += n;
            }
            for (k, n) in f.country {
                *all.country.entry(k).or_default() += n;
            }
        }
        Ok(all)
    }
}

pub(crate) struct FacetSegment {
    outlet: Option<StrColumn>,
    language: Option<StrColumn>,
    person: Option<StrColumn>,
    country: Option<StrColumn>,
    published: Column<tantivy::DateTime>,
    // Counted per term ordinal and per day; turned into strings and years
    // once per segment, not once per hit.
    outlet_counts: Vec<u64>,
    language_counts: Vec<u64>,
    person_counts: Vec<u64>,
    country_counts: Vec<u64>,
    days: BTreeMap<i64, u64>,
}

fn count_ord(col: &Option<StrColumn>, counts: &mut [u64], doc: DocId) {
    if let Some(col) = col {
        if let Some(ord) = col.ords().first(doc) {
            if let Some(n) = counts.get_mut(ord as usize) {
                *n += 1;
            }
        }
    }
}

/// Counts every value of a multi-valued column (an article mentions many
/// people), each once per hit.
fn count_ords(col: &Option<StrColumn>, counts: &mut [u64], doc: DocId) {
    if let Some(col) = col {
        for ord in col.ords().values_for_doc(doc) {
            if let Some(n) = counts.get_mut(ord as usize) {
                *n += 1;
            }
        }
    }
}

/// The counted ordinals' strings. The dictionary is read in one sorted
/// pass: looking each ordinal up alone decompresses its block again, which
/// cost milliseconds per request once thousands of names were counted.
fn strings(col: &Option<StrColumn>, counts: &[u64]) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    let Some(col) = col else {
        return out;
    };
    let ords: Vec<u64> = (0..counts.len() as u64)
        .filter(|&ord| counts[ord as usize] > 0)
        .collect();
    let mut counted = ords.iter().map(|&ord| counts[ord as usize]);
    // An unreadable dictionary leaves the facet without those values
    // rather than failing the search.
    let _ = col.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
        if let (Some(n), Ok(s)) = (counted.next(), std::str::from_utf8(bytes)) {
            *out.entry(s.to_string()).or_default() += n;
        }
    });
    out
}

impl SegmentCollector for FacetSegment {
    type Fruit = FacetFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        count_ord(&self.outlet, &mut self.outlet_counts, doc);
        count_ord(&self.language, &mut self.language_counts, doc);
        count_ords(&self.person, &mut self.person_counts, doc);
        count_ords(&self.country, &mut self.country_counts, doc);
        if let Some(d) = self.published.first(doc) {
            *self
                .days
                .entry(d.into_timestamp_secs().div_euclid(86_400))
                .or_default() += 1;
        }
    }

    fn harvest(self) -> FacetFruit {
        let mut year = BTreeMap::new();
        for (day, n) in &self.days {
            if let Some(d) = chrono::DateTime::from_timestamp(day * 86_400, 0) {
                *year.entry(d.year()).or_default() += n;
            }
        }
        FacetFruit {
            outlet: strings(&self.outlet, &self.outlet_counts),
            language: strings(&self.language, &self.language_counts),
            year,
            person: strings(&self.person, &self.person_counts),
            country: strings(&self.country, &self.country_counts),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{SearchIndex, SearchRequest, Sort};
    use chrono::NaiveDate;
    use tealeaf_model::ArticleDoc;

    fn doc(
        id: &str,
        outlet: &str,
        lang: &str,
        published: Option<(i32, u32, u32)>,
        people: &[&str],
        countries: &[&str],
    ) -> ArticleDoc {
        ArticleDoc {
            id: id.into(),
            outlet: outlet.into(),
            language: lang.into(),
            published: published.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
            title: format!("Title {id}"),
            paragraphs: vec!["common words here".into()],
            people: people.iter().map(|p| p.to_string()).collect(),
            countries: countries.iter().map(|c| c.to_string()).collect(),
            commentary: String::new(),
        }
    }

    #[test]
    fn facets_count_every_hit_not_only_the_page() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (index, _) = SearchIndex::open(dir.path()).expect("open");
        let mut w = index.writer(1, 20_000_000).expect("writer");
        for d in [
            doc(
                "a",
                "kcna",
                "en",
                Some((2011, 1, 1)),
                &["Kim Jong Un"],
                &["Russia", "China"],
            ),
            doc(
                "b",
                "kcna",
                "es",
                Some((2011, 12, 31)),
                &["Kim Jong Un", "Pak Thae Song"],
                &["Russia"],
            ),
            doc("c", "rodong", "en", Some((2012, 1, 1)), &[], &[]),
            doc("d", "kcna", "en", None, &["Choe Ryong Hae"], &[]),
        ] {
            w.add(&d).expect("add");
        }
        w.commit(4).expect("commit");
        index.reload().expect("reload");
        let req = SearchRequest {
            query: "common".into(),
            limit: 1,
            sort: Sort::Newest,
            ..Default::default()
        };
        let (results, f) = index.search_faceted(&req).expect("search");
        assert_eq!(results.total, 4);
        assert_eq!(results.hits.len(), 1);
        let pairs = |v: &[super::FacetCount]| -> Vec<(String, u64)> {
            v.iter().map(|c| (c.value.clone(), c.count)).collect()
        };
        assert_eq!(pairs(&f.outlet), [("kcna".into(), 3), ("rodong".into(), 1)]);
        assert_eq!(pairs(&f.language), [("en".into(), 3), ("es".into(), 1)]);
        assert_eq!(pairs(&f.year), [("2011".into(), 2), ("2012".into(), 1)]);
        // Multi-valued: each name counted once per hit that mentions it.
        assert_eq!(
            pairs(&f.person),
            [
                ("Kim Jong Un".into(), 2),
                ("Choe Ryong Hae".into(), 1),
                ("Pak Thae Song".into(), 1)
            ]
        );
        assert_eq!(
            pairs(&f.country),
            [("Russia".into(), 2), ("China".into(), 1)]
        );
        // A person filter narrows the entity facets as well.
        let kim = SearchRequest {
            people: vec!["Kim Jong Un".into()],
            ..req.clone()
        };
        let (r, f) = index.search_faceted(&kim).expect("search");
        assert_eq!(r.total, 2);
        assert_eq!(
            pairs(&f.country),
            [("Russia".into(), 2), ("China".into(), 1)]
        );
        // A filter narrows the facets too; search() gives the same hits.
        let kcna = SearchRequest {
            outlets: vec!["kcna".into()],
            ..req.clone()
        };
        let (r, f) = index.search_faceted(&kcna).expect("search");
        assert_eq!(f.outlet.len(), 1);
        assert_eq!(r.total, index.search(&kcna).expect("search").total);
        // search_all returns every hit in order, ignoring limit and offset.
        let all = index.search_all(&req).expect("all");
        let ids: Vec<&str> = all.hits.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids.len(), 4);
        assert_eq!(&ids[..3], ["c", "b", "a"]);
    }

    #[test]
    fn entity_facets_keep_the_top_names() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (index, _) = SearchIndex::open(dir.path()).expect("open");
        let mut w = index.writer(1, 20_000_000).expect("writer");
        let names: Vec<String> = (0..20).map(|i| format!("Person {i:02}")).collect();
        // Person 00 is in 20 articles, Person 01 in 19, ...
        for a in 0..20 {
            let people: Vec<&str> = names[..20 - a].iter().map(|s| s.as_str()).collect();
            w.add(&doc(&format!("d{a}"), "kcna", "en", None, &people, &[]))
                .expect("add");
        }
        w.commit(20).expect("commit");
        index.reload().expect("reload");
        let (_, f) = index
            .search_faceted(&SearchRequest {
                query: "common".into(),
                limit: 1,
                ..Default::default()
            })
            .expect("search");
        assert_eq!(f.person.len(), super::TOP_ENTITIES);
        assert_eq!(f.person[0].value, "Person 00");
        assert_eq!(f.person[0].count, 20);
        assert_eq!(f.person[14].value, "Person 14");
        assert!(f.country.is_empty());
    }
}
