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
        /// Whitespace other than single spaces between words (tabs, newlines, runs, NBSP, a space at
        /// either end). Also set by other control bytes, which collapsing leaves unchanged.
        var needsCollapse = false
        /// No control bytes, no `0xC2` and no two spaces in a row anywhere (see ``HTMLText/isCleanRun(_:)``).
        var isClean = false
        /// Only bytes below `0x80` (a string of them, or of any part of them, is ASCII).
        var isASCII = true

        init(_ bytes: [UInt8]) {
            self = bytes.withUnsafeBytes { Scan($0) }
        }

        init(_ bytes: ArraySlice<UInt8>) {
            self = bytes.withUnsafeBytes { Scan($0) }
        }

        /// One vector pass over `raw`: sixteen bytes per step, all four questions at once.
        init(_ raw: UnsafeRawBufferPointer) {
            guard let base = raw.baseAddress, raw.count > 0 else { return }
            let n = raw.count
            var seenAmp = Bytes16.Mask(repeating: false)
            var seenLT = seenAmp, seenC2 = seenAmp, seenSpace = seenAmp
            var bits = SIMD16<UInt8>(repeating: 0)
            var j = 0
            while j + 17 <= n {
                let a = Bytes16.load(base, j), b = Bytes16.load(base, j + 1)
                bits |= a
                seenAmp .|= a .== Bytes16.ampersand
                seenLT .|= a .== Bytes16.lessThan
                seenC2 .|= a .== Bytes16.c2
                seenSpace .|= (a .< Bytes16.space) .| ((a .== Bytes16.space) .& (b .== Bytes16.space))
                j += 16
            }
            var ampersand = Bytes16.any(seenAmp), lessThan = Bytes16.any(seenLT)
            var c2 = Bytes16.any(seenC2), collapse = Bytes16.any(seenSpace)
            let p = raw.bindMemory(to: UInt8.self)
            var high = Bytes16.any(bits .>= Bytes16.x80)
            while j < n {
                let c = p[j]
                if c >= 0x80 { high = true }
                if c == 0x26 { ampersand = true }
                if c == 0x3C { lessThan = true }
                if c == 0xC2 { c2 = true }
                if c < 0x20 || (c == 0x20 && j + 1 < n && p[j + 1] == 0x20) { collapse = true }
                j += 1
            }
            isClean = !collapse && !c2
            isASCII = !high
            if c2 {
                for i in 0..<(n - 1) where p[i] == 0xC2 {
                    if p[i + 1] >= 0x80 && p[i + 1] <= 0x9F { hasC1 = true }
                    if p[i + 1] == 0xA0 { collapse = true }
                }
            }
            hasAmpersand = ampersand
            hasLessThan = lessThan
            needsCollapse = collapse || p[0] == 0x20 || p[n - 1] == 0x20
        }
    }

    /// Whether `text` holds an overlong UTF-8 form (`C0`/`C1` leads, `E0 80…9F`, `F0 80…8F`): the only
    /// malformed UTF-8 libxml2 2.9's push parser lets through (in CDATA sections). One vector pass.
    static func hasOverlongUTF8(_ text: UnsafeRawBufferPointer) -> Bool {
        let n = text.count
        guard n > 0, let base = text.baseAddress else { return false }
        var j = 0
        while j + 17 <= n {
            let a = Bytes16.load(base, j), b = Bytes16.load(base, j + 1)
            let bad = ((a & Bytes16.fe) .== Bytes16.c0) .| ((a .== Bytes16.e0) .& (b .< Bytes16.a0))
                .| ((a .== Bytes16.f0) .& (b .< Bytes16.x90))
            if Bytes16.any(bad) { return true }
            j += 16
        }
        while j < n {
            let c = text[j]
            let next: UInt8 = j + 1 < n ? text[j + 1] : 0xFF
            if c & 0xFE == 0xC0 || (c == 0xE0 && next < 0xA0) || (c == 0xF0 && next < 0x90) { return true }
            j += 1
        }
        return false
    }

    /// Whether `text` can be copied as plain text unchanged: no control bytes (tabs, newlines),
    /// no `0xC2` (NBSP, C1 controls) and no two spaces in a row. One vector pass.
    static func isCleanRun(_ text: UnsafeRawBufferPointer) -> Bool {
        let n = text.count
        guard n > 0, let base = text.baseAddress else { return true }
        var j = 0
        while j + 17 <= n {
            let a = Bytes16.load(base, j), b = Bytes16.load(base, j + 1)
            let space = Bytes16.space
            if Bytes16.any((a .< space) .| (a .== Bytes16.c2) .| ((a .== space) .& (b .== space))) { return false }
            j += 16
        }
        while j < n {
            let c = text[j]
            if c < 0x20 || c == 0xC2 || (c == 0x20 && j + 1 < n && text[j + 1] == 0x20) { return false }
            j += 1
        }
        return true
    }

    /// Whether `bytes` holds `byte` (`memchr`).
    @inline(__always) static func contains(_ bytes: [UInt8], _ byte: UInt8) -> Bool {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else { return false }
            return memchr(base, Int32(byte), raw.count) != nil
        }
    }

    /// Whether two spaces follow each other, sixteen byte pairs at a time.
    static func hasDoubleSpace(_ raw: UnsafeRawBufferPointer) -> Bool {
        let n = raw.count
        guard n >= 2, let base = raw.baseAddress else { return false }
        var j = 0
        while j + 17 <= n {
            let a = Bytes16.load(base, j), b = Bytes16.load(base, j + 1)
            if Bytes16.any((a .== Bytes16.space) .& (b .== Bytes16.space)) { return true }
            j += 16
        }
        while j + 1 < n {
            if raw[j] == 0x20 && raw[j + 1] == 0x20 { return true }
            j += 1
        }
        return false
    }

    /// Decodes HTML character references (`&eacute;`, `&#233;`, `&#xE9;`) once; unknown names stay as written.
    static func decodeEntities(_ bytes: [UInt8]) -> [UInt8] {
        guard hasReference(bytes) else { return bytes }
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

    /// Whether any `&` in `bytes` starts a reference ``decodeEntities(_:)`` would decode (else it copies nothing).
    static func hasReference(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { hasReference($0) }
    }

    /// ``hasReference(_:)`` of a buffer.
    static func hasReference(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = p.baseAddress, p.count > 0 else { return false }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i < p.count, let hit = memchr(raw + i, 0x26, p.count - i) {
            let at = UnsafeRawPointer(hit) - raw
            if reference(in: p, at: at) != nil { return true }
            i = at + 1
        }
        return false
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
    /// Runs without a byte to escape are appended in one copy.
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout TextBuffer, quote: Bool = false) {
        // Sixteen bytes at a time up to the first byte that needs escaping (usually none).
        var start = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while start + 16 <= bytes.count {
                let a = Bytes16.load(raw, start)
                var hit = (a .== Bytes16.ampersand) .| (a .== Bytes16.lessThan) .| (a .== Bytes16.greaterThan)
                if quote { hit .|= a .== Bytes16.quote }
                if Bytes16.any(hit) { break }
                start += 16
            }
        }
        if start > 0 { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<start])) }
        for i in start..<bytes.count {
            let b = bytes[i]
            guard b == UInt8(ascii: "&") || b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || (quote && b == UInt8(ascii: "\""))
            else { continue }
            if i > start { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
            switch b {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            default: out.append(contentsOf: "&quot;".utf8)
            }
            start = i + 1
        }
        if start < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
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
