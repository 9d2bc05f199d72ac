/// Makes feed text safe to print on a terminal.
public enum TerminalText {
    /// Removes ANSI escape sequences (CSI, OSC, DCS and two-byte escapes, 7- and 8-bit forms),
    /// C0 and C1 control characters, DEL and bidirectional overrides; turns tabs and line breaks
    /// into spaces, collapses runs of spaces and trims the ends.
    ///
    /// - Complexity: O(*n*) in the number of Unicode scalars.
    public static func sanitize(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var pendingSpace = false
        func emit(_ s: Unicode.Scalar) {
            if s == " " {
                pendingSpace = !out.isEmpty
                return
            }
            if pendingSpace { out.append(" ") }
            pendingSpace = false
            out.append(s)
        }
        while let s = scalars.next() {
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
        return String(out)
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
