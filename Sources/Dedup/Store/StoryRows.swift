internal import CSQLite
import NewsModel

/// The `stories` rows by key, and their last-seen times (schema v7).
///
/// A story key is found through `stories_key`, an index on a 64-bit digest of the key (``keyDigest(_:)``),
/// and the row's own key text: a story has one key, and two keys with one digest are two stories. The index
/// holds an integer per story, not the 64 hexadecimal characters of the unique index before v7, so a commit
/// dirties fewer of its pages. The last-seen time, the one field of a story written after its insert, lives
/// in the narrow `story_seen`, so marking a story seen rewrites a page of a few hundred stories, not one of a
/// few wide rows with their fingerprints.
struct StoryRows {
    private let find: SQLiteStatement
    private let insertStory: SQLiteStatement
    private let insertSeen: SQLiteStatement
    private let touchSeen: SQLiteStatement
    private let db: SQLiteConnection

    init(_ db: SQLiteConnection) throws(DedupError) {
        self.db = db
        find = try db.statement("SELECT story_id FROM stories WHERE key_digest = ? AND story_key = ?")
        insertStory = try db.statement(
            """
            INSERT INTO stories (story_key, key_digest, fingerprint, feed_id, title, at, first_seen)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        insertSeen = try db.statement("INSERT OR IGNORE INTO story_seen (story_id, last_seen) VALUES (?, ?)")
        touchSeen = try db.statement("UPDATE story_seen SET last_seen = ?1 WHERE story_id = ?2 AND last_seen < ?1")
    }

    /// The story with this key, if it is stored.
    func id(ofKey key: String) throws(DedupError) -> Int64? {
        try id(ofKey: key, digest: Self.keyDigest(key))
    }

    private func id(ofKey key: String, digest: Int64) throws(DedupError) -> Int64? {
        try find.bind(.int(digest), .text(key))
        defer { find.reset() }
        return try find.step() ? find.int64(0) : nil
    }

    /// Inserts a story unless one with its key is stored (then nothing is written); returns its id either way.
    func insert(
        key: String, fingerprint: SQLiteValue, feedID: String?, title: String?, at: Double, now: Double
    ) throws(DedupError) -> (id: Int64, inserted: Bool) {
        let digest = Self.keyDigest(key)
        if let id = try id(ofKey: key, digest: digest) { return (id, false) }
        try insertStory.bind(
            .text(key), .int(digest), fingerprint, .optionalText(feedID), .optionalText(title), .double(at), .double(now)
        ).run()
        let id = db.lastInsertRowID
        try insertSeen.bind(.int(id), .double(now)).run()
        return (id, true)
    }

    /// Writes the first report of a story recorded without one: an empty fingerprint (``DedupStore/recover(_:now:)``;
    /// not NULL, which pruning writes for stories too old to match), which no look-up decodes. Returns whether it was
    /// such a story.
    func fillFirstReport(
        id: Int64, fingerprint: SQLiteValue, feedID: String, title: String, at: Double
    ) throws(DedupError) -> Bool {
        try db.statement(
            "UPDATE stories SET fingerprint = ?, feed_id = ?, title = ?, at = ? WHERE story_id = ? AND fingerprint = x''"
        ).bind(fingerprint, .text(feedID), .text(title), .double(at), .int(id)).run()
        return db.changes > 0
    }

    /// Marks the story seen at `now` (later times only).
    func touch(id: Int64, now: Double) throws(DedupError) {
        try touchSeen.bind(.double(now), .int(id)).run()
    }

    /// The look-up digest of a story key: its first 16 hexadecimal digits (a key is a SHA-256 hex digest), or
    /// the SHA-256 prefix of any other text. Also the SQL function `newsmon_story_key_digest`, which migration
    /// v7 fills the column with.
    static func keyDigest(_ key: String) -> Int64 {
        var value: UInt64 = 0
        var key = key
        let parsed = key.withUTF8 { bytes -> Bool in
            guard bytes.count >= 16 else { return false }
            for byte in bytes[0..<16] {
                let nibble: UInt8
                switch byte {
                case 0x30...0x39: nibble = byte &- 0x30
                case 0x61...0x66: nibble = byte &- 0x61 &+ 10
                default: return false
                }
                value = value << 4 | UInt64(nibble)
            }
            return true
        }
        return parsed ? Int64(bitPattern: value) : SHA256.digest64(key)
    }
}

extension SQLiteConnection {
    /// Defines `newsmon_story_key_digest(text)` (``StoryRows/keyDigest(_:)``) on this connection, for migration v7.
    func defineStoryKeyDigest() throws(DedupError) {
        let db = try requireHandle()
        let rc = sqlite3_create_function_v2(
            db, "newsmon_story_key_digest", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil,
            { context, count, values in
                guard count == 1, let value = values?[0], let text = sqlite3_value_text(value) else {
                    sqlite3_result_null(context)
                    return
                }
                let key = String(cString: text)
                sqlite3_result_int64(context, StoryRows.keyDigest(key))
            }, nil, nil, nil)
        if rc != SQLITE_OK { throw error(rc, "cannot define newsmon_story_key_digest") }
    }
}
