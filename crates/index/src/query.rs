//! Query-string conveniences on top of tantivy's parser.

/// Parentheses nested deeper than this are refused: tantivy's parser
/// recurses once a level, and thousands of levels overflow the stack.
pub const MAX_NESTING: usize = 64;

/// What tantivy's parser would take badly, as a message for the user:
/// parentheses nested too deep, or `field:*` alone (a query for every
/// article with the field, which the schema cannot answer).
pub fn check(query: &str) -> Result<(), String> {
    let (mut depth, mut in_quotes) = (0usize, false);
    for c in query.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            '(' if !in_quotes => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(format!("parentheses nested more than {MAX_NESTING} deep"));
                }
            }
            ')' if !in_quotes => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let mut in_quotes = false;
    for word in query.split(|c: char| c.is_whitespace() || c == '(' || c == ')') {
        if word.matches('"').count() % 2 == 1 {
            in_quotes = !in_quotes;
        }
        let bare = word.trim_start_matches(['+', '-']);
        if !in_quotes && bare.ends_with(":*") {
            return Err(format!(
                "`{bare}` needs a word before the `*` (as in `title:pyong*`)"
            ));
        }
    }
    Ok(())
}

/// Apostrophes outside double quotes as spaces: the index splits words at
/// them anyway (`People's` is `people s`), and tantivy's parser would read
/// one as the start of a single-quoted phrase (`People's Army` was a
/// syntax error).
pub fn apostrophes_as_spaces(query: &str) -> String {
    let mut in_quotes = false;
    query
        .chars()
        .map(|c| match c {
            '"' => {
                in_quotes = !in_quotes;
                c
            }
            '\'' | '\u{2019}' | '\u{2018}' if !in_quotes => ' ',
            _ => c,
        })
        .collect()
}

/// The words of a query that cannot be parsed, as a query that can: balanced
/// double quotes stay phrases, `-word`/`+word` keep their sign, field
/// names (`title:`) go, every other character that is not a letter, digit
/// or space becomes a space (brackets, stray operators and quotes).
pub fn literal(query: &str) -> String {
    let balanced = query.matches('"').count().is_multiple_of(2);
    let chars: Vec<char> = query.chars().collect();
    let mut out = String::with_capacity(query.len());
    let mut in_quotes = false;
    for (i, &c) in chars.iter().enumerate() {
        let word_char = c.is_alphanumeric() || c.is_whitespace();
        if c == '"' && balanced {
            in_quotes = !in_quotes;
            out.push('"');
        } else if word_char {
            out.push(c);
        } else if c == ':' && !in_quotes {
            // A field name (`title:`) is not a word of the text.
            while out.ends_with(|p: char| p.is_alphanumeric()) {
                out.pop();
            }
            out.push(' ');
        } else if !in_quotes
            && (c == '-' || c == '+')
            && (i == 0 || chars[i - 1].is_whitespace())
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric())
        {
            out.push(c);
        } else {
            out.push(' ');
        }
    }
    // An empty phrase (`""`) is not a query.
    let out = out.replace("\"\"", " ");
    // Operators left dangling by what was removed (`OR` at either end).
    let words: Vec<&str> = out.split_whitespace().collect();
    let is_op = |w: &str| matches!(w, "AND" | "OR" | "NOT");
    let start = words.iter().position(|w| !is_op(w)).unwrap_or(words.len());
    let end = words
        .iter()
        .rposition(|w| !is_op(w))
        .map_or(start, |e| e + 1);
    let mut kept: Vec<&str> = Vec::new();
    for w in &words[start..end.max(start)] {
        // `a AND OR b`: one operator between words.
        if is_op(w) && kept.last().is_some_and(|l| is_op(l)) {
            continue;
        }
        kept.push(w);
    }
    kept.join(" ")
}

