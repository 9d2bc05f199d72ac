public import Foundation
public import NewsModel
import TextNormalization

extension DedupStore {
    /// One document of a batch: a feed, its entries and, per entry, the topics it matched and what dedup derives
    /// from it alone (``PreparedEntry``, when worked out ahead: empty, or one per entry).
    public struct Document: Sendable {
        public var feed: FeedSource
        public var entries: [FeedEntry]
        public var topics: [[String]]
        public var prepared: [PreparedEntry]

        public init(feed: FeedSource, entries: [FeedEntry], topics: [[String]], prepared: [PreparedEntry] = []) {
            self.feed = feed
            self.entries = entries
            self.topics = topics
            self.prepared = prepared
        }
    }

    /// Decides, without writing, what each entry of the documents is and which alerts it raises: one
    /// document (a poll; ``StoryStore``'s `plan(feed:entries:topics:now:)`), or several fetched at the same
    /// time (a first poll, `newsmon once`), planned as one.
    ///
    /// Per entry: its identity (``ItemIdentity``); whether its feed has seen it (by key, else by canonical
    /// link, so rotated ids do not flood); its story (same link identity as a known story, else a copy of a
    /// story's text within ``DedupConfiguration/storyWindow``, else a new story); and for each matched topic
    /// a new alert with id SHA-256(story key + "\n" + topic), an `also_in` copy of an existing alert, or why
    /// not (``TopicOutcome``). On a feed's first poll, entries outside its backfill are recorded silently.
    /// Entries are decided in the order of their dates (then feed id, then position), so the earliest report
    /// of a story founds it whichever feed carries it; the same documents in any order give the same plans.
    ///
    /// Nothing is written: commit the plans together (the `commit(_:)` that takes a list) once their alerts
    /// are durable in the spool. Planning the same input again before the commit gives the same alert ids.
    ///
    /// - Returns: One plan per document, in the order given, each with its items in entry order.
    /// - Throws: ``DedupError`` (`.invalidArgument` when a document's topic lists do not fit its entries).
    public func plan(batch documents: [Document], now: Date) throws(DedupError) -> [DedupPlan] {
        for document in documents where !(document.topics.isEmpty || document.topics.count == document.entries.count) {
            throw DedupError(
                code: .invalidArgument,
                message: "feed \(document.feed.id): \(document.topics.count) topic lists for \(document.entries.count) entries",
                path: path)
        }
        for document in documents where !(document.prepared.isEmpty || document.prepared.count == document.entries.count) {
            throw DedupError(
                code: .invalidArgument,
                message: "feed \(document.feed.id): \(document.prepared.count) prepared entries for \(document.entries.count) entries",
                path: path)
        }
        let configuration = configuration
        return try withPlanningState { db, index, counters, links throws(DedupError) in
            // One read transaction for every look-up of the batch.
            try db.readTransaction { () throws(DedupError) -> [DedupPlan] in
                try Self.plan(
                    documents, db: db, index: &index, counters: counters, links: &links, now: now, configuration: configuration)
            }
        }
    }

