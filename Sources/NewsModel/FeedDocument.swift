#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A parsed RSS or Atom document: the feed's metadata and its entries, in document order.
public struct FeedDocument: Sendable, Hashable {
    /// The dialect the root element identified.
    public var format: FeedFormat
    /// Channel-level metadata.
    public var feed: FeedMetadata
    /// Entries in document order.
    public var entries: [FeedEntry]
    /// `true` when the document was not well-formed and was recovered by a lenient pass.
    public var isRecovered: Bool
    /// Problems noticed while parsing that did not stop it (recovery, dropped fields, limits hit).
    public var diagnostics: [FeedDiagnostic]

    public init(
        format: FeedFormat = .unknown,
        feed: FeedMetadata = FeedMetadata(),
        entries: [FeedEntry] = [],
        isRecovered: Bool = false,
        diagnostics: [FeedDiagnostic] = []
    ) {
        self.format = format
        self.feed = feed
        self.entries = entries
        self.isRecovered = isRecovered
        self.diagnostics = diagnostics
    }
}

/// The feed dialect, named after its root element and version.
public enum FeedFormat: String, Sendable, Hashable, Codable {
    case rss090, rss091, rss092, rss093, rss094, rss20, rss10, atom03, atom10, unknown
}

/// Channel-level metadata of a feed.
public struct FeedMetadata: Sendable, Hashable {
    public var title: String?
    public var link: String?
    public var subtitle: String?
    public var language: String?
    public var updated: Date?

    public init(
        title: String? = nil,
        link: String? = nil,
        subtitle: String? = nil,
        language: String? = nil,
        updated: Date? = nil
    ) {
        self.title = title
        self.link = link
        self.subtitle = subtitle
        self.language = language
        self.updated = updated
    }
}

/// One item (RSS) or entry (Atom).
///
/// Text fields hold the decoded value with its markup kept (the `newsmon parse` contract);
/// ``text`` holds the plain-text rendering that the topic matcher reads.
public struct FeedEntry: Sendable, Hashable {
    public var title: String?
    public var link: String?
    public var id: String?
    public var published: Date?
    public var updated: Date?
    public var summary: String?
    public var content: String?
    public var author: String?
    public var categories: [String]
    public var enclosures: [Enclosure]
    /// Plain text of title, summary, content and categories: tags stripped, entities decoded,
    /// whitespace collapsed.
    public var text: ItemText

    public init(
        title: String? = nil,
        link: String? = nil,
        id: String? = nil,
        published: Date? = nil,
        updated: Date? = nil,
        summary: String? = nil,
        content: String? = nil,
        author: String? = nil,
        categories: [String] = [],
        enclosures: [Enclosure] = [],
        text: ItemText = ItemText()
    ) {
        self.title = title
        self.link = link
        self.id = id
        self.published = published
        self.updated = updated
        self.summary = summary
        self.content = content
        self.author = author
        self.categories = categories
        self.enclosures = enclosures
        self.text = text
    }
}

/// A media file attached to an entry.
public struct Enclosure: Sendable, Hashable {
    public var url: String
    public var type: String?
    public var length: String?

    public init(url: String, type: String? = nil, length: String? = nil) {
        self.url = url
        self.type = type
        self.length = length
    }
}

/// The plain-text fields of an item that topic rules match against.
public struct ItemText: Sendable, Hashable {
    public var title: String
    public var summary: String
    public var content: String
    public var categories: [String]

    public init(title: String = "", summary: String = "", content: String = "", categories: [String] = []) {
        self.title = title
        self.summary = summary
        self.content = content
        self.categories = categories
    }

    /// The summary, or the full text when the item has no summary: what dedup compares and an alert carries.
    public var teaser: String { summary.isEmpty ? content : summary }
}

/// A problem found in a document, with its position where libxml2 knows it.
public struct FeedDiagnostic: Sendable, Hashable {
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(line: Int? = nil, column: Int? = nil, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }
}
