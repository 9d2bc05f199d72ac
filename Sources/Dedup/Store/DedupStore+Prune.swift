public import Foundation

extension DedupStore {
    /// Deletes what was last seen more than ``DedupConfiguration/retention`` before `now`.
    ///
    /// Age is the only criterion: an item that left its feed stays until it is that old, and an item
    /// still in its feed is refreshed (``DedupConfiguration/refreshInterval``) and never pruned. Stories go
    /// with their last item, alerts and `also_in` records with their story. Near-duplicate index entries
    /// are dropped once they are older than twice the story window, since no new item can match them.
    ///
    /// - Returns: How many items, stories and alerts were deleted.
    @discardableResult
    public func prune(now: Date) throws(DedupError) -> PruneResult {
        let cutoff = now.timeIntervalSince1970 - configuration.retention.seconds
        let bandCutoff = now.timeIntervalSince1970 - 2 * configuration.storyWindow.seconds
        return try withConnectionForgettingLinks { db throws(DedupError) in
            try db.transaction { () throws(DedupError) in
                try db.statement("DELETE FROM seen_items WHERE last_seen < ?").bind(.double(cutoff)).run()
                let items = db.changes
                try LinkExceptions.recordBeforePruning(db, storiesLastSeenBefore: cutoff)
                try db.statement(
                    """
                    DELETE FROM stories
                    WHERE story_id IN (SELECT story_id FROM story_seen INDEXED BY story_seen_last_seen WHERE last_seen < ?)
                    """
                ).bind(.double(cutoff)).run()
                let stories = db.changes
                try db.statement("DELETE FROM story_seen WHERE last_seen < ?").bind(.double(cutoff)).run()
                try db.exec("DELETE FROM story_urls WHERE story_id NOT IN (SELECT story_id FROM stories)")
                // Fingerprints no new item can be compared with any more (dated before twice the window).
                try db.statement("UPDATE stories SET fingerprint = NULL WHERE fingerprint IS NOT NULL AND at < ?")
                    .bind(.double(bandCutoff)).run()
                try db.exec("DELETE FROM alerts WHERE story_id NOT IN (SELECT story_id FROM stories)")
                let alerts = db.changes
                try db.exec("DELETE FROM alert_copies WHERE alert_id NOT IN (SELECT alert_id FROM alerts)")
                return PruneResult(seenItems: items, stories: stories, alerts: alerts)
            }
        }
    }
}
