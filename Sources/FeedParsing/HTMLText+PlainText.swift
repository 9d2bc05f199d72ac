#if canImport(Glibc)
internal import Glibc
#endif

/// Plain-text rendering for the topic matcher.
extension HTMLText {
    /// Tags stripped (block-level tags become spaces), entities decoded, whitespace collapsed and
    /// trimmed, in one pass over the bytes.
    static func plainText(_ slice: ArraySlice<UInt8>) -> String {
        if let simple = slice.withUnsafeBufferPointer(simplePlainText) { return simple }
        return String(decoding: slice.withUnsafeBufferPointer(generalPlainText), as: UTF8.self)
    }

    /// ``plainText(_:)`` of a value that already is a `String` (so valid UTF-8). When the rendering is
    /// a contiguous part of the value (markup only around the text, as in `<p>…</p>`), the result is
    /// that slice of the value, copied without validating it again.
    ///
    /// `scan`, when given, is the ``Scan`` of the value: what it rules out is not searched for again.
    static func plainText(of value: String, scan: Scan? = nil) -> String {
        let utf8 = value.utf8
        let rendered: String? = utf8.withContiguousStorageIfAvailable { p in
            if let run = singleTextRun(p, isClean: scan?.isClean ?? false, hasAmpersand: scan?.hasAmpersand ?? true) {
                if run.count == p.count { return value }
                if let scan, scan.isASCII { return UTF8Text.string(UnsafeBufferPointer(rebasing: p[run]), trusted: true, isASCII: true) }
                let start = utf8.index(utf8.startIndex, offsetBy: run.lowerBound)
                let end = utf8.index(start, offsetBy: run.count)
                return String(Substring(utf8[start..<end]))
            }
            if let (bytes, first) = simplePlainBytes(p) {
                if first >= 0, first + bytes.count <= p.count,
                    bytes.withUnsafeBufferPointer({ memcmp(p.baseAddress! + first, $0.baseAddress!, $0.count) == 0 })
                {
                    let start = utf8.index(utf8.startIndex, offsetBy: first)
                    let end = utf8.index(start, offsetBy: bytes.count)
                    return String(Substring(utf8[start..<end]))
                }
                return UTF8Text.string(bytes, trusted: true)
            }
            return UTF8Text.string(generalPlainText(p), trusted: true)
        }
        return rendered ?? plainText(Array(utf8)[...])
    }

    /// When the rendering of `p` is one run of its bytes, unchanged (tags only around a text that needs
    /// no decoding or collapsing, as in `<p>Text</p>` or plain `Text`), that run; else nil. No copy is made.
    static func singleTextRun(_ p: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        singleTextRun(p, isClean: false, hasAmpersand: true)
    }

    /// ``singleTextRun(_:)``; `isClean` and `hasAmpersand: false` (from a ``Scan`` of `p`) skip the
    /// searches they answer.
    static func singleTextRun(_ p: UnsafeBufferPointer<UInt8>, isClean: Bool, hasAmpersand: Bool) -> Range<Int>? {
        guard let base = p.baseAddress, p.count > 0 else { return nil }
        let raw = UnsafeRawPointer(base)
        let n = p.count
        var start = -1
        var end = -1
        var i = 0
        while i < n {
            if p[i] == 0x3C {
                guard i + 1 < n, isTagStart(p[i + 1]) else { return nil }
                let j = tagEnd(p, from: i + 1)
                guard j < n else { return nil }
                let key = tagKey(p, from: i + 1)
                if key == scriptKey || key == styleKey { return nil }
                i = j + 1
            } else {
                guard start < 0 else { return nil }
                start = i
                end = memchr(raw + i, 0x3C, n - i).map { UnsafeRawPointer($0) - raw } ?? n
                i = end
            }
        }
        guard start >= 0, p[start] != 0x20, p[end - 1] != 0x20 else { return nil }
        if !isClean, !isCleanRun(UnsafeRawBufferPointer(start: raw + start, count: end - start)) { return nil }
        guard hasAmpersand else { return start..<end }
        var a = start
        let bounded = UnsafeBufferPointer(rebasing: p[..<end])
        while let hit = memchr(raw + a, 0x26, end - a) {
            a = UnsafeRawPointer(hit) - raw
            if reference(in: bounded, at: a) != nil { return nil }
            a += 1
        }
        return start..<end
    }

