internal import CSQLite

/// A prepared statement: bind 1-based parameters, step through rows, read 0-based columns.
final class SQLiteStatement {
    private var raw: OpaquePointer?
    private unowned let connection: SQLiteConnection

    init(_ raw: OpaquePointer, connection: SQLiteConnection) {
        self.raw = raw
        self.connection = connection
    }

    func finalize() {
        sqlite3_finalize(raw)
        raw = nil
    }

    /// Resets the statement and clears its bindings.
    func reset() {
        sqlite3_reset(raw)
        sqlite3_clear_bindings(raw)
    }

    /// Binds the values in order to parameters 1, 2, …
    @discardableResult
    func bind(_ values: SQLiteValue...) throws(DedupError) -> SQLiteStatement {
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
        return self
    }

    func bind(_ value: SQLiteValue, at index: Int32) throws(DedupError) {
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(raw, index)
        case .int(let v): rc = sqlite3_bind_int64(raw, index, v)
        case .double(let v): rc = sqlite3_bind_double(raw, index, v)
        case .text(let v):
            // withCString: a native string's own bytes, no temporary C string.
            rc = v.withCString { sqlite3_bind_text(raw, index, $0, -1, newsmon_sqlite_transient()) }
        case .blob(let bytes):
            // An empty array has no base address, and a blob bound from a null pointer is NULL: bind it as an empty
            // blob instead.
            rc = bytes.isEmpty
                ? sqlite3_bind_zeroblob(raw, index, 0)
                : bytes.withUnsafeBytes { buffer in
                    sqlite3_bind_blob(raw, index, buffer.baseAddress, Int32(buffer.count), newsmon_sqlite_transient())
                }
        }
        if rc != SQLITE_OK { throw connection.error(rc, "cannot bind parameter \(index)") }
    }

    /// Advances to the next row: `true` when a row is available, `false` when done.
    func step() throws(DedupError) -> Bool {
        let rc = sqlite3_step(raw)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let sql = sqlite3_sql(raw).map { String(cString: $0) } ?? "?"
            let error = connection.error(rc, "cannot run: \(sql.prefix(120))")
            sqlite3_reset(raw)
            throw error
        }
    }

    /// Steps to completion, ignoring rows (INSERT, UPDATE, DELETE).
    func run() throws(DedupError) {
        while try step() {}
        sqlite3_reset(raw)
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(raw, column) == SQLITE_NULL }
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(raw, column) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(raw, column) }

    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }
    func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }

    func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(raw, column) else { return "" }
        return String(cString: pointer)
    }

    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

    /// Calls `body` with the bytes of a blob column, valid only during the call.
    func withBlob<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        let count = Int(sqlite3_column_bytes(raw, column))
        guard count > 0, let pointer = sqlite3_column_blob(raw, column) else {
            return body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        return body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(raw, column))
        guard count > 0, let pointer = sqlite3_column_blob(raw, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}

/// A value bound to a statement parameter.
enum SQLiteValue {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])

    static func optionalText(_ value: String?) -> SQLiteValue { value.map { .text($0) } ?? .null }
    static func optionalInt(_ value: Int64?) -> SQLiteValue { value.map { .int($0) } ?? .null }
    static func optionalDouble(_ value: Double?) -> SQLiteValue { value.map { .double($0) } ?? .null }
}
