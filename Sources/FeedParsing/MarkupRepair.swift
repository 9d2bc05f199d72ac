/// A lenient pre-pass for documents that are not well-formed: it fixes the faults real feeds
/// have most often, so a strict re-parse can succeed without libxml2's lossy RECOVER mode.
///
/// - A bare `&` that starts no character or entity reference becomes `&amp;`.
/// - Characters XML forbids (C0 controls other than tab, LF, CR) are dropped.
/// - A `<` that cannot start markup (`a < b`) becomes `&lt;`.
/// - HTML void elements left open (`<br>`, `<img …>`) are closed (`<br/>`), so they do not swallow
///   the rest of the document.
enum MarkupRepair {
    /// The repaired bytes, or nil when nothing needed repair.
    static func repair(_ bytes: [UInt8]) -> [UInt8]? {
        var out = [UInt8]()
        var changed = false
        var i = 0
        let n = bytes.count
        out.reserveCapacity(n + n / 64)
        while i < n {
            let b = bytes[i]
            if b < 0x20, b != 0x09, b != 0x0A, b != 0x0D {
                changed = true
                i += 1
                continue
            }
            if b == UInt8(ascii: "&"), !startsReference(bytes, i) {
                out.append(contentsOf: "&amp;".utf8)
                changed = true
                i += 1
                continue
            }
            if b == UInt8(ascii: "<") {
                let next = i + 1 < n ? bytes[i + 1] : 0
                let isMarkup = (next | 0x20) >= UInt8(ascii: "a") && (next | 0x20) <= UInt8(ascii: "z") || next >= 0x80
                    || next == UInt8(ascii: "/") || next == UInt8(ascii: "!") || next == UInt8(ascii: "?") || next == UInt8(ascii: "_")
                if !isMarkup {
                    out.append(contentsOf: "&lt;".utf8)
                    changed = true
                    i += 1
                    continue
                }
                if let end = openVoidElementEnd(bytes, i) {
                    out.append(contentsOf: bytes[i..<end])
                    out.append(contentsOf: "/>".utf8)
                    changed = true
                    i = end + 1
                    continue
                }
            }
            out.append(b)
            i += 1
        }
        return changed ? out : nil
    }

    static let voidElements: [[UInt8]] = ["br", "hr", "img", "wbr", "input", "area", "col", "embed", "param", "basefont"]
        .map { Array($0.utf8) }

    /// For `<br>` / `<img src="…">` at `i` (an HTML void element not closed with `/>`), the index of its `>`.
    static func openVoidElementEnd(_ b: [UInt8], _ i: Int) -> Int? {
        let n = b.count
        var j = i + 1
        while j < n, (b[j] | 0x20) >= UInt8(ascii: "a"), (b[j] | 0x20) <= UInt8(ascii: "z") { j += 1 }
        guard j > i + 1, j - i - 1 <= 8 else { return nil }
        let name = b[(i + 1)..<j].map { $0 | 0x20 }
        guard voidElements.contains(where: { $0 == name }) else { return nil }
        guard j < n, b[j] == UInt8(ascii: ">") || b[j] == 0x20 || b[j] == 0x09 || b[j] == 0x0A || b[j] == 0x0D else { return nil }
        var quote: UInt8 = 0
        while j < n, j - i < 4096 {
            let c = b[j]
            if quote != 0 {
                if c == quote { quote = 0 }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                quote = c
            } else if c == UInt8(ascii: ">") {
                return b[j - 1] == UInt8(ascii: "/") ? nil : j
            }
            j += 1
        }
        return nil
    }

    /// Whether `&` at `i` starts `&name;`, `&#digits;` or `&#xhex;`.
    static func startsReference(_ b: [UInt8], _ i: Int) -> Bool {
        var j = i + 1
        let n = b.count
        guard j < n else { return false }
        if b[j] == UInt8(ascii: "#") {
            j += 1
            var hex = false
            if j < n, b[j] | 0x20 == UInt8(ascii: "x") { hex = true; j += 1 }
            let start = j
            while j < n, j - start < 10 {
                let c = b[j]
                let isDigit = c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")
                let isHex = hex && (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "f")
                if !(isDigit || isHex) { break }
                j += 1
            }
            return j > start && j < n && b[j] == UInt8(ascii: ";")
        }
        let start = j
        while j < n, j - start < 40 {
            let c = b[j]
            let ok = (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") || c >= 0x80
                || (j > start && ((c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-")
                    || c == UInt8(ascii: "_") || c == UInt8(ascii: ".")))
            if !ok { break }
            j += 1
        }
        return j > start && j < n && b[j] == UInt8(ascii: ";")
    }
}
