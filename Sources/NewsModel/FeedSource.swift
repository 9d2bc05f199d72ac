/// One `[[feed]]` of feeds.conf, with the defaults already applied.
public struct FeedSource: Sendable, Hashable, Codable {
    /// Unique id, used in logs, alerts and state.
    public var id: String
    /// `http`, `https` or `file` URL as written in feeds.conf.
    public var url: String
    /// Poll interval (jitter is added by the scheduler). The default is 10 minutes.
    public var interval: Duration
    /// Language hint ("de", "en"). The default is none.
    public var language: String?
    /// IANA time-zone name for dates that carry no zone. The default is none (UTC).
    public var timeZone: String?
    /// Disabled feeds are kept in the file but never polled. The default is `true`.
    public var isEnabled: Bool
    /// Hard deadline for one fetch. The default is 20 seconds.
    public var timeout: Duration
    /// Largest body kept, in bytes. The default is 10 MB.
    public var maxBytes: Int
    /// What the first successful poll alerts on. The default is 24 hours.
    public var backfill: Backfill

    public init(
        id: String,
        url: String,
        interval: Duration = .seconds(600),
        language: String? = nil,
        timeZone: String? = nil,
        isEnabled: Bool = true,
        timeout: Duration = .seconds(20),
        maxBytes: Int = 10_000_000,
        backfill: Backfill = .window(.seconds(86_400))
    ) {
        self.id = id
        self.url = url
        self.interval = interval
        self.language = language
        self.timeZone = timeZone
        self.isEnabled = isEnabled
        self.timeout = timeout
        self.maxBytes = maxBytes
        self.backfill = backfill
    }
}

/// Which items the first successful poll of a feed alerts on.
public enum Backfill: Sendable, Hashable, Codable {
    /// Alert on every item present.
    case all
    /// Alert only on items newer than this; `.zero` marks all present items seen silently.
    case window(Duration)
}

/// One `[[topic]]` of feeds.conf.
public struct TopicDefinition: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    /// The rule expression as written.
    public var rule: String
    /// Where the rule text starts in feeds.conf (1-based), for error positions; nil when unknown.
    public var ruleLine: Int?
    public var ruleColumn: Int?
    /// The named parts (`[define]` of feeds.conf) the rule may refer to as `@name`. The default is none.
    public var definitions: [RuleDefinition]

    public init(
        id: String, title: String, rule: String, ruleLine: Int? = nil, ruleColumn: Int? = nil,
        definitions: [RuleDefinition] = []
    ) {
        self.id = id
        self.title = title
        self.rule = rule
        self.ruleLine = ruleLine
        self.ruleColumn = ruleColumn
        self.definitions = definitions
    }
}

/// One named part of the rules: an entry `name = rule` of the `[define]` table of feeds.conf.
///
/// Any topic's rule (and any other part) refers to it as `@name`; the reference stands for the
/// part's rule in parentheses.
public struct RuleDefinition: Sendable, Hashable, Codable {
    /// Letters, digits, `-` and `_`.
    public var name: String
    /// The rule expression as written.
    public var rule: String
    /// Where the rule text starts in feeds.conf (1-based), for error positions; nil when unknown.
    public var ruleLine: Int?
    public var ruleColumn: Int?

    public init(name: String, rule: String, ruleLine: Int? = nil, ruleColumn: Int? = nil) {
        self.name = name
        self.rule = rule
        self.ruleLine = ruleLine
        self.ruleColumn = ruleColumn
    }
}
