//! Query-string conveniences on top of tantivy's parser.

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
    let mut analyzer = crate::analyzer();
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