    /// The general per-byte rendering behind ``plainText(_:)``.
    static func generalPlainText(_ p: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let bytes: [UInt8] = {
            [UInt8](unsafeUninitializedCapacity: p.count) { out, count in
                var k = 0
                var pendingSpace = false
                var i = 0
                let n = p.count
                while i < n {
                    let b = p[i]
                    if isPlain(b) {
                        // A run of ordinary bytes (a word).
                        if pendingSpace && k > 0 {
                            out[k] = 0x20
                            k += 1
                        }
                        pendingSpace = false
                        out[k] = b
                        k += 1
                        i += 1
                        while i < n {
                            let c = p[i]
                            if !isPlain(c) { break }
                            out[k] = c
                            k += 1
                            i += 1
                        }
                        continue
                    }
                    if b <= 0x20 {
                        if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C { pendingSpace = true }
                        i += 1
                        continue
                    }
                    if b == 0xC2, i + 1 < n, p[i + 1] == 0xA0 {
                        pendingSpace = true
                        i += 2
                        continue
                    }
                    if b == UInt8(ascii: "<"), i + 1 < n, isTagStart(p[i + 1]) {
                        let tag = skipTag(p, at: i)
                        if tag.isBlock { pendingSpace = true }
                        i = tag.next
                        continue
                    }
                    var scalar = UInt32(b)
                    var next = i + 1
                    if b == UInt8(ascii: "&"), let (s, after) = reference(in: p, at: i) {
                        (scalar, next) = (s, after)
                        if s == 0xA0 || s == 0x20 || s == 0x09 || s == 0x0A || s == 0x0D {
                            pendingSpace = true
                            i = next
                            continue
                        }
                    }
                    if pendingSpace && k > 0 {
                        out[k] = 0x20
                        k += 1
                    }
                    pendingSpace = false
                    if next == i + 1 {
                        out[k] = b
                        k += 1
                    } else {
                        k = writeUTF8(scalar, to: out, at: k)
                    }
                    i = next
                }
                count = k
            }
        }()
        return bytes
    }

