public import Foundation

/// An alert the store has recorded as raised, with the feeds that carried the story later.
public struct StoredAlert: Sendable, Hashable {
    /// SHA-256 of story key and topic id (hex).
    public var id: String
    /// The story the alert is about.
    public var storyKey: String
    /// The topic id.
    public var topic: String
    /// The feed whose item raised the alert.
    public var feedID: String
    /// The item key (``ItemIdentity/key``) that raised the alert.
    public var itemKey: String
    /// When the alert was committed (the plan's `now`).
    public var createdAt: Date
    /// Other feeds that carried the same story later, in the order they were seen.
    public var alsoIn: [String]
}

/// Row counts of the store, for `newsmon status` and benchmarks.
public struct DedupStatistics: Sendable, Hashable {
    public var feeds: Int
    public var seenItems: Int
    public var stories: Int
    public var alerts: Int
}

/// What ``DedupStore/prune(now:)`` removed.
public struct PruneResult: Sendable, Hashable {
    public var seenItems: Int
    public var stories: Int
    public var alerts: Int
}
