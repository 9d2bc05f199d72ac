import Foundation

extension DedupStore {
    /// Records plans in one transaction: seen items, stories, alerts and `also_in` copies (one plan: the
    /// `commit(_:)` of ``StoryStore``).
    ///
    /// Call it only after every alert of the plans is durable in the spool. Committing is idempotent
    /// for alerts and items (a second commit of the same plan, or of a plan that raced with another
    /// feed's, records nothing twice). The plans of one batch (``plan(batch:now:)``) are written stories
    /// first, since a plan may join a story another plan of the batch starts, then items, alerts, copies.
    ///
    /// - Throws: ``DedupError``; on error nothing of any plan is recorded.
    public func commit(_ plans: [DedupPlan]) throws(DedupError) {
        _ = try commit(plans, when: { true })
    }

    /// ``commit(_:)`` with the plans written in the transaction while the caller makes their alerts durable:
    /// `isDurable` is called after the writes, before `COMMIT`; when it returns false the transaction is rolled
    /// back and nothing is recorded (the ``StoryStore`` requirement).
    public func commit(_ plans: [DedupPlan], when isDurable: () -> Bool) throws(DedupError) -> Bool {
        try withIndexedConnection { db, index, links throws(DedupError) -> Bool in
            var isAbandoned = false
            let committed: [StoryIndex.Story]
            let insertedLinks: [Int64]
            let upgraded: [(id: Int64, fingerprint: StoryFingerprint)]
            do throws(DedupError) {
                (committed, insertedLinks, upgraded) = try db.transaction {
                    () throws(DedupError) -> ([StoryIndex.Story], [Int64], [(id: Int64, fingerprint: StoryFingerprint)]) in
                    var writer = try PlanWriter(db: db)
                    var committed: [StoryIndex.Story] = []
                    for plan in plans { committed += try writer.writeStories(plan) }
                    var upgraded: [(id: Int64, fingerprint: StoryFingerprint)] = []
                    for plan in plans { upgraded += try writer.writeUpgrades(plan) }
                    let insertedLinks = try writer.writeItems(plans)
                    for plan in plans { try writer.writeAlerts(plan) }
                    for plan in plans { try writer.writeCopies(plan) }
                    guard isDurable() else {
                        isAbandoned = true
                        throw DedupError(code: .invalidArgument, message: "the plans' alerts are not durable", path: db.path)
                    }
                    return (committed, insertedLinks, upgraded)
                }
            } catch {
                if isAbandoned { return false }
                throw error
            }
            links.insert(insertedLinks)
            // The pages read and written are not kept past the commit: the next plan reads the few it needs again
            // (B-tree roots and inner pages, from the operating system's cache), and the index grows below into
            // the memory they held. A cold poll of 100 feeds peaked 2.3 MB lower, idle daemons hold no cache.
            // When they were many (a batch's commit), the heap's free pages go back to the system before the
            // index grows: its tables are mapped anew, and could not reuse them (100 feeds: 0.5 MB lower).
            if db.releaseCache() >= HeapRelease.threshold { HeapRelease.trim() }
            // Only what is durable enters the index; a story older than its horizon is never matched anyway.
            if index != nil {
                for story in committed where story.at >= index!.horizon { index!.add(story) }
                for (id, fingerprint) in upgraded {
                    if let slot = index!.slot(ofID: id) { index!.absorb(slot: slot, fingerprint: fingerprint) }
                }
            }
            return true
        }
    }
}

/// The statements of a commit, inside its transaction.
private struct PlanWriter {
    let db: SQLiteConnection
    private let stories: StoryRows
    private var storyIDs: [String: Int64] = [:]

    init(db: SQLiteConnection) throws(DedupError) {
        self.db = db
        stories = try StoryRows(db)
    }

    mutating func storyID(_ key: String, feedID: String) throws(DedupError) -> Int64 {
        guard let id = try storedID(key) else {
            throw DedupError(
                code: .invalidArgument, message: "feed \(feedID): plan refers to unknown story \(key)", path: db.path)
        }
        return id
    }

    /// The id of the stored story with this key, if any (remembered for the rest of the commit).
    private mutating func storedID(_ key: String) throws(DedupError) -> Int64? {
        if let id = storyIDs[key] { return id }
        let id = try stories.id(ofKey: key)
        storyIDs[key] = id
        return id
    }

