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
        /// How the entry came to its story.
        public var join: StoryJoin = .knownItem
        /// The story's first report, when the entry joined a story another item started (for an entry no topic
        /// matched, only when the story is in the plan or was found by its link).
        public var origin: StoryOrigin?
        /// For each topic the entry matched, what became of it.
        public var topics: [TopicDecision] = []
    }

    /// What became of one matched topic of an entry.
    public struct TopicDecision: Sendable, Hashable {
        public var topic: String
        public var outcome: TopicOutcome
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
    /// Committed placeholder stories a report of the plan followed: their new fingerprint and title.
    var storyUpgrades: [StoryUpgrade] = []

    init(feedID: String, now: Date, isFirstPoll: Bool) {
        self.feedID = feedID
        self.now = now
        self.isFirstPoll = isFirstPoll
    }

    /// Room for the decisions on `entries` entries: one item each, and on a first poll one row each.
    mutating func reserve(entries: Int) {
        items.reserveCapacity(entries)
        if isFirstPoll { itemInserts.reserveCapacity(entries) }
    }

    /// Puts items, alerts and copies in entry order (a batch decides them in date order).
    mutating func sortByEntry() {
        items.sort { $0.entryIndex < $1.entryIndex }
        alerts.sort { $0.entryIndex < $1.entryIndex }
        copies.sort { $0.entryIndex < $1.entryIndex }
    }

    /// The item decisions with a given disposition.
    public func items(_ disposition: ItemDisposition) -> [Item] {
        items.filter { $0.disposition == disposition }
    }
}

/// Why a matched topic raised an alert or not.
public enum TopicOutcome: Sendable, Hashable {
    /// A new alert with this id.
    case raised(alertID: String)
    /// The story already has an alert for the topic, raised by `feedID`; this feed is recorded as `also_in`
    /// unless it raised it itself.
    case alreadyAlerted(alertID: String, feedID: String)
    /// Another entry of this document raised the alert for the story and topic.
    case raisedByEarlierEntry(alertID: String)
    /// The entry may not alert at all (seen before, backfilled or stale: see its disposition).
    case notEligible
}

/// How an entry came to its story.
public enum StoryJoin: Sendable, Hashable {
    /// The feed had the entry already (same key, or same link under a rotated id).
    case knownItem
    /// It started a new story.
    case founded
    /// A story already carries its link identity.
    case sameLink
    /// Its title and teaser are a copy of the story's first report. Boxed: the evidence is a hundred bytes, which
    /// every item of a plan would otherwise carry inline, whatever its join.
    indirect case sameText(StoryEvidence)
    /// Another entry of the same document, with the same id.
    case repeatedInDocument

    /// One line for logs and `newsmon explain`.
    public var description: String {
        switch self {
        case .knownItem: return "seen before in this feed"
        case .founded: return "started the story"
        case .sameLink: return "same link as the story"
        case .repeatedInDocument: return "repeated in one document"
        case .sameText(let evidence): return "same text: " + evidence.description
        }
    }
}

/// The first report of a story: who carried it, as what, when.
public struct StoryOrigin: Sendable, Hashable {
    public var storyKey: String
    /// Nil for stories recorded before the feed was kept (schema v2).
    public var feedID: String?
    public var title: String?
}

struct PendingStory: Sendable, Hashable {
    var key: String
    var fingerprint: StoryFingerprint
    var at: Double
    var feedID: String
    var title: String
}

/// A committed breaking-news placeholder story once its report followed it (``StoryFingerprint/followed(by:)``).
struct StoryUpgrade: Sendable, Hashable {
    var storyKey: String
    var fingerprint: StoryFingerprint
    var title: String
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
    /// How the item joined its story (``StoryJoin/description``).
    var joined: String? = nil
}
