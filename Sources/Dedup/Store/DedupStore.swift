import Foundation
import Synchronization

/// The daemon's memory: feed state, seen items, stories and raised alerts, in one SQLite file (WAL).
///
/// Safe to share between tasks: one connection behind a `Mutex`; every call is short and synchronous.
/// Dedup runs in two steps so that an alert is never lost or repeated (docs/spool-format.md, "Protocol (writer)"):
/// ``plan(feed:entries:topics:now:)`` reads state and decides, without writing;
/// the daemon writes the planned alerts to the spool; then ``commit(_:)`` records everything in
/// one transaction. See `docs/dedup.md`.
public final class DedupStore: Sendable {
    let state: Mutex<State>

    /// What the lock guards: the connection and the in-memory index of recent stories.
    struct State {
        var db: SQLiteConnection
        /// Loaded on the first plan; nil until then and after a reload is due.
        var index: StoryIndex?
        /// Scratch of the candidate search (committed index, a batch's pending stories), kept across plans: sized
        /// to the index, it would cost a megabyte of zeroes per plan to make anew.
        let counters = [CandidateCounter(), CandidateCounter()]
        /// The link digests of `story_urls`, when few enough to hold.
        var links = LinkDigests()
    }
    /// The configuration given at open.
    public let configuration: DedupConfiguration
    /// The database file.
    public let path: String

    /// Opens (creating if needed) the store at `path` and migrates its schema to the current version.
    ///
    /// - Parameters:
    ///   - path: The database file, e.g. `$STATE_DIRECTORY/state.sqlite`; `":memory:"` for a private
    ///     in-memory store.
    ///   - configuration: Windows, retention and SQLite tuning.
    /// - Throws: ``DedupError`` with code `.open` or `.migration`.
    public init(path: String, configuration: DedupConfiguration = DedupConfiguration()) throws(DedupError) {
        self.path = path
        self.configuration = configuration
        let milliseconds = Int32(clamping: Int64(configuration.busyTimeout.seconds * 1000))
        let db = try SQLiteConnection(path: path, busyTimeoutMilliseconds: milliseconds)
        do {
            try db.exec("PRAGMA journal_mode = WAL")
            try db.exec("PRAGMA synchronous = \(configuration.isFullySynchronous ? "FULL" : "NORMAL")")
            try db.exec("PRAGMA cache_size = -\(max(configuration.cacheSizeKiB, 256))")
            try db.exec("PRAGMA temp_store = MEMORY")
            try db.exec("PRAGMA wal_autocheckpoint = \(max(configuration.checkpointPages, 100))")
            try Self.migrate(db, now: Date().timeIntervalSince1970)
        } catch {
            db.close()
            throw error.code == .migration ? error : DedupError(
                code: .open, message: "cannot configure database: \(error.message)",
                sqliteCode: error.sqliteCode, path: path)
        }
        state = Mutex(State(db: db, index: nil))
    }

    /// Closes the database. Later calls throw ``DedupError/Code/closed``; closing twice is harmless.
    public func close() {
        state.withLock { $0.db.close() }
    }

    /// The schema version (`PRAGMA user_version`) and the names of the applied migrations.
    public func schemaVersion() throws(DedupError) -> (version: Int, migrations: [String]) {
        try withConnection { db throws(DedupError) in
            let version = Int(try db.scalarInt("PRAGMA user_version") ?? 0)
            let statement = try db.statement("SELECT name FROM schema_migrations ORDER BY version")
            var names: [String] = []
            while try statement.step() { names.append(statement.text(0)) }
            return (version, names)
        }
    }

    /// Row counts of the main tables.
    public func statistics() throws(DedupError) -> DedupStatistics {
        try withConnection { db throws(DedupError) in
            func count(_ table: String) throws(DedupError) -> Int {
                Int(try db.scalarInt("SELECT count(*) FROM \(table)") ?? 0)
            }
            return DedupStatistics(
                feeds: try count("feed_polls"), seenItems: try count("seen_items"),
                stories: try count("stories"), alerts: try count("alerts"))
        }
    }

    /// The alert with this id, with its `also_in` feeds, if it was committed.
    public func alert(id: String) throws(DedupError) -> StoredAlert? {
        try withConnection { db throws(DedupError) in
            let statement = try db.statement(
                """
                SELECT s.story_key, a.topic, a.feed_id, a.item_key, a.created_at
                FROM alerts a JOIN stories s ON s.story_id = a.story_id WHERE a.alert_id = ?
                """)
            try statement.bind(.text(id))
            guard try statement.step() else { return nil }
            var alert = StoredAlert(
                id: id, storyKey: statement.text(0), topic: statement.text(1), feedID: statement.text(2),
                itemKey: statement.text(3), createdAt: Date(timeIntervalSince1970: statement.double(4)), alsoIn: [])
            statement.reset()
            let copies = try db.statement("SELECT feed_id FROM alert_copies WHERE alert_id = ? ORDER BY seen_at, feed_id")
            try copies.bind(.text(id))
            while try copies.step() { alert.alsoIn.append(copies.text(0)) }
            return alert
        }
    }

    /// Runs `body` with the connection, under the lock.
    func withConnection<T: Sendable>(_ body: (SQLiteConnection) throws(DedupError) -> T) throws(DedupError) -> T {
        try state.withLock { (state: inout State) throws(DedupError) -> T in
            _ = try state.db.requireHandle()
            return try body(state.db)
        }
    }

    /// Runs `body` with the connection, the story index, the candidate counters and the link digests, under the lock.
    func withPlanningState<T: Sendable>(
        _ body: (SQLiteConnection, inout StoryIndex?, [CandidateCounter], inout LinkDigests) throws(DedupError) -> T
    ) throws(DedupError) -> T {
        try state.withLock { (state: inout State) throws(DedupError) -> T in
            _ = try state.db.requireHandle()
            return try body(state.db, &state.index, state.counters, &state.links)
        }
    }

    /// Runs `body` with the connection, the story index and the link digests, under the lock.
    func withIndexedConnection<T: Sendable>(
        _ body: (SQLiteConnection, inout StoryIndex?, inout LinkDigests) throws(DedupError) -> T
    ) throws(DedupError) -> T {
        try state.withLock { (state: inout State) throws(DedupError) -> T in
            _ = try state.db.requireHandle()
            return try body(state.db, &state.index, &state.links)
        }
    }

    /// Runs `body`, which writes `story_urls` other than by a commit, with the connection, under the lock; the link
    /// digests held are dropped (``LinkDigests/forget()``).
    func withConnectionForgettingLinks<T: Sendable>(_ body: (SQLiteConnection) throws(DedupError) -> T)
        throws(DedupError) -> T
    {
        try state.withLock { (state: inout State) throws(DedupError) -> T in
            _ = try state.db.requireHandle()
            state.links.forget()
            return try body(state.db)
        }
    }
}
