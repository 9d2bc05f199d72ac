public import Foundation
public import NewsModel
import TextNormalization

extension DedupStore {
    /// Decides, without writing, what each entry of a fetched document is and which alerts it raises.
    ///
    /// Per entry: its identity (``ItemIdentity``); whether the feed has seen it (by key, else by
    /// canonical link, so rotated ids do not flood); its story (same link identity as a known story,
    /// else a near-duplicate text within ``DedupConfiguration/storyWindow``, else a new story); and for
    /// each matched topic either a new alert with id SHA-256(story key + "\n" + topic) or an `also_in`
    /// copy of the existing alert. On the feed's first poll, entries outside `feed.backfill` are
    /// recorded silently.
    ///
    /// Nothing is written: call ``commit(_:)`` after the alerts are durable in the spool. Planning the
    /// same input again before the commit gives the same alert ids. Plan and commit of different feeds
    /// should not interleave (the daemon serializes plan → spool → commit), or two feeds may both alert
    /// one new story; ``commit(_:)`` then keeps the first and records nothing twice.
    ///
    /// - Parameters:
    ///   - feed: The feed the document came from (its id and backfill setting are used).
    ///   - entries: The document's entries, in document order.
    ///   - topics: Per entry, the ids of the topics it matched (same count as `entries`; may be empty
    ///     to mean no topics at all).
    ///   - now: The current time (injected for tests).
    /// - Returns: The plan, with one ``DedupPlan/Item`` per entry.
    /// - Throws: ``DedupError`` (`.invalidArgument` when `topics` does not fit `entries`).
    /// - Complexity: O(n) indexed lookups for n entries, plus, for each entry new to the feed, at most
    ///   32 × 16 near-duplicate candidate checks; independent of the number of stored items up to B-tree
    ///   depth (`swift run -c release bench-dedup` measures it).
    public func plan(feed: FeedSource, entries: [FeedEntry], topics: [[String]], now: Date) throws(DedupError)
        -> DedupPlan
    {
        guard topics.isEmpty || topics.count == entries.count else {
            throw DedupError(
                code: .invalidArgument,
                message: "feed \(feed.id): \(topics.count) topic lists for \(entries.count) entries", path: path)
        }
        let configuration = configuration
        return try withConnection { db throws(DedupError) in
            var planner = try Planner(db: db, feed: feed, now: now, configuration: configuration)
            for (index, entry) in entries.enumerated() {
                try planner.add(entry, index: index, topics: topics.isEmpty ? [] : topics[index])
            }
            return planner.plan
        }
    }
}

/// Builds one ``DedupPlan``: read-only queries plus the decisions taken so far in this document.
private struct Planner {
    let db: SQLiteConnection
    let feed: FeedSource
    let now: Double
    let configuration: DedupConfiguration
    var plan: DedupPlan
    private var keysInDocument: [String: String] = [:]  // item key → story key
    private var urlsInDocument: [Int64: String] = [:]  // link identity digest → story key
    private var pendingByBand: [Int64: [Int]] = [:]  // band → index into plan.newStories
    private var alertsInDocument: Set<String> = []

    init(db: SQLiteConnection, feed: FeedSource, now: Date, configuration: DedupConfiguration) throws(DedupError) {
        self.db = db
        self.feed = feed
        self.now = now.timeIntervalSince1970
        self.configuration = configuration
        let known = try db.statement("SELECT 1 FROM feed_polls WHERE feed_id = ?").bind(.text(feed.id))
        let isFirstPoll = !(try known.step())
        known.reset()
        plan = DedupPlan(feedID: feed.id, now: now, isFirstPoll: isFirstPoll)
    }

