import TextNormalization

/// Whether a report names its day relative to its publication (``StoryFingerprint/namesItsDay``): "heute", "gestern",
/// "am Morgen", "in der Nacht", "today", "this morning", "tonight", "overnight".
extension StoryFingerprint {
    /// Whether normalized title words name their day: one of ``dayPhrases`` starts at some word.
    static func namesItsDay(_ words: [String]) -> Bool {
        words.indices.contains { index in
            (1...2).contains { length in
                index + length <= words.count
                    && dayPhraseHashes.contains(hash(words[index..<(index + length)], seed: daySeed))
            }
        }
    }

    /// Whether a tokenized teaser names its day within its first ``maximumWords`` words, hashed from the tokenizer's
    /// bytes ("w1 w2 ") as ``namesItsDay(_:)-([String])`` hashes words.
    static func namesItsDay(_ tokens: WordTokenizer) -> Bool {
        let count = min(tokens.count, maximumWords)
        return tokens.bytes.withUnsafeBufferPointer { bytes -> Bool in
            func end(_ word: Int) -> Int { word + 1 < tokens.count ? Int(tokens.starts[word + 1]) : bytes.count }
            return (0..<count).contains { index in
                (1...2).contains { length in
                    index + length <= count
                        && dayPhraseHashes.contains(
                            hash(UnsafeBufferPointer(rebasing: bytes[Int(tokens.starts[index])..<end(index + length - 1)]), seed: daySeed))
                }
            }
        }
    }

    /// Normalized words and word pairs that name the day of publication relative to it. ("morgen" alone is left out:
    /// it is also the morning.)
    static let dayPhrases = [
        "heute", "heutige", "heutigen", "gestern", "gestrige", "gestrigen", "vorgestern", "am morgen", "am vormittag",
        "am mittag", "am nachmittag", "am abend", "der nacht", "today", "todays", "tonight", "yesterday", "yesterdays",
        "tomorrow", "overnight", "this morning", "this afternoon", "this evening", "last night",
    ]
    private static let daySeed: UInt64 = 0x6461_79
    private static let dayPhraseHashes = TermTable(
        dayPhrases.map { (hash($0.split(separator: " ").map(String.init), seed: daySeed), 0) })
}