    private static func plan(
        _ documents: [Document], db: SQLiteConnection, index: inout StoryIndex?, counters: [CandidateCounter],
        links: inout LinkDigests, now: Date, configuration: DedupConfiguration
    ) throws(DedupError) -> [DedupPlan] {
        let loaded = try Self.currentIndex(index, db: db, now: now.timeIntervalSince1970, configuration: configuration)
        // A later horizon: the store is past its first polls (``LinkDigests``).
        if let index, index.horizon != loaded.horizon { links.retire() }
        index = loaded
        try links.loadIfUnknown(db)
        let shared = PlanningState(
            horizon: loaded.horizon, counters: counters, links: links, statements: try PlanStatements(db))
        var planners: [Planner] = []
        planners.reserveCapacity(documents.count)
        for document in documents {
            var planner = try Planner(db: db, index: loaded, shared: shared, feed: document.feed, now: now, configuration: configuration)
            planner.plan.reserve(entries: document.entries.count)
            planners.append(planner)
        }
        // Date, then feed id (by rank: no string comparisons in the sort), then position.
        var rank = [Int](repeating: 0, count: documents.count)
        for (position, d) in documents.indices.sorted(by: { (documents[$0].feed.id, $0) < (documents[$1].feed.id, $1) })
            .enumerated()
        {
            rank[d] = position
        }
        var order: [(date: Double, rank: Int, entry: Int, document: Int)] = []
        order.reserveCapacity(documents.reduce(0) { $0 + $1.entries.count })
        for (d, document) in documents.enumerated() {
            for (e, entry) in document.entries.enumerated() {
                let date = (entry.published ?? entry.updated)?.timeIntervalSince1970 ?? now.timeIntervalSince1970
                order.append((date, rank[d], e, d))
            }
        }
        order.sort { ($0.date, $0.rank, $0.entry) < ($1.date, $1.rank, $1.entry) }
        let boilerplate = documents.map { BoilerplateTeasers.flags($0.entries) }
        // Each document's parts are read in place: a copy of the document per entry would retain and release its
        // feed's strings and its arrays for each of a batch's thousands of entries.
        for step in order {
            let (d, e) = (step.document, step.entry)
            try planners[d].add(
                documents[d].entries[e], prepared: documents[d].prepared.isEmpty ? nil : documents[d].prepared[e],
                index: e, topics: documents[d].topics.isEmpty ? [] : documents[d].topics[e],
                hasBoilerplateTeaser: boilerplate[d][e])
        }
        // A placeholder story this batch starts, which a later entry followed (``StoryFingerprint/followed(by:)``), is
        // committed with the report's text and title, by whichever plan starts it.
        if !shared.absorbed.isEmpty {
            for number in planners.indices {
                for position in planners[number].plan.newStories.indices {
                    guard let absorbed = shared.absorbed[planners[number].plan.newStories[position].key] else { continue }
                    planners[number].plan.newStories[position].fingerprint = absorbed.fingerprint
                    planners[number].plan.newStories[position].title = absorbed.title
                }
            }
        }
        // Sorted where they are, then handed over: a plan sorted after a copy out of its planner would copy its
        // items (a 64-feed batch: about 1 MB more at the end of the plan).
        for number in planners.indices { planners[number].plan.sortByEntry() }
        return planners.map(\.plan)
    }

    /// The story index for `now`: the loaded one while its horizon is recent enough, else read anew from
    /// the stories dated within twice the story window.
    static func currentIndex(
        _ index: StoryIndex?, db: SQLiteConnection, now: Double, configuration: DedupConfiguration
    ) throws(DedupError) -> StoryIndex {
        let window = configuration.storyWindow.seconds
        let horizon = now - 2 * window
        if let index, index.horizon <= horizon, index.horizon >= horizon - window / 2 { return index }
        var fresh = StoryIndex(horizon: horizon)
        let statement = try db.statement(
            """
            SELECT story_id, story_key, at, feed_id, fingerprint FROM stories INDEXED BY stories_matchable
            WHERE fingerprint IS NOT NULL AND at >= ? ORDER BY story_id
            """)
        try statement.bind(.double(horizon), at: 1)
        defer { statement.reset() }
        while try statement.step() {
            guard let fingerprint = statement.withBlob(4, { StoryFingerprint(encoded: $0) }) else { continue }
            fresh.add(
                StoryIndex.Story(
                    id: statement.int64(0), key: statement.text(1), at: statement.double(2),
                    feedID: statement.text(3), fingerprint: fingerprint))
        }
        return fresh
    }
}

