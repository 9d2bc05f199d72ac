#if canImport(Glibc)
internal import Glibc
#endif

/// Plain-text rendering for the topic matcher.
extension HTMLText {
    /// Tags stripped (block-level tags become spaces), entities decoded, whitespace collapsed and
    /// trimmed, in one pass over the bytes.
    static func plainText(_ slice: ArraySlice<UInt8>) -> String {
        if let simple = slice.withUnsafeBufferPointer(simplePlainText) { return simple }
        let bytes = slice.withUnsafeBufferPointer { p in
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
                        var j = i + 1
                        var quote: UInt8 = 0
                        while j < n {
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
                        let key = tagKey(p, from: i + 1)
                        if key == scriptKey || key == styleKey {
                            // Drop the element's body too.
                            let closing = Array((key == scriptKey ? "</script" : "</style").utf8)
                            if let close = find(p, closing, from: j) {
                                j = close
                                while j < n, p[j] != UInt8(ascii: ">") { j += 1 }
                            }
                        }
                        if blockTagKeys.contains(key) { pendingSpace = true }
                        i = j + 1
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
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The common case of `plainText`: markup whose text has no entities, no NBSP and no whitespace
    /// other than single spaces. Text between tags is copied with `memcpy`; nil when the input is not
    /// of that kind (the general per-byte path then runs).
    static func simplePlainText(_ p: UnsafeBufferPointer<UInt8>) -> String? {
        guard let base = p.baseAddress, p.count > 0 else { return "" }
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
                            (out.baseAddress! + k).update(from: base + a, count: amp - a)
                            k += amp - a
                            a = amp
                            guard a < end else { break }
                            if let (scalar, next) = reference(in: UnsafeBufferPointer(rebasing: p[..<end]), at: a) {
                                if scalar == 0x20 || scalar == 0xA0 || scalar == 0x09 || scalar == 0x0A || scalar == 0x0D || scalar == 0x0C {
                                    failed = true
                                    break
                                }
                                k = writeUTF8(scalar, to: out, at: k)
                                a = next
                            } else {
                                out[k] = 0x26
                                k += 1
                                a += 1
                            }
                        }
                        if failed { break }
                    } else {
                        (out.baseAddress! + k).update(from: base + start, count: end - start)
                        k += end - start
                    }
                    pendingSpace = false
                }
                if trailingSpace { pendingSpace = true }
                guard lt < n else { break }
                if lt + 1 < n, isTagStart(p[lt + 1]) {
                    var j = lt + 1
                    var quote: UInt8 = 0
                    while j < n {
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
                    let key = tagKey(p, from: lt + 1)
                    if key == scriptKey || key == styleKey {
                        let closing = Array((key == scriptKey ? "</script" : "</style").utf8)
                        if let close = find(p, closing, from: j) {
                            j = close
                            while j < n, p[j] != UInt8(ascii: ">") { j += 1 }
                        }
                    }
                    if blockTagKeys.contains(key) { pendingSpace = true }
                    i = j + 1
                } else {
                    // A "<" that starts no tag is text.
                    if pendingSpace && k > 0 { out[k] = 0x20; k += 1 }
                    pendingSpace = false
                    out[k] = 0x3C
                    k += 1
                    i = lt + 1
                }
            }
            count = k
        }
        return failed ? nil : String(decoding: bytes, as: UTF8.self)
    }

    /// Bytes that plain-text rendering copies unchanged (not whitespace, `<`, `&`, or the lead byte of NBSP).
    @inline(__always) static func isPlain(_ b: UInt8) -> Bool {
        b > 0x20 && b != 0x26 && b != 0x3C && b != 0xC2
    }

    static let blockTagKeys: Set<UInt64> = Set([
        "p", "br", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "pre", "hr", "section", "article", "header", "footer", "figure", "figcaption", "dd", "dt", "img",
    ].map { key(Array($0.utf8)) })
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