    mutating func add(_ entry: FeedEntry, index: Int, topics: [String]) throws(DedupError) {
        let titleWords = TextNormalizer.words(in: ItemIdentity.plainTitle(of: entry))
        let identity = ItemIdentity(entry: entry, titleWords: titleWords)
        let urlDigest = identity.urlIdentity.map(SHA256.digest64)
        var item = DedupPlan.Item(
            entryIndex: index, identity: identity, disposition: .seen, storyKey: "", isNewStory: false,
            alertIDs: [], alsoInAlertIDs: [])

        if let storyKey = keysInDocument[identity.key] {
            item.storyKey = storyKey  // the same id twice in one document
        } else if let known = try seenItem(key: identity.key) {
            item.storyKey = known.storyKey
            if known.titleDigest != identity.titleDigest {
                item.disposition = .updated
                plan.titleUpdates.append(row(identity, urlDigest, known.storyKey))
            } else if known.lastSeen < now - configuration.refreshInterval.seconds {
                plan.refreshedItems.append(identity.key)
                plan.touchedStories.append(known.storyKey)
            }
        } else if let urlDigest, let known = try seenItem(urlDigest: urlDigest) {
            // A known link under a new id: the feed rotated its ids. Remember the new id, alert nothing new
            // unless the title changed too.
            item.storyKey = known.storyKey
            item.disposition = known.titleDigest == identity.titleDigest ? .seen : .updated
            plan.itemInserts.append(row(identity, urlDigest, known.storyKey))
            plan.touchedStories.append(known.storyKey)
        } else {
            item.disposition = disposition(for: identity)
            let (storyKey, isNew) = try story(
                for: entry, identity: identity, titleWords: titleWords, urlDigest: urlDigest)
            item.storyKey = storyKey
            item.isNewStory = isNew
            if !isNew { plan.touchedStories.append(storyKey) }
            plan.itemInserts.append(row(identity, urlDigest, storyKey))
            if let urlDigest, urlsInDocument[urlDigest] == nil {
                urlsInDocument[urlDigest] = storyKey
                plan.storyURLs.append(StoryURL(digest: urlDigest, storyKey: storyKey))
            }
        }
        keysInDocument[identity.key] = item.storyKey

        if item.disposition.mayAlert {
            var seenTopics = Set<String>()
            for topic in topics where seenTopics.insert(topic).inserted {
                let alertID = SHA256.hexDigest(item.storyKey + "\n" + topic)
                if alertsInDocument.contains(alertID) { continue }
                if let origin = try alertFeed(id: alertID) {
                    if origin != feed.id {
                        item.alsoInAlertIDs.append(alertID)
                        plan.copies.append(DedupPlan.Copy(alertID: alertID, topic: topic, entryIndex: index))
                    }
                } else {
                    alertsInDocument.insert(alertID)
                    item.alertIDs.append(alertID)
                    plan.alerts.append(DedupPlan.Alert(id: alertID, storyKey: item.storyKey, topic: topic, entryIndex: index))
                }
            }
        }
        plan.items.append(item)
    }

    private func row(_ identity: ItemIdentity, _ urlDigest: Int64?, _ storyKey: String) -> ItemRow {
        ItemRow(itemKey: identity.key, urlDigest: urlDigest, titleDigest: identity.titleDigest, storyKey: storyKey)
    }

    /// New, backfilled (first poll, outside the window) or stale (older than retention).
    private func disposition(for identity: ItemIdentity) -> ItemDisposition {
        let date = identity.date?.timeIntervalSince1970
        if let date, date < now - configuration.retention.seconds { return .stale }
        guard plan.isFirstPoll else { return .new }
        switch feed.backfill {
        case .all:
            return .new
        case .window(let window):
            guard window > .zero, let date else { return .backfilled }
            return date >= now - window.seconds ? .new : .backfilled
        }
    }

    /// The story of an entry new to this feed: by link identity, else by near-duplicate text, else new.
    private mutating func story(
        for entry: FeedEntry, identity: ItemIdentity, titleWords: [String], urlDigest: Int64?
    ) throws(DedupError) -> (key: String, isNew: Bool)
    {
        if let urlDigest {
            if let key = urlsInDocument[urlDigest] { return (key, false) }
            let statement = try db.statement(
                "SELECT s.story_key FROM story_urls u JOIN stories s ON s.story_id = u.story_id WHERE u.url_digest = ?")
            try statement.bind(.int(urlDigest))
            defer { statement.reset() }
            if try statement.step() { return (statement.text(0), false) }
        }
        let summary = entry.text.summary.isEmpty ? entry.text.content : entry.text.summary
        let fingerprint = TextFingerprint(titleWords: titleWords, summary: summary)
        let bands = fingerprint.bands
        let at = identity.date?.timeIntervalSince1970 ?? now
        if let key = try nearDuplicate(of: fingerprint, bands: bands, at: at) { return (key, false) }

        let key = identity.urlIdentity.map { SHA256.hexDigest("url:" + $0) }
            ?? SHA256.hexDigest("item:" + feed.id + "\n" + identity.key)
        for band in bands { pendingByBand[band, default: []].append(plan.newStories.count) }
        plan.newStories.append(PendingStory(key: key, fingerprint: fingerprint, bands: bands, at: at))
        return (key, true)
    }

