/// Where tables and keys sit in a TOML file, found by a small line scanner.
///
/// TOMLKit reports positions only for syntax errors, so the reader uses this map to give every
/// later problem (wrong type, unknown key, bad value, rule syntax) a `line:column`. The scanner
/// understands what feeds.conf needs: `[table]` and `[[array]]` headers, `key = value` lines,
/// comments, single- and multi-line strings and bracketed values spanning lines.
struct ConfigurationSourceMap: Sendable {
    /// A table: `feed` with the index of its `[[feed]]` header, or `defaults` with index 0.
    struct TableKey: Hashable, Sendable {
        var name: String
        var index: Int
    }

    /// A 1-based position; columns count Unicode scalars.
    struct Position: Hashable, Sendable {
        var line: Int
        var column: Int
    }

    struct Entry: Sendable {
        /// Where the key starts.
        var key: Position
        /// Where the value starts (its opening quote, for strings).
        var value: Position
        /// Where a string's content starts: after the quotes and, for multi-line strings, after
        /// the newline that TOML trims. Equals ``value`` for other values.
        var content: Position
    }

    private(set) var headers: [TableKey: Position] = [:]
    private(set) var entries: [TableKey: [String: Entry]] = [:]

    /// The position of a table's header, if it has one.
    func header(_ table: TableKey) -> Position? { headers[table] }

    /// The position of a key inside a table.
    func entry(_ table: TableKey, _ key: String) -> Entry? { entries[table]?[key] }

    init(text: String) {
        // Split on scalars: as Characters, "\r\n" is one grapheme and would not split on "\n".
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        var current = TableKey(name: "", index: 0)
        var arrayCounts: [String: Int] = [:]
        var lineIndex = 0
        while lineIndex < lines.count {
            let line = lines[lineIndex]
            var i = 0
            while i < line.count, line[i] == " " || line[i] == "\t" { i += 1 }
            guard i < line.count, line[i] != "#", line[i] != "\r" else { lineIndex += 1; continue }
            if line[i] == "[" {
                let isArray = i + 1 < line.count && line[i + 1] == "["
                var j = i + (isArray ? 2 : 1)
                var name = String.UnicodeScalarView()
                while j < line.count, line[j] != "]" {
                    if line[j] != " " && line[j] != "\t" { name.append(line[j]) }
                    j += 1
                }
                let key = String(name)
                if isArray {
                    let index = arrayCounts[key, default: 0]
                    arrayCounts[key] = index + 1
                    current = TableKey(name: key, index: index)
                } else {
                    current = TableKey(name: key, index: 0)
                }
                if headers[current] == nil { headers[current] = Position(line: lineIndex + 1, column: i + 1) }
                lineIndex += 1
                continue
            }
            // key = value
            let keyStart = i
            var key = String.UnicodeScalarView()
            if line[i] == "\"" || line[i] == "'" {
                let quote = line[i]
                i += 1
                while i < line.count, line[i] != quote { key.append(line[i]); i += 1 }
                i += 1
            } else {
                while i < line.count, line[i] != "=", line[i] != " ", line[i] != "\t" { key.append(line[i]); i += 1 }
            }
            while i < line.count, line[i] == " " || line[i] == "\t" { i += 1 }
            guard i < line.count, line[i] == "=" else { lineIndex += 1; continue }
            i += 1
            while i < line.count, line[i] == " " || line[i] == "\t" { i += 1 }
            guard i < line.count else { lineIndex += 1; continue }  // `key =` with nothing after: TOMLKit reports it
            let keyPosition = Position(line: lineIndex + 1, column: keyStart + 1)
            let valuePosition = Position(line: lineIndex + 1, column: i + 1)
            var contentPosition = valuePosition
            // Skip the value, which may span lines.
            if i + 2 < line.count, (line[i] == "'" || line[i] == "\""), line[i + 1] == line[i], line[i + 2] == line[i] {
                let quote = line[i]
                var j = i + 3
                if j >= line.count || (line[j] == "\r" && j + 1 == line.count) {
                    contentPosition = Position(line: lineIndex + 2, column: 1)
                } else {
                    contentPosition = Position(line: lineIndex + 1, column: j + 1)
                }
                // Find the closing delimiter.
                var l = lineIndex
                var found = false
                while l < lines.count, !found {
                    let current = lines[l]
                    while j + 2 < current.count {
                        if current[j] == "\\" && quote == "\"" { j += 2; continue }
                        if current[j] == quote, current[j + 1] == quote, current[j + 2] == quote { found = true; break }
                        j += 1
                    }
                    if !found { l += 1; j = 0 }
                }
                lineIndex = l
            } else if line[i] == "\"" || line[i] == "'" {
                contentPosition = Position(line: lineIndex + 1, column: i + 2)
            } else if line[i] == "[" || line[i] == "{" {
                lineIndex = Self.skipBracketed(lines, line: lineIndex, column: i)
            }
            entries[current, default: [:]][String(key)] = entries[current]?[String(key)] ?? Entry(key: keyPosition, value: valuePosition, content: contentPosition)
            lineIndex += 1
        }
    }

    /// Skips a bracketed value (array or inline table) that may span lines; returns its last line.
    private static func skipBracketed(_ lines: [[Unicode.Scalar]], line start: Int, column: Int) -> Int {
        var depth = 0
        var l = start
        var j = column
        while l < lines.count {
            let line = lines[l]
            while j < line.count {
                let c = line[j]
                if c == "#" { break }
                if c == "\"" || c == "'" {
                    j += 1
                    while j < line.count, line[j] != c {
                        if c == "\"", line[j] == "\\" { j += 1 }
                        j += 1
                    }
                } else if c == "[" || c == "{" {
                    depth += 1
                } else if c == "]" || c == "}" {
                    depth -= 1
                    if depth == 0 { return l }
                }
                j += 1
            }
            l += 1
            j = 0
        }
        return lines.count - 1
    }
}