    /// The common case of `plainText`: markup whose text has no entities, no NBSP and no whitespace
    /// other than single spaces. Text between tags is copied with `memcpy`; nil when the input is not
    /// of that kind (the general per-byte path then runs).
    static func simplePlainText(_ p: UnsafeBufferPointer<UInt8>) -> String? {
        simplePlainBytes(p).map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    /// The bytes of ``simplePlainText(_:)`` and the index in `p` of the first byte written (-1 when none).
    static func simplePlainBytes(_ p: UnsafeBufferPointer<UInt8>) -> (bytes: [UInt8], first: Int)? {
        guard let base = p.baseAddress, p.count > 0 else { return ([], -1) }
        var first = -1
        let raw = UnsafeRawPointer(base)
        let n = p.count
        for c: UInt8 in [0xC2, 0x0A, 0x09, 0x0D, 0x0C] where memchr(raw, Int32(c), n) != nil { return nil }
        let hasAmpersand = memchr(raw, 0x26, n) != nil
        var failed = false
        if hasDoubleSpace(UnsafeRawBufferPointer(p)) { return nil }
        let bytes = [UInt8](unsafeUninitializedCapacity: n) { out, count in
            var k = 0
            var i = 0
            var pendingSpace = false
            while i < n {
                // Text up to the next tag.
                let lt = memchr(raw + i, 0x3C, n - i).map { UnsafeRawPointer($0) - raw } ?? n
                var start = i
                var end = lt
                if start < end, p[start] == 0x20 { pendingSpace = true; start += 1 }
                var trailingSpace = false
                if end > start, p[end - 1] == 0x20 { trailingSpace = true; end -= 1 }
                if end > start {
                    if pendingSpace && k > 0 { out[k] = 0x20; k += 1 }
                    if hasAmpersand {
                        // Copy between references, decode each; whitespace references need the general path.
                        var a = start
                        while a < end {
                            let amp = memchr(raw + a, 0x26, end - a).map { UnsafeRawPointer($0) - raw } ?? end
                            if k == 0, amp > a { first = a }
                            (out.baseAddress! + k).update(from: base + a, count: amp - a)
                            k += amp - a
                            a = amp
                            guard a < end else { break }
                            if let (scalar, next) = reference(in: UnsafeBufferPointer(rebasing: p[..<end]), at: a) {
                                if scalar == 0x20 || scalar == 0xA0 || scalar == 0x09 || scalar == 0x0A || scalar == 0x0D || scalar == 0x0C {
                                    failed = true
                                    break
                                }
                                if k == 0 { first = a }
                                k = writeUTF8(scalar, to: out, at: k)
                                a = next
                            } else {
                                if k == 0 { first = a }
                                out[k] = 0x26
                                k += 1
                                a += 1
                            }
                        }
                        if failed { break }
                    } else {
                        if k == 0 { first = start }
                        (out.baseAddress! + k).update(from: base + start, count: end - start)
                        k += end - start
                    }
                    pendingSpace = false
                }
                if trailingSpace { pendingSpace = true }
                guard lt < n else { break }
                if lt + 1 < n, isTagStart(p[lt + 1]) {
                    let tag = skipTag(p, at: lt)
                    if tag.isBlock { pendingSpace = true }
                    i = tag.next
                } else {
                    // A "<" that starts no tag is text.
                    if pendingSpace && k > 0 { out[k] = 0x20; k += 1 }
                    pendingSpace = false
                    if k == 0 { first = lt }
                    out[k] = 0x3C
                    k += 1
                    i = lt + 1
                }
            }
            count = k
        }
        return failed ? nil : (bytes, first)
    }

    /// The index of the `>` closing a tag whose name starts at `from`, skipping quoted attribute
    /// values; `p.count` when the tag is not closed.
    @inline(__always) static func tagEnd(_ p: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        var j = from
        var quote: UInt8 = 0
        while j < p.count {
            let c = p[j]
            if quote != 0 {
                if c == quote { quote = 0 }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                quote = c
            } else if c == UInt8(ascii: ">") {
                break
            }
            j += 1
        }
        return j
    }

    /// Skips the tag starting at `lt` (`p[lt]` is `<` and a tag-start byte follows), quoted attribute
    /// values included, and the body of a `<script>` or `<style>` element.
    ///
    /// - Returns: The index after the tag, and whether the tag breaks the text (a block element).
    @inline(__always) static func skipTag(_ p: UnsafeBufferPointer<UInt8>, at lt: Int) -> (next: Int, isBlock: Bool) {
        let n = p.count
        var j = tagEnd(p, from: lt + 1)
        let key = tagKey(p, from: lt + 1)
        if key == scriptKey || key == styleKey {
            // Drop the element's body too.
            let closing = Array((key == scriptKey ? "</script" : "</style").utf8)
            if let close = find(p, closing, from: j) {
                j = close
                while j < n, p[j] != UInt8(ascii: ">") { j += 1 }
            }
        }
        return (j + 1, isBlockTag(key))
    }

    /// Bytes that plain-text rendering copies unchanged (not whitespace, `<`, `&`, or the lead byte of NBSP).
    @inline(__always) static func isPlain(_ b: UInt8) -> Bool {
        b > 0x20 && b != 0x26 && b != 0x3C && b != 0xC2
    }

    /// Whether `key` (see ``key(_:)``) names a block-level tag: a binary search, no hashing.
    @inline(__always) static func isBlockTag(_ key: UInt64) -> Bool {
        let keys = blockTagKeys
        var low = 0
        var high = keys.count
        while low < high {
            let mid = (low + high) >> 1
            if keys[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low < keys.count && keys[low] == key
    }

    /// Sorted, for ``isBlockTag(_:)``.
    static let blockTagKeys: [UInt64] = ([
        "p", "br", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "pre", "hr", "section", "article", "header", "footer", "figure", "figcaption", "dd", "dt", "img",
    ].map { key(Array($0.utf8)) }).sorted()
    static let scriptKey = key(Array("script".utf8))
    static let styleKey = key(Array("style".utf8))

    /// A tag name (lower-cased, at most 8 bytes, longer names truncated) packed into an integer.
    static func key(_ name: [UInt8]) -> UInt64 {
        var k: UInt64 = 0
        for b in name.prefix(8) { k = k << 8 | UInt64(b | 0x20) }
        return k | UInt64(min(name.count, 255)) << 56
    }

    static func tagKey(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt64 {
        var i = start
        if i < bytes.count, bytes[i] == UInt8(ascii: "/") { i += 1 }
        var k: UInt64 = 0
        var length = 0
        while i < bytes.count, isNameByte(bytes[i]) {
            if length < 8 { k = k << 8 | UInt64(bytes[i] | 0x20) }
            length += 1
            i += 1
        }
        return k | UInt64(min(length, 255)) << 56
    }

    @inline(__always) static func isTagStart(_ b: UInt8) -> Bool {
        isNameByte(b) || b == UInt8(ascii: "/") || b == UInt8(ascii: "!") || b == UInt8(ascii: "?")
    }

    /// The index of `pattern` (ASCII, matched case-insensitively) at or after `from`.
    static func find(_ bytes: UnsafeBufferPointer<UInt8>, _ pattern: [UInt8], from: Int) -> Int? {
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return nil }
        var i = from
        while i + pattern.count <= bytes.count {
            var k = 0
            while k < pattern.count, bytes[i + k] | 0x20 == pattern[k] | 0x20 { k += 1 }
            if k == pattern.count { return i }
            i += 1
        }
        return nil
    }

    /// Runs of ASCII whitespace and no-break spaces become one space; ends trimmed.
    static func collapseWhitespace(_ bytes: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bytes.count) { out, count in
            var k = 0
            var pendingSpace = false
            bytes.withUnsafeBufferPointer { p in
                let n = p.count
                var i = 0
                while i < n {
                    let b = p[i]
                    if b <= 0x20, b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                        pendingSpace = true
                        i += 1
                        continue
                    }
                    if b == 0xC2, i + 1 < n, p[i + 1] == 0xA0 {
                        pendingSpace = true
                        i += 2
                        continue
                    }
                    if pendingSpace && k > 0 {
                        out[k] = 0x20
                        k += 1
                    }
                    pendingSpace = false
                    out[k] = b
                    k += 1
                    i += 1
                }
            }
            count = k
        }
    }
}
