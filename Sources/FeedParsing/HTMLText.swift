internal import CLibXML2

/// HTML-flavoured text helpers: decode entities once, escape, and render plain text.
///
/// All work happens on UTF-8 bytes; strings without `&` or `<` are returned untouched.
enum HTMLText {
    /// Decodes HTML character references (`&eacute;`, `&#233;`, `&#xE9;`) once; unknown names stay as written.
    static func decodeEntities(_ bytes: [UInt8]) -> [UInt8] {
        guard let first = bytes.firstIndex(of: UInt8(ascii: "&")) else { return bytes }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        out.append(contentsOf: bytes[..<first])
        var i = first
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b != UInt8(ascii: "&") {
                out.append(b)
                i += 1
                continue
            }
            if let (scalar, next) = reference(in: bytes, at: i) {
                appendUTF8(scalar, to: &out)
                i = next
            } else {
                out.append(b)
                i += 1
            }
        }
        return out
    }

    /// The code point of the character reference starting at `start` (an `&`), and the index after it.
    static func reference(in bytes: [UInt8], at start: Int) -> (UInt32, Int)? {
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
            return (sanitize(value), j)
        }
        var nameEnd = j
        while nameEnd < n, nameEnd - j < 32, isNameByte(bytes[nameEnd]) { nameEnd += 1 }
        guard nameEnd > j, nameEnd < n, bytes[nameEnd] == UInt8(ascii: ";") else { return nil }
        guard let value = namedEntity(bytes[j..<nameEnd]) else { return nil }
        return (value, nameEnd + 1)
    }

    /// The code point of an HTML named entity (HTML 4 set plus `apos`), or nil.
    static func namedEntity(_ name: ArraySlice<UInt8>) -> UInt32? {
        if name.elementsEqual("apos".utf8) { return 0x27 }
        var buffer = [CChar](repeating: 0, count: name.count + 1)
        for (k, b) in name.enumerated() { buffer[k] = CChar(bitPattern: b) }
        return buffer.withUnsafeBufferPointer { p -> UInt32? in
            p.baseAddress!.withMemoryRebound(to: xmlChar.self, capacity: p.count) { xp in
                guard let desc = htmlEntityLookup(xp) else { return nil }
                return desc.pointee.value
            }
        }
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

    /// Tags stripped (block-level tags become spaces), entities decoded, whitespace collapsed and trimmed.
    static func plainText(_ s: String) -> String {
        var utf8 = Array(s.utf8)
        let hasMarkup = utf8.contains { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") }
        if hasMarkup {
            utf8 = decodeEntities(stripTags(utf8))
        }
        return String(decoding: collapseWhitespace(utf8), as: UTF8.self)
    }

    static func stripTags(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            guard b == UInt8(ascii: "<"), i + 1 < n, isTagStart(bytes[i + 1]) else {
                out.append(b)
                i += 1
                continue
            }
            // Find the end of the tag, honouring quoted attribute values.
            var j = i + 1
            var quote: UInt8 = 0
            while j < n {
                let c = bytes[j]
                if quote != 0 {
                    if c == quote { quote = 0 }
                } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                    quote = c
                } else if c == UInt8(ascii: ">") {
                    break
                }
                j += 1
            }
            let name = tagName(bytes, from: i + 1)
            if name == "script" || name == "style" {
                // Drop the element's body too.
                if let close = find(bytes, "</" + name, from: j), let end = bytes[close...].firstIndex(of: UInt8(ascii: ">")) {
                    j = end
                }
            }
            if blockTags.contains(name) { out.append(UInt8(ascii: " ")) }
            i = j + 1
        }
        return out
    }

    static let blockTags: Set<String> = [
        "p", "br", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "pre", "hr", "section", "article", "header", "footer", "figure", "figcaption", "dd", "dt", "img",
    ]

    @inline(__always) static func isTagStart(_ b: UInt8) -> Bool {
        isNameByte(b) || b == UInt8(ascii: "/") || b == UInt8(ascii: "!") || b == UInt8(ascii: "?")
    }

    static func tagName(_ bytes: [UInt8], from start: Int) -> String {
        var i = start
        if i < bytes.count, bytes[i] == UInt8(ascii: "/") { i += 1 }
        var name = [UInt8]()
        while i < bytes.count, isNameByte(bytes[i]), name.count < 16 {
            name.append(bytes[i] | 0x20)
            i += 1
        }
        return String(decoding: name, as: UTF8.self)
    }

    static func find(_ bytes: [UInt8], _ needle: String, from: Int) -> Int? {
        let pattern = Array(needle.utf8)
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
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                pendingSpace = true
                i += 1
                continue
            }
            if b == 0xC2, i + 1 < n, bytes[i + 1] == 0xA0 {
                pendingSpace = true
                i += 2
                continue
            }
            if pendingSpace && !out.isEmpty { out.append(0x20) }
            pendingSpace = false
            out.append(b)
            i += 1
        }
        return out
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
