internal import CSQLite

/// One open SQLite database: pragmas, `exec`, cached prepared statements and transactions.
///
/// Not thread-safe by itself; ``DedupStore`` owns one behind a `Mutex`.
final class SQLiteConnection {
    private var handle: OpaquePointer?
    private var statementCache: [String: SQLiteStatement] = [:]
    /// The file name given to ``init(path:)``, for error messages.
    let path: String

    /// Opens (creating if needed) the database at `path`; `":memory:"` opens a private in-memory database.
    init(path: String, busyTimeoutMilliseconds: Int32 = 5_000) throws(DedupError) {
        self.path = path
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw DedupError(code: .open, message: "cannot open database: \(message)", sqliteCode: rc, path: path)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
    }

    deinit {
        close()
    }

    /// Finalizes every cached statement and closes the database; later calls throw ``DedupError/Code/closed``.
    func close() {
        for statement in statementCache.values { statement.finalize() }
        statementCache.removeAll()
        if let handle {
            sqlite3_close_v2(handle)
        }
        handle = nil
    }

    var isOpen: Bool { handle != nil }

    /// The SQL of every statement prepared so far (for query-plan tests).
    var preparedSQL: [String] { Array(statementCache.keys) }

    func requireHandle() throws(DedupError) -> OpaquePointer {
        guard let handle else {
            throw DedupError(code: .closed, message: "the state store is closed", path: path)
        }
        return handle
    }

    /// Runs one or more statements without results (schema, pragmas).
    func exec(_ sql: String) throws(DedupError) {
        let db = try requireHandle()
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(db))
            sqlite3_free(errorMessage)
            throw DedupError(code: .sqlite, message: "\(message) in: \(sql.prefix(120))", sqliteCode: rc, path: path)
        }
    }

    /// Returns a prepared statement for `sql`, reset and with cleared bindings, cached for reuse.
    func statement(_ sql: String) throws(DedupError) -> SQLiteStatement {
        if let cached = statementCache[sql] {
            cached.reset()
            return cached
        }
        let db = try requireHandle()
        var raw: OpaquePointer?
        let rc = sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard rc == SQLITE_OK, let raw else {
            throw error(rc, "cannot prepare: \(sql.prefix(120))")
        }
        let statement = SQLiteStatement(raw, connection: self)
        statementCache[sql] = statement
        return statement
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back when it throws.
    func transaction<T>(_ body: () throws(DedupError) -> T) throws(DedupError) -> T {
        try transaction(beginning: "BEGIN IMMEDIATE", body)
    }

    /// Runs `body` inside one read transaction (`BEGIN DEFERRED … COMMIT`): one snapshot and one file lock
    /// for many look-ups, instead of a lock and a WAL snapshot per statement.
    func readTransaction<T>(_ body: () throws(DedupError) -> T) throws(DedupError) -> T {
        try transaction(beginning: "BEGIN DEFERRED", body)
    }

    private func transaction<T>(beginning begin: String, _ body: () throws(DedupError) -> T) throws(DedupError) -> T {
        try exec(begin)
        do {
            let value = try body()
            try exec("COMMIT")
            return value
        } catch {
            try? exec("ROLLBACK")
            throw error
        }
    }

    /// A single integer from a pragma or query, e.g. `PRAGMA user_version`.
    func scalarInt(_ sql: String) throws(DedupError) -> Int64? {
        let statement = try statement(sql)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return statement.isNull(0) ? nil : statement.int64(0)
    }

    /// The rowid of the last row inserted.
    var lastInsertRowID: Int64 {
        handle.map { sqlite3_last_insert_rowid($0) } ?? 0
    }

    /// Frees the page cache's unused pages (`sqlite3_db_release_memory`): after a commit, every page; the next
    /// statements read what they need again, from the operating system's cache of the file.
    ///
    /// - Returns: The bytes the cache held before.
    @discardableResult
    func releaseCache() -> Int {
        guard let handle else { return 0 }
        var used: Int32 = 0
        var highest: Int32 = 0
        sqlite3_db_status(handle, SQLITE_DBSTATUS_CACHE_USED, &used, &highest, 0)
        sqlite3_db_release_memory(handle)
        return Int(used)
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int {
        handle.map { Int(sqlite3_changes($0)) } ?? 0
    }

    /// Builds a ``DedupError`` from a result code and the connection's current error message.
    func error(_ rc: Int32, _ context: String) -> DedupError {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "closed"
        return DedupError(code: .sqlite, message: "\(context): \(message)", sqliteCode: rc, path: path)
    }
}
