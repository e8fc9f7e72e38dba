//! The `tealeaf` tokenizer: words of alphabetic scripts whole, Korean,
//! Chinese and Japanese as overlapping bigrams.
//!
//! Korean glues particles and endings to words (`김정은동지의`), so a
//! whole-word index finds `김정은` in almost none of the texts that hold
//! it. Indexing every run of Hangul, Hanja or kana as overlapping
//! character pairs (`김정 정은 은동 동지 지의`), as Lucene's CJK bigram
//! analysis does, lets any query of two or more characters match as a
//! phrase of its pairs wherever it occurs as a string: full recall with no
//! dictionary. A run of one character is indexed as itself.
//!
//! At index time two marker terms per run also go in, at the run's first
//! position and before its pairs (offsets must not go back: tantivy's
//! snippets rely on it): the whole run (`WORD_MARK`) and its first pair
//! (`START_MARK`).
//! Queries never produce them (the query parser gets the query-mode
//! tokenizer); the search adds them as optional clauses, so that a text
//! where the query is a whole word, or the start of one, ranks above a
//! text where it is only inside a longer word.
//!
//! Other text splits as tantivy's `SimpleTokenizer` does (runs of
//! alphanumeric characters), with full-width Latin letters and digits read
//! as ASCII, and a change of script (`2026년`, `KCNA보도`) ends a word.

use std::str::CharIndices;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Prefixes of the marker terms: private-use characters that no text
/// token contains (they are not alphanumeric).
pub const WORD_MARK: char = '\u{E001}';
pub const START_MARK: char = '\u{E000}';

/// Whether the tokenizer adds the marker terms (documents) or not (queries).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Index,
    Query,
}

pub use tealeaf_model::text::is_bigram_script;

/// Full-width ASCII forms (`ＫＣＮＡ`, `２０２６`) as ASCII.
fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

#[derive(Clone)]
pub struct TealeafTokenizer {
    mode: Mode,
    token: Token,
    run: Vec<(usize, char)>,
}

impl TealeafTokenizer {
    pub fn new(mode: Mode) -> Self {
        TealeafTokenizer {
            mode,
            token: Token::default(),
            run: Vec::new(),
        }
    }
}

pub struct TealeafTokenStream<'a> {
    text: &'a str,
    chars: std::iter::Peekable<CharIndices<'a>>,
    token: &'a mut Token,
    mode: Mode,
    /// The current bigram run: byte offset and character of each of its
    /// characters, with the end of the run pushed last.
    run: &'a mut Vec<(usize, char)>,
    /// What of the run is still to be emitted.
    step: RunStep,
    /// Position of the run's first token.
    run_position: usize,
    /// The position the next word or run starts at.
    next_position: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RunStep {
    None,
    /// The pair (or single character) starting at this index of the run.
    Gram(usize),
    WordMark,
    StartMark,
}

impl Tokenizer for TealeafTokenizer {
    type TokenStream<'a> = TealeafTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TealeafTokenStream<'a> {
        self.token.reset();
        self.run.clear();
        TealeafTokenStream {
            text,
            chars: text.char_indices().peekable(),
            token: &mut self.token,
            mode: self.mode,
            run: &mut self.run,
            step: RunStep::None,
            run_position: 0,
            next_position: 0,
        }
    }
}