    /// The feed's first poll and the stories the plan starts; returns those newly inserted.
    mutating func writeStories(_ plan: DedupPlan) throws(DedupError) -> [StoryIndex.Story] {
        let now = plan.now.timeIntervalSince1970
        if plan.isFirstPoll {
            try db.statement("INSERT OR IGNORE INTO feed_polls (feed_id, first_poll_at) VALUES (?, ?)")
                .bind(.text(plan.feedID), .double(now)).run()
        }
        var committed: [StoryIndex.Story] = []
        for story in plan.newStories {
            let (id, inserted) = try stories.insert(
                key: story.key, fingerprint: .blob(story.fingerprint.blob), feedID: story.feedID, title: story.title,
                at: story.at, now: now)
            storyIDs[story.key] = id
            // A story recorded from the spool without its first report (``DedupStore/recover(_:now:)``) gets it from
            // the plan that founds it again.
            var isFilled = false
            if !inserted {
                isFilled = try stories.fillFirstReport(
                    id: id, fingerprint: .blob(story.fingerprint.blob), feedID: story.feedID, title: story.title, at: story.at)
            }
            if inserted || isFilled {
                committed.append(
                    StoryIndex.Story(id: id, key: story.key, at: story.at, feedID: story.feedID, fingerprint: story.fingerprint))
            }
        }
        return committed
    }

    /// The committed placeholder stories whose reports the plan followed: their new fingerprint and title (the story
    /// keeps its key, date and first feed). Returns their ids and fingerprints, for the index.
    mutating func writeUpgrades(_ plan: DedupPlan) throws(DedupError) -> [(id: Int64, fingerprint: StoryFingerprint)] {
        guard !plan.storyUpgrades.isEmpty else { return [] }
        let update = try db.statement("UPDATE stories SET fingerprint = ?, title = ? WHERE story_id = ?")
        var upgraded: [(id: Int64, fingerprint: StoryFingerprint)] = []
        for upgrade in plan.storyUpgrades {
            let id = try storyID(upgrade.storyKey, feedID: plan.feedID)
            try update.bind(.blob(upgrade.fingerprint.blob), .text(upgrade.title), .int(id)).run()
            upgraded.append((id, upgrade.fingerprint))
        }
        return upgraded
    }

