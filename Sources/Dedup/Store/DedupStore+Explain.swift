public import Foundation

/// An item's story as the store remembers it: for `newsmon explain`.
public struct StoryExplanation: Sendable {
    /// One item of the story.
    public struct Member: Sendable, Hashable {
        public var feedID: String
        public var itemKey: String
        public var firstSeen: Date
        /// How it joined the story (``StoryJoin/description``); nil for items recorded before schema v3.
        public var joined: String?
    }

    /// One alert raised for the story.
    public struct RaisedAlert: Sendable, Hashable {
        public var id: String
        public var topic: String
        public var feedID: String
        public var itemKey: String
        public var createdAt: Date
        /// Feeds that carried a later copy.
        public var alsoIn: [String]
    }

    /// The item asked about.
    public var item: Member
    public var storyKey: String
    /// The story's first report; nil parts for stories recorded before schema v3.
    public var origin: StoryOrigin
    /// The story's date (its first item's date, else its fetch time).
    public var storyDate: Date
    /// Every item of the story, oldest first.
    public var members: [Member]
    public var alerts: [RaisedAlert]
}

extension DedupStore {
    /// The story of the item `item` of feed `feedID`, its members and alerts, and how each joined.
    ///
    /// - Parameter item: The item's key as stored (`guid:…`, `url:…`, `digest:…`), or its id (guid) or
    ///   link as the feed gives it.
    /// - Returns: nil when the feed has no such item.
    public func explain(feedID: String, item: String) throws(DedupError) -> StoryExplanation? {
        var candidates = [item, "guid:" + item]
        if let canonical = URLCanonicalizer.canonicalize(item) { candidates.append("url:" + canonical) }
        return try withConnection { db throws(DedupError) -> StoryExplanation? in
            let find = try db.statement(
                "SELECT item_key, story_id, first_seen, joined FROM seen_items WHERE feed_id = ? AND item_key = ?")
            var found: (member: StoryExplanation.Member, storyID: Int64)?
            for key in candidates where found == nil {
                try find.bind(.text(feedID), .text(key))
                if try find.step() {
                    found = (
                        StoryExplanation.Member(
                            feedID: feedID, itemKey: find.text(0), firstSeen: Date(timeIntervalSince1970: find.double(2)),
                            joined: find.optionalText(3)),
                        find.int64(1)
                    )
                }
                find.reset()
            }
            guard let found else { return nil }
            let story = try db.statement("SELECT story_key, feed_id, title, at FROM stories WHERE story_id = ?")
            try story.bind(.int(found.storyID))
            guard try story.step() else { return nil }
            let storyKey = story.text(0)
            let origin = StoryOrigin(storyKey: storyKey, feedID: story.optionalText(1), title: story.optionalText(2))
            let storyDate = Date(timeIntervalSince1970: story.double(3))
            story.reset()

            let members = try db.statement(
                "SELECT feed_id, item_key, first_seen, joined FROM seen_items WHERE story_id = ? ORDER BY first_seen, feed_id, item_key")
            try members.bind(.int(found.storyID))
            var list: [StoryExplanation.Member] = []
            while try members.step() {
                list.append(
                    StoryExplanation.Member(
                        feedID: members.text(0), itemKey: members.text(1),
                        firstSeen: Date(timeIntervalSince1970: members.double(2)), joined: members.optionalText(3)))
            }
            members.reset()

            let alerts = try db.statement(
                "SELECT alert_id, topic, feed_id, item_key, created_at FROM alerts WHERE story_id = ? ORDER BY created_at, topic")
            try alerts.bind(.int(found.storyID))
            var raised: [StoryExplanation.RaisedAlert] = []
            while try alerts.step() {
                raised.append(
                    StoryExplanation.RaisedAlert(
                        id: alerts.text(0), topic: alerts.text(1), feedID: alerts.text(2), itemKey: alerts.text(3),
                        createdAt: Date(timeIntervalSince1970: alerts.double(4)), alsoIn: []))
            }
            alerts.reset()
            let copies = try db.statement("SELECT feed_id FROM alert_copies WHERE alert_id = ? ORDER BY seen_at, feed_id")
            for index in raised.indices {
                try copies.bind(.text(raised[index].id))
                while try copies.step() { raised[index].alsoIn.append(copies.text(0)) }
                copies.reset()
            }
            return StoryExplanation(
                item: found.member, storyKey: storyKey, origin: origin, storyDate: storyDate, members: list,
                alerts: raised)
        }
    }
}
