import NewsModel

/// Teasers an outlet puts on unrelated items: its boilerplate ("Lesen Sie hier alle aktuellen Entwicklungen zum Thema
/// in unserem Liveblog nach.", "Read the full story on our website."), found in the feed's document itself.
///
/// A teaser is boilerplate when the document carries it, word for word, on ``minimumTitles`` or more items under as
/// many different titles. A report's own teaser comes back under a new title at most once or twice in a document (a
/// breaking-news item, "Eilmeldung", then its headline; an update under a new link). Decided from the document alone,
/// so a document gives the same answer whatever the store holds or lost (``StoryEvidence/hasBoilerplateTeaser``).
enum BoilerplateTeasers {
    /// Different titles under one teaser that make it boilerplate.
    static let minimumTitles = 3
    /// The first bytes of a teaser that tell it apart from the others (its length too).
    static let hashedBytes = 256

    /// For each entry, whether its teaser is its document's boilerplate.
    ///
    /// A document's teasers are nearly all different, so they are told apart first by a hash of their length and first
    /// bytes, and only those whose hash comes back ``minimumTitles`` times are compared as strings. (Hashing every
    /// teaser as a `String` normalized it to NFC: 2 % of a cold poll's CPU, on the delivery's thread.)
    static func flags(_ entries: [FeedEntry]) -> [Bool] {
        var flags = [Bool](repeating: false, count: entries.count)
        var hashes = [UInt64](repeating: 0, count: entries.count)
        var counts: [UInt64: Int] = [:]
        counts.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() where !entry.text.teaser.isEmpty {
            let bytes = entry.text.teaser.utf8
            hashes[index] = StoryFingerprint.hash(bytes.prefix(Self.hashedBytes), seed: UInt64(bytes.count))
            counts[hashes[index], default: 0] += 1
        }
        guard counts.values.contains(where: { $0 >= minimumTitles }) else { return flags }
        // Per teaser: the first title seen under it, and how many different titles (counted up to the minimum).
        var seen: [String: (title: String, titles: Int, others: Set<String>)] = [:]
        var candidates: [Int] = []
        for (index, entry) in entries.enumerated() where counts[hashes[index], default: 0] >= minimumTitles {
            candidates.append(index)
            let teaser = entry.text.teaser
            guard !teaser.isEmpty else { continue }
            let title = Self.title(entry)
            if var known = seen[teaser] {
                guard known.titles < minimumTitles, title != known.title, known.others.insert(title).inserted else { continue }
                known.titles += 1
                seen[teaser] = known
            } else {
                seen[teaser] = (title, 1, [])
            }
        }
        for index in candidates {
            let teaser = entries[index].text.teaser
            flags[index] = !teaser.isEmpty && (seen[teaser]?.titles ?? 0) >= minimumTitles
        }
        return flags
    }

    private static func title(_ entry: FeedEntry) -> String {
        entry.text.title.isEmpty ? (entry.title ?? "") : entry.text.title
    }
}
