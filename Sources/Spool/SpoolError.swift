/// Why a spool or output operation failed: a stable ``Code``, a message and the path involved.
public struct SpoolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure. Compare with the static members; new kinds may be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: String, Sendable, Hashable {
            case io, encoding, decoding, invalidAlertID, watch
        }
        private let kind: Kind
        /// A system call on the spool failed (the message holds errno's text).
        public static let io = Code(kind: .io)
        /// An alert could not be encoded as JSON.
        public static let encoding = Code(kind: .encoding)
        /// A spool file is not a version-1 alert.
        public static let decoding = Code(kind: .decoding)
        /// An alert id that cannot be part of a file name.
        public static let invalidAlertID = Code(kind: .invalidAlertID)
        /// inotify could not watch the spool.
        public static let watch = Code(kind: .watch)
        public var description: String { kind.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A human-readable explanation.
    public var message: String
    /// The file or directory involved, if any.
    public var path: String?
    /// The `errno` value of a failed system call, if any.
    public var errno: Int32?

    public init(code: Code, message: String, path: String? = nil, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.errno = errno
    }

    /// A description without dynamic values, for log keys.
    public var shortDescription: String { "spool \(code)" }

    public var description: String {
        (path.map { "\($0): " } ?? "") + message
    }
}
