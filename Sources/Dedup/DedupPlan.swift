public import Foundation

/// What dedup decided about one entry.
public enum ItemDisposition: String, Sendable, Hashable {
    /// Never seen in this feed: it alerts for each matched topic whose (story, topic) has no alert yet.
    case new
    /// A known item whose title changed: it alerts only for topics its story has no alert for yet.
    case updated
    /// A known item unchanged; also a known link under a rotated id, or a repeat within the document.
    case seen
    /// First poll of the feed and older than its backfill window (or undated): recorded silently.
    case backfilled
    /// Dated before the retention horizon (it would have been pruned already): recorded silently.
    case stale

    /// Whether items with this disposition may raise alerts.
    public var mayAlert: Bool { self == .new || self == .updated }
}

extension DedupPlan {
    /// The decision for one entry of a planned document.
    public struct Item: Sendable, Hashable {
        /// The entry's position in the `entries` passed to ``DedupStore/plan(feed:entries:topics:now:)``.
        public var entryIndex: Int
        /// The entry's identity within its feed.
        public var identity: ItemIdentity
        public var disposition: ItemDisposition
        /// The story the entry belongs to (SHA-256 hex; stable across runs).
        public var storyKey: String
        /// `true` when this entry starts a story the store did not know.
        public var isNewStory: Bool
        /// Ids of the alerts this entry raises (see ``DedupPlan/alerts``).
        public var alertIDs: [String]
        /// Ids of earlier alerts this entry is a later copy of (recorded as `also_in`).
        public var alsoInAlertIDs: [String]
    }

    /// An alert to write to the spool before ``DedupStore/commit(_:)``.
    public struct Alert: Sendable, Hashable {
        /// SHA-256 hex of `storyKey + "\n" + topic`: planning again yields the same id.
        public var id: String
        public var storyKey: String
        public var topic: String
        /// The entry that raises it.
        public var entryIndex: Int
    }

    /// A later copy of an alerted story in another feed: recorded as `also_in`, no new alert.
    public struct Copy: Sendable, Hashable {
        public var alertID: String
        public var topic: String
        public var entryIndex: Int
    }
}

/// The decisions for one fetched document: which entries are new, which alerts to raise.
///
/// Produced by ``DedupStore/plan(feed:entries:topics:now:)`` without writing anything; applied by
/// ``DedupStore/commit(_:)``. Planning the same input twice without a commit gives an equal plan.
public struct DedupPlan: Sendable {
    public let feedID: String
    public let now: Date
    /// `true` when the store had never committed a plan of this feed: backfill rules applied.
    public let isFirstPoll: Bool
    /// One decision per entry, in entry order.
    public internal(set) var items: [Item] = []
    /// New alerts, in entry order. Write each durably to the spool, then commit.
    public internal(set) var alerts: [Alert] = []
    /// Later copies of already-alerted stories.
    public internal(set) var copies: [Copy] = []

    // The write set, applied by commit.
    var newStories: [PendingStory] = []
    var storyURLs: [StoryURL] = []
    var itemInserts: [ItemRow] = []
    var titleUpdates: [ItemRow] = []
    var refreshedItems: [String] = []
    var touchedStories: [String] = []

    init(feedID: String, now: Date, isFirstPoll: Bool) {
        self.feedID = feedID
        self.now = now
        self.isFirstPoll = isFirstPoll
    }

    /// The item decisions with a given disposition.
    public func items(_ disposition: ItemDisposition) -> [Item] {
        items.filter { $0.disposition == disposition }
    }
}

struct PendingStory: Sendable, Hashable {
    var key: String
    var fingerprint: TextFingerprint
    var bands: [Int64]
    var at: Double
}

struct StoryURL: Sendable, Hashable {
    var digest: Int64
    var storyKey: String
}

struct ItemRow: Sendable, Hashable {
    var itemKey: String
    var urlDigest: Int64?
    var titleDigest: Int64
    var storyKey: String
}