/// What the planners of documents planned together share (one document alone has its own): stories
/// started, links and alerts planned, not yet committed. Used under the store's lock only.
private final class PlanningState {
    var pending: StoryIndex
    var origins: [String: StoryOrigin] = [:]
    var urls: [Int64: String] = [:]  // link identity digest → story key
    var alerts: [String: String] = [:]  // alert id → feed that plans it
    /// Placeholder stories a report of this batch followed (``StoryEvidence/followsPlaceholder``): they take no other.
    var followedPlaceholders: Set<String> = []
    /// The stories this batch starts as placeholders and their reports followed: their fingerprint and title then.
    var absorbed: [String: (fingerprint: StoryFingerprint, title: String)] = [:]
    /// Scratch for the candidate search in the committed index and in `pending` (the store's, kept across plans).
    let counters: [CandidateCounter]
    /// `pending`'s alone, for a search of `pending` only (made once, not per item).
    let pendingCounters: [CandidateCounter]
    /// The per-entry look-ups, fetched from the connection's cache once per batch, not once per entry.
    let statements: PlanStatements
    /// The links committed stories carry, when held in memory: a link not among them is looked up no further.
    let links: LinkDigests
    private var topics: [String: Double]?

    init(horizon: Double, counters: [CandidateCounter], links: LinkDigests, statements: PlanStatements) {
        pending = StoryIndex(horizon: horizon)
        self.counters = counters
        pendingCounters = [counters[1]]
        self.links = links
        self.statements = statements
    }

    /// The `topics` table, read once per batch.
    func topicsSince(_ db: SQLiteConnection) throws(DedupError) -> [String: Double] {
        if let topics { return topics }
        let statement = try db.statement("SELECT topic_id, first_seen FROM topics")
        defer { statement.reset() }
        var result: [String: Double] = [:]
        while try statement.step() { result[statement.text(0)] = statement.double(1) }
        topics = result
        return result
    }
}

/// Builds one ``DedupPlan``: read-only queries plus the decisions taken so far in this document.
private struct Planner {
    let db: SQLiteConnection
    let feed: FeedSource
    let now: Double
    let configuration: DedupConfiguration
    var plan: DedupPlan
    /// The committed stories of the window, and the stories this document starts.
    let index: StoryIndex
    /// What the documents planned together share: their new stories, links and alerts.
    let shared: PlanningState
    private var keysInDocument: [String: String] = [:]  // item key → story key
    /// Whether the store holds any item of the feed: when not (a first poll), no look-up of an item by key or
    /// link can find one, and none is made.
    private let hasSeenItems: Bool
    /// When each topic was first matched against (``DedupStore/registerTopics(_:now:)``).
    private let topicsSince: [String: Double]

    init(
        db: SQLiteConnection, index: StoryIndex, shared: PlanningState, feed: FeedSource, now: Date,
        configuration: DedupConfiguration
    ) throws(DedupError) {
        self.db = db
        self.index = index
        self.shared = shared
        self.feed = feed
        self.now = now.timeIntervalSince1970
        self.configuration = configuration
        topicsSince = try shared.topicsSince(db)
        let known = try db.statement("SELECT 1 FROM feed_polls WHERE feed_id = ?").bind(.text(feed.id))
        let isFirstPoll = !(try known.step())
        known.reset()
        let seen = try db.statement("SELECT 1 FROM seen_items WHERE feed_id = ? LIMIT 1").bind(.text(feed.id))
        hasSeenItems = try seen.step()
        seen.reset()
        plan = DedupPlan(feedID: feed.id, now: now, isFirstPoll: isFirstPoll)
    }

