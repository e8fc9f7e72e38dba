//! Everything printed for people: tables, highlighted snippets, progress.
//! Article text is untrusted: control characters (terminal escapes) are
//! made visible, never sent to the terminal as they are.

use std::io::IsTerminal;

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};
use indicatif::{ProgressBar, ProgressStyle};
use tealeaf_archive::{ArticleView, Stats};

use crate::search::SearchOut;
use tealeaf_pipeline::Summary;

/// Untrusted text made safe for a terminal.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

pub fn progress_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} reading {bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

pub fn print_ingest_summary(s: &Summary) {
    const SHOWN: usize = 20;
    for w in s.warnings.iter().take(SHOWN) {
        eprintln!(
            "warning: {}{}: {}",
            clean(&w.source),
            line_suffix(w.line),
            clean(&w.message)
        );
    }
    if s.warnings.len() > SHOWN {
        eprintln!(
            "warning: … and {} more (see --json)",
            s.warnings.len() - SHOWN
        );
    }
    for e in s.errors.iter().take(SHOWN) {
        eprintln!(
            "rejected: {}{}: {}",
            clean(&e.source),
            line_suffix(e.line),
            clean(&e.message)
        );
    }
    if s.errors.len() > SHOWN {
        eprintln!(
            "rejected: … and {} more (see --json)",
            s.errors.len() - SHOWN
        );
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "read",
        "new articles",
        "new versions",
        "unchanged",
        "failed captures",
        "rejected",
        "seconds",
    ]);
    t.add_row(vec![
        s.read.to_string(),
        s.new_articles.to_string(),
        s.new_versions.to_string(),
        s.unchanged.to_string(),
        s.failed_captures.to_string(),
        s.rejected.to_string(),
        format!("{:.2}", s.seconds),
    ]);
    println!("{t}");
    if s.title_only > 0 {
        println!(
            "({} of the new articles are title-only: no body in the input)",
            s.title_only
        );
    }
    if s.error_pages > 0 {
        println!(
            "({} records were a web server's error page, not an article: not stored; see the warnings)",
            s.error_pages
        );
    }
    if s.new_articles == 0 && s.new_versions == 0 && s.read > s.error_pages {
        println!("Nothing new: every capture was already in the archive.");
    }
    let r = &s.related;
    if r.reprint_pairs > 0 || r.translation_pairs > 0 || r.reprint_copies > 0 {
        let copies = match r.reprint_copies {
            0 => String::new(),
            1 => ", 1 copy of a text already there".to_string(),
            n => format!(", {n} copies of texts already there"),
        };
        println!(
            "Related: {} translation pair{} and {} reprint pair{}{copies} around the {} article{} (tealeaf show ID lists them).",
            r.translation_pairs,
            if r.translation_pairs == 1 { "" } else { "s" },
            r.reprint_pairs,
            if r.reprint_pairs == 1 { "" } else { "s" },
            r.articles,
            if r.articles == 1 { "" } else { "s" },
        );
    }
}

fn line_suffix(line: u64) -> String {
    if line > 0 {
        format!(":{line}")
    } else {
        String::new()
    }
}

pub fn print_search(out: &SearchOut) {
    let color = std::io::stdout().is_terminal();
    let shown = out.hits.len();
    println!(
        "{} hit{} for {} ({} ms){}",
        out.total,
        if out.total == 1 { "" } else { "s" },
        // A query pasted by mistake (a whole file) is not printed back.
        clean(&truncate(&out.query, 120)),
        out.took_ms,
        if shown == 0 && out.total > 0 {
            format!(", none shown: --offset {} is past the last", out.offset)
        } else if shown < out.total {
            format!(", showing {}–{}", out.offset + 1, out.offset + shown)
        } else {
            String::new()
        }
    );
    for (i, h) in out.hits.iter().enumerate() {
        println!();
        println!(
            "{:>3}. {}  {:<7} {}  {}",
            out.offset + i + 1,
            h.published.as_deref().unwrap_or("????-??-??"),
            h.outlet,
            h.id,
            if h.untitled {
                format!("{} (untitled)", clean(&truncate(&h.display_title, 80)))
            } else {
                clean(&truncate(&h.title, 90))
            }
        );
        if let Some(n @ 1..) = h.reprints_hidden {
            println!(
                "     (+{n} reprint{} of this text left out)",
                if n == 1 { "" } else { "s" }
            );
        }
        let mut line = String::new();
        let mut at = 0;
        for &(a, b) in &h.highlights {
            line.push_str(&h.snippet_text[at..a]);
            if color {
                line.push_str("\x1b[1;33m");
                line.push_str(&clean(&h.snippet_text[a..b]));
                line.push_str("\x1b[0m");
            } else {
                line.push('[');
                line.push_str(&h.snippet_text[a..b]);
                line.push(']');
            }
            at = b;
        }
        line.push_str(&h.snippet_text[at..]);
        let line = if color {
            line.replace('\n', " ")
        } else {
            clean(&line).replace('\n', " ")
        };
        println!("     {line}");
    }
}

