#if canImport(Glibc)
internal import Glibc
#endif

/// HTML-flavoured text helpers: decode entities once, escape, and render plain text.
///
/// All work happens on UTF-8 bytes; strings without `&` or `<` are returned untouched.
enum HTMLText {
    /// What one pass over a value found: which of the slower transformations it needs.
    struct Scan {
        var hasAmpersand = false
        var hasLessThan = false
        var hasC1 = false
        /// Whitespace other than single spaces between words (tabs, newlines, runs, NBSP).
        var needsCollapse = false

        init(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { raw in
                guard let base = raw.baseAddress, raw.count > 0 else { return }
                let n = raw.count
                @inline(__always) func has(_ c: UInt8) -> Bool { memchr(base, Int32(c), n) != nil }
                hasAmpersand = has(UInt8(ascii: "&"))
                hasLessThan = has(UInt8(ascii: "<"))
                if has(0xC2) {
                    let p = raw.bindMemory(to: UInt8.self)
                    for i in 0..<(n - 1) where p[i] == 0xC2 {
                        if p[i + 1] >= 0x80 && p[i + 1] <= 0x9F { hasC1 = true }
                        if p[i + 1] == 0xA0 { needsCollapse = true }
                    }
                }
                if !needsCollapse, !hasAmpersand, !hasLessThan {
                    let first = raw[0], last = raw[n - 1]
                    needsCollapse = first == 0x20 || last == 0x20 || has(0x0A) || has(0x09) || has(0x0D) || has(0x0C)
                        || hasDoubleSpace(raw)
                }
            }
        }
    }

    /// Whether two spaces follow each other, eight bytes at a time.
    static func hasDoubleSpace(_ raw: UnsafeRawBufferPointer) -> Bool {
        let n = raw.count
        guard n >= 2, let base = raw.baseAddress else { return false }
        let spaces: UInt64 = 0x2020_2020_2020_2020
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        var previousEndsWithSpace = false
        var i = 0
        while i + 8 <= n {
            let x = base.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ spaces
            // High bit set exactly in the bytes that were spaces.
            let mask = ~(((x & low7) &+ low7) | x | low7)
            if mask != 0 {
                if mask & (mask >> 8) != 0 { return true }  // adjacent inside the word (little-endian)
                if previousEndsWithSpace && mask & 0x80 != 0 { return true }
            }
            previousEndsWithSpace = mask & 0x8000_0000_0000_0000 != 0
            i += 8
        }
        var previous = previousEndsWithSpace
        while i < n {
            let isSpace = raw[i] == 0x20
            if isSpace && previous { return true }
            previous = isSpace
            i += 1
        }
        return false
    }

    /// Decodes HTML character references (`&eacute;`, `&#233;`, `&#xE9;`) once; unknown names stay as written.
    static func decodeEntities(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(UInt8(ascii: "&")) else { return bytes }
        return bytes.withUnsafeBufferPointer { p in
            [UInt8](unsafeUninitializedCapacity: p.count) { out, count in
                let base = UnsafeRawPointer(p.baseAddress!)
                let n = p.count
                var k = 0
                var i = 0
                while i < n {
                    // Copy up to the next "&" in one go.
                    let hit = memchr(base + i, 0x26, n - i).map { UnsafeRawPointer($0) - base } ?? n
                    if hit > i {
                        (out.baseAddress! + k).update(from: p.baseAddress! + i, count: hit - i)
                        k += hit - i
                        i = hit
                    }
                    guard i < n else { break }
                    if let (scalar, next) = reference(in: p, at: i) {
                        k = writeUTF8(scalar, to: out, at: k)
                        i = next
                    } else {
                        out[k] = UInt8(ascii: "&")
                        k += 1
                        i += 1
                    }
                }
                count = k
            }
        }
    }

    /// Writes `v` as UTF-8 at `k`; returns the index after it.
    @inline(__always) static func writeUTF8(_ v: UInt32, to out: UnsafeMutableBufferPointer<UInt8>, at k: Int) -> Int {
        switch v {
        case 0..<0x80:
            out[k] = UInt8(v)
            return k + 1
        case 0x80..<0x800:
            out[k] = UInt8(0xC0 | (v >> 6)); out[k + 1] = UInt8(0x80 | (v & 0x3F))
            return k + 2
        case 0x800..<0x10000:
            out[k] = UInt8(0xE0 | (v >> 12)); out[k + 1] = UInt8(0x80 | ((v >> 6) & 0x3F)); out[k + 2] = UInt8(0x80 | (v & 0x3F))
            return k + 3
        default:
            out[k] = UInt8(0xF0 | (v >> 18)); out[k + 1] = UInt8(0x80 | ((v >> 12) & 0x3F))
            out[k + 2] = UInt8(0x80 | ((v >> 6) & 0x3F)); out[k + 3] = UInt8(0x80 | (v & 0x3F))
            return k + 4
        }
    }

