import NewsModel
import TextNormalization

/// A near-duplicate fingerprint of an item's title and summary.
///
/// Features are the content words of the normalized text (``TextNormalizer/words(in:)``), stop
/// words dropped, each cut to its first six letters (a crude stemmer that maps "Russlands" and
/// "Russland", "troops" and "troop" together) and hashed with FNV-1a (stable across processes,
/// never `hashValue`). Candidates come from MinHash LSH (``bandCount`` bands of ``rowsPerBand``
/// minima over all features); each candidate is then verified exactly with ``similarity(_:_:)``.
struct TextFingerprint: Sendable, Hashable {
    /// Sorted, unique feature hashes of the title.
    var titleFeatures: [UInt32]
    /// Sorted, unique feature hashes of the summary.
    var summaryFeatures: [UInt32]
    /// Sorted union of both.
    var features: [UInt32]

    static let bandCount = 32
    static let rowsPerBand = 2
    /// Summary words beyond this are ignored: teasers are short, long summaries are articles.
    static let maxWords = 80

    init(title: String, summary: String) {
        self.init(titleWords: TextNormalizer.words(in: title), summary: summary)
    }

    /// A fingerprint from a title already split into words by ``TextNormalizer/words(in:)`` and a raw summary.
    init(titleWords: [String], summary: String) {
        self.init(
            titleFeatures: Self.features(titleWords),
            summaryFeatures: Self.features(TextNormalizer.words(in: summary).prefix(Self.maxWords)))
    }

    init(titleFeatures: [UInt32], summaryFeatures: [UInt32]) {
        self.titleFeatures = titleFeatures
        self.summaryFeatures = summaryFeatures
        // Merge the two sorted, unique lists.
        var union: [UInt32] = []
        union.reserveCapacity(titleFeatures.count + summaryFeatures.count)
        var i = 0, j = 0
        while i < titleFeatures.count || j < summaryFeatures.count {
            if j == summaryFeatures.count || (i < titleFeatures.count && titleFeatures[i] < summaryFeatures[j]) {
                union.append(titleFeatures[i])
                i += 1
            } else if i == titleFeatures.count || summaryFeatures[j] < titleFeatures[i] {
                union.append(summaryFeatures[j])
                j += 1
            } else {
                union.append(titleFeatures[i])
                i += 1
                j += 1
            }
        }
        features = union
    }

    static func features<Words: Sequence<String>>(_ words: Words) -> [UInt32] {
        var hashes: [UInt32] = []
        hashes.reserveCapacity(words.underestimatedCount)
        for word in words {
            if let hash = featureHash(word) { hashes.append(hash) }
        }
        hashes.sort()
        var unique: [UInt32] = []
        unique.reserveCapacity(hashes.count)
        for hash in hashes where hash != unique.last { unique.append(hash) }
        return unique
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

    /// How alike two fingerprints are, from 0 to 1.
    ///
    /// When both titles have the same features and both items have a summary, the title proves
    /// nothing (recurring headlines such as "Die Lage am Mittwoch", live tickers) and only the
    /// summaries are compared. Otherwise all features are compared. The measure is the overlap
    /// coefficient |A ∩ B| / min(|A|, |B|), scaled down when one set is over four times the other, and
    /// 0 unless at least three features are shared (or all of the smaller set, when it has two or three).
    static func similarity(_ a: TextFingerprint, _ b: TextFingerprint) -> Double {
        if !a.titleFeatures.isEmpty, a.titleFeatures == b.titleFeatures, !a.summaryFeatures.isEmpty,
            !b.summaryFeatures.isEmpty
        {
            return overlap(a.summaryFeatures, b.summaryFeatures)
        }
        return overlap(a.features, b.features)
    }

    static func overlap(_ a: [UInt32], _ b: [UInt32]) -> Double {
        let smaller = min(a.count, b.count)
        guard smaller > 0 else { return 0 }
        var i = 0, j = 0, shared = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                shared += 1
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        // Few features prove little: at least three shared, or all of a set of two or three.
        let required = smaller <= 3 ? max(2, smaller) : 3
        guard shared >= required else { return 0 }
        let larger = max(a.count, b.count)
        let balance = min(1.0, Double(smaller * 4) / Double(larger))
        return Double(shared) / Double(smaller) * balance
    }

    /// Blob form for the database: the title feature count, then title and summary features, all
    /// little-endian UInt32.
    var blob: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity((titleFeatures.count + summaryFeatures.count + 1) * 4)
        for value in [UInt32(titleFeatures.count)] + titleFeatures + summaryFeatures {
            bytes.append(UInt8(truncatingIfNeeded: value))
            bytes.append(UInt8(truncatingIfNeeded: value >> 8))
            bytes.append(UInt8(truncatingIfNeeded: value >> 16))
            bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        }
        return bytes
    }

    init(blob: [UInt8]) {
        self = blob.withUnsafeBytes { TextFingerprint(encoded: $0) }
    }

    /// Decodes the ``blob`` form.
    init(encoded: UnsafeRawBufferPointer) {
        let count = encoded.count / 4
        func value(_ index: Int) -> UInt32 {
            UInt32(littleEndian: encoded.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
        }
        guard count > 0 else {
            self.init(titleFeatures: [], summaryFeatures: [])
            return
        }
        let titleCount = min(Int(value(0)), count - 1)
        self.init(
            titleFeatures: (0..<titleCount).map { value(1 + $0) },
            summaryFeatures: (0..<(count - 1 - titleCount)).map { value(1 + titleCount + $0) })
    }

    static func featureHash(_ word: String) -> UInt32? {
        let utf8 = word.utf8
        if utf8.allSatisfy({ $0 &- 0x30 < 10 }) {
            return utf8.count >= 2 ? fnv1a(utf8) : nil
        }
        var scalars = 0
        for _ in word.unicodeScalars {
            scalars += 1
            if scalars == 3 { break }
        }
        guard scalars >= 3, !stopWords.contains(word) else { return nil }
        var hash: UInt32 = 0x811c_9dc5
        for scalar in word.unicodeScalars.prefix(6) {
            UTF8.encode(scalar) { byte in
                hash ^= UInt32(byte)
                hash = hash &* 0x0100_0193
            }
        }
        return hash
    }

    static func fnv1a<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32 {
        var hash: UInt32 = 0x811c_9dc5
        for byte in bytes {
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
