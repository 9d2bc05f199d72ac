import TextNormalization

/// Whether a report names its day relative to its publication (``StoryFingerprint/namesItsDay``): "heute", "gestern",
/// "am Morgen", "in der Nacht", "today", "this morning", "tonight", "overnight".
extension StoryFingerprint {
    /// Whether normalized title words name their day (``dayAnchors``, ``dayAnchorPairs``).
    static func namesItsDay(_ words: [String]) -> Bool {
        for (index, word) in words.enumerated() {
            if dayAnchors.contains(word) { return true }
            if index + 1 < words.count, dayAnchorPairs[word]?.contains(words[index + 1]) == true { return true }
        }
        return false
    }

    /// Whether a tokenized teaser names its day, within its first ``maximumWords`` words.
    static func namesItsDay(_ tokens: WordTokenizer) -> Bool {
        let count = min(tokens.count, maximumWords)
        guard count > 0 else { return false }
        return tokens.bytes.withUnsafeBufferPointer { bytes -> Bool in
            // A word's bytes without its trailing space.
            func word(_ index: Int) -> UnsafeBufferPointer<UInt8> {
                let end = index + 1 < tokens.count ? Int(tokens.starts[index + 1]) : bytes.count
                return UnsafeBufferPointer(rebasing: bytes[Int(tokens.starts[index])..<(end - 1)])
            }
            for index in 0..<count {
                let spelled = word(index)
                guard spelled.count >= 2, spelled.count <= 11 else { continue }
                if dayAnchorBytes.contains(where: { $0.elementsEqual(spelled) }) { return true }
                if index + 1 < count, let followers = dayAnchorPairBytes.first(where: { $0.first.elementsEqual(spelled) }),
                    followers.second.contains(where: { $0.elementsEqual(word(index + 1)) })
                {
                    return true
                }
            }
            return false
        }
    }

    /// Normalized words that name the day of publication relative to it: today, yesterday, tomorrow, tonight.
    /// ("morgen" alone is left out: it is also the morning.)
    static let dayAnchors: Set<String> = [
        "heute", "heutige", "heutigen", "gestern", "gestrige", "gestrigen", "vorgestern", "today", "todays", "tonight",
        "yesterday", "yesterdays", "tomorrow", "overnight",
    ]
    /// Word pairs that do: "am Morgen", "am Abend", "this morning", "last night", "(in) der Nacht".
    static let dayAnchorPairs: [String: Set<String>] = [
        "am": ["morgen", "vormittag", "mittag", "nachmittag", "abend"],
        "this": ["morning", "afternoon", "evening"],
        "last": ["night"],
        "der": ["nacht"],
    ]
    private static let dayAnchorBytes: [[UInt8]] = dayAnchors.sorted().map { Array($0.utf8) }
    private static let dayAnchorPairBytes: [(first: [UInt8], second: [[UInt8]])] = dayAnchorPairs.sorted { $0.key < $1.key }
        .map { (Array($0.key.utf8), $0.value.sorted().map { Array($0.utf8) }) }
}
