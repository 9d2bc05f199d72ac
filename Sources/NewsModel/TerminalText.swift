/// Makes untrusted text (from the network, a feed or a spool file) safe for a terminal or a log line.
///
/// The one function every output of newsmon passes such text through: log lines, `status`, `once`'s
/// summary, `tail` and the alerts printed by `run`/`once` in text form (JSON output escapes the same
/// characters instead, see ``JSONText``).
public enum TerminalText {
    /// The width alert titles are cut to in text output. The default is 200 characters.
    public static let titleWidth = 200
    /// The width of one value in a log line or a `status` cell (an error, a URL). The default is 1 000 characters.
    public static let valueWidth = 1_000

    /// Removes ANSI escape sequences (CSI, OSC, DCS and two-byte escapes, 7- and 8-bit forms),
    /// C0 and C1 control characters, DEL and bidirectional controls (U+200E, U+200F, U+202A–202E,
    /// U+2066–2069); turns tabs and line breaks into spaces, collapses runs of spaces and trims the
    /// ends; cuts what is longer than `maxLength` characters to `maxLength`, the last one an ellipsis.
    ///
    /// - Parameters:
    ///   - text: Untrusted text.
    ///   - maxLength: The most characters (grapheme clusters) returned; nil for no limit.
    /// - Complexity: O(*n*) in the number of Unicode scalars, and O(`maxLength`) once the output is that long.
    public static func sanitize(_ text: String, maxLength: Int? = nil) -> String {
        var out = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var pendingSpace = false
        // Enough scalars for `maxLength` characters in ordinary text; stop reading once there are more.
        let scalarBudget = maxLength.map { $0 * 4 + 16 } ?? .max
        var isCut = false
        var emitted = 0
        func emit(_ s: Unicode.Scalar) {
            emitted += 1
            if s == " " {
                pendingSpace = !out.isEmpty
                return
            }
            if pendingSpace { out.append(" ") }
            pendingSpace = false
            out.append(s)
        }
        while let s = scalars.next() {
            if emitted >= scalarBudget {
                isCut = true
                break
            }
            switch s.value {
            case 0x1B:  // ESC
                guard let next = scalars.next() else { break }
                switch next {
                case "[": skipControlSequence(&scalars)
                case "]", "P", "X", "^", "_": skipString(&scalars)
                default: break  // two-byte escape: ESC plus one character, both dropped
                }
            case 0x9B: skipControlSequence(&scalars)
            case 0x90, 0x98, 0x9D, 0x9E, 0x9F: skipString(&scalars)
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029: emit(" ")
            case 0x00...0x1F, 0x7F...0x9F: break
            case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: break
            default: emit(s)
            }
        }
        let result = String(out)
        guard let maxLength else { return result }
        if !isCut && result.count <= maxLength { return result }
        var kept = result.prefix(max(0, maxLength - 1))
        while kept.last == " " { kept = kept.dropLast() }
        return kept + "…"
    }

    /// Skips the parameters and intermediates of a CSI sequence up to its final byte (0x40–0x7E).
    private static func skipControlSequence(_ scalars: inout String.UnicodeScalarView.Iterator) {
        while let s = scalars.next() {
            if s.value >= 0x40 && s.value <= 0x7E { return }
            if s.value < 0x20 || s.value > 0x7E { return }  // malformed: stop at anything unexpected
        }
    }

    /// Skips an OSC/DCS-style string up to BEL, ST (ESC \) or 8-bit ST (0x9C).
    private static func skipString(_ scalars: inout String.UnicodeScalarView.Iterator) {
        while let s = scalars.next() {
            switch s.value {
            case 0x07, 0x9C: return
            case 0x1B:
                _ = scalars.next()
                return
            default: continue
            }
        }
    }
}