    /// Decides one entry. `hasBoilerplateTeaser`: its teaser is its document's boilerplate (``BoilerplateTeasers``).
    mutating func add(
        _ entry: FeedEntry, prepared: PreparedEntry?, index: Int, topics: [String], hasBoilerplateTeaser: Bool
    ) throws(DedupError) {
        var laterTopics: Set<String> = []
        var titleWords = TitleWords(entry)
        let identity = prepared?.identity ?? ItemIdentity(entry: entry, titleWords: titleWords.words)
        let urlDigest = prepared.map(\.urlDigest) ?? identity.urlIdentity.map(SHA256.digest64)
        var item = DedupPlan.Item(
            entryIndex: index, identity: identity, disposition: .seen, storyKey: "", isNewStory: false)

        if let storyKey = keysInDocument[identity.key] {
            item.storyKey = storyKey  // the same id twice in one document
            item.join = .repeatedInDocument
        } else if hasSeenItems, let known = try seenItem(key: identity.key) {
            item.storyKey = known.storyKey
            if known.titleDigest != identity.titleDigest {
                item.disposition = .updated
                plan.titleUpdates.append(row(identity, urlDigest, known.storyKey))
            } else if known.lastSeen < now - configuration.refreshInterval.seconds {
                plan.refreshedItems.append(identity.key)
                plan.touchedStories.append(known.storyKey)
            }
            // Topics added after the item was first seen never saw it: they may alert on it once, while it
            // is within the feed's backfill window.
            if item.disposition == .seen, isWithinBackfill(identity.date) {
                laterTopics = Set(topics.filter { (topicsSince[$0] ?? 0) > known.firstSeen })
            }
            // An item recorded from the spool raised an alert, so it was eligible then, for every topic it matched:
            // the alerts of its other topics may have been lost with the process. Those topics may alert (once:
            // an alert its story has is not raised again).
            if item.disposition == .seen, known.isRecovered {
                laterTopics.formUnion(topics.filter { (topicsSince[$0] ?? 0) <= known.firstSeen })
            }
        } else if hasSeenItems, let urlDigest, let known = try seenItem(urlDigest: urlDigest) {
            // A known link under a new id: the feed rotated its ids. Remember the new id, alert nothing new
            // unless the title changed too.
            item.storyKey = known.storyKey
            item.disposition = known.titleDigest == identity.titleDigest ? .seen : .updated
            var inserted = row(identity, urlDigest, known.storyKey)
            inserted.joined = StoryJoin.knownItem.description
            plan.itemInserts.append(inserted)
            plan.touchedStories.append(known.storyKey)
        } else {
            item.disposition = disposition(for: identity)
            let story = try self.story(
                for: entry, identity: identity, titleWords: &titleWords, urlDigest: urlDigest, prepared: prepared,
                needsOrigin: !topics.isEmpty, hasBoilerplateTeaser: hasBoilerplateTeaser)
            item.storyKey = story.key
            item.isNewStory = story.join == .founded
            item.join = story.join
            item.origin = story.origin
            if !item.isNewStory { plan.touchedStories.append(story.key) }
            var inserted = row(identity, urlDigest, story.key)
            inserted.joined = story.join.description
            plan.itemInserts.append(inserted)
            if let urlDigest, shared.urls[urlDigest] == nil {
                shared.urls[urlDigest] = story.key
                plan.storyURLs.append(StoryURL(digest: urlDigest, storyKey: story.key))
            }
        }
        keysInDocument[identity.key] = item.storyKey

        var seenTopics = Set<String>()
        for topic in topics where seenTopics.insert(topic).inserted {
            guard item.disposition.mayAlert || laterTopics.contains(topic) else {
                item.topics.append(.init(topic: topic, outcome: .notEligible))
                continue
            }
            let alertID = SHA256.hexDigest(item.storyKey + "\n" + topic)
            var origin = shared.alerts[alertID]
            if origin == feed.id {
                item.topics.append(.init(topic: topic, outcome: .raisedByEarlierEntry(alertID: alertID)))
                continue
            }
            if origin == nil { origin = try alertFeed(id: alertID) }
            if let origin {
                item.topics.append(.init(topic: topic, outcome: .alreadyAlerted(alertID: alertID, feedID: origin)))
                if origin != feed.id {
                    plan.copies.append(DedupPlan.Copy(alertID: alertID, topic: topic, entryIndex: index))
                }
            } else {
                shared.alerts[alertID] = feed.id
                item.topics.append(.init(topic: topic, outcome: .raised(alertID: alertID)))
                plan.alerts.append(DedupPlan.Alert(id: alertID, storyKey: item.storyKey, topic: topic, entryIndex: index))
            }
        }
        plan.items.append(item)
    }

    private func row(_ identity: ItemIdentity, _ urlDigest: Int64?, _ storyKey: String) -> ItemRow {
        ItemRow(itemKey: identity.key, urlDigest: urlDigest, titleDigest: identity.titleDigest, storyKey: storyKey)
    }

