public import NewsModel

/// Everything feeds.conf says: defaults, feeds, topics and daemon settings.
///
/// Read it with ``MonitorConfiguration/load(path:)`` or ``MonitorConfiguration/parse(text:fileName:)``.
public struct MonitorConfiguration: Sendable, Hashable, Codable {
    /// Values applied to every feed that does not override them (`[defaults]`).
    public var defaults: FeedSource
    /// Feeds in file order, defaults applied (`[[feed]]`).
    public var feeds: [FeedSource]
    /// Topics in file order (`[[topic]]`).
    public var topics: [TopicDefinition]
    /// Settings of the daemon as a whole (`[daemon]`).
    public var daemon: DaemonSettings

    public init(
        defaults: FeedSource = FeedSource(id: "", url: ""),
        feeds: [FeedSource] = [],
        topics: [TopicDefinition] = [],
        daemon: DaemonSettings = DaemonSettings()
    ) {
        self.defaults = defaults
        self.feeds = feeds
        self.topics = topics
        self.daemon = daemon
    }
}

/// The `[daemon]` section of feeds.conf.
public struct DaemonSettings: Sendable, Hashable, Codable {
    /// At most this many fetches run at once, over all feeds (`max_in_flight`). The default is 8.
    public var maxInFlight: Int
    /// At most this many fetches run at once against one host (`max_per_host`). The default is 2.
    public var maxPerHost: Int
    /// Seen-item records older than this are pruned (`retention`). The default is 90 days.
    public var retention: Duration
    /// Copies of a story within this window count as the same story (`story_window`). The default is 72 hours.
    public var storyWindow: Duration

    public init(
        maxInFlight: Int = 8,
        maxPerHost: Int = 2,
        retention: Duration = .seconds(90 * 86_400),
        storyWindow: Duration = .seconds(72 * 3600)
    ) {
        self.maxInFlight = maxInFlight
        self.maxPerHost = maxPerHost
        self.retention = retention
        self.storyWindow = storyWindow
    }
}
