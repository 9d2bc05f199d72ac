/// Why the monitor could not start, reload or finish a poll: a stable ``Code`` and a message.
public struct MonitorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure. Compare with the static members; new kinds may be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: String, Sendable, Hashable {
            case configuration, state, spool, rules, locked
        }
        private let kind: Kind
        /// feeds.conf could not be read or is invalid.
        public static let configuration = Code(kind: .configuration)
        /// The state store could not be opened or used.
        public static let state = Code(kind: .state)
        /// The spool could not be opened or written.
        public static let spool = Code(kind: .spool)
        /// Another `newsmon run` or `once` holds the state directory's lock.
        public static let locked = Code(kind: .locked)
        /// A topic rule does not compile.
        public static let rules = Code(kind: .rules)
        public var description: String { kind.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A summary; ``problems`` holds the details, one per line (`file:line:col: message`).
    public var message: String
    /// Individual problems, each already naming file, line and column where known.
    public var problems: [String]
    /// The underlying error, if any.
    public var cause: (any Error)?

    public init(code: Code, message: String, problems: [String] = [], cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.problems = problems
        self.cause = cause
    }

    /// A description without dynamic values, for log keys.
    public var shortDescription: String { "monitor \(code)" }

    public var description: String {
        ([message] + problems).joined(separator: "\n")
    }

    public static func == (lhs: MonitorError, rhs: MonitorError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.problems == rhs.problems
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
        hasher.combine(problems)
    }
}
