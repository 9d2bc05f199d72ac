public import Foundation
public import NewsModel
import TextNormalization

/// The identity of one entry within its feed, and the derived values dedup compares.
public struct ItemIdentity: Sendable, Hashable {
    /// The per-feed key: `guid:<id>` when the entry has an id, else `url:<canonical link>` (unless the
    /// link is a front page), else `digest:<SHA-256 of normalized title and date>`.
    public var key: String
    /// The canonical link (``URLCanonicalizer/canonicalize(_:)``), when the entry has a link.
    public var canonicalURL: String?
    /// The cross-outlet link identity (``URLCanonicalizer/identity(_:)``), when the entry links to
    /// something other than a site's front page.
    public var urlIdentity: String?
    /// A 64-bit SHA-256 prefix of the normalized title (its words joined by spaces): a change marks the
    /// item as updated.
    public var titleDigest: Int64
    /// When the entry says it was published (else updated), if it says so.
    public var date: Date?

    /// Whether the identity of `entry` may depend on its text (``NewsModel/ItemText/summary`` and
    /// ``NewsModel/ItemText/content``): an entry with neither id nor link is keyed by a digest of its title and
    /// date, and of its text too when it has neither title nor date. So never for an entry with a date.
    public static func readsText(of entry: FeedEntry) -> Bool {
        (entry.published ?? entry.updated) == nil
    }

    /// Derives the identity of `entry`.
    public init(entry: FeedEntry) {
        self.init(entry: entry, titleWords: TextNormalizer.words(in: Self.plainTitle(of: entry)))
    }

    /// Derives the identity of `entry` whose title the caller has already split into normalized words.
    init(entry: FeedEntry, titleWords: [String]) {
        // The normalized title: its words (``TextNormalizer/words(in:)``) joined by single spaces, so that
        // case, accents, dashes and punctuation never make a title "changed".
        let title = titleWords.joined(separator: " ")
        canonicalURL = entry.link.flatMap(URLCanonicalizer.canonicalize)
        let link = canonicalURL.flatMap(Self.identifyingLink)
        urlIdentity = link.map(URLCanonicalizer.identity(ofCanonical:))
        date = entry.published ?? entry.updated
        titleDigest = SHA256.digest64(title)
        if let id = entry.id?.trimmedWhitespace, !id.isEmpty {
            key = "guid:" + id
        } else if let link {
            key = "url:" + link
        } else {
            var material = title + "\n" + (date.map { String($0.timeIntervalSince1970) } ?? "")
            if title.isEmpty && Self.readsText(of: entry) {
                material += "\n" + TextNormalizer.words(in: entry.text.summary + " " + entry.text.content).joined(separator: " ")
            }
            key = "digest:" + SHA256.hexDigest(material)
        }
    }

    /// A canonical link unless it is a front page, which every item of some feeds has and which identifies nothing.
    private static func identifyingLink(_ canonical: String) -> String? {
        URLCanonicalizer.isSiteRoot(canonical) ? nil : canonical
    }

    /// The link identity of a raw link, as ``urlIdentity`` derives it.
    static func urlIdentity(ofLink link: String?) -> String? {
        link.flatMap(URLCanonicalizer.canonicalize).flatMap(identifyingLink).map(URLCanonicalizer.identity(ofCanonical:))
    }

    /// The key of the story an item founds: its link identity's, else its feed's and item key's.
    static func foundedStoryKey(urlIdentity: String?, feedID: String, itemKey: String) -> String {
        urlIdentity.map { SHA256.hexDigest("url:" + $0) } ?? SHA256.hexDigest("item:" + feedID + "\n" + itemKey)
    }

    static func plainTitle(of entry: FeedEntry) -> String {
        entry.text.title.isEmpty ? (entry.title ?? "") : entry.text.title
    }
}
