/// One named schema step. Migrations run in order; `PRAGMA user_version` counts those applied.
struct Migration: Sendable {
    var name: String
    var sql: String
}

extension DedupStore {
    /// Every schema step since the first version, in order. Append new steps; never edit or reorder
    /// released ones.
    static let migrations: [Migration] = [
        Migration(
            name: "v1-create-state",
            sql: """
                CREATE TABLE schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL);
                CREATE TABLE feeds (
                    feed_id TEXT PRIMARY KEY NOT NULL,
                    url TEXT NOT NULL,
                    moved_to_url TEXT,
                    etag TEXT,
                    last_modified TEXT,
                    last_status INTEGER,
                    consecutive_errors INTEGER NOT NULL DEFAULT 0,
                    next_due REAL,
                    last_attempt REAL,
                    last_success REAL,
                    last_item_count INTEGER,
                    gone_since REAL,
                    retry_after REAL,
                    last_error TEXT);
                CREATE TABLE feed_polls (
                    feed_id TEXT PRIMARY KEY NOT NULL, first_poll_at REAL NOT NULL);
                CREATE TABLE stories (
                    story_id INTEGER PRIMARY KEY,
                    story_key TEXT NOT NULL UNIQUE,
                    features BLOB,
                    at REAL NOT NULL,
                    first_seen REAL NOT NULL,
                    last_seen REAL NOT NULL);
                CREATE INDEX stories_last_seen ON stories(last_seen);
                CREATE TABLE story_urls (
                    url_digest INTEGER PRIMARY KEY, story_id INTEGER NOT NULL);
                CREATE TABLE story_bands (
                    band INTEGER NOT NULL, story_id INTEGER NOT NULL, at REAL NOT NULL,
                    PRIMARY KEY (band, story_id)) WITHOUT ROWID;
                CREATE INDEX story_bands_at ON story_bands(at);
                CREATE TABLE seen_items (
                    feed_id TEXT NOT NULL,
                    item_key TEXT NOT NULL,
                    url_digest INTEGER,
                    title_digest INTEGER NOT NULL,
                    story_id INTEGER NOT NULL,
                    first_seen REAL NOT NULL,
                    last_seen REAL NOT NULL,
                    PRIMARY KEY (feed_id, item_key)) WITHOUT ROWID;
                CREATE INDEX seen_items_url ON seen_items(feed_id, url_digest) WHERE url_digest IS NOT NULL;
                CREATE INDEX seen_items_last_seen ON seen_items(last_seen);
                CREATE TABLE alerts (
                    alert_id TEXT PRIMARY KEY NOT NULL,
                    story_id INTEGER NOT NULL,
                    topic TEXT NOT NULL,
                    feed_id TEXT NOT NULL,
                    item_key TEXT NOT NULL,
                    created_at REAL NOT NULL);
                CREATE INDEX alerts_story ON alerts(story_id);
                CREATE TABLE alert_copies (
                    alert_id TEXT NOT NULL,
                    feed_id TEXT NOT NULL,
                    item_key TEXT NOT NULL,
                    seen_at REAL NOT NULL,
                    PRIMARY KEY (alert_id, feed_id)) WITHOUT ROWID;
                """
        ),
        // The near-duplicate index is the largest table; an index on its date only served the daily
        // prune, which now scans the table instead (a fraction of a second per million rows).
        Migration(
            name: "v2-drop-story-bands-date-index",
            sql: "DROP INDEX story_bands_at;"
        ),
        // Story identity by phrases (docs/dedup.md): the new fingerprint, the story's first feed and title
        // (for "why no alert" and `newsmon explain`), how each item joined its story, and an index on the
        // date of stories that can still be matched. Stories from before keep their link identity but no
        // fingerprint: they are never matched by text, and nothing seen before alerts again. The LSH
        // band table of the old fingerprint goes.
        Migration(
            name: "v3-story-phrases",
            sql: """
                ALTER TABLE stories ADD COLUMN fingerprint BLOB;
                ALTER TABLE stories ADD COLUMN feed_id TEXT;
                ALTER TABLE stories ADD COLUMN title TEXT;
                ALTER TABLE seen_items ADD COLUMN joined TEXT;
                DROP TABLE story_bands;
                CREATE INDEX stories_matchable ON stories(at) WHERE fingerprint IS NOT NULL;
                """
        ),
        // The topics the daemon has matched against, and since when: a topic added later is matched once
        // against the items still in the feeds (within their backfill window), which were seen before it.
        Migration(
            name: "v4-topics",
            sql: "CREATE TABLE topics (topic_id TEXT PRIMARY KEY NOT NULL, first_seen REAL NOT NULL);"
        ),
        // How many documents of each feed were recovered (not well-formed, read leniently): `newsmon status`.
        Migration(
            name: "v5-feed-recovered-documents",
            sql: "ALTER TABLE feeds ADD COLUMN recovered_documents INTEGER NOT NULL DEFAULT 0;"
        ),
        // The rotated-id check (a feed's item with this link) goes through `story_urls` to an index by story,
        // which new stories append to, in place of `seen_items_url` (a random insert per item). It finds the
        // same item wherever every item of the feed with that link belongs to the link's story;
        // `link_exceptions` lists the feed's links where that may not hold (a recovered alert of another story,
        // an item whose story was pruned), which keep the old look-up by a scan of the feed's items.
        Migration(
            name: "v6-links-by-story",
            sql: """
                CREATE TABLE link_exceptions (
                    feed_id TEXT NOT NULL, url_digest INTEGER NOT NULL,
                    PRIMARY KEY (feed_id, url_digest)) WITHOUT ROWID;
                INSERT OR IGNORE INTO link_exceptions (feed_id, url_digest)
                    SELECT i.feed_id, i.url_digest FROM seen_items i
                    LEFT JOIN story_urls u ON u.url_digest = i.url_digest
                    LEFT JOIN stories s ON s.story_id = i.story_id
                    WHERE i.url_digest IS NOT NULL
                        AND (u.story_id IS NULL OR u.story_id != i.story_id OR s.story_id IS NULL);
                CREATE INDEX seen_items_story ON seen_items(story_id, feed_id, url_digest) WHERE url_digest IS NOT NULL;
                DROP INDEX seen_items_url;
                """
        ),
        // A commit's cost follows the pages it dirties (docs/dedup.md, session commit-cost). A story key is
        // found through an index on its 64-bit digest (`StoryRows`), not the unique index of 64 hex characters,
        // four times its size; the last-seen time, the one field rewritten after the insert, moves to the
        // narrow `story_seen`. The story ids, keys and every other field stay as they were; the table is
        // rebuilt (a unique constraint cannot be dropped), without the unused v1 `features` column.
        Migration(
            name: "v7-story-key-digests",
            sql: """
                CREATE TABLE stories_v7 (
                    story_id INTEGER PRIMARY KEY,
                    story_key TEXT NOT NULL,
                    key_digest INTEGER NOT NULL,
                    at REAL NOT NULL,
                    first_seen REAL NOT NULL,
                    fingerprint BLOB,
                    feed_id TEXT,
                    title TEXT);
                INSERT INTO stories_v7 (story_id, story_key, key_digest, at, first_seen, fingerprint, feed_id, title)
                    SELECT story_id, story_key, newsmon_story_key_digest(story_key), at, first_seen, fingerprint,
                        feed_id, title
                    FROM stories ORDER BY story_id;
                CREATE TABLE story_seen (story_id INTEGER PRIMARY KEY, last_seen REAL NOT NULL);
                INSERT INTO story_seen (story_id, last_seen) SELECT story_id, last_seen FROM stories ORDER BY story_id;
                DROP TABLE stories;
                ALTER TABLE stories_v7 RENAME TO stories;
                CREATE INDEX stories_key ON stories(key_digest);
                CREATE INDEX stories_matchable ON stories(at) WHERE fingerprint IS NOT NULL;
                CREATE INDEX story_seen_last_seen ON story_seen(last_seen);
                """
        ),
    ]

    /// Applies the migrations not yet applied, each in its own transaction.
    static func migrate(_ db: SQLiteConnection, upTo target: Int = migrations.count, now: Double) throws(DedupError) {
        let current = Int(try db.scalarInt("PRAGMA user_version") ?? 0)
        guard current <= migrations.count else {
            throw DedupError(
                code: .migration,
                message: "database schema version \(current) is newer than this program knows (\(migrations.count))",
                path: db.path
            )
        }
        guard current < target else { return }
        try db.defineStoryKeyDigest()  // v7 fills `stories.key_digest` with it
        for version in (current + 1)...target {
            let migration = migrations[version - 1]
            do {
                try db.transaction { () throws(DedupError) in
                    try db.exec(migration.sql)
                    try db.statement("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
                        .bind(.int(Int64(version)), .text(migration.name), .double(now)).run()
                    try db.exec("PRAGMA user_version = \(version)")
                }
            } catch {
                throw DedupError(
                    code: .migration,
                    message: "migration \(version) '\(migration.name)' failed: \(error.message)",
                    sqliteCode: error.sqliteCode,
                    path: db.path
                )
            }
        }
    }
}