impl TealeafTokenStream<'_> {
    /// Characters in the run, without its end marker.
    fn run_len(&self) -> usize {
        self.run.len().saturating_sub(1)
    }

    fn emit_run_step(&mut self) -> bool {
        let n = self.run_len();
        match self.step {
            RunStep::None => false,
            RunStep::Gram(i) => {
                let width = if n == 1 { 1 } else { 2 };
                let (from, _) = self.run[i];
                let (to, _) = self.run[i + width];
                self.token.text.clear();
                self.token
                    .text
                    .extend(self.run[i..i + width].iter().map(|&(_, c)| c));
                self.token.offset_from = from;
                self.token.offset_to = to;
                self.token.position = self.run_position + i;
                self.step = if i + width < n {
                    RunStep::Gram(i + 1)
                } else {
                    RunStep::None
                };
                true
            }
            RunStep::WordMark => {
                self.token.text.clear();
                self.token.text.push(WORD_MARK);
                self.token
                    .text
                    .extend(self.run[..n].iter().map(|&(_, c)| c));
                self.token.offset_from = self.run[0].0;
                self.token.offset_to = self.run[n].0;
                self.token.position = self.run_position;
                self.step = RunStep::StartMark;
                true
            }
            RunStep::StartMark => {
                self.token.text.clear();
                self.token.text.push(START_MARK);
                self.token
                    .text
                    .extend(self.run[..2].iter().map(|&(_, c)| c));
                self.token.offset_from = self.run[0].0;
                self.token.offset_to = self.run[2].0;
                self.token.position = self.run_position;
                self.step = RunStep::Gram(0);
                true
            }
        }
    }
}