    /// Links, seen items, changed titles and last-seen times, of all plans together. Links, items and touched
    /// stories are written in the order of their keys (link digest, story id, story id), not plan by plan: the
    /// link and story tables and the items' story index are keyed by values spread over the whole table, and a
    /// chunk of 64 feeds written in plan order touched their pages in random order, reading and writing each page
    /// again when the page cache had let it go (2,000 feeds: twice the WAL frames). The rows are the same; an
    /// item's link check sees every link of the commit (a link another plan maps later in plan order is no longer
    /// listed as an exception, which it never needed).
    ///
    /// - Returns: The digests of the links inserted into `story_urls`.
    mutating func writeItems(_ plans: [DedupPlan]) throws(DedupError) -> [Int64] {
        let insertURL = try db.statement("INSERT OR IGNORE INTO story_urls (url_digest, story_id) VALUES (?, ?)")
        var links: [(digest: Int64, storyID: Int64)] = []
        for plan in plans {
            for url in plan.storyURLs { links.append((url.digest, try storyID(url.storyKey, feedID: plan.feedID))) }
        }
        // Stable: a link two plans map keeps its first plan's story, as in plan order.
        links = links.enumerated().sorted { ($0.element.digest, $0.offset) < ($1.element.digest, $1.offset) }.map(\.element)
        // The links this commit maps to a story: an item of that story with the link needs no check below.
        var linked: [Int64: Int64] = [:]
        for link in links {
            try insertURL.bind(.int(link.digest), .int(link.storyID)).run()
            if db.changes > 0 { linked[link.digest] = link.storyID }
        }
        var items: [(storyID: Int64, plan: Int, item: Int)] = []
        for (number, plan) in plans.enumerated() {
            for (position, item) in plan.itemInserts.enumerated() {
                items.append((try storyID(item.storyKey, feedID: plan.feedID), number, position))
            }
        }
        items.sort { ($0.storyID, $0.plan, $0.item) < ($1.storyID, $1.plan, $1.item) }
        let insertItem = try db.statement(
            """
            INSERT OR IGNORE INTO seen_items
                (feed_id, item_key, url_digest, title_digest, story_id, first_seen, last_seen, joined)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let exceptions = try LinkExceptions(db)
        // The plan's fields are read in place, not through a copy of the plan per item (a retain and a release of
        // each of its arrays, for every item of the batch).
        for (storyID, number, position) in items {
            let feedID = plans[number].feedID
            let now = plans[number].now.timeIntervalSince1970
            let urlDigest = plans[number].itemInserts[position].urlDigest
            try insertItem.bind(
                .text(feedID), .text(plans[number].itemInserts[position].itemKey), .optionalInt(urlDigest),
                .int(plans[number].itemInserts[position].titleDigest), .int(storyID), .double(now), .double(now),
                plans[number].itemInserts[position].joined.map(SQLiteValue.text) ?? .null
            ).run()
            if let urlDigest, linked[urlDigest] == storyID { continue }
            try exceptions.check(feedID: feedID, urlDigest: urlDigest, storyID: storyID)
        }
        let updateTitle = try db.statement(
            "UPDATE seen_items SET title_digest = ?, last_seen = ? WHERE feed_id = ? AND item_key = ?")
        let refresh = try db.statement(
            "UPDATE seen_items SET last_seen = ? WHERE feed_id = ? AND item_key = ? AND last_seen < ?")
        var touched: [(id: Int64, now: Double)] = []
        for plan in plans {
            let now = plan.now.timeIntervalSince1970
            for item in plan.titleUpdates {
                try updateTitle.bind(.int(item.titleDigest), .double(now), .text(plan.feedID), .text(item.itemKey)).run()
            }
            for key in plan.refreshedItems {
                try refresh.bind(.double(now), .text(plan.feedID), .text(key), .double(now)).run()
            }
            for key in Set(plan.touchedStories + plan.titleUpdates.map(\.storyKey)) {
                // A story the plan names but the store lost (pruned since) is left alone, as before.
                if let id = try storedID(key) { touched.append((id, now)) }
            }
        }
        // A touch keeps the later time only, so the order of two touches of one story does not matter.
        touched.sort { ($0.id, $0.now) < ($1.id, $1.now) }
        var previous: (id: Int64, now: Double)?
        for touch in touched where previous.map({ $0 != touch }) ?? true {
            try stories.touch(id: touch.id, now: touch.now)
            previous = touch
        }
        return Array(linked.keys)
    }

    /// The alerts raised. An alert another plan already recorded makes this feed a later copy.
    mutating func writeAlerts(_ plan: DedupPlan) throws(DedupError) {
        let now = plan.now.timeIntervalSince1970
        let insertAlert = try db.statement(
            """
            INSERT OR IGNORE INTO alerts (alert_id, story_id, topic, feed_id, item_key, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        for alert in plan.alerts {
            let item = plan.items[alert.entryIndex]
            try insertAlert.bind(
                .text(alert.id), .int(try storyID(alert.storyKey, feedID: plan.feedID)), .text(alert.topic),
                .text(plan.feedID), .text(item.identity.key), .double(now)
            ).run()
            if db.changes == 0 {
                // Another feed's plan raised the same alert since this plan was made: this feed becomes a
                // later copy (the spool write of the same id was idempotent).
                try insertCopy.bind(.text(alert.id), .text(plan.feedID), .text(item.identity.key), .double(now)).run()
            }
        }
    }

    /// Later copies of alerted stories (`also_in`).
    func writeCopies(_ plan: DedupPlan) throws(DedupError) {
        let now = plan.now.timeIntervalSince1970
        for copy in plan.copies {
            let item = plan.items[copy.entryIndex]
            try insertCopy.bind(.text(copy.alertID), .text(plan.feedID), .text(item.identity.key), .double(now)).run()
        }
    }

    private var insertCopy: SQLiteStatement {
        get throws(DedupError) {
            try db.statement(
                """
                INSERT OR IGNORE INTO alert_copies (alert_id, feed_id, item_key, seen_at)
                SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS (SELECT 1 FROM alerts WHERE alert_id = ?1 AND feed_id = ?2)
                """)
        }
    }
}
