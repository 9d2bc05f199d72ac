public import Foundation

extension DedupStore {
    /// Records the configured topics, each with when it was first matched against; returns the topics new to
    /// the store.
    ///
    /// A topic new to a store that already knows topics is dated `now`: items seen before it are matched
    /// against it once (an alert for those within their feed's backfill window, unless the story has one),
    /// and every feed's validators are dropped so that its next poll brings the whole document again. The
    /// first topics a store ever records (a new store, or one from before schema v4) date from the beginning:
    /// nothing seen before alerts again.
    @discardableResult
    public func registerTopics(_ ids: [String], now: Date) throws(DedupError) -> [String] {
        try withConnection { db throws(DedupError) -> [String] in
            try db.transaction { () throws(DedupError) -> [String] in
                let isFirst = (try db.scalarInt("SELECT count(*) FROM topics") ?? 0) == 0
                let insert = try db.statement("INSERT OR IGNORE INTO topics (topic_id, first_seen) VALUES (?, ?)")
                var added: [String] = []
                for id in Set(ids).sorted() {
                    try insert.bind(.text(id), .double(isFirst ? 0 : now.timeIntervalSince1970)).run()
                    if db.changes > 0 { added.append(id) }
                }
                if !isFirst, !added.isEmpty {
                    try db.exec("UPDATE feeds SET etag = NULL, last_modified = NULL")
                }
                return isFirst ? [] : added
            }
        }
    }
}
