/// Finds the malformed TOML that makes toml++ (inside TOMLKit 0.6.0) abort on an internal
/// assertion instead of reporting a syntax error, so that such text never reaches it.
///
/// Known cases, found by fuzzing `newsmon check`: a table header with no name after `[` or `[[`
/// (`[`, `[[[x]]]`, `[[ =`), and a `}` where an array expects a value (`a = [}`, `a = [1, }`).
/// The scan knows strings, comments and nesting, so text inside a rule is never mistaken for either.
enum TOMLAbortGuard {
    static let headerMessage = "TOML syntax: a table header needs a name after '[' or '[[' (like [defaults] or [[feed]])"
    static let braceMessage = "TOML syntax: '}' where the array expects a value or its closing ']'"

    /// Each place toml++ would abort on, with the syntax error to report there; empty when there is none.
    static func problems(_ text: String) -> [(position: ConfigurationSourceMap.Position, message: String)] {
        let s = Array(text.unicodeScalars)
        var found: [(position: ConfigurationSourceMap.Position, message: String)] = []
        var stack: [Unicode.Scalar] = []  // open `[` (arrays) and `{` (inline tables) of values
        var expectingValue = false  // just after an array's `[` or `,`
        var atLineStart = true
        var line = 1, column = 1
        var i = 0

        func advance() {
            if s[i] == "\n" { line += 1; column = 1 } else { column += 1 }
            i += 1
        }
        func skipString(_ quote: Unicode.Scalar) {
            let multi = i + 2 < s.count && s[i + 1] == quote && s[i + 2] == quote
            for _ in 0..<(multi ? 3 : 1) { advance() }
            while i < s.count {
                if quote == "\"", s[i] == "\\" {
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
                    while i < s.count, s[i] != "\n", s[i] != "#" { advance() }
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
