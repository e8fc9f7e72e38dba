//! Read commands work on a data directory one may not write: read-only
//! media, or another user's archive. Run as root, the commands are run as
//! `nobody` (setpriv); otherwise the directory is made read-only.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::*;

fn set_mode(path: &Path, writable: bool) {
    for entry in std::fs::read_dir(path).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            set_mode(&p, writable);
        } else {
            std::fs::set_permissions(
                &p,
                std::fs::Permissions::from_mode(if writable { 0o644 } else { 0o444 }),
            )
            .unwrap();
        }
    }
    std::fs::set_permissions(
        path,
        std::fs::Permissions::from_mode(if writable { 0o755 } else { 0o555 }),
    )
    .unwrap();
}

/// The data directory with the fixture pages ingested, and a copy of the
/// binary that `nobody` may run, in `tmp`.
fn ingested_pages(tmp: &Path) -> (PathBuf, PathBuf) {
    std::fs::set_permissions(tmp, std::fs::Permissions::from_mode(0o755)).unwrap();
    let data = tmp.join("data");
    ok(
        &data,
        &["ingest", repo().join("fixtures/pages").to_str().unwrap()],
    );
    (data, bin_copy(tmp))
}

#[test]
fn read_commands_work_on_a_data_directory_one_may_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, bin_copy) = ingested_pages(tmp.path());

    for round in ["as left by ingest", "checkpointed, without -wal and -shm"] {
        if round.starts_with("checkpointed") {
            set_mode(&data, true);
            let conn = rusqlite::Connection::open(data.join("archive.sqlite")).unwrap();
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                .unwrap();
            drop(conn);
            assert!(!data.join("archive.sqlite-shm").exists());
        }
        set_mode(&data, false);
        let out = unprivileged(&bin_copy, &data, &["stats", "--json"]);
        assert!(
            out.status.success(),
            "{round}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(stats["articles"], 1, "{round}: {stats}");
        let out = unprivileged(&bin_copy, &data, &["search", "--json", "overseas"]);
        assert!(
            out.status.success(),
            "{round}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let hits: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(hits["total"], 1, "{round}: {hits}");
        // Writing is refused with a message, not a panic.
        let out = unprivileged(
            &bin_copy,
            &data,
            &["ingest", repo().join("fixtures/samples").to_str().unwrap()],
        );
        assert!(
            !out.status.success(),
            "{round}: an ingest wrote a read-only directory"
        );
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
    // A WAL left without its -shm (a copy that dropped it), read-only: the
    // latest commits cannot be read, and that is said, not hidden.
    set_mode(&data, true);
    ok(
        &data,
        &["ingest", repo().join("fixtures/samples").to_str().unwrap()],
    );
    // An ingest empties the log when it ends: a commit made here, from a
    // connection that leaves its log on close, stands for one it could not.
    {
        let conn = rusqlite::Connection::open(data.join("archive.sqlite")).unwrap();
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        )
        .unwrap();
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('wal-probe', '1')",
            [],
        )
        .unwrap();
    }
    let wal = data.join("archive.sqlite-wal");
    assert!(
        wal.metadata().is_ok_and(|m| m.len() > 0),
        "no WAL to test with"
    );
    std::fs::remove_file(data.join("archive.sqlite-shm")).unwrap();
    set_mode(&data, false);
    let out = unprivileged(&bin_copy, &data, &["stats", "--json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "read an archive without its latest commits"
    );
    assert!(stderr.contains("archive.sqlite-wal"), "{stderr}");
    set_mode(&data, true);
}

#[test]
fn an_ingest_leaves_no_log_beside_the_archive() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    for dir in ["fixtures/pages", "fixtures/samples"] {
        ok(&data, &["ingest", repo().join(dir).to_str().unwrap()]);
        // Emptied, not removed: SQLite keeps the file for the next write.
        let wal = data.join("archive.sqlite-wal");
        let len = wal.metadata().map(|m| m.len()).unwrap_or(0);
        assert_eq!(len, 0, "{dir}: the ingest left {len} bytes of log");
    }
    // Nothing was lost by emptying it.
    let stats = ok(&data, &["stats", "--json"]);
    let stats: serde_json::Value = serde_json::from_str(&stats).unwrap();
    assert!(stats["articles"].as_u64().is_some_and(|n| n > 1), "{stats}");
}

