/// A lenient pre-pass for documents that are not well-formed: it fixes the faults real feeds
/// have most often, so a strict re-parse can succeed without libxml2's lossy RECOVER mode.
///
/// - A bare `&` that starts no character or entity reference becomes `&amp;`.
/// - Characters XML forbids (C0 controls other than tab, LF, CR) are dropped.
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
            out.append(b)
            i += 1
        }
        return changed ? out : nil
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
