/// Finds the first TOML string that is never closed, so that the error points at its opening and
/// says which quote is missing.
///
/// toml++ reports such a string where it gave up: at the end of the file for a `'''` opened lines
/// earlier, or as "unescaped control characters" at the end of a line for a missing `"`.
enum TOMLStringCheck {
    /// The opening of the first unterminated string and the message for it; nil when every string is closed.
    static func firstUnterminated(_ text: String) -> (position: ConfigurationSourceMap.Position, message: String)? {
        let s = Array(text.unicodeScalars)
        var line = 1, column = 1, i = 0
        func advance(_ n: Int = 1) {
            for _ in 0..<n where i < s.count {
                if s[i] == "\n" { line += 1; column = 1 } else { column += 1 }
                i += 1
            }
        }
        func isTriple(_ quote: Unicode.Scalar, at k: Int) -> Bool {
            k + 2 < s.count && s[k] == quote && s[k + 1] == quote && s[k + 2] == quote
        }
        while i < s.count {
            let c = s[i]
            if c == "#" {
                while i < s.count, s[i] != "\n" { advance() }
                continue
            }
            guard c == "\"" || c == "'" else {
                advance()
                continue
            }
            let open = ConfigurationSourceMap.Position(line: line, column: column)
            let multi = isTriple(c, at: i)
            let delimiter = String(repeating: String(c), count: multi ? 3 : 1)
            advance(multi ? 3 : 1)
            var closed = false
            while i < s.count {
                if c == "\"", s[i] == "\\" {
                    advance(2)
                    continue
                }
                if multi ? isTriple(c, at: i) : s[i] == c {
                    // A multi-line string may end with up to two extra quotes (`""""` is `"` + `"""`).
                    var end = i + 3
                    while multi, end < s.count, s[end] == c, end < i + 5 { end += 1 }
                    advance(multi ? end - i : 1)
                    closed = true
                    break
                }
                if !multi, s[i] == "\n" { break }
                advance()
            }
            if !closed {
                let whereMissing = multi ? "before the end of the file" : "before the end of the line"
                return (open, "unterminated string: the \(delimiter) opened here has no closing \(delimiter) \(whereMissing)")
            }
        }
        return nil
    }
}
