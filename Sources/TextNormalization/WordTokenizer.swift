/// Text split into normalized words, with every word's position in the source kept.
///
/// The normalized form is a byte string in which every word is preceded and followed by one space
/// (`" nato russland rat "`), so a matcher can anchor patterns at word boundaries with a space.
/// Words are runs of letters and digits after normalization (see ``TextNormalizer``); everything
/// else, including every dash, quote and apostrophe, separates words. Web addresses
/// (`https://…`, `www.…`) are not words at all.
public struct WordTokenizer: Sendable {
    /// Normalized words, each followed by one space; starts with a space.
    public private(set) var bytes: [UInt8] = [0x20]
    /// Offset in ``bytes`` where each word starts.
    public private(set) var starts: [Int32] = []
    /// UTF-8 offset in the source where each word starts.
    public private(set) var sourceStarts: [Int32] = []
    /// UTF-8 offset in the source just after each word.
    public private(set) var sourceEnds: [Int32] = []

    /// An empty tokenizer; call ``tokenize(_:)`` to fill it.
    public init() {}

    /// Tokenizes `text` at once.
    public init(_ text: String) { tokenize(text) }

    /// The number of words.
    public var count: Int { sourceStarts.count }

    /// The normalized words as strings (for tests and fingerprints; the matcher reads ``bytes``).
    public var words: [String] {
        bytes.split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Replaces the content with the words of `text` (``WordSegmenter``), reusing the buffers.
    ///
    /// - Complexity: O(n) in the UTF-8 length of `text`.
    public mutating func tokenize(_ text: String) {
        bytes.removeAll(keepingCapacity: true)
        sourceStarts.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        sourceEnds.removeAll(keepingCapacity: true)
        bytes.append(0x20)
        var text = text
        text.withUTF8 { src in
            bytes.reserveCapacity(src.count + 2)
            // About one word per six bytes of text: a fresh tokenizer grows its offsets once or not at all, not
            // from one element up (a tokenizer reused keeps its capacity).
            let words = src.count / 6 + 4
            sourceStarts.reserveCapacity(words)
            starts.reserveCapacity(words)
            sourceEnds.reserveCapacity(words)
            run(src)
        }
    }

    private mutating func run(_ src: UnsafeBufferPointer<UInt8>) {
        WordSegmenter.segment(src, begin: { beginWord(at: $0) }, byte: { bytes.append($0) }, end: { endWord(at: $0) })
    }

    @inline(__always)
    private mutating func beginWord(at offset: Int) {
        sourceStarts.append(Int32(offset))
        starts.append(Int32(bytes.count))
    }

    @inline(__always)
    private mutating func endWord(at offset: Int) {
        sourceEnds.append(Int32(offset))
        bytes.append(0x20)
    }
}
