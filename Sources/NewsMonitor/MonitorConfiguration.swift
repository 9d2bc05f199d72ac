public import NewsModel

/// Everything feeds.conf says: defaults, feeds and topics.
public struct MonitorConfiguration: Sendable, Hashable {
    /// Values applied to every feed that does not override them.
    public var defaults: FeedSource
    /// Feeds in file order, defaults applied.
    public var feeds: [FeedSource]
    /// Topics in file order.
    public var topics: [TopicDefinition]

    public init(defaults: FeedSource = FeedSource(id: "", url: ""), feeds: [FeedSource] = [], topics: [TopicDefinition] = []) {
        self.defaults = defaults
        self.feeds = feeds
        self.topics = topics
    }
}
