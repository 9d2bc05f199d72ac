package import Foundation
import NewsModel
import TextNormalization

extension DedupStore {
    /// One pre-digested item for ``bulkLoad(_:)``.
    package struct BulkItem: Sendable {
        package var feedID: String
        /// Id and link as a feed would have them.
        package var id: String
        package var link: String
        /// Already normalized: lower-case words separated by single spaces.
        package var normalizedTitle: String
        package var normalizedSummary: String
        package var published: Date
        package var seenAt: Date
        /// Topics that raised an alert for this item.
        package var topics: [String]

        package init(
            feedID: String, id: String, link: String, normalizedTitle: String, normalizedSummary: String,
            published: Date, seenAt: Date, topics: [String]
        ) {
            self.feedID = feedID
            self.id = id
            self.link = link
            self.normalizedTitle = normalizedTitle
            self.normalizedSummary = normalizedSummary
            self.published = published
            self.seenAt = seenAt
            self.topics = topics
        }
    }

    /// Inserts items known to be new and distinct from each other, in one transaction, skipping every
    /// lookup and the text normalizer: for benchmarks that need a store with a million items fast.
    ///
    /// The rows are those ``commit(_:)`` writes for new items, except that near-duplicate index rows
    /// (fingerprints) are written only for items within twice the story window of `now`: the state that
    /// ``prune(now:)`` keeps.
    package func bulkLoad(_ items: [BulkItem], now: Date) throws(DedupError) {
        let bandHorizon = now.timeIntervalSince1970 - 2 * configuration.storyWindow.seconds
        try withConnectionForgettingLinks { db throws(DedupError) in
            try db.transaction { () throws(DedupError) in
                let insertPoll = try db.statement("INSERT OR IGNORE INTO feed_polls (feed_id, first_poll_at) VALUES (?, ?)")
                let storyRows = try StoryRows(db)
                let insertURL = try db.statement("INSERT OR IGNORE INTO story_urls (url_digest, story_id) VALUES (?, ?)")
                let insertItem = try db.statement(
                    """
                    INSERT INTO seen_items (feed_id, item_key, url_digest, title_digest, story_id, first_seen, last_seen)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
                let insertAlert = try db.statement(
                    """
                    INSERT OR IGNORE INTO alerts (alert_id, story_id, topic, feed_id, item_key, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
                let exceptions = try LinkExceptions(db)
                var polledFeeds = Set<String>()
                for item in items {
                    let seenAt = item.seenAt.timeIntervalSince1970
                    let at = item.published.timeIntervalSince1970
                    if polledFeeds.insert(item.feedID).inserted {
                        try insertPoll.bind(.text(item.feedID), .double(seenAt)).run()
                    }
                    let identity = URLCanonicalizer.identity(item.link) ?? item.link
                    let urlDigest = SHA256.digest64(identity)
                    let storyKey = SHA256.hexDigest("url:" + identity)
                    // Fingerprints only where prune keeps them (within twice the window).
                    let fingerprint: SQLiteValue = at >= bandHorizon
                        ? .blob(
                            StoryFingerprint(
                                titleWords: TextNormalizer.words(in: item.normalizedTitle), summary: item.normalizedSummary
                            ).blob)
                        : .null
                    let storyID = try storyRows.insert(
                        key: storyKey, fingerprint: fingerprint, feedID: item.feedID, title: item.normalizedTitle, at: at,
                        now: seenAt
                    ).id
                    try insertURL.bind(.int(urlDigest), .int(storyID)).run()
                    let itemKey = "guid:" + item.id
                    try insertItem.bind(
                        .text(item.feedID), .text(itemKey), .int(urlDigest), .int(SHA256.digest64(item.normalizedTitle)),
                        .int(storyID), .double(seenAt), .double(seenAt)
                    ).run()
                    try exceptions.check(feedID: item.feedID, urlDigest: urlDigest, storyID: storyID)
                    for topic in item.topics {
                        try insertAlert.bind(
                            .text(SHA256.hexDigest(storyKey + "\n" + topic)), .int(storyID), .text(topic),
                            .text(item.feedID), .text(itemKey), .double(seenAt)
                        ).run()
                    }
                }
            }
        }
    }
}

extension DedupStore {
    /// Copies the whole WAL into the database file and empties it, so that the file alone holds the store (for
    /// benchmarks that copy a seeded store).
    package func checkpoint() throws(DedupError) {
        try withConnection { db throws(DedupError) in try db.exec("PRAGMA wal_checkpoint(TRUNCATE)") }
    }
}