    /// Whether an item dated `date` is within the feed's backfill window (what a first poll would alert on).
    private func isWithinBackfill(_ date: Date?) -> Bool {
        switch feed.backfill {
        case .all:
            return true
        case .window(let window):
            guard window > .zero, let date else { return false }
            return date.timeIntervalSince1970 >= now - window.seconds
        }
    }

    /// New, backfilled (first poll, outside the window) or stale (older than retention).
    private func disposition(for identity: ItemIdentity) -> ItemDisposition {
        let date = identity.date?.timeIntervalSince1970
        if let date, date < now - configuration.retention.seconds { return .stale }
        guard plan.isFirstPoll else { return .new }
        return isWithinBackfill(identity.date) ? .new : .backfilled
    }

    /// The story of an entry new to this feed: by link identity, else by a copy of its text, else new. The origin
    /// of a committed story joined by its text is read only when `needsOrigin` (a topic matched the entry: only
    /// the log line of a matched entry that raises no alert names it).
    private mutating func story(
        for entry: FeedEntry, identity: ItemIdentity, titleWords: inout TitleWords, urlDigest: Int64?,
        prepared: PreparedEntry?, needsOrigin: Bool, hasBoilerplateTeaser: Bool
    ) throws(DedupError) -> (key: String, join: StoryJoin, origin: StoryOrigin?)
    {
        if let urlDigest {
            if let key = shared.urls[urlDigest] { return (key, .sameLink, pendingOrigin(key)) }
            if shared.links.mayHaveStory(urlDigest) {
                let statement = shared.statements.storyByLink
                try statement.bind(.int(urlDigest))
                defer { statement.reset() }
                if try statement.step() {
                    let key = statement.text(0)
                    return (
                        key, .sameLink,
                        StoryOrigin(storyKey: key, feedID: statement.optionalText(1), title: statement.optionalText(2))
                    )
                }
            }
        }
        let summary = entry.text.teaser
        let fingerprint = prepared?.fingerprint
            ?? StoryFingerprint(titleWords: titleWords.words, summary: summary, linkIdentity: identity.urlIdentity)
        let at = identity.date?.timeIntervalSince1970 ?? now
        // An empty index (the store on a first poll, or no story started yet in this batch) costs a hash per
        // look-up for nothing.
        let figures = prepared?.figures ?? StoryFingerprint.specificFigures(titleWords.words)
        if let (match, isPending) = bestMatch(
            for: fingerprint, titleWords: &titleWords, figures: figures, at: at, hasBoilerplateTeaser: hasBoilerplateTeaser)
        {
            if match.evidence.followsPlaceholder {
                follow(match, isPending: isPending, report: fingerprint, at: at, title: ItemIdentity.plainTitle(of: entry))
            }
            var origin = pendingOrigin(match.story.key)
            if origin == nil, needsOrigin { origin = try storedOrigin(id: match.story.id, key: match.story.key) }
            var evidence = match.evidence
            evidence.sharedTerms = StoryFingerprint.sharedWords(
                titleWords: titleWords.words, summary: summary, with: match.story.fingerprint, limit: 8)
            return (match.story.key, .sameText(evidence), origin)
        }
        let key = ItemIdentity.foundedStoryKey(urlIdentity: identity.urlIdentity, feedID: feed.id, itemKey: identity.key)
        let title = String(ItemIdentity.plainTitle(of: entry).prefix(300))
        shared.pending.add(
            StoryIndex.Story(id: Int64(shared.pending.count), key: key, at: at, feedID: feed.id, fingerprint: fingerprint))
        shared.origins[key] = StoryOrigin(storyKey: key, feedID: feed.id, title: title)
        plan.newStories.append(PendingStory(key: key, fingerprint: fingerprint, at: at, feedID: feed.id, title: title))
        return (key, .founded, nil)
    }