impl TokenStream for TealeafTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.emit_run_step() {
            return true;
        }
        while let Some((from, c)) = self.chars.next() {
            if is_bigram_script(c) {
                self.run.clear();
                self.run.push((from, c));
                while let Some(&(at, next)) = self.chars.peek() {
                    if !is_bigram_script(next) {
                        break;
                    }
                    self.run.push((at, next));
                    self.chars.next();
                }
                let end = self.chars.peek().map_or(self.text.len(), |&(at, _)| at);
                self.run.push((end, ' '));
                let n = self.run_len();
                self.run_position = self.next_position;
                self.next_position += n.saturating_sub(1).max(1);
                self.step = if self.mode == Mode::Index && n >= 2 {
                    RunStep::WordMark
                } else {
                    RunStep::Gram(0)
                };
                return self.emit_run_step();
            }
            let c = fold_width(c);
            if c.is_alphanumeric() {
                self.token.text.clear();
                self.token.text.push(c);
                let mut to = from + self.text[from..].chars().next().map_or(1, char::len_utf8);
                while let Some(&(at, next)) = self.chars.peek() {
                    let folded = fold_width(next);
                    if !folded.is_alphanumeric() || is_bigram_script(next) {
                        break;
                    }
                    self.token.text.push(folded);
                    to = at + next.len_utf8();
                    self.chars.next();
                }
                self.token.offset_from = from;
                self.token.offset_to = to;
                self.token.position = self.next_position;
                self.next_position += 1;
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// The runs of bigram script in a query's words that are not excluded
/// (`-word`): what the search boosts as whole words and word starts.
pub fn query_runs(query: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in query.split_whitespace() {
        if word.starts_with('-') {
            continue;
        }
        let mut run = String::new();
        for c in word.chars().chain(std::iter::once(' ')) {
            if is_bigram_script(c) {
                run.push(c);
            } else if !run.is_empty() {
                if run.chars().count() >= 2 && !out.contains(&run) {
                    out.push(run.clone());
                }
                run.clear();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(mode: Mode, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut t = TealeafTokenizer::new(mode);
        let mut s = t.token_stream(text);
        let mut out = Vec::new();
        let mut last_from = 0;
        while s.advance() {
            let tok = s.token();
            assert!(tok.offset_from < tok.offset_to);
            assert!(tok.offset_from >= last_from, "offsets go back in {text}");
            last_from = tok.offset_from;
            out.push((
                tok.text.clone(),
                tok.position,
                tok.offset_from,
                tok.offset_to,
            ));
        }
        out
    }

    fn texts(mode: Mode, text: &str) -> Vec<String> {
        tokens(mode, text).into_iter().map(|t| t.0).collect()
    }

    #[test]
    fn latin_words_split_as_the_simple_tokenizer_does() {
        let t = tokens(Mode::Index, "Hello, happy tax-payer!");
        let words: Vec<_> = t.iter().map(|t| (t.0.as_str(), t.1, t.2, t.3)).collect();
        assert_eq!(
            words,
            vec![
                ("Hello", 0, 0, 5),
                ("happy", 1, 7, 12),
                ("tax", 2, 13, 16),
                ("payer", 3, 17, 22)
            ]
        );
    }

    #[test]
    fn hangul_runs_become_pairs_at_consecutive_positions() {
        let t = tokens(Mode::Query, "김정은동지의");
        let pairs: Vec<_> = t.iter().map(|t| (t.0.as_str(), t.1)).collect();
        assert_eq!(
            pairs,
            vec![
                ("김정", 0),
                ("정은", 1),
                ("은동", 2),
                ("동지", 3),
                ("지의", 4)
            ]
        );
        // Offsets are bytes of the original text.
        assert_eq!((t[1].2, t[1].3), (3, 9));
    }

    #[test]
    fn index_mode_adds_the_whole_word_and_its_start_at_its_first_position() {
        let t = tokens(Mode::Index, "인민 조선인민군");
        let all: Vec<_> = t.iter().map(|t| (t.0.as_str(), t.1)).collect();
        assert_eq!(
            all,
            vec![
                ("\u{E001}인민", 0),
                ("\u{E000}인민", 0),
                ("인민", 0),
                ("\u{E001}조선인민군", 1),
                ("\u{E000}조선", 1),
                ("조선", 1),
                ("선인", 2),
                ("인민", 3),
                ("민군", 4),
            ]
        );
    }

    #[test]
    fn single_characters_digits_and_scripts_in_one_word() {
        assert_eq!(texts(Mode::Query, "2026년 1월"), ["2026", "년", "1", "월"]);
        assert_eq!(texts(Mode::Query, "KCNA보도"), ["KCNA", "보도"]);
        assert_eq!(
            texts(Mode::Query, "ＫＣＮＡ ２０２６년"),
            ["KCNA", "2026", "년"]
        );
        // Hanja pair up like Hangul.
        assert_eq!(texts(Mode::Query, "金日成"), ["金日", "日成"]);
        // A lone character between spaces.
        assert_eq!(texts(Mode::Index, "및 그"), ["및", "그"]);
    }

    #[test]
    fn positions_continue_across_runs_and_words() {
        let t = tokens(Mode::Query, "로동당 창건 80");
        let pos: Vec<_> = t.iter().map(|t| (t.0.as_str(), t.1)).collect();
        assert_eq!(pos, vec![("로동", 0), ("동당", 1), ("창건", 2), ("80", 3)]);
    }

    #[test]
    fn query_runs_skip_exclusions_and_single_characters() {
        assert_eq!(
            query_runs("김정은동지 -미국 \"조선 인민\" 및 title:로동당"),
            ["김정은동지", "조선", "인민", "로동당"]
        );
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any text: tokens cut at character boundaries, offsets never
        /// going back, positions never going back, no empty token.
        #[test]
        fn tokens_are_well_formed(text in "(\\PC|[가-힣]{1,6}|[Ａ-ｚ０-９]|\\s){0,40}") {
            for mode in [Mode::Index, Mode::Query] {
                let mut t = TealeafTokenizer::new(mode);
                let mut s = t.token_stream(&text);
                let (mut from, mut pos) = (0, 0);
                while s.advance() {
                    let tok = s.token();
                    prop_assert!(text.is_char_boundary(tok.offset_from));
                    prop_assert!(text.is_char_boundary(tok.offset_to));
                    prop_assert!(tok.offset_from < tok.offset_to);
                    prop_assert!(tok.offset_from >= from);
                    prop_assert!(tok.position >= pos);
                    prop_assert!(!tok.text.is_empty());
                    from = tok.offset_from;
                    pos = tok.position;
                }
            }
        }
    }
}
