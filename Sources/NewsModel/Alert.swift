#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// One alert: a story matched a topic (schema version 1 of docs/spool-format.md).
public struct Alert: Sendable, Hashable, Codable {
    public var version: Int
    /// Stable digest of story key and topic id: the same alert always gets the same id.
    public var id: String
    public var topic: String
    public var topicTitle: String
    public var detectedAt: Date
    public var feed: String
    public var feedURL: String
    public var item: AlertItem
    public var why: [MatchEvidence]
    public var story: String
    public var alsoIn: [String]

    public init(
        id: String,
        topic: String,
        topicTitle: String,
        detectedAt: Date,
        feed: String,
        feedURL: String,
        item: AlertItem,
        why: [MatchEvidence],
        story: String,
        alsoIn: [String] = []
    ) {
        self.version = 1
        self.id = id
        self.topic = topic
        self.topicTitle = topicTitle
        self.detectedAt = detectedAt
        self.feed = feed
        self.feedURL = feedURL
        self.item = item
        self.why = why
        self.story = story
        self.alsoIn = alsoIn
    }

    enum CodingKeys: String, CodingKey {
        case version, id, topic
        case topicTitle = "topic_title"
        case detectedAt = "detected_at"
        case feed
        case feedURL = "feed_url"
        case item, why, story
        case alsoIn = "also_in"
    }
}

/// The item an alert is about.
public struct AlertItem: Sendable, Hashable, Codable {
    public var title: String
    public var link: String?
    public var id: String
    public var published: Date?
    /// Plain text, at most 500 characters.
    public var summary: String

    public init(title: String, link: String?, id: String, published: Date?, summary: String) {
        self.title = title
        self.link = link
        self.id = id
        self.published = published
        self.summary = summary
    }
}

/// Why a topic matched: one rule term that hit, the field it hit in, and the surface text.
public struct MatchEvidence: Sendable, Hashable, Codable {
    /// The rule term (normalized), e.g. `nato russland rat` or `*aufmarsch*`.
    public var term: String
    /// `title`, `summary`, `content` or `category`.
    public var field: String
    /// The words of the item as written.
    public var text: String

    public init(term: String, field: String, text: String) {
        self.term = term
        self.field = field
        self.text = text
    }
}