#[test]
fn an_archive_of_an_older_tealeaf_where_it_may_not_be_written_is_refused_with_the_way_out() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, bin_copy) = ingested_pages(tmp.path());
    // The schema before this build's: what an older tealeaf left (the
    // last migration can be applied again).
    let version: i64 = {
        let conn = rusqlite::Connection::open(data.join("archive.sqlite")).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        conn.pragma_update(None, "user_version", version - 1)
            .unwrap();
        version
    };
    set_mode(&data, false);
    let out = unprivileged(&bin_copy, &data, &["stats", "--json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "read an archive of an older schema as if it were this one's"
    );
    assert!(
        stderr.contains("older tealeaf")
            && stderr.contains(&format!("schema {}", version - 1))
            && stderr.contains("archive.sqlite"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    // Where it may be written, any command upgrades it.
    set_mode(&data, true);
    let stats: serde_json::Value = serde_json::from_str(&ok(&data, &["stats", "--json"])).unwrap();
    assert_eq!(stats["articles"], 1, "{stats}");
    let conn = rusqlite::Connection::open(data.join("archive.sqlite")).unwrap();
    let now: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(now, version);
}

#[test]
fn an_empty_or_foreign_database_is_named_for_what_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let bin_copy = bin_copy(tmp.path());

    // A zero-byte archive (a copy cut short, a `touch`) where it may not be
    // written: nothing can be created there, and that is what is said.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    std::fs::write(empty.join("archive.sqlite"), b"").unwrap();
    set_mode(&empty, false);
    let out = unprivileged(&bin_copy, &empty, &["stats", "--json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "read an empty file as an archive");
    assert!(
        stderr.contains("archive is empty") && stderr.contains("archive.sqlite"),
        "{stderr}"
    );
    assert!(!stderr.contains("older tealeaf"), "{stderr}");
    set_mode(&empty, true);
    // Where it may be written, the first command makes it an archive.
    let stats: serde_json::Value = serde_json::from_str(&ok(&empty, &["stats", "--json"])).unwrap();
    assert_eq!(stats["articles"], 0, "{stats}");

    // Another program's database is refused, written or not, whatever its
    // schema version, and left as it was: no tealeaf table is created
    // beside its own, its version and journal are not changed.
    let foreign = tmp.path().join("foreign");
    std::fs::create_dir(&foreign).unwrap();
    let db = foreign.join("archive.sqlite");
    let state = || -> (Vec<String>, i64, String) {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap();
        let tables = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let version = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        let journal = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        (tables, version, journal)
    };
    for version in [0, 5] {
        std::fs::remove_file(&db).ok();
        {
            let conn = rusqlite::Connection::open(&db).unwrap();
            conn.execute_batch(
                "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');",
            )
            .unwrap();
            conn.pragma_update(None, "user_version", version).unwrap();
        }
        let before = state();
        for writable in [true, false] {
            set_mode(&foreign, writable);
            let out = if writable {
                run(&foreign, &["stats", "--json"])
            } else {
                unprivileged(&bin_copy, &foreign, &["stats", "--json"])
            };
            let stderr = String::from_utf8_lossy(&out.stderr);
            let case = format!("version {version}, writable {writable}");
            assert!(!out.status.success(), "{case}: read a foreign database");
            assert!(
                stderr.contains("not a tealeaf archive") && stderr.contains("archive.sqlite"),
                "{case}: {stderr}"
            );
            set_mode(&foreign, true);
            assert_eq!(state(), before, "{case}: the database was changed");
        }
    }

    // A tealeaf archive copied with `.dump` (no `user_version`) is told
    // apart from a foreign one, and not migrated again over its tables.
    let dumped = tmp.path().join("dumped");
    let source = tmp.path().join("dump-source");
    std::fs::create_dir(&source).unwrap();
    let (data, _) = ingested_pages(&source);
    std::fs::create_dir(&dumped).unwrap();
    std::fs::copy(data.join("archive.sqlite"), dumped.join("archive.sqlite")).unwrap();
    {
        let conn = rusqlite::Connection::open(dumped.join("archive.sqlite")).unwrap();
        conn.pragma_update(None, "user_version", 0).unwrap();
    }
    let out = run(&dumped, &["stats", "--json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "read an archive without its version");
    assert!(stderr.contains("no schema version"), "{stderr}");
}
