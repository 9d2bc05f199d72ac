/// Finds the malformed TOML that makes toml++ (inside TOMLKit 0.6.0) abort on an internal
/// assertion instead of reporting a syntax error, so that such text never reaches it.
///
/// Known cases, found by fuzzing `newsmon check`: a table header with no name after `[` or `[[`
/// (`[`, `[[[x]]]`, `[[ =`; ``ConfigurationSourceMap`` finds those), and a `}` where an array
/// expects a value (`a = [}`, `a = [1, }`). The scan knows strings, comments and nesting, so text
/// inside a rule is never mistaken for either.
enum TOMLAbortGuard {
    /// Where a `}` stands in an array where a value should be; empty when there is none.
    static func closingBraceInArray(_ text: String) -> [ConfigurationSourceMap.Position] {
        let s = Array(text.unicodeScalars)
        var found: [ConfigurationSourceMap.Position] = []
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
                found.append(ConfigurationSourceMap.Position(line: line, column: column))
            }
            expectingValue = false
            switch c {
            case "\"", "'":
                skipString(c)
                atLineStart = false
                continue
            case "[":
                if atLineStart && stack.isEmpty {
                    // A table header: skip to its end of line.
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
}
