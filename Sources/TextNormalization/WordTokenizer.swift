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

    /// Replaces the content with the words of `text`, reusing the buffers.
    ///
    /// - Complexity: O(n) in the UTF-8 length of `text`; ASCII takes a table-free fast path.
    public mutating func tokenize(_ text: String) {
        bytes.removeAll(keepingCapacity: true)
        sourceStarts.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        sourceEnds.removeAll(keepingCapacity: true)
        bytes.append(0x20)
        var text = text
        text.withUTF8 { src in
            bytes.reserveCapacity(src.count + 2)
            run(src)
        }
    }

    private mutating func run(_ src: UnsafeBufferPointer<UInt8>) {
        var inWord = false
        var i = 0
        let n = src.count
        while i < n {
            let b = src[i]
            if b < 0x80 {
                var c = b
                if b &- 0x41 < 26 { c = b | 0x20 }
                if c &- 0x61 < 26 || b &- 0x30 < 10 {
                    if !inWord {
                        let skip = TextNormalizer.webAddressLength(in: src, at: i)
                        if skip > 0 {
                            i += skip
                            continue
                        }
                        beginWord(at: i)
                        inWord = true
                    }
                    bytes.append(c)
                } else if inWord {
                    endWord(at: i)
                    inWord = false
                }
                i += 1
                continue
            }
            // Decode one multi-byte scalar.
            var value: UInt32
            var length: Int
            if b & 0xE0 == 0xC0 { value = UInt32(b & 0x1F); length = 2 }
            else if b & 0xF0 == 0xE0 { value = UInt32(b & 0x0F); length = 3 }
            else { value = UInt32(b & 0x07); length = 4 }
            if i + length > n { length = n - i }
            for k in 1..<max(length, 1) { value = (value << 6) | UInt32(src[i + k] & 0x3F) }
            let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
            let folded = TextNormalizer.foldedBytes(of: scalar, previous: inWord ? bytes.last : nil)
            for f in folded {
                if f == 0x20 {
                    if inWord { endWord(at: i); inWord = false }
                } else {
                    if !inWord { beginWord(at: i); inWord = true }
                    bytes.append(f)
                }
            }
            i += max(length, 1)
        }
        if inWord { endWord(at: n) }
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
