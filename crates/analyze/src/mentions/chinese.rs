//! Chinese names as KCNA prints them: a pinyin surname
//! (`chinese-surnames.tsv`) and a given name of one or two pinyin
//! syllables written as one capitalized word (`Liu Hongcai`, `Ning
//! Jizhe`), with no capitalized word right after (a Korean name has
//! three: `Song Ho Gyong`; a run of more is an institution's or a title's),
//! and none right before unless it is a title or an acronym (`Ambassador
//! Liu Hongcai`, `DPRK Liu Hongcai`; not `Un Jin Su` or the gift `Jiu Long
//! Xi Zhu`).
//!
//! Owns: that shape. Must not touch: the mentions other rules found (it
//! only adds where no mention is); it runs after the Korean rules.

use super::{single_space, Matcher, Mention, Source};
use crate::text::{is_capitalized, Word};

impl Matcher {
    pub(super) fn chinese_names(
        &self,
        text: &str,
        ws: &[Word],
        para: Option<usize>,
        spans: &mut Vec<(usize, usize)>,
        out: &mut Vec<Mention>,
    ) {
        let mut i = 0;
        while i + 1 < ws.len() {
            let (sur, given) = (ws[i], ws[i + 1]);
            let shaped = self.lex.is_chinese_surname(sur.as_str(text))
                && single_space(text, sur.end, given.start)
                && is_capitalized(given.as_str(text))
                && given.as_str(text).len() >= 2
                && !self.lex.is_non_name_word(given.as_str(text))
                && crate::pinyin::is_given_name(given.as_str(text))
                && !ws.get(i + 2).is_some_and(|next| {
                    single_space(text, given.end, next.start) && is_capitalized(next.as_str(text))
                })
                && !i.checked_sub(1).map(|p| ws[p]).is_some_and(|prev| {
                    let p = prev.as_str(text);
                    single_space(text, prev.end, sur.start)
                        && is_capitalized(p)
                        && !self.lex.is_title_word(p)
                        // An acronym is an adjective there (`the PRC Wang Yi`).
                        && !(p.len() > 1 && p.bytes().all(|b| b.is_ascii_uppercase()))
                });
            if shaped
                && self.push_rule_person(
                    text,
                    sur.start,
                    given.end,
                    para,
                    Source::ChineseName,
                    None,
                    spans,
                    out,
                )
            {
                i += 2;
            } else {
                i += 1;
            }
        }
    }
}