    /// The code point of the character reference starting at `start` (an `&`), and the index after it.
    /// Only references at least as long as their UTF-8 encoding are decoded, so decoding never grows text.
    static func reference(in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (UInt32, Int)? {
        let n = bytes.count
        var j = start + 1
        guard j < n else { return nil }
        if bytes[j] == UInt8(ascii: "#") {
            j += 1
            var hex = false
            if j < n, bytes[j] | 0x20 == UInt8(ascii: "x") { hex = true; j += 1 }
            var value: UInt32 = 0
            var digits = 0
            while j < n, digits < 8 {
                let c = bytes[j]
                let d: UInt32
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: d = UInt32(c - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: d = UInt32(c - UInt8(ascii: "A") + 10)
                default: d = 99
                }
                if d == 99 { break }
                value = value * (hex ? 16 : 10) + d
                digits += 1
                j += 1
            }
            guard digits > 0 else { return nil }
            if j < n, bytes[j] == UInt8(ascii: ";") { j += 1 }
            let scalar = sanitize(value)
            guard utf8Length(scalar) <= j - start else { return nil }
            return (scalar, j)
        }
        var nameEnd = j
        while nameEnd < n, nameEnd - j < 32, isNameByte(bytes[nameEnd]) { nameEnd += 1 }
        guard nameEnd > j, nameEnd < n, bytes[nameEnd] == UInt8(ascii: ";") else { return nil }
        guard let value = namedEntity(ArraySlice(UnsafeBufferPointer(rebasing: bytes[j..<nameEnd]))) else { return nil }
        guard utf8Length(value) <= nameEnd + 1 - start else { return nil }
        return (value, nameEnd + 1)
    }

    @inline(__always) static func utf8Length(_ v: UInt32) -> Int {
        v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x10000 ? 3 : 4
    }

    /// The code point of an HTML named entity (HTML 4 set plus `apos`), or nil.
    static func namedEntity(_ name: ArraySlice<UInt8>) -> UInt32? {
        guard name.count <= 8 else { return nil }
        return HTMLEntities.table[String(decoding: name, as: UTF8.self)]
    }

    /// HTML's numeric-reference fix-ups: C1 controls as windows-1252, invalid values as U+FFFD.
    static func sanitize(_ value: UInt32) -> UInt32 {
        if value >= 0x80 && value <= 0x9F { return windows1252C1[Int(value - 0x80)] }
        if value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF) { return 0xFFFD }
        return value
    }

    static let windows1252C1: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    @inline(__always) static func isNameByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
    }

    static func appendUTF8(_ v: UInt32, to out: inout [UInt8]) {
        switch v {
        case 0..<0x80:
            out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (v >> 6)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (v >> 12)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (v >> 18)))
            out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// Appends `bytes` with `&`, `<`, `>` (and `"` when `quote`) escaped.
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8], quote: Bool = false) {
        for b in bytes {
            switch b {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\"") where quote: out.append(contentsOf: "&quot;".utf8)
            default: out.append(b)
            }
        }
    }

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

extension HTMLText {
    /// Repairs text that holds C1 control characters (U+0080–U+009F), which real feeds only carry by
    /// mistake: UTF-8 that was read as Latin-1 and encoded again ("â€¦" → "…") is decoded once more;
    /// other C1 characters are read as the windows-1252 characters they stand for (U+0092 → ’).
    static func repairC1(_ bytes: [UInt8]) -> [UInt8] {
        var hasC1 = false
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0xC2, bytes[i + 1] >= 0x80, bytes[i + 1] <= 0x9F { hasC1 = true; break }
            i += 1
        }
        guard hasC1 else { return bytes }
        let scalars = String(decoding: bytes, as: UTF8.self).unicodeScalars
        if scalars.allSatisfy({ $0.value <= 0xFF }) {
            let latin1 = scalars.map { UInt8($0.value) }
            if InputDecoder.validateUTF8(latin1).0 { return latin1 }
        }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        for s in scalars {
            appendUTF8(s.value >= 0x80 && s.value <= 0x9F ? windows1252C1[Int(s.value - 0x80)] : s.value, to: &out)
        }
        return out
    }
}