/// Tantivy's parser reads `word*` as the word itself and takes prefixes
/// only as a regex on a named field (`title:/word.*/`). Users expect
/// `Pyong*` to search everywhere, so a prefix term outside quotes becomes
/// `(title:/pyong.*/ OR body:/pyong.*/)`. The prefix is folded the
/// way the index folds words (lowercase; accents are folded at index time,
/// so `Máx*` is written `max*`).
pub fn rewrite_prefixes(query: &str, fields: &[&str]) -> String {
    let mut out = String::with_capacity(query.len() + 32);
    let mut in_quotes = false;
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if let Some(rewritten) = rewrite_word(word, fields) {
            out.push_str(&rewritten);
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in query.chars() {
        if c == '"' {
            if !in_quotes {
                flush(&mut word, &mut out);
            }
            in_quotes = !in_quotes;
            out.push(c);
        } else if in_quotes {
            out.push(c);
        } else if c.is_whitespace() || c == '(' || c == ')' {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn rewrite_word(word: &str, fields: &[&str]) -> Option<String> {
    let (sign, rest) = match word.chars().next()? {
        '+' | '-' => word.split_at(1),
        _ => ("", word),
    };
    let stem = rest.strip_suffix('*')?;
    let (field, stem) = match stem.split_once(':') {
        Some((f, s)) => (Some(f), s),
        None => (None, stem),
    };
    if stem.is_empty() || !stem.chars().all(char::is_alphanumeric) {
        return None;
    }
    // Korean, Chinese and Japanese are indexed as pairs: the word itself
    // already matches wherever it is the start of a longer one.
    if stem.chars().any(crate::tokenize::is_bigram_script) {
        return None;
    }
    let folded: String = fold_prefix(stem);
    Some(match field {
        // `folded` is alphanumeric only, so it needs no regex escaping.
        Some(f) => format!("{sign}{f}:/{folded}.*/"),
        None => {
            let alts: Vec<String> = fields.iter().map(|f| format!("{f}:/{folded}.*/")).collect();
            format!("{sign}({})", alts.join(" OR "))
        }
    })
}

/// Lowercases and strips the accents of Latin letters (a prefix is not run
/// through the analyzer by tantivy's parser).
fn fold_prefix(s: &str) -> String {
    let mut analyzer = crate::analyzer(crate::tokenize::Mode::Query);
    let mut stream = analyzer.token_stream(s);
    let mut out = String::new();
    while stream.advance() {
        out.push_str(&stream.token().text);
    }
    if out.is_empty() {
        s.to_lowercase()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_keeps_words_phrases_and_signs() {
        assert_eq!(apostrophes_as_spaces("People's Army"), "People s Army");
        assert_eq!(
            apostrophes_as_spaces("\"New Year's\" Workers'"),
            "\"New Year's\" Workers "
        );
        assert_eq!(literal("title:"), "");
        assert_eq!(literal("title:(Libya"), "Libya");
        assert_eq!(literal("\"overseas operations"), "overseas operations");
        assert_eq!(literal("\"a b\" -c +d e-f"), "\"a b\" -c +d e f");
        assert_eq!(literal("OR war AND"), "war");
        assert_eq!(literal("a AND OR b"), "a AND b");
        assert_eq!(literal("((([[{^"), "");
        assert_eq!(literal("\"\" x"), "x");
    }

    #[test]
    fn bare_prefixes_search_both_fields() {
        let f = &["title", "body"];
        assert_eq!(
            rewrite_prefixes("Pyong*", f),
            "(title:/pyong.*/ OR body:/pyong.*/)"
        );
        assert_eq!(
            rewrite_prefixes("-Máx*", f),
            "-(title:/max.*/ OR body:/max.*/)"
        );
        assert_eq!(rewrite_prefixes("title:Kim*", f), "title:/kim.*/");
        assert_eq!(
            rewrite_prefixes("\"new year*\" a*", f),
            "\"new year*\" (title:/a.*/ OR body:/a.*/)"
        );
        assert_eq!(
            rewrite_prefixes("kim AND (jong OR il)", f),
            "kim AND (jong OR il)"
        );
    }
}

#[cfg(test)]
mod check_tests {
    use super::{check, MAX_NESTING};

    #[test]
    fn deep_nesting_is_refused_before_the_parser_sees_it() {
        let ok = format!("{}kim{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert_eq!(check(&ok), Ok(()));
        let deep = format!("{}kim{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(check(&deep).unwrap_err().contains("nested"));
        // Inside quotes a parenthesis is text.
        assert_eq!(check(&format!("\"{}\"", "(".repeat(1000))), Ok(()));
    }

    #[test]
    fn a_field_with_a_bare_star_is_refused_and_a_prefix_is_not() {
        assert!(check("title:*").unwrap_err().contains("title:*"));
        assert!(check("kim -body:*").is_err());
        assert_eq!(check("title:pyong*"), Ok(()));
        assert_eq!(check("\"title:*\""), Ok(()));
    }
}
