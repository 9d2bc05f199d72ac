/// JSON string literals, written the same way everywhere newsmon prints JSON (alerts, `match`).
public enum JSONText {
    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped, U+2028 and
    /// U+2029 escaped (so a line of JSON stays one line for every reader), C1 controls (U+0080–009F) and
    /// bidirectional overrides (U+202A–202E, U+2066–2069) escaped (so JSON printed on a terminal cannot
    /// drive it, see ``TerminalText``), everything else as UTF-8.
    ///
    /// - Complexity: O(n) in the UTF-8 length of `text`.
    public static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 2)
        append(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `text` as a JSON string literal to `out`.
    public static func append(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20, 0x7F:
                appendEscape(UInt32(byte), to: &out)
            case 0xC2 where utf8.first.map { (0x80...0x9F).contains($0) } == true:
                // C1 controls U+0080–009F
                appendEscape(UInt32(utf8.removeFirst()), to: &out)
            case 0xE2 where utf8.count >= 2 && Self.isEscapedE2(utf8[utf8.startIndex], utf8[utf8.startIndex + 1]):
                // U+2028, U+2029 (line breaks to JavaScript) and the BiDi overrides U+202A–202E, U+2066–2069
                let second = UInt32(utf8.removeFirst())
                let third = UInt32(utf8.removeFirst())
                appendEscape(0x2000 | (second & 0x3F) << 6 | (third & 0x3F), to: &out)
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Whether `E2 b1 b2` is U+2028, U+2029, U+202A–202E or U+2066–2069.
    private static func isEscapedE2(_ b1: UInt8, _ b2: UInt8) -> Bool {
        (b1 == 0x80 && (0xA8...0xAE).contains(b2)) || (b1 == 0x81 && (0xA6...0xA9).contains(b2))
    }

    private static func appendEscape(_ value: UInt32, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u")])
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(hex[Int((value >> UInt32(shift)) & 0xF)])
        }
    }
}
