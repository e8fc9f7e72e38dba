//! Schema migrations, applied in order and recorded in `PRAGMA user_version`.
//! Never edit a released migration: add a new one.

pub const MIGRATIONS: &[&str] = &[
    // 1: the core archive.
    r#"
CREATE TABLE meta(
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- One row per distinct content state (title + paragraphs), shared by every
-- capture and version that holds it.
-- A rowid table: rows hold whole articles, and appending by rowid keeps
-- bulk ingest sequential; the hash is looked up through its own index.
CREATE TABLE contents(
    id         INTEGER PRIMARY KEY,
    hash       TEXT NOT NULL UNIQUE,
    title      TEXT NOT NULL,
    paragraphs TEXT NOT NULL          -- JSON array of strings
);
CREATE TABLE articles(
    id           TEXT PRIMARY KEY,
    seq          INTEGER NOT NULL,    -- bumped on every change; the index catches up by it
    outlet       TEXT NOT NULL,
    ident_key    TEXT,                -- identity key; NULL for explicit ids
    ordinal      INTEGER,             -- n-th distinct content under ident_key
    url          TEXT,
    language     TEXT,
    published    TEXT,                -- YYYY-MM-DD
    media        TEXT NOT NULL DEFAULT '',  -- comma list: photo,video
    photo_count  INTEGER,
    byline       TEXT,
    current_hash TEXT NOT NULL,       -- content of the latest version
    title_only   INTEGER NOT NULL DEFAULT 0,
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL
);
-- Not a partial index: SQLite re-prepares statements whose plan depends on
-- a partial index's condition at every bind, which costs more than the NULLs.
CREATE INDEX articles_key ON articles(ident_key);
CREATE INDEX articles_seq ON articles(seq);
CREATE TABLE captures(
    id           INTEGER PRIMARY KEY,
    article_id   TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    captured_at  TEXT NOT NULL,       -- as the input said; '' when it did not
    observed_at  TEXT NOT NULL,       -- captured_at, or the ingest time
    source       TEXT NOT NULL,
    line         INTEGER NOT NULL,
    warnings     TEXT,                -- JSON array, when the reader had any
    UNIQUE(article_id, content_hash, captured_at)
);
-- Derived from captures: consecutive captures with the same content are one
-- version. Rebuilt for an article whenever one of its captures arrives.
CREATE TABLE versions(
    article_id   TEXT NOT NULL,
    n            INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL,
    captures     INTEGER NOT NULL,
    PRIMARY KEY(article_id, n)
) WITHOUT ROWID;
-- Captures with neither title nor body: recorded, never a version.
CREATE TABLE failed_captures(
    id          INTEGER PRIMARY KEY,
    article_id  TEXT NOT NULL,
    url         TEXT NOT NULL DEFAULT '',
    captured_at TEXT NOT NULL,
    observed_at TEXT NOT NULL,
    source      TEXT NOT NULL,
    line        INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    UNIQUE(article_id, captured_at, source, line)
);
CREATE TABLE runs(
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    sources     TEXT NOT NULL,        -- JSON array of file names
    summary     TEXT                  -- JSON, the ingest summary
);
"#,
    // 2: change tracking: gone captures, listings, the changes feed.
    r#"
-- 200: a capture with content; 404/410: the article was gone.
ALTER TABLE captures ADD COLUMN status INTEGER NOT NULL DEFAULT 200;
-- NULL for a version with content; why the article was gone otherwise
-- ('404', '410', 'delisted'). A gone version has content_hash ''.
ALTER TABLE versions ADD COLUMN gone TEXT;
-- The article's state, kept with it so that a re-capture of the current
-- content (the common case) extends the last version without a rebuild.
ALTER TABLE articles ADD COLUMN gone TEXT;
ALTER TABLE articles ADD COLUMN versions INTEGER NOT NULL DEFAULT 1;
UPDATE articles SET versions = (SELECT COUNT(*) FROM versions v WHERE v.article_id = articles.id);
-- Captures of listing pages, as read; what they imply for each article is
-- in listing_presence.
CREATE TABLE listing_captures(
    id          INTEGER PRIMARY KEY,
    listing     TEXT NOT NULL,
    outlet      TEXT NOT NULL,
    captured_at TEXT NOT NULL,
    items       TEXT NOT NULL,        -- JSON array of article ids
    source      TEXT NOT NULL,
    line        INTEGER NOT NULL,
    UNIQUE(listing, captured_at)
);
-- For every article a listing ever held: whether each capture of the
-- listing held it.
CREATE TABLE listing_presence(
    listing     TEXT NOT NULL,
    article_id  TEXT NOT NULL,
    captured_at TEXT NOT NULL,
    present     INTEGER NOT NULL,
    PRIMARY KEY(article_id, listing, captured_at)
) WITHOUT ROWID;
CREATE INDEX listing_presence_listing ON listing_presence(listing, captured_at);
-- Derived from versions: one row per change between consecutive versions.
CREATE TABLE changes(
    article_id  TEXT NOT NULL,
    to_n        INTEGER NOT NULL,
    from_n      INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    from_hash   TEXT NOT NULL,
    to_hash     TEXT NOT NULL,
    from_seen   TEXT NOT NULL,        -- last capture of the old version
    at          TEXT NOT NULL,        -- first capture of the new version
    changed     REAL,
    similarity  REAL,
    hunks       TEXT NOT NULL,        -- JSON array
    PRIMARY KEY(article_id, to_n)
) WITHOUT ROWID;
CREATE INDEX changes_at ON changes(at);
"#,
    // 3: analysis (derived from each article's current version).
    r#"
-- The seq whose content the analysis rows describe; differs from seq when
-- the analysis has to catch up (an interrupted run, or `reanalyze`).
ALTER TABLE articles ADD COLUMN analyzed_seq INTEGER;
-- One row per (article, entity): how often it is named.
CREATE TABLE mentions(
    article_id TEXT NOT NULL,
    kind       TEXT NOT NULL,         -- person, country, organization, place
    name       TEXT NOT NULL,         -- canonical name
    count      INTEGER NOT NULL,
    in_title   INTEGER NOT NULL,
    PRIMARY KEY(article_id, kind, name)
) WITHOUT ROWID;
CREATE INDEX mentions_name ON mentions(name, kind);
CREATE TABLE person_titles(
    article_id TEXT NOT NULL,
    person     TEXT NOT NULL,
    title      TEXT NOT NULL,
    PRIMARY KEY(article_id, person, title)
) WITHOUT ROWID;
CREATE INDEX person_titles_person ON person_titles(person);
CREATE TABLE events(
    article_id TEXT NOT NULL,
    n          INTEGER NOT NULL,
    actor      TEXT,
    action     TEXT NOT NULL,
    modifier   TEXT,
    recipient  TEXT,
    occasion   TEXT,
    event_date TEXT,
    date_text  TEXT,
    paragraph  INTEGER,               -- NULL: the headline
    text_from  INTEGER,               -- full text: paragraphs [text_from, text_to)
    text_to    INTEGER,
    detail     TEXT NOT NULL,         -- the whole event as JSON
    PRIMARY KEY(article_id, n)
) WITHOUT ROWID;
CREATE INDEX events_actor ON events(actor);
-- Ordered name lists (`accompanied by A, B and C`): one row per name.
CREATE TABLE entourage(
    article_id TEXT NOT NULL,
    list       INTEGER NOT NULL,
    position   INTEGER NOT NULL,      -- 1 = first named
    size       INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    person     TEXT NOT NULL,
    paragraph  INTEGER NOT NULL,
    PRIMARY KEY(article_id, list, position)
) WITHOUT ROWID;
CREATE INDEX entourage_person ON entourage(person);
"#,
    // 4: a person's titles in an article ride on their mention row: one
    // row a person instead of one a title.
    r#"
-- JSON array of the titles the article gives the person, sorted; NULL:
-- none (and for every entity that is not a person).
ALTER TABLE mentions ADD COLUMN titles TEXT;
UPDATE mentions SET titles = (
    SELECT json_group_array(title) FROM (
        SELECT title FROM person_titles t
        WHERE t.article_id = mentions.article_id AND t.person = mentions.name
        ORDER BY title))
WHERE kind = 'person' AND EXISTS (
    SELECT 1 FROM person_titles t
    WHERE t.article_id = mentions.article_id AND t.person = mentions.name);
DROP TABLE person_titles;
"#,
    // 5: mention rows keyed by the analysed seq of their article, so that
    // a bulk load appends them instead of inserting them all over the
    // table by article id (a random hash).
    r#"
-- One row per (analysed content, entity). seq is the article's
-- analyzed_seq: a global counter, so each analysis's rows land after
-- those stored before. An article's rows are found through it, by name
-- through mentions_name, and article_id is kept for joins on articles.
CREATE TABLE mentions_by_seq(
    seq        INTEGER NOT NULL,
    kind       TEXT NOT NULL,         -- person, country, organization, place
    name       TEXT NOT NULL,         -- canonical name
    article_id TEXT NOT NULL,
    count      INTEGER NOT NULL,
    in_title   INTEGER NOT NULL,
    titles     TEXT,                  -- JSON array of the person's titles here
    PRIMARY KEY(seq, kind, name)
) WITHOUT ROWID;
-- Rows of an article not marked analysed describe nothing current (it is
-- analysed again, and a first analysis inserts without deleting), so they
-- are not carried over.
DELETE FROM events WHERE article_id IN (SELECT id FROM articles WHERE analyzed_seq IS NULL);
DELETE FROM entourage WHERE article_id IN (SELECT id FROM articles WHERE analyzed_seq IS NULL);
INSERT INTO mentions_by_seq
    SELECT a.analyzed_seq, m.kind, m.name, m.article_id, m.count, m.in_title, m.titles
    FROM mentions m JOIN articles a ON a.id = m.article_id
    WHERE a.analyzed_seq IS NOT NULL;
DROP TABLE mentions;
ALTER TABLE mentions_by_seq RENAME TO mentions;
CREATE INDEX mentions_name ON mentions(name, kind);
"#,
    // 6: what `tealeaf crawl` and `tealeaf wayback` know between runs
    // (docs/crawl.md): times are unix seconds. `IF NOT EXISTS`: the
    // tests that take an archive back to an older schema leave these.
    r#"
-- One row a url the crawler has seen: in the frontier until fetched, then
-- re-checked when due.
CREATE TABLE IF NOT EXISTS crawl_urls(
    url           TEXT PRIMARY KEY,
    host          TEXT NOT NULL,
    kind          TEXT NOT NULL,      -- article, listing (re-fetched every round)
    found_at      INTEGER NOT NULL,
    fetched_at    INTEGER,            -- last fetch; NULL: never fetched
    status        INTEGER,            -- last HTTP status; 0: no answer
    etag          TEXT,
    last_modified TEXT,
    digest        TEXT,               -- of the page's text at the last 200
    changed_at    INTEGER,            -- when digest last changed
    checks        INTEGER NOT NULL DEFAULT 0, -- fetches since the last change
    due_at        INTEGER NOT NULL,   -- next fetch due
    gone          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS crawl_urls_due ON crawl_urls(due_at);
CREATE TABLE IF NOT EXISTS crawl_hosts(
    host          TEXT PRIMARY KEY,
    robots        TEXT,               -- robots.txt as fetched; NULL: none (all allowed)
    robots_at     INTEGER,
    fetches       INTEGER NOT NULL DEFAULT 0,
    errors        INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    last_error_at INTEGER,
    last_fetch_at INTEGER
);
CREATE TABLE IF NOT EXISTS crawl_rounds(
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,        -- crawl, wayback
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    summary     TEXT                  -- JSON, as `crawl --json` prints it
);
-- Each WARC file the collectors wrote: how far its whole records reach
-- (written) and how much of it has been ingested. A run killed between
-- writing and ingesting has the rest ingested first; a record being
-- written by another run is never read half-written.
CREATE TABLE IF NOT EXISTS crawl_warcs(
    file     TEXT PRIMARY KEY,        -- relative to the data directory
    written  INTEGER NOT NULL,
    ingested INTEGER NOT NULL
);
-- Wayback Machine captures fetched (or found to repeat a digest fetched).
CREATE TABLE IF NOT EXISTS wayback_captures(
    original   TEXT NOT NULL,
    timestamp  TEXT NOT NULL,
    digest     TEXT NOT NULL,
    status     INTEGER,
    fetched_at INTEGER NOT NULL,
    PRIMARY KEY(original, timestamp)
) WITHOUT ROWID;
"#,
    // 7: what came with an article but is not its text.
    r#"
-- An editor's commentary kept apart from the text (not in its content).
ALTER TABLE articles ADD COLUMN commentary TEXT;
-- 1 when `language` was detected from the text, not given by the input.
ALTER TABLE articles ADD COLUMN language_detected INTEGER NOT NULL DEFAULT 0;
"#,
    // 8: relations between articles: reprints and translations.
    r#"
-- What an article's relations were computed from (crates/relate): its
-- text's MinHash signature and LSH band keys (NULL when the text is too
-- short to tell a reprint), and its translation anchors. Derived: rebuilt
-- whenever the article's current version changes.
CREATE TABLE IF NOT EXISTS related_features(
    article_id TEXT PRIMARY KEY,
    language   TEXT NOT NULL,         -- '' when unknown
    published  TEXT,
    signature  BLOB,
    bands      BLOB,
    anchors    TEXT NOT NULL,         -- one a line
    chars      INTEGER NOT NULL,
    paragraphs INTEGER NOT NULL,
    syllabic   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS related_features_published ON related_features(published);
-- One row per direction: an article's reprints (score: the estimated
-- similarity of the texts) and translations (score and confidence of the
-- pairing, docs/related.md).
CREATE TABLE IF NOT EXISTS related(
    article_id TEXT NOT NULL,
    kind       TEXT NOT NULL,         -- reprint, translation
    other_id   TEXT NOT NULL,
    score      REAL NOT NULL,
    confidence REAL NOT NULL,
    PRIMARY KEY(article_id, kind, other_id)
) WITHOUT ROWID;
"#,
    // 9: which ingest run stored each capture, so that a run can be
    // undone (`tealeaf forget --run N`, write/forget.rs). Runs stored
    // before this migration did not say, and cannot be.
    r#"
ALTER TABLE captures ADD COLUMN run_id INTEGER;
ALTER TABLE failed_captures ADD COLUMN run_id INTEGER;
ALTER TABLE listing_captures ADD COLUMN run_id INTEGER;
-- When the run was undone; its rows are gone then.
ALTER TABLE runs ADD COLUMN forgotten_at TEXT;
INSERT OR REPLACE INTO meta(key, value)
    SELECT 'runs_recorded_from', COALESCE(MAX(id), 0) + 1 FROM runs;
-- An article's metadata (it follows the latest capture) as it was before
-- a run overwrote it: put back when the run is undone.
CREATE TABLE IF NOT EXISTS run_overwrites(
    run_id            INTEGER NOT NULL,
    article_id        TEXT NOT NULL,
    url               TEXT,
    language          TEXT,
    published         TEXT,
    media             TEXT NOT NULL,
    photo_count       INTEGER,
    byline            TEXT,
    commentary        TEXT,
    language_detected INTEGER NOT NULL,
    PRIMARY KEY(run_id, article_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS run_overwrites_article ON run_overwrites(article_id, run_id);
-- Articles an undone run took away, by the seq of their going: the index
-- deletes those past the seq it reached (as it re-adds changed articles).
CREATE TABLE IF NOT EXISTS index_deletions(
    article_id TEXT PRIMARY KEY,
    seq        INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS index_deletions_seq ON index_deletions(seq);
"#,
    // 10: a person's honorifics in an article (`respected Comrade`,
    // `camarada`) apart from the offices in `titles`. Rows stored before
    // have none (their titles still hold both, until `tealeaf reanalyze`).
    r#"
-- JSON array of the honorifics the article gives the person, sorted;
-- NULL: none.
ALTER TABLE mentions ADD COLUMN honorifics TEXT;
"#,
    // 11: copies of one text (equal signatures) kept as one reprint group
    // (docs/related.md): reprint pairs are stored between the groups'
    // representatives only, not between every two copies.
    r#"
-- A key of the signature (equal signatures, equal keys), to find an
-- article's copies; and the representative of its group (the least id
-- among the copies), NULL for a representative or an article without
-- copies.
ALTER TABLE related_features ADD COLUMN text_key INTEGER;
ALTER TABLE related_features ADD COLUMN copy_of TEXT;
CREATE INDEX IF NOT EXISTS related_features_text_key ON related_features(text_key)
    WHERE text_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS related_features_copy_of ON related_features(copy_of)
    WHERE copy_of IS NOT NULL;
-- Every article is related again at the next ingest, into groups.
DELETE FROM meta WHERE key = 'related_seq';
"#,
    // 12: aggregates that pages and commands read instead of scanning
    // the archive (issue 22). Triggers keep them in step with the rows
    // they count, inside the same transaction, on every path that writes
    // those rows (ingest, re-capture, forget, reanalyze): nothing can
    // leave them stale, and a kill loses them with the rows they count.
    // `ArchiveReader::aggregate_drift` recounts them from scratch (tests).
    r#"
-- Articles by outlet, language ('' unknown), publication day ('' unknown)
-- and whether they are title-only. Counts that reach 0 stay as rows.
CREATE TABLE IF NOT EXISTS article_days(
    outlet     TEXT NOT NULL,
    language   TEXT NOT NULL,
    day        TEXT NOT NULL,
    title_only INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY(outlet, language, day, title_only)
) WITHOUT ROWID;
DELETE FROM article_days;
INSERT INTO article_days
    SELECT outlet, COALESCE(language, ''), COALESCE(published, ''), title_only != 0, COUNT(*)
    FROM articles GROUP BY 1, 2, 3, 4;
CREATE TRIGGER IF NOT EXISTS article_days_insert AFTER INSERT ON articles BEGIN
    INSERT INTO article_days
        VALUES (NEW.outlet, COALESCE(NEW.language, ''), COALESCE(NEW.published, ''), NEW.title_only != 0, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS article_days_delete AFTER DELETE ON articles BEGIN
    UPDATE article_days SET n = n - 1
        WHERE outlet = OLD.outlet AND language = COALESCE(OLD.language, '')
          AND day = COALESCE(OLD.published, '') AND title_only = (OLD.title_only != 0);
END;
CREATE TRIGGER IF NOT EXISTS article_days_update
    AFTER UPDATE OF outlet, language, published, title_only ON articles
    WHEN OLD.outlet IS NOT NEW.outlet OR OLD.language IS NOT NEW.language
      OR OLD.published IS NOT NEW.published OR OLD.title_only IS NOT NEW.title_only
BEGIN
    UPDATE article_days SET n = n - 1
        WHERE outlet = OLD.outlet AND language = COALESCE(OLD.language, '')
          AND day = COALESCE(OLD.published, '') AND title_only = (OLD.title_only != 0);
    INSERT INTO article_days
        VALUES (NEW.outlet, COALESCE(NEW.language, ''), COALESCE(NEW.published, ''), NEW.title_only != 0, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- Rows in the tables `stats` counts.
CREATE TABLE IF NOT EXISTS row_counts(
    name TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
) WITHOUT ROWID;
DELETE FROM row_counts;
INSERT INTO row_counts VALUES
    ('versions', (SELECT COUNT(*) FROM versions)),
    ('captures', (SELECT COUNT(*) FROM captures)),
    ('failed_captures', (SELECT COUNT(*) FROM failed_captures));
CREATE TRIGGER IF NOT EXISTS versions_count_insert AFTER INSERT ON versions BEGIN
    UPDATE row_counts SET n = n + 1 WHERE name = 'versions';
END;
CREATE TRIGGER IF NOT EXISTS versions_count_delete AFTER DELETE ON versions BEGIN
    UPDATE row_counts SET n = n - 1 WHERE name = 'versions';
END;
CREATE TRIGGER IF NOT EXISTS captures_count_insert AFTER INSERT ON captures BEGIN
    UPDATE row_counts SET n = n + 1 WHERE name = 'captures';
END;
CREATE TRIGGER IF NOT EXISTS captures_count_delete AFTER DELETE ON captures BEGIN
    UPDATE row_counts SET n = n - 1 WHERE name = 'captures';
END;
CREATE TRIGGER IF NOT EXISTS failed_captures_count_insert AFTER INSERT ON failed_captures BEGIN
    UPDATE row_counts SET n = n + 1 WHERE name = 'failed_captures';
END;
CREATE TRIGGER IF NOT EXISTS failed_captures_count_delete AFTER DELETE ON failed_captures BEGIN
    UPDATE row_counts SET n = n - 1 WHERE name = 'failed_captures';
END;

-- Mention rows joined to their article (as every reader joins them), by
-- entity, publication day ('' unknown) and outlet; and by entity alone.
-- An article's mention rows are those at its analyzed_seq (analysis/store.rs).
CREATE TABLE IF NOT EXISTS entity_days(
    kind     TEXT NOT NULL,
    name     TEXT NOT NULL,
    day      TEXT NOT NULL,
    outlet   TEXT NOT NULL,
    articles INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    PRIMARY KEY(kind, name, day, outlet)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entities(
    kind     TEXT NOT NULL,
    name     TEXT NOT NULL,
    articles INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    PRIMARY KEY(kind, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entities_name ON entities(name COLLATE NOCASE);
DELETE FROM entity_days;
INSERT INTO entity_days
    SELECT m.kind, m.name, COALESCE(a.published, ''), a.outlet, COUNT(*), SUM(m.count)
    FROM mentions m JOIN articles a ON a.id = m.article_id GROUP BY 1, 2, 3, 4;
DELETE FROM entities;
INSERT INTO entities
    SELECT kind, name, SUM(articles), SUM(mentions) FROM entity_days GROUP BY 1, 2;
CREATE TRIGGER IF NOT EXISTS entity_days_insert AFTER INSERT ON mentions BEGIN
    INSERT INTO entity_days
        SELECT NEW.kind, NEW.name, COALESCE(a.published, ''), a.outlet, 1, NEW.count
        FROM articles a WHERE a.id = NEW.article_id
        ON CONFLICT DO UPDATE SET articles = articles + 1, mentions = mentions + excluded.mentions;
    INSERT INTO entities
        SELECT NEW.kind, NEW.name, 1, NEW.count
        FROM articles a WHERE a.id = NEW.article_id
        ON CONFLICT DO UPDATE SET articles = articles + 1, mentions = mentions + excluded.mentions;
END;
CREATE TRIGGER IF NOT EXISTS entity_days_delete AFTER DELETE ON mentions BEGIN
    UPDATE entity_days SET articles = articles - 1, mentions = mentions - OLD.count
        FROM articles a
        WHERE a.id = OLD.article_id AND entity_days.kind = OLD.kind AND entity_days.name = OLD.name
          AND entity_days.day = COALESCE(a.published, '') AND entity_days.outlet = a.outlet;
    UPDATE entities SET articles = articles - 1, mentions = mentions - OLD.count
        WHERE kind = OLD.kind AND name = OLD.name
          AND EXISTS (SELECT 1 FROM articles a WHERE a.id = OLD.article_id);
END;
CREATE TRIGGER IF NOT EXISTS entity_days_move AFTER UPDATE OF published, outlet ON articles
    WHEN OLD.published IS NOT NEW.published OR OLD.outlet IS NOT NEW.outlet
BEGIN
    UPDATE entity_days SET articles = articles - 1, mentions = mentions - m.count
        FROM (SELECT kind, name, count FROM mentions
              WHERE seq = OLD.analyzed_seq AND article_id = OLD.id) AS m
        WHERE entity_days.kind = m.kind AND entity_days.name = m.name
          AND entity_days.day = COALESCE(OLD.published, '') AND entity_days.outlet = OLD.outlet;
    INSERT INTO entity_days
        SELECT kind, name, COALESCE(NEW.published, ''), NEW.outlet, 1, count FROM mentions
        WHERE seq = NEW.analyzed_seq AND article_id = NEW.id
        ON CONFLICT DO UPDATE SET articles = articles + 1, mentions = mentions + excluded.mentions;
    UPDATE events SET at = COALESCE(event_date, NEW.published) WHERE article_id = NEW.id;
END;
CREATE TRIGGER IF NOT EXISTS entity_days_gone AFTER DELETE ON articles BEGIN
    UPDATE entity_days SET articles = articles - 1, mentions = mentions - m.count
        FROM (SELECT kind, name, count FROM mentions
              WHERE seq = OLD.analyzed_seq AND article_id = OLD.id) AS m
        WHERE entity_days.kind = m.kind AND entity_days.name = m.name
          AND entity_days.day = COALESCE(OLD.published, '') AND entity_days.outlet = OLD.outlet;
    UPDATE entities SET articles = articles - 1, mentions = mentions - m.count
        FROM (SELECT kind, name, count FROM mentions
              WHERE seq = OLD.analyzed_seq AND article_id = OLD.id) AS m
        WHERE entities.kind = m.kind AND entities.name = m.name;
END;

-- The titles person mention rows give (their JSON array), by person,
-- title and the article's publication day: a person's titles with their
-- first and last dates without reading every mention.
CREATE TABLE IF NOT EXISTS title_days(
    person   TEXT NOT NULL,
    title    TEXT NOT NULL,
    day      TEXT NOT NULL,
    articles INTEGER NOT NULL,
    PRIMARY KEY(person, title, day)
) WITHOUT ROWID;
DELETE FROM title_days;
INSERT INTO title_days
    SELECT m.name, t.value, COALESCE(a.published, ''), COUNT(*)
    FROM mentions m JOIN articles a ON a.id = m.article_id JOIN json_each(m.titles) t
    WHERE m.kind = 'person' AND m.titles IS NOT NULL GROUP BY 1, 2, 3;
CREATE TRIGGER IF NOT EXISTS title_days_insert AFTER INSERT ON mentions
    WHEN NEW.kind = 'person' AND NEW.titles IS NOT NULL
BEGIN
    INSERT INTO title_days
        SELECT NEW.name, t.value, COALESCE(a.published, ''), 1
        FROM articles a JOIN json_each(NEW.titles) t WHERE a.id = NEW.article_id
        ON CONFLICT DO UPDATE SET articles = articles + 1;
END;
CREATE TRIGGER IF NOT EXISTS title_days_delete AFTER DELETE ON mentions
    WHEN OLD.kind = 'person' AND OLD.titles IS NOT NULL
BEGIN
    UPDATE title_days SET articles = articles - 1
        FROM articles a JOIN json_each(OLD.titles) t
        WHERE a.id = OLD.article_id AND title_days.person = OLD.name
          AND title_days.title = t.value AND title_days.day = COALESCE(a.published, '');
END;
CREATE TRIGGER IF NOT EXISTS title_days_move AFTER UPDATE OF published ON articles
    WHEN OLD.published IS NOT NEW.published
BEGIN
    UPDATE title_days SET articles = articles - 1
        FROM (SELECT m.name, t.value FROM mentions m JOIN json_each(m.titles) t
              WHERE m.seq = OLD.analyzed_seq AND m.article_id = OLD.id
                AND m.kind = 'person' AND m.titles IS NOT NULL) AS x
        WHERE title_days.person = x.name AND title_days.title = x.value
          AND title_days.day = COALESCE(OLD.published, '');
    INSERT INTO title_days
        SELECT m.name, t.value, COALESCE(NEW.published, ''), 1
        FROM mentions m JOIN json_each(m.titles) t
        WHERE m.seq = NEW.analyzed_seq AND m.article_id = NEW.id
          AND m.kind = 'person' AND m.titles IS NOT NULL
        ON CONFLICT DO UPDATE SET articles = articles + 1;
END;
CREATE TRIGGER IF NOT EXISTS title_days_gone AFTER DELETE ON articles BEGIN
    UPDATE title_days SET articles = articles - 1
        FROM (SELECT m.name, t.value FROM mentions m JOIN json_each(m.titles) t
              WHERE m.seq = OLD.analyzed_seq AND m.article_id = OLD.id
                AND m.kind = 'person' AND m.titles IS NOT NULL) AS x
        WHERE title_days.person = x.name AND title_days.title = x.value
          AND title_days.day = COALESCE(OLD.published, '');
END;

-- The same for the honorifics person mention rows give.
CREATE TABLE IF NOT EXISTS honorific_days(
    person   TEXT NOT NULL,
    title    TEXT NOT NULL,
    day      TEXT NOT NULL,
    articles INTEGER NOT NULL,
    PRIMARY KEY(person, title, day)
) WITHOUT ROWID;
INSERT INTO honorific_days
    SELECT m.name, t.value, COALESCE(a.published, ''), COUNT(*)
    FROM mentions m JOIN articles a ON a.id = m.article_id JOIN json_each(m.honorifics) t
    WHERE m.kind = 'person' AND m.honorifics IS NOT NULL GROUP BY 1, 2, 3;
CREATE TRIGGER IF NOT EXISTS honorific_days_insert AFTER INSERT ON mentions
    WHEN NEW.kind = 'person' AND NEW.honorifics IS NOT NULL
BEGIN
    INSERT INTO honorific_days
        SELECT NEW.name, t.value, COALESCE(a.published, ''), 1
        FROM articles a JOIN json_each(NEW.honorifics) t WHERE a.id = NEW.article_id
        ON CONFLICT DO UPDATE SET articles = articles + 1;
END;
CREATE TRIGGER IF NOT EXISTS honorific_days_delete AFTER DELETE ON mentions
    WHEN OLD.kind = 'person' AND OLD.honorifics IS NOT NULL
BEGIN
    UPDATE honorific_days SET articles = articles - 1
        FROM articles a JOIN json_each(OLD.honorifics) t
        WHERE a.id = OLD.article_id AND honorific_days.person = OLD.name
          AND honorific_days.title = t.value AND honorific_days.day = COALESCE(a.published, '');
END;
CREATE TRIGGER IF NOT EXISTS honorific_days_move AFTER UPDATE OF published ON articles
    WHEN OLD.published IS NOT NEW.published
BEGIN
    UPDATE honorific_days SET articles = articles - 1
        FROM (SELECT m.name, t.value FROM mentions m JOIN json_each(m.honorifics) t
              WHERE m.seq = OLD.analyzed_seq AND m.article_id = OLD.id
                AND m.kind = 'person' AND m.honorifics IS NOT NULL) AS x
        WHERE honorific_days.person = x.name AND honorific_days.title = x.value
          AND honorific_days.day = COALESCE(OLD.published, '');
    INSERT INTO honorific_days
        SELECT m.name, t.value, COALESCE(NEW.published, ''), 1
        FROM mentions m JOIN json_each(m.honorifics) t
        WHERE m.seq = NEW.analyzed_seq AND m.article_id = NEW.id
          AND m.kind = 'person' AND m.honorifics IS NOT NULL
        ON CONFLICT DO UPDATE SET articles = articles + 1;
END;
CREATE TRIGGER IF NOT EXISTS honorific_days_gone AFTER DELETE ON articles BEGIN
    UPDATE honorific_days SET articles = articles - 1
        FROM (SELECT m.name, t.value FROM mentions m JOIN json_each(m.honorifics) t
              WHERE m.seq = OLD.analyzed_seq AND m.article_id = OLD.id
                AND m.kind = 'person' AND m.honorifics IS NOT NULL) AS x
        WHERE honorific_days.person = x.name AND honorific_days.title = x.value
          AND honorific_days.day = COALESCE(OLD.published, '');
END;

-- The date an event is listed by: its own, else its article's
-- publication date; indexed for `events --limit N`, newest first.
ALTER TABLE events ADD COLUMN at TEXT;
UPDATE events SET at = COALESCE(event_date, (SELECT published FROM articles a WHERE a.id = events.article_id));
CREATE INDEX IF NOT EXISTS events_at ON events(at DESC, article_id, n);
CREATE TRIGGER IF NOT EXISTS events_at_insert AFTER INSERT ON events WHEN NEW.at IS NULL BEGIN
    UPDATE events SET at = COALESCE(NEW.event_date, (SELECT published FROM articles a WHERE a.id = NEW.article_id))
        WHERE article_id = NEW.article_id AND n = NEW.n;
END;
"#,
    // 13: the person an organization or place is named after (`Kim
    // Chaek University of Technology` → `Kim Chaek`, issue 20), on its
    // mention row. Rows stored before have none, until `tealeaf
    // reanalyze`.
    r#"
ALTER TABLE mentions ADD COLUMN named_after TEXT;
"#,
    // 14: an article's copies found from the text key's index alone
    // (the id and representative beside the key), without reading each
    // member's row.
    r#"
DROP INDEX IF EXISTS related_features_text_key;
CREATE INDEX IF NOT EXISTS related_features_text_key
    ON related_features(text_key, language, article_id, copy_of) WHERE text_key IS NOT NULL;
"#,
    // 15: what new mention rows add to entity_days, entities, title_days
    // and honorific_days is written by the writer once a flush, summed
    // over its rows (analysis/store.rs), rather than by a trigger row by
    // row: most of what storing an analysis cost an ingest (issue 22).
    // Deleting and moving rows still goes through the triggers.
    r#"
DROP TRIGGER IF EXISTS entity_days_insert;
DROP TRIGGER IF EXISTS title_days_insert;
DROP TRIGGER IF EXISTS honorific_days_insert;
"#,
];