    /// The story the fingerprint copies, over the committed index and the batch's new stories, and whether it is one
    /// of the batch's. The finder (which holds copies of both indexes) ends here, before `pending` grows: a copy alive
    /// then would make the append copy the whole pending index.
    private func bestMatch(
        for fingerprint: StoryFingerprint, titleWords: inout TitleWords, figures: [UInt64], at: Double,
        hasBoilerplateTeaser: Bool
    ) -> (match: StoryFinder.Match, isPending: Bool)? {
        // Only the indexes that hold stories; the first searched uses the first counter's lists (``SearchLists``).
        var indexes: [StoryIndex] = []
        indexes.reserveCapacity(2)
        if index.count > 0 { indexes.append(index) }
        if shared.pending.count > 0 { indexes.append(shared.pending) }
        let counters = index.count > 0 ? shared.counters : shared.pendingCounters
        let finder = StoryFinder(indexes: indexes, counters: counters, window: configuration.storyWindow.seconds)
        // The headline's words are worked out only for an item with no teaser to compare.
        let match = finder.bestMatch(
            for: fingerprint, headline: StoryFingerprint.headlineWords(titleWords.words),
            figures: figures, at: at, feedID: feed.id, hasBoilerplateTeaser: hasBoilerplateTeaser,
            followedPlaceholders: shared.followedPlaceholders)
        return match.map { ($0, index.count == 0 || $0.index == 1) }
    }

    /// The report follows the placeholder story it matched: the story takes the report's text
    /// (``StoryFingerprint/followed(by:)``) and no other report. One of this batch's stories changes in the batch's
    /// index and is committed so; a committed one is updated by the commit (``DedupPlan/storyUpgrades``), and until
    /// then the report's own text stands for it in the batch's index, so that its copies find the story.
    private mutating func follow(
        _ match: StoryFinder.Match, isPending: Bool, report: StoryFingerprint, at: Double, title: String
    ) {
        let key = match.story.key
        let followed = match.story.fingerprint.followed(by: report)
        let title = String(title.prefix(300))
        shared.followedPlaceholders.insert(key)
        if isPending {
            shared.pending.absorb(slot: match.slot, fingerprint: followed)
            shared.absorbed[key] = (followed, title)
        } else {
            shared.pending.add(
                StoryIndex.Story(id: Int64(shared.pending.count), key: key, at: at, feedID: feed.id, fingerprint: report))
            plan.storyUpgrades.append(StoryUpgrade(storyKey: key, fingerprint: followed, title: title))
        }
    }

    private func pendingOrigin(_ key: String) -> StoryOrigin? {
        shared.origins[key]
    }

    private func storedOrigin(id: Int64, key: String) throws(DedupError) -> StoryOrigin {
        let statement = shared.statements.storyOrigin
        try statement.bind(.int(id))
        defer { statement.reset() }
        guard try statement.step() else { return StoryOrigin(storyKey: key, feedID: nil, title: nil) }
        return StoryOrigin(storyKey: key, feedID: statement.optionalText(0), title: statement.optionalText(1))
    }

    private struct KnownItem {
        var storyKey: String
        var titleDigest: Int64
        var lastSeen: Double
        var firstSeen: Double = 0
        /// Recorded from an alert in the spool (``DedupStore/recoveredJoin``).
        var isRecovered = false
    }

    private func seenItem(key: String) throws(DedupError) -> KnownItem? {
        let statement = shared.statements.itemByKey
        try statement.bind(.text(feed.id), .text(key))
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return KnownItem(
            storyKey: statement.text(0), titleDigest: statement.int64(1), lastSeen: statement.double(2),
            firstSeen: statement.double(3), isRecovered: statement.optionalText(4) == DedupStore.recoveredJoin)
    }

    /// The feed's item with this link identity: the first by key whose story exists.
    private func seenItem(urlDigest: Int64) throws(DedupError) -> KnownItem? {
        var isListed = false
        if shared.statements.hasLinkExceptions {
            let listed = shared.statements.linkException
            try listed.bind(.text(feed.id), .int(urlDigest))
            isListed = try listed.step()
            listed.reset()
        }
        let statement = isListed ? shared.statements.itemByLinkScan : shared.statements.itemByLink
        try statement.bind(.text(feed.id), .int(urlDigest))
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return KnownItem(storyKey: statement.text(0), titleDigest: statement.int64(1), lastSeen: statement.double(2))
    }

