/// Finds the malformed TOML that makes toml++ (inside TOMLKit 0.6.0) abort on an internal
/// assertion instead of reporting a syntax error, or that TOMLKit would silently misread, so that such
/// text never reaches it.
///
/// Known cases, found by fuzzing `newsmon check`: a table header with no name after `[` or `[[`
/// (`[`, `[[[x]]]`, `[[ =`), and a `}` where an array expects a value (`a = [}`, `a = [1, }`).
/// The scan knows strings, comments and nesting, so text inside a rule is never mistaken for either.
///
/// Found by `scripts/fuzz.sh config`: a date and time whose `T` is not followed by a digit in a value
/// with a `:` (`1979-05-27T:00`), which toml++ takes for a date and time and then asserts that the time
/// starts with a digit; a table header with no name right after a byte-order mark, which the scan
/// did not take for the start of a line (toml++ skips the mark); and a NUL character. TOMLKit hands the text to toml++ as a C string
/// and reads every string value back as one, so a NUL silently ended the file (the feeds and topics
/// after it were dropped without an error) and an escaped one (`\u0000`) cut a value short.
enum TOMLAbortGuard {
    static let headerMessage = "TOML syntax: a table header needs a name after '[' or '[[' (like [defaults] or [[feed]])"
    static let braceMessage = "TOML syntax: '}' where the array expects a value or its closing ']'"
    static let dateTimeMessage = "TOML syntax: a date and time needs a time after its 'T' (like 1979-05-27T07:32:00)"
    static let nulMessage = "TOML syntax: a NUL character (U+0000) is not allowed"
    static let escapedNULMessage = "TOML syntax: an escaped NUL character (\\u0000) is not allowed in feeds.conf"

    /// Each place toml++ would abort on or TOMLKit misread, with the syntax error to report there; empty when
    /// there is none. A NUL character is reported alone, at its first occurrence.
    static func problems(_ text: String) -> [(position: ConfigurationSourceMap.Position, message: String)] {
        let s = Array(text.unicodeScalars)
        var found: [(position: ConfigurationSourceMap.Position, message: String)] = []
        var stack: [Unicode.Scalar] = []  // open `[` (arrays) and `{` (inline tables) of values
        var expectingValue = false  // just after an array's `[` or `,`
        var atLineStart = true
        var line = 1, column = 1
        var i = s.first == "\u{FEFF}" ? 1 : 0  // toml++ skips a byte-order mark; it takes no column

        func advance() {
            if s[i] == "\n" { line += 1; column = 1 } else { column += 1 }
            i += 1
        }
        func isEscapedNUL(at k: Int) -> Bool {  // `u0000` or `U00000000` after a backslash
            let digits = k < s.count && s[k] == "u" ? 4 : k < s.count && s[k] == "U" ? 8 : 0
            guard digits > 0, k + digits < s.count else { return false }
            return s[(k + 1)...(k + digits)].allSatisfy { $0 == "0" }
        }
        func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
        func digits(at k: Int, _ n: Int) -> Bool { k + n <= s.count && s[k..<(k + n)].allSatisfy(isDigit) }
        /// `YYYY-MM-DDT` at `k`, then no digit, in a value with a `:` before its end (toml++'s value terminators).
        func isDateTimeWithoutTime(at k: Int) -> Bool {
            guard digits(at: k, 4), k + 11 < s.count, s[k + 4] == "-", digits(at: k + 5, 2), s[k + 7] == "-",
                digits(at: k + 8, 2), s[k + 10] == "T" || s[k + 10] == "t", !isDigit(s[k + 11])
            else { return false }
            var j = k + 11
            while j < s.count, !" \t\r\n,]}#".unicodeScalars.contains(s[j]) {
                if s[j] == ":" { return true }
                j += 1
            }
            return false
        }
        func skipString(_ quote: Unicode.Scalar) {
            let multi = i + 2 < s.count && s[i + 1] == quote && s[i + 2] == quote
            for _ in 0..<(multi ? 3 : 1) { advance() }
            while i < s.count {
                if quote == "\"", s[i] == "\\" {
                    if isEscapedNUL(at: i + 1) {
                        found.append((ConfigurationSourceMap.Position(line: line, column: column), escapedNULMessage))
                    }
                    advance()
                    if i < s.count { advance() }
                    continue
                }
                if s[i] == quote, !multi || (i + 2 < s.count && s[i + 1] == quote && s[i + 2] == quote) {
                    for _ in 0..<(multi ? 3 : 1) { advance() }
                    return
                }
                if !multi, s[i] == "\n" { return }  // unterminated: toml++ reports it
                advance()
            }
        }

        if let nul = s.firstIndex(of: "\0") {
            let before = s[..<nul]
            let lineStart = before.lastIndex(of: "\n").map { $0 + 1 } ?? 0
            let position = ConfigurationSourceMap.Position(
                line: before.count { $0 == "\n" } + 1, column: nul - lineStart + 1)
            return [(position, nulMessage)]
        }

        while i < s.count {
            let c = s[i]
            switch c {
            case " ", "\t", "\r":
                advance()
                continue
            case "\n":
                atLineStart = true
                advance()
                continue
            case "#":
                while i < s.count, s[i] != "\n" { advance() }
                continue
            default:
                break
            }
            if isDigit(c), i == 0 || !(isDigit(s[i - 1]) || s[i - 1].properties.isAlphabetic || "_-:.+".unicodeScalars.contains(s[i - 1])),
                isDateTimeWithoutTime(at: i)
            {
                found.append((ConfigurationSourceMap.Position(line: line, column: column + 11), dateTimeMessage))
            }
            if expectingValue, c == "}", stack.last == "[" {
                found.append((ConfigurationSourceMap.Position(line: line, column: column), braceMessage))
            }
            expectingValue = false
            switch c {
            case "\"", "'":
                skipString(c)
                atLineStart = false
                continue
            case "[":
                if atLineStart && stack.isEmpty {
                    // A table header: it needs a name after `[` or `[[`; then skip to its end of line.
                    var j = i + (i + 1 < s.count && s[i + 1] == "[" ? 2 : 1)
                    while j < s.count, s[j] == " " || s[j] == "\t" { j += 1 }
                    if j >= s.count || !startsKey(s[j]) {
                        found.append((ConfigurationSourceMap.Position(line: line, column: column + j - i), headerMessage))
                    }
                    while i < s.count, s[i] != "\n", s[i] != "#" {
                        if s[i] == "\\", isEscapedNUL(at: i + 1) {  // in a quoted table name
                            found.append((ConfigurationSourceMap.Position(line: line, column: column), escapedNULMessage))
                        }
                        advance()
                    }
                    continue
                }
                stack.append("[")
                expectingValue = true
            case "{":
                stack.append("{")
            case "]", "}":
                if !stack.isEmpty { stack.removeLast() }
            case ",":
                expectingValue = stack.last == "["
            default:
                break
            }
            atLineStart = false
            advance()
        }
        return found
    }

    /// Whether a table name can start with `c`: a bare-key character or a quote.
    private static func startsKey(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-", "\"", "'": true
        default: false
        }
    }
}
