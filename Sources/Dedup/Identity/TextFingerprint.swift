import NewsModel
import TextNormalization

/// A near-duplicate fingerprint of an item's title and summary.
///
/// Features are the content words of the normalized text (``TextNormalizer/words(in:)``), stop
/// words dropped, each cut to its first six letters (a crude stemmer that maps "Russlands" and
/// "Russland", "troops" and "troop" together) and hashed with FNV-1a (stable across processes,
/// never `hashValue`). Candidates come from MinHash LSH (``bandCount`` bands of ``rowsPerBand``
/// minima); each candidate is then verified exactly with ``similarity(_:_:)``.
struct TextFingerprint: Sendable, Hashable {
    /// Sorted, unique feature hashes.
    var features: [UInt32]

    static let bandCount = 20
    static let rowsPerBand = 2
    /// Summary words beyond this are ignored: teasers are short, long summaries are articles.
    static let maxWords = 80

    init(title: String, summary: String) {
        var set = Set<UInt32>()
        for word in TextNormalizer.words(in: title) + TextNormalizer.words(in: summary).prefix(Self.maxWords) {
            guard let feature = Self.feature(word) else { continue }
            set.insert(Self.fnv1a(feature))
        }
        features = set.sorted()
    }

    init(features: [UInt32]) {
        self.features = features
    }

    /// `true` when there are too few features to compare meaningfully.
    var isTooSmall: Bool { features.count < 2 }

    /// The LSH band keys: equal keys make a candidate pair. Empty for too-small fingerprints.
    var bands: [Int64] {
        guard !isTooSmall else { return [] }
        var result: [Int64] = []
        result.reserveCapacity(Self.bandCount)
        for band in 0..<Self.bandCount {
            var key: UInt64 = 0xcbf2_9ce4_8422_2325 &+ UInt64(band)
            for row in 0..<Self.rowsPerBand {
                let seed = UInt64(band * Self.rowsPerBand + row) &* 0x9e37_79b9_7f4a_7c15 &+ 0x632b_e59b_d9b9_e2ed
                var minimum = UInt64.max
                for feature in features {
                    let h = Self.mix(UInt64(feature) ^ seed)
                    if h < minimum { minimum = h }
                }
                key = Self.mix(key ^ minimum)
            }
            result.append(Int64(bitPattern: key))
        }
        return result
    }

    /// The overlap coefficient |A ∩ B| / min(|A|, |B|), with at least three shared features
    /// required (two when the smaller set has at most three), so that a two-word headline shared by
    /// different stories does not count on its own against full teasers.
    static func similarity(_ a: TextFingerprint, _ b: TextFingerprint) -> Double {
        let smaller = min(a.features.count, b.features.count)
        guard smaller > 0 else { return 0 }
        var i = 0, j = 0, shared = 0
        while i < a.features.count && j < b.features.count {
            if a.features[i] == b.features[j] {
                shared += 1
                i += 1
                j += 1
            } else if a.features[i] < b.features[j] {
                i += 1
            } else {
                j += 1
            }
        }
        let required = smaller <= 3 ? min(2, smaller) : 3
        guard shared >= required else { return 0 }
        // Penalize very unequal sizes a little: a two-word title inside a long teaser is weak evidence.
        let larger = max(a.features.count, b.features.count)
        let balance = min(1.0, Double(smaller * 4) / Double(larger))
        return Double(shared) / Double(smaller) * balance
    }

    /// Blob form for the database: little-endian UInt32s.
    var blob: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(features.count * 4)
        for f in features {
            bytes.append(UInt8(truncatingIfNeeded: f))
            bytes.append(UInt8(truncatingIfNeeded: f >> 8))
            bytes.append(UInt8(truncatingIfNeeded: f >> 16))
            bytes.append(UInt8(truncatingIfNeeded: f >> 24))
        }
        return bytes
    }

    init(blob: [UInt8]) {
        var features: [UInt32] = []
        features.reserveCapacity(blob.count / 4)
        var index = 0
        while index + 3 < blob.count {
            features.append(
                UInt32(blob[index]) | UInt32(blob[index + 1]) << 8 | UInt32(blob[index + 2]) << 16
                    | UInt32(blob[index + 3]) << 24)
            index += 4
        }
        self.features = features
    }

    static func feature(_ word: String) -> String? {
        let isNumber = word.allSatisfy(\.isNumber)
        if isNumber { return word.count >= 2 ? word : nil }
        guard word.count >= 3, !stopWords.contains(word) else { return nil }
        return String(word.prefix(6))
    }

    static func fnv1a(_ text: String) -> UInt32 {
        var hash: UInt32 = 0x811c_9dc5
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        return hash
    }

    /// splitmix64 finalizer.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// German and English function words (normalized), which say nothing about the story.
    static let stopWords: Set<String> = [
        // German
        "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "einem", "einen", "und", "oder",
        "aber", "als", "auch", "auf", "aus", "bei", "bis", "durch", "fuer", "gegen", "hat", "haben", "hatte", "ist",
        "sind", "war", "waren", "wird", "werden", "wurde", "wurden", "mit", "nach", "nicht", "noch", "nun", "sich",
        "sie", "sein", "seine", "ihre", "ihr", "uns", "von", "vor", "wie", "zum", "zur", "zwischen", "ueber", "unter",
        "dass", "denn", "doch", "dort", "hier", "heute", "jetzt", "kann", "koennen", "soll", "sollen", "will",
        "wollen", "mehr", "sehr", "schon", "so", "was", "wer", "wenn", "weil", "alle", "allen", "beim", "vom", "ins",
        "im", "am", "um", "an", "es", "er", "wir", "man", "nur", "ohne", "seit", "laut", "dabei", "dazu", "diese",
        "dieser", "dieses", "diesem", "diesen", "einem", "keine", "kein", "neue", "neuen", "neuer",
        // English
        "the", "and", "for", "are", "was", "were", "has", "have", "had", "with", "from", "that", "this", "these",
        "those", "its", "his", "her", "their", "they", "them", "not", "but", "you", "our", "who", "what", "when",
        "where", "which", "will", "would", "could", "should", "can", "may", "about", "after", "before", "over",
        "into", "than", "then", "also", "more", "most", "been", "being", "said", "says", "new", "all", "any", "out",
        "off", "how", "why", "now", "just", "other", "some", "such", "very",
    ]
}