    /// The feed that raised the alert, if it exists.
    private func alertFeed(id: String) throws(DedupError) -> String? {
        let statement = shared.statements.alertFeed
        try statement.bind(.text(id))
        defer { statement.reset() }
        return try statement.step() ? statement.text(0) : nil
    }
}

/// An entry's title split into normalized words (``TextNormalization/TextNormalizer/words(in:)``) when first needed,
/// once: an entry prepared ahead needs them only to explain a copy or to judge a headline-only item.
private struct TitleWords {
    private let entry: FeedEntry
    private var split: [String]?

    init(_ entry: FeedEntry) {
        self.entry = entry
    }

    var words: [String] {
        mutating get {
            if let split { return split }
            let words = TextNormalizer.words(in: ItemIdentity.plainTitle(of: entry))
            split = words
            return words
        }
    }
}

/// The statements a planner runs per entry. The connection caches prepared statements by their SQL; finding
/// one hashes and compares that text, so a batch takes each once.
struct PlanStatements {
    /// The feed's item with this key, with its story's key and how it joined.
    let itemByKey: SQLiteStatement
    /// The feed's item with this link identity, through the link's story (schema v6). `INDEXED BY`: without
    /// statistics SQLite might rather scan the feed's whole primary-key range, a cost that grows with the store.
    let itemByLink: SQLiteStatement
    /// Whether the feed's link is listed in `link_exceptions`, where `itemByLink` may not find its item.
    let linkException: SQLiteStatement
    /// Whether any link is listed, in the batch's read transaction: most stores list none.
    let hasLinkExceptions: Bool
    /// The feed's item with this link identity by a scan of the feed's items: only for a listed link.
    let itemByLinkScan: SQLiteStatement
    /// The story carrying a link identity, with its first report's feed and title.
    let storyByLink: SQLiteStatement
    /// A committed story's first feed and title.
    let storyOrigin: SQLiteStatement
    /// The feed that raised an alert.
    let alertFeed: SQLiteStatement

    init(_ db: SQLiteConnection) throws(DedupError) {
        itemByKey = try db.statement(
            """
            SELECT s.story_key, i.title_digest, i.last_seen, i.first_seen, i.joined
            FROM seen_items i JOIN stories s ON s.story_id = i.story_id WHERE i.feed_id = ? AND i.item_key = ?
            """)
        itemByLink = try db.statement(
            """
            SELECT s.story_key, i.title_digest, i.last_seen FROM story_urls u
            JOIN seen_items i INDEXED BY seen_items_story
                ON i.story_id = u.story_id AND i.feed_id = ?1 AND i.url_digest = u.url_digest
            JOIN stories s ON s.story_id = i.story_id
            WHERE u.url_digest = ?2 ORDER BY i.item_key LIMIT 1
            """)
        linkException = try db.statement("SELECT 1 FROM link_exceptions WHERE feed_id = ? AND url_digest = ?")
        hasLinkExceptions = try db.scalarInt("SELECT EXISTS (SELECT 1 FROM link_exceptions)") == 1
        itemByLinkScan = try db.statement(
            """
            SELECT s.story_key, i.title_digest, i.last_seen
            FROM seen_items i JOIN stories s ON s.story_id = i.story_id
            WHERE i.feed_id = ? AND i.url_digest = ? ORDER BY i.item_key LIMIT 1
            """)
        storyByLink = try db.statement(
            """
            SELECT s.story_key, s.feed_id, s.title FROM story_urls u JOIN stories s ON s.story_id = u.story_id
            WHERE u.url_digest = ?
            """)
        storyOrigin = try db.statement("SELECT feed_id, title FROM stories WHERE story_id = ?")
        alertFeed = try db.statement("SELECT feed_id FROM alerts WHERE alert_id = ?")
    }
}
