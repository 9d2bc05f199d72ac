/// Keeps `link_exceptions` (schema v6) complete: a feed's link whose item belongs to another story than the
/// one `story_urls` maps the link to. Every writer of `seen_items` checks the rows it inserts; listing a link
/// that needs it not is harmless (its look-up scans the feed's items, as before v6).
struct LinkExceptions {
    private let storyOfLink: SQLiteStatement
    private let insert: SQLiteStatement

    init(_ db: SQLiteConnection) throws(DedupError) {
        storyOfLink = try db.statement("SELECT story_id FROM story_urls WHERE url_digest = ?")
        insert = try db.statement("INSERT OR IGNORE INTO link_exceptions (feed_id, url_digest) VALUES (?, ?)")
    }

    /// Lists the feed's link unless `story_urls` maps it to `storyID`, the story of the item just inserted.
    func check(feedID: String, urlDigest: Int64?, storyID: Int64) throws(DedupError) {
        guard let urlDigest else { return }
        try storyOfLink.bind(.int(urlDigest))
        let mapped = try storyOfLink.step() ? storyOfLink.int64(0) : nil
        storyOfLink.reset()
        if mapped != storyID {
            try insert.bind(.text(feedID), .int(urlDigest)).run()
        }
    }

    /// Before stories are pruned: the links of their surviving items, whose `story_urls` rows go with them.
    static func recordBeforePruning(_ db: SQLiteConnection, storiesLastSeenBefore cutoff: Double) throws(DedupError) {
        try db.statement(
            """
            INSERT OR IGNORE INTO link_exceptions (feed_id, url_digest)
                SELECT i.feed_id, i.url_digest FROM story_seen s
                JOIN seen_items i INDEXED BY seen_items_story ON i.story_id = s.story_id AND i.url_digest IS NOT NULL
                WHERE s.last_seen < ?
            """
        ).bind(.double(cutoff)).run()
    }
}
