/// The one definition of where words are: the matcher's scanner and ``WordTokenizer`` both walk
/// text with it, so the words a rule sees and the words a test or a fingerprint sees never differ.
public enum WordSegmenter {
    /// Walks UTF-8 text once, normalizing as it goes (see ``TextNormalizer``).
    ///
    /// Words are runs of letters and digits after normalization; everything else, every dash,
    /// quote and apostrophe included, separates them; web addresses (`http://…`, `https://…`,
    /// `www.…`) are skipped whole.
    ///
    /// - Parameters:
    ///   - src: UTF-8 bytes (malformed sequences read as U+FFFD).
    ///   - begin: A word starts at this source offset.
    ///   - byte: The next normalized byte of the current word.
    ///   - end: The current word ends at this source offset.
    /// - Complexity: O(n) in the length of `src`; ASCII takes a table-free fast path.
    @inlinable @inline(__always)
    public static func segment(
        _ src: UnsafeBufferPointer<UInt8>, begin: (Int) -> Void, byte: (UInt8) -> Void, end: (Int) -> Void
    ) {
        var inWord = false
        var lastByte: UInt8 = 0
        var i = 0
        let n = src.count
        while i < n {
            let b = src[i]
            if b < 0x80 {
                var c = b
                if b &- 0x41 < 26 { c = b | 0x20 }
                if c &- 0x61 < 26 || b &- 0x30 < 10 {
                    if !inWord {
                        let skip = (c == 0x68 || c == 0x77) ? TextNormalizer.webAddressLength(in: src, at: i) : 0
                        if skip > 0 {
                            i += skip
                            continue
                        }
                        begin(i)
                        inWord = true
                    }
                    byte(c)
                    lastByte = c
                } else if inWord {
                    end(i)
                    inWord = false
                }
                i += 1
                continue
            }
            // One multi-byte scalar.
            var value: UInt32
            var length: Int
            if b & 0xE0 == 0xC0 { value = UInt32(b & 0x1F); length = 2 }
            else if b & 0xF0 == 0xE0 { value = UInt32(b & 0x0F); length = 3 }
            else { value = UInt32(b & 0x07); length = 4 }
            length = min(length, n - i)
            for k in 1..<max(length, 1) { value = (value << 6) | UInt32(src[i + k] & 0x3F) }
            let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
            for f in TextNormalizer.foldedBytes(of: scalar, previous: inWord ? lastByte : nil) {
                if f == 0x20 {
                    if inWord {
                        end(i)
                        inWord = false
                    }
                } else {
                    if !inWord {
                        begin(i)
                        inWord = true
                    }
                    byte(f)
                    lastByte = f
                }
            }
            i += max(length, 1)
        }
        if inWord { end(n) }
    }
}
