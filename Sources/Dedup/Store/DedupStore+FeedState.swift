import Foundation

extension DedupStore {
    private static let feedColumns = """
        feed_id, url, moved_to_url, etag, last_modified, last_status, consecutive_errors, next_due,
        last_attempt, last_success, last_item_count, gone_since, retry_after, last_error, recovered_documents
        """

    /// The stored state of one feed, or `nil` when it was never saved.
    public func feedState(id: String) throws(DedupError) -> StoredFeedState? {
        try withConnection { db throws(DedupError) in
            let statement = try db.statement("SELECT \(Self.feedColumns) FROM feeds WHERE feed_id = ?")
            try statement.bind(.text(id))
            defer { statement.reset() }
            return try statement.step() ? Self.feedState(from: statement) : nil
        }
    }

    /// Inserts or replaces the state of `state.feedID`.
    public func saveFeedState(_ state: StoredFeedState) throws(DedupError) {
        try withConnection { db throws(DedupError) in try save(state, db) }
    }

    /// Inserts or replaces the states of several feeds in one transaction: `newsmon once` saves a chunk's 64 at a
    /// time, where a transaction each wrote the same pages to the WAL 64 times.
    public func saveFeedStates(_ states: [StoredFeedState]) throws(DedupError) {
        guard !states.isEmpty else { return }
        try withConnection { db throws(DedupError) in
            try db.transaction { () throws(DedupError) in
                for state in states { try save(state, db) }
            }
        }
    }

    private func save(_ state: StoredFeedState, _ db: SQLiteConnection) throws(DedupError) {
        try db.statement(
            "INSERT OR REPLACE INTO feeds (\(Self.feedColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ).bind(
            .text(state.feedID), .text(state.url), .optionalText(state.movedToURL), .optionalText(state.etag),
            .optionalText(state.lastModified), .optionalInt(state.lastStatus.map(Int64.init)),
            .int(Int64(state.consecutiveErrors)), date(state.nextDue), date(state.lastAttempt),
            date(state.lastSuccess), .optionalInt(state.lastItemCount.map(Int64.init)), date(state.goneSince),
            date(state.retryAfter), .optionalText(state.lastError), .int(Int64(state.recoveredDocuments))
        ).run()
    }

    /// Every stored feed state, ordered by feed id.
    public func allFeedStates() throws(DedupError) -> [StoredFeedState] {
        try withConnection { db throws(DedupError) in
            let statement = try db.statement("SELECT \(Self.feedColumns) FROM feeds ORDER BY feed_id")
            var states: [StoredFeedState] = []
            while try statement.step() { states.append(Self.feedState(from: statement)) }
            return states
        }
    }

    /// Removes the stored state of a feed (not its seen items, which age out).
    public func removeFeedState(id: String) throws(DedupError) {
        try withConnection { db throws(DedupError) in
            try db.statement("DELETE FROM feeds WHERE feed_id = ?").bind(.text(id)).run()
        }
    }

    private func date(_ value: Date?) -> SQLiteValue {
        .optionalDouble(value?.timeIntervalSince1970)
    }

    private static func feedState(from s: SQLiteStatement) -> StoredFeedState {
        func date(_ column: Int32) -> Date? { s.optionalDouble(column).map(Date.init(timeIntervalSince1970:)) }
        return StoredFeedState(
            feedID: s.text(0), url: s.text(1), movedToURL: s.optionalText(2), etag: s.optionalText(3),
            lastModified: s.optionalText(4), lastStatus: s.optionalInt64(5).map(Int.init),
            consecutiveErrors: Int(s.int64(6)), nextDue: date(7), lastAttempt: date(8), lastSuccess: date(9),
            lastItemCount: s.optionalInt64(10).map(Int.init), goneSince: date(11), retryAfter: date(12),
            lastError: s.optionalText(13), recoveredDocuments: Int(s.int64(14)))
    }
}
