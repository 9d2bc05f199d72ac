public import Foundation

/// A failure of the daemon's own storage (the state store or the spool), as opposed to a feed's.
///
/// It never counts against a feed: no error count, no backoff. The scheduler reports it in
/// sd_notify `STATUS=`, the log and `<state>/problem` (shown by `newsmon status`); it clears once
/// a poll is recorded again.
public struct DaemonProblem: Sendable, Hashable, CustomStringConvertible {
    /// The part that failed.
    public struct Component: Sendable, Hashable, CustomStringConvertible {
        /// The SQLite state store (reading feed state, planning or committing).
        public static let stateStore = Component(description: "state store")
        /// The alert spool.
        public static let spool = Component(description: "spool")
        public let description: String
    }

    /// The part that failed.
    public var component: Component
    /// The error, naming the file involved.
    public var message: String
    /// When the problem was first seen.
    public var since: Date

    public init(component: Component, message: String, since: Date = Date()) {
        self.component = component
        self.message = message
        self.since = since
    }

    /// `state store: <message>`.
    public var description: String { "\(component): \(message)" }
}
