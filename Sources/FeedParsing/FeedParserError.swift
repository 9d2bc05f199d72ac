/// Why a document could not be parsed, with its position where known.
///
/// Compare ``code`` against the static members of ``Code``; ``description`` renders
/// `document:line:column: message`.
public struct FeedParserError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a stable category.
    public var code: Code
    /// A human-readable explanation.
    public var message: String
    /// The document's name (URL or path) as given to the parser.
    public var document: String?
    /// 1-based line of the problem, where known.
    public var line: Int?
    /// 1-based column of the problem, where known.
    public var column: Int?

    /// Creates an error.
    public init(code: Code = .malformed, message: String, document: String? = nil, line: Int? = nil, column: Int? = nil) {
        self.code = code
        self.message = message
        self.document = document
        self.line = line
        self.column = column
    }

    /// `document:line:column: message` (missing parts left out).
    public var description: String {
        var s = document ?? "<input>"
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s + ": " + message
    }

    /// A description without dynamic values, for metric labels and log keys.
    public var shortDescription: String { "FeedParserError.\(code)" }

    /// An opaque error category; new categories may be added without breaking callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case malformed, notAFeed, tooLarge, tooDeep, entityRefused, empty
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The document is not XML that could be recovered.
        public static let malformed = Code(.malformed)
        /// The document is XML (or HTML) but not RSS or Atom.
        public static let notAFeed = Code(.notAFeed)
        /// The document exceeds ``FeedParserConfiguration/maxTotalBytes``.
        public static let tooLarge = Code(.tooLarge)
        /// Elements nest deeper than ``FeedParserConfiguration/maxDepth``.
        public static let tooDeep = Code(.tooDeep)
        /// An entity declaration met ``FeedParserConfiguration/EntityPolicy/refuse``.
        public static let entityRefused = Code(.entityRefused)
        /// The document holds no data.
        public static let empty = Code(.empty)

        public var description: String { base.rawValue }
    }
}
