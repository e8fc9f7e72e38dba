//! `tealeaf show` and `tealeaf stats`.

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use serde::Serialize;

use tealeaf_pipeline::DataDir;

#[derive(Args)]
pub struct ShowArgs {
    /// Article id (a unique prefix is enough).
    pub id: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct StatsArgs {
    #[arg(long)]
    pub json: bool,
}

/// An exact id, or a unique prefix of one.
pub fn resolve_id(archive: &tealeaf_archive::ArchiveReader, given: &str) -> Result<String> {
    match archive.article(given) {
        Ok(a) => Ok(a.id),
        Err(tealeaf_archive::ArchiveError::NotFound(_)) => {
            let found = archive.ids_with_prefix(given, 2)?;
            match found.as_slice() {
                [one] => Ok(one.clone()),
                [] => anyhow::bail!("no article with id `{given}`"),
                _ => anyhow::bail!("`{given}` is the start of several ids; give more of it"),
            }
        }
        Err(e) => Err(e).context("reading the archive"),
    }
}

pub fn run(data: &DataDir, args: ShowArgs) -> Result<ExitCode> {
    let archive = data.archive_existing()?;
    let id = resolve_id(&archive, &args.id)?;
    let article = archive.article(&id)?;
    if args.json {
        // The article page's JSON twin without its diffs: the same
        // `people`, `countries`, `organizations` (docs/json.md).
        let entities = archive.entities_of(&id)?;
        let out = ShowOut {
            article: &article,
            entities: &entities,
        };
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        crate::output::print_article(&article);
    }
    Ok(ExitCode::SUCCESS)
}

/// An editor's commentary, after the text and under its own heading, so
/// that it is not read as part of the article.
pub(crate) fn print_commentary(a: &tealeaf_archive::ArticleView) {
    let Some(commentary) = a.commentary.as_deref() else {
        return;
    };
    println!("Commentary (the editor's, not part of the text)");
    println!("------------------------------------------------\n");
    for p in tealeaf_model::text::split_paragraphs(commentary) {
        println!("{}\n", crate::output::clean(&p));
    }
}

/// `show --json`: the article and the entities it mentions.
#[derive(Serialize)]
struct ShowOut<'a> {
    #[serde(flatten)]
    article: &'a tealeaf_archive::ArticleView,
    #[serde(flatten)]
    entities: &'a tealeaf_archive::ArticleEntities,
}

#[derive(Serialize)]
struct StatsOut {
    #[serde(flatten)]
    stats: tealeaf_archive::Stats,
    indexed: u64,
    index_behind: bool,
    schema_version: i64,
    data_dir: String,
    /// Whether the analyses follow this tealeaf's rules.
    analysis_rules: tealeaf_pipeline::AnalysisRules,
}

pub fn stats(data: &DataDir, args: StatsArgs) -> Result<ExitCode> {
    let archive = data.reader()?;
    let (index, _) = data.index()?;
    let out = StatsOut {
        stats: archive.stats()?,
        indexed: index.num_docs(),
        index_behind: index.indexed_seq()? != archive.max_seq()?,
        schema_version: archive.schema_version()?,
        data_dir: data.root.display().to_string(),
        analysis_rules: data.analysis_rules(&archive)?,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        crate::output::print_stats(&out.stats, out.indexed, out.index_behind, &out.data_dir);
        if !out.analysis_rules.current {
            println!("\n{}", crate::output::STALE_ANALYSIS);
        }
    }
    Ok(ExitCode::SUCCESS)
}
