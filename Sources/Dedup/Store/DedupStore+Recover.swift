public import Foundation
import NewsModel
import TextNormalization

/// An alert found in the spool, as the store needs it to remember what it raised.
public struct RecoveredAlert: Sendable, Hashable {
    public var id: String
    public var storyKey: String
    public var topic: String
    public var feedID: String
    /// The item's key within its feed (the alert's `item.id`).
    public var itemKey: String
    public var title: String
    public var summary: String
    public var link: String?
    public var published: Date?
    public var detectedAt: Date

    public init(
        id: String, storyKey: String, topic: String, feedID: String, itemKey: String, title: String, summary: String,
        link: String?, published: Date?, detectedAt: Date
    ) {
        self.id = id
        self.storyKey = storyKey
        self.topic = topic
        self.feedID = feedID
        self.itemKey = itemKey
        self.title = title
        self.summary = summary
        self.link = link
        self.published = published
        self.detectedAt = detectedAt
    }
}

extension DedupStore {
    /// `seen_items.joined` of an item recorded from an alert in the spool. Its other topics' alerts may not have
    /// reached the spool: while the feed still carries it, the planner lets every topic that existed when it was
    /// recorded alert on it (an alert already raised for its story is not raised again).
    static let recoveredJoin = "recovered from the spool"

    /// The ids among `ids` that have no committed alert.
    public func uncommittedAlertIDs(_ ids: [String]) throws(DedupError) -> [String] {
        try withConnection { db throws(DedupError) -> [String] in
            let statement = try db.statement("SELECT 1 FROM alerts WHERE alert_id = ?")
            var missing: [String] = []
            for id in ids {
                try statement.bind(.text(id))
                if !(try statement.step()) { missing.append(id) }
                statement.reset()
            }
            return missing
        }
    }

    /// Records alerts that reached the spool but whose plan was never committed (the process died, or the
    /// store could not write, between the spool and the commit): their story (key, text, link), their item
    /// as seen, and the alert. A copy of the story planned later, in any feed and in any order, then joins it
    /// and raises nothing again. The item's other topics are not lost: an item matching two topics whose
    /// second alert had not reached `new/` still raises it at its next poll (``recoveredJoin``). A story the item
    /// joined but did not found (another item of its document did, one that raised no alert) is recorded without a
    /// text to compare, so that the item is not taken for its first report: when the founder is planned again, its
    /// commit fills the first report in (``StoryRows/fillFirstReport(id:fingerprint:feedID:title:at:)``).
    /// Idempotent.
    ///
    /// - Returns: How many alerts were recorded.
    @discardableResult
    public func recover(_ alerts: [RecoveredAlert], now: Date) throws(DedupError) -> Int {
        guard !alerts.isEmpty else { return 0 }
        let stamp = now.timeIntervalSince1970
        return try withIndexedConnection { db, index, links throws(DedupError) -> Int in
            links.forget()  // it inserts links of its own
            let (recorded, stories) = try db.transaction { () throws(DedupError) -> (Int, [StoryIndex.Story]) in
                let storyRows = try StoryRows(db)
                let insertURL = try db.statement("INSERT OR IGNORE INTO story_urls (url_digest, story_id) VALUES (?, ?)")
                let insertItem = try db.statement(
                    """
                    INSERT OR IGNORE INTO seen_items
                        (feed_id, item_key, url_digest, title_digest, story_id, first_seen, last_seen, joined)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                let insertAlert = try db.statement(
                    """
                    INSERT OR IGNORE INTO alerts (alert_id, story_id, topic, feed_id, item_key, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
                let exceptions = try LinkExceptions(db)
                var recorded = 0
                var stories: [StoryIndex.Story] = []
                for alert in alerts {
                    let titleWords = TextNormalizer.words(in: alert.title)
                    let urlIdentity = ItemIdentity.urlIdentity(ofLink: alert.link)
                    let fingerprint = StoryFingerprint(titleWords: titleWords, summary: alert.summary, linkIdentity: urlIdentity)
                    let at = (alert.published ?? alert.detectedAt).timeIntervalSince1970
                    // When the alert's story is not the one the item would have founded, the item joined a story
                    // another item of its document founded, whose report is not in the spool: its fingerprint is
                    // left empty (``StoryRows/fillFirstReport(id:fingerprint:feedID:title:at:)``).
                    let isFirstReport = alert.storyKey
                        == ItemIdentity.foundedStoryKey(urlIdentity: urlIdentity, feedID: alert.feedID, itemKey: alert.itemKey)
                    let (storyID, isNewStory) = try storyRows.insert(
                        key: alert.storyKey, fingerprint: .blob(isFirstReport ? fingerprint.blob : []),
                        feedID: alert.feedID, title: String(alert.title.prefix(300)), at: at, now: stamp)
                    if isNewStory && isFirstReport {
                        stories.append(
                            StoryIndex.Story(
                                id: storyID, key: alert.storyKey, at: at, feedID: alert.feedID, fingerprint: fingerprint))
                    }
                    var urlDigest: Int64?
                    if let urlIdentity {
                        let digest = SHA256.digest64(urlIdentity)
                        urlDigest = digest
                        try insertURL.bind(.int(digest), .int(storyID)).run()
                    }
                    try insertItem.bind(
                        .text(alert.feedID), .text(alert.itemKey), .optionalInt(urlDigest),
                        .int(SHA256.digest64(titleWords.joined(separator: " "))), .int(storyID), .double(stamp),
                        .double(stamp), .text(Self.recoveredJoin)
                    ).run()
                    // The link may belong to another story already: this item's look-up by link must not go
                    // through `story_urls`.
                    try exceptions.check(feedID: alert.feedID, urlDigest: urlDigest, storyID: storyID)
                    try insertAlert.bind(
                        .text(alert.id), .int(storyID), .text(alert.topic), .text(alert.feedID), .text(alert.itemKey),
                        .double(alert.detectedAt.timeIntervalSince1970)
                    ).run()
                    recorded += db.changes
                }
                return (recorded, stories)
            }
            if index != nil {
                for story in stories where story.at >= index!.horizon { index!.add(story) }
            }
            return recorded
        }
    }
}
