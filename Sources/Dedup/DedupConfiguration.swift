/// Tuning of the dedup store. Every property has a default suited to the daemon.
public struct DedupConfiguration: Sendable, Hashable {
    /// How far apart (by item date) two texts may be and still be one story. The default is 72 hours.
    ///
    /// Only the near-duplicate text fingerprint is windowed; the same canonical URL is the same story
    /// for as long as the story is kept.
    public var storyWindow: Duration
    /// Seen items, stories and alerts not seen for this long are pruned. Items whose own date is older
    /// than this are never alerted (they would have been pruned). The default is 90 days.
    public var retention: Duration
    /// Near-duplicate threshold on the verified similarity (0…1) of two fingerprints. The default is 0.45.
    public var similarityThreshold: Double
    /// An item still present in its feed has its last-seen time refreshed at most this often, so that
    /// it is pruned only this long after it left the feed. The default is 24 hours.
    public var refreshInterval: Duration
    /// `true` for `synchronous=FULL` (an fsync per commit); `false` for `NORMAL`, which in WAL mode can
    /// lose the last commits on power loss but never corrupts. The default is `false`: the spool, not the
    /// store, is the durable record of alerts, and a lost commit only re-plans the same alert ids.
    public var isFullySynchronous: Bool
    /// How long a writer waits for a lock held by another connection. The default is 5 seconds.
    public var busyTimeout: Duration
    /// SQLite page cache per connection, in KiB. The default is 2 048 (2 MiB): the B-tree pages every look-up
    /// passes and the recent leaves; the operating system caches the rest of the file, and a larger cache only
    /// adds to the resident size. It bounds what one plan and its commit hold: each commit releases the cache.
    /// 8 MiB cost no less CPU per new item at a million seen items (`bench-dedup --seeded`) and held 0.8 MB more
    /// at the end of a cold poll's commit of 100 feeds (docs/performance.md, the `rss-100b` branch).
    public var cacheSizeKiB: Int
    /// WAL pages after which a commit copies the WAL into the database and fsyncs it (`wal_autocheckpoint`).
    /// The default is 10 000 (about 40 MB of WAL): SQLite's 1 000 made every few commits of a large store
    /// write and fsync the same index pages again; a power loss may take back the commits since the last
    /// checkpoint (``isFullySynchronous`` false), which the spool reconciliation covers.
    public var checkpointPages: Int

    public init(
        storyWindow: Duration = .seconds(72 * 3600),
        retention: Duration = .seconds(90 * 86_400),
        similarityThreshold: Double = 0.45,
        refreshInterval: Duration = .seconds(86_400),
        isFullySynchronous: Bool = false,
        busyTimeout: Duration = .seconds(5),
        cacheSizeKiB: Int = 2_048,
        checkpointPages: Int = 10_000
    ) {
        self.storyWindow = storyWindow
        self.retention = retention
        self.similarityThreshold = similarityThreshold
        self.refreshInterval = refreshInterval
        self.isFullySynchronous = isFullySynchronous
        self.busyTimeout = busyTimeout
        self.cacheSizeKiB = cacheSizeKiB
        self.checkpointPages = checkpointPages
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
