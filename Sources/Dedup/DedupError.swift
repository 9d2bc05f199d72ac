/// The one error the Dedup module throws: SQLite failures, bad arguments, schema problems.
///
/// Compare ``code`` against the static members of ``Code``; new codes may be added without
/// breaking callers.
public struct DedupError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case open, sqlite, migration, invalidArgument, closed
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The database file could not be opened or configured.
        public static let open = Code(.open)
        /// An SQLite call failed; ``DedupError/sqliteCode`` holds its result code.
        public static let sqlite = Code(.sqlite)
        /// The schema could not be migrated (or is newer than this program).
        public static let migration = Code(.migration)
        /// The caller passed something inconsistent (e.g. topics not matching entries).
        public static let invalidArgument = Code(.invalidArgument)
        /// The store was used after ``DedupStore/close()``.
        public static let closed = Code(.closed)

        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation naming the database file, statement or argument.
    public var message: String
    /// The SQLite (extended) result code, when SQLite reported the failure.
    public var sqliteCode: Int32?
    /// The database file the error is about, when known.
    public var path: String?

    public init(code: Code, message: String, sqliteCode: Int32? = nil, path: String? = nil) {
        self.code = code
        self.message = message
        self.sqliteCode = sqliteCode
        self.path = path
    }

    /// A description without dynamic values, for log keys and metric labels.
    public var shortDescription: String { "dedup.\(code)" }

    public var description: String {
        var text = ""
        if let path { text += "\(path): " }
        text += message
        if let sqliteCode { text += " (SQLite code \(sqliteCode))" }
        return text
    }
}