pub fn print_article(a: &ArticleView) {
    println!("{}", clean(&a.title));
    println!();
    let mut meta = Table::new();
    meta.load_preset(comfy_table::presets::NOTHING);
    let mut row = |k: &str, v: String| {
        meta.add_row(vec![Cell::new(k), Cell::new(clean(&v))]);
    };
    row("id", a.id.clone());
    row("outlet", format!("{} ({})", a.outlet_name, a.outlet));
    row(
        "published",
        format!(
            "{} {}",
            a.published.as_deref().unwrap_or("unknown"),
            a.weekday.as_deref().unwrap_or("")
        ),
    );
    if let Some(l) = &a.language {
        let how = if a.language_detected {
            " (detected)"
        } else {
            ""
        };
        row("language", format!("{l}{how}"));
    }
    if !a.media.is_empty() {
        row(
            "media",
            format!(
                "{}{}",
                a.media.join(", "),
                a.photo_count
                    .map(|n| format!(" ({n} photos)"))
                    .unwrap_or_default()
            ),
        );
    }
    if let Some(u) = &a.url {
        row("url", u.clone());
    }
    if let Some(b) = &a.byline {
        row("byline", b.clone());
    }
    row("seen", format!("{} … {}", a.first_seen, a.last_seen));
    if a.title_only {
        row("note", "title only: the capture had no body".into());
    }
    for w in &a.warnings {
        row("warning", w.clone());
    }
    println!("{meta}\n");
    for (i, p) in a.paragraphs.iter().enumerate() {
        println!("[{}] {}\n", i + 1, clean(p));
    }
    crate::show::print_commentary(a);
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "version",
        "first seen",
        "last seen",
        "captures",
        "content",
    ]);
    for v in &a.versions {
        t.add_row(vec![
            Cell::new(v.n).set_alignment(CellAlignment::Right),
            Cell::new(&v.first_seen),
            Cell::new(&v.last_seen),
            Cell::new(v.captures).set_alignment(CellAlignment::Right),
            Cell::new(&v.content_hash[..12]),
        ]);
    }
    println!("{t}");
    if a.failed_captures > 0 {
        println!("({} failed captures: no title, no body)", a.failed_captures);
    }
    print_related(
        "Translations (the same story in another language)",
        &a.translations,
        |r| format!("confidence {:.2}", r.confidence),
    );
    print_related("Reprints (the same text printed again)", &a.reprints, |r| {
        format!("similarity {:.2}", r.score)
    });
}

fn print_related(
    heading: &str,
    related: &[tealeaf_archive::RelatedArticle],
    measure: impl Fn(&tealeaf_archive::RelatedArticle) -> String,
) {
    if related.is_empty() {
        return;
    }
    println!("\n{heading}");
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec!["id", "published", "language", "title", ""]);
    for r in related {
        t.add_row(vec![
            Cell::new(clean(&r.id)),
            Cell::new(r.published.as_deref().unwrap_or("")),
            Cell::new(clean(r.language.as_deref().unwrap_or(""))),
            Cell::new(truncate(&clean(&r.title), 60)),
            Cell::new(measure(r)),
        ]);
    }
    println!("{t}");
}

/// Said by `stats` and after an ingest while the archive's analyses were
/// made with other rules than this tealeaf's.
pub const STALE_ANALYSIS: &str =
    "note: articles in this archive were analysed with other rules than this \
tealeaf's (an earlier tealeaf, or other gazetteers): their people, titles and events are the \
old rules' until `tealeaf reanalyze`";

pub fn print_stats(s: &Stats, indexed: u64, behind: bool, data_dir: &str) {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec!["", "count"]);
    let mut row = |k: String, v: i64| {
        t.add_row(vec![
            Cell::new(k),
            Cell::new(v).set_alignment(CellAlignment::Right),
        ]);
    };
    row("articles".into(), s.articles);
    row("versions".into(), s.versions);
    row("captures".into(), s.captures);
    row("failed captures".into(), s.failed_captures);
    row("title-only articles".into(), s.title_only);
    row("indexed".into(), indexed as i64);
    for (o, n) in &s.outlets {
        row(format!("outlet {o}"), *n);
    }
    for (l, n) in &s.languages {
        row(format!("language {l}"), *n);
    }
    println!("{}", clean(data_dir));
    println!("{t}");
    if let (Some(a), Some(b)) = (&s.first_published, &s.last_published) {
        println!("published {a} … {b}");
    }
    if behind {
        println!("the index is behind the archive: any search or ingest will catch it up");
    }
}