    /// The most similar story within the window, stored or started earlier in this document.
    private func nearDuplicate(of fingerprint: TextFingerprint, bands: [Int64], at: Double) throws(DedupError)
        -> String?
    {
        guard !bands.isEmpty else { return nil }
        let window = configuration.storyWindow.seconds
        var best: (key: String, score: Double)?
        func consider(_ key: String, _ other: TextFingerprint) {
            let score = TextFingerprint.similarity(fingerprint, other)
            if score >= configuration.similarityThreshold, score > (best?.score ?? -1) { best = (key, score) }
        }
        var checked = Set<Int>()
        for band in bands {
            for index in pendingByBand[band] ?? [] where checked.insert(index).inserted {
                let story = plan.newStories[index]
                if abs(story.at - at) <= window { consider(story.key, story.fingerprint) }
            }
        }
        // Every stored story sharing a band, each once, verified on its stored features.
        let statement = try db.statement(Self.candidateSQL)
        for (offset, band) in bands.enumerated() { try statement.bind(.int(band), at: Int32(offset + 1)) }
        try statement.bind(.double(at - window), at: Int32(bands.count + 1))
        try statement.bind(.double(at + window), at: Int32(bands.count + 2))
        var bestStored: (id: Int64, score: Double)?
        while try statement.step() {
            let score = statement.withBlob(1) { TextFingerprint.similarity(fingerprint, TextFingerprint(encoded: $0)) }
            if score >= configuration.similarityThreshold, score > max(bestStored?.score ?? -1, best?.score ?? -1) {
                bestStored = (statement.int64(0), score)
            }
        }
        statement.reset()
        if let bestStored {
            let keyStatement = try db.statement("SELECT story_key FROM stories WHERE story_id = ?")
            try keyStatement.bind(.int(bestStored.id))
            defer { keyStatement.reset() }
            if try keyStatement.step() { return keyStatement.text(0) }
        }
        return best?.key
    }

    /// Stories sharing a band with the new item, each once: per band only the `bandCandidateLimit` most
    /// recent within the window, so that a popular band (two common words) costs a bounded amount.
    static let candidateSQL: String = {
        let perBand = (1...TextFingerprint.bandCount).map { band in
            """
            SELECT story_id FROM (SELECT story_id FROM story_bands WHERE band = ?\(band) AND at BETWEEN ?\(TextFingerprint.bandCount + 1) AND ?\(TextFingerprint.bandCount + 2) ORDER BY story_id DESC LIMIT \(bandCandidateLimit))
            """
        }
        return """
            SELECT story_id, features FROM stories WHERE story_id IN (
            \(perBand.joined(separator: "\nUNION ALL\n"))
            ) ORDER BY story_id
            """
    }()

    /// Candidates read per band and item. The default bounds one item's checks at 32 × 16.
    static let bandCandidateLimit = 16

    private struct KnownItem {
        var storyKey: String
        var titleDigest: Int64
        var lastSeen: Double
    }

    private func seenItem(key: String) throws(DedupError) -> KnownItem? {
        let statement = try db.statement(
            """
            SELECT s.story_key, i.title_digest, i.last_seen FROM seen_items i JOIN stories s ON s.story_id = i.story_id
            WHERE i.feed_id = ? AND i.item_key = ?
            """)
        try statement.bind(.text(feed.id), .text(key))
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return KnownItem(storyKey: statement.text(0), titleDigest: statement.int64(1), lastSeen: statement.double(2))
    }

    /// The feed's item with this link identity. `INDEXED BY`: without statistics SQLite would rather scan
    /// the feed's whole primary-key range, a cost that grows with the store.
    private func seenItem(urlDigest: Int64) throws(DedupError) -> KnownItem? {
        let statement = try db.statement(
            """
            SELECT s.story_key, i.title_digest, i.last_seen
            FROM seen_items i INDEXED BY seen_items_url JOIN stories s ON s.story_id = i.story_id
            WHERE i.feed_id = ? AND i.url_digest = ? LIMIT 1
            """)
        try statement.bind(.text(feed.id), .int(urlDigest))
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return KnownItem(storyKey: statement.text(0), titleDigest: statement.int64(1), lastSeen: statement.double(2))
    }

    /// The feed that raised the alert, if it exists.
    private func alertFeed(id: String) throws(DedupError) -> String? {
        let statement = try db.statement("SELECT feed_id FROM alerts WHERE alert_id = ?")
        try statement.bind(.text(id))
        defer { statement.reset() }
        return try statement.step() ? statement.text(0) : nil
    }
}
