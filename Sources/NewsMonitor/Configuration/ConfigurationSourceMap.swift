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
        /// Whether the value is a basic string (`"…"` or `"""…"""`), whose escapes make it shorter than its text.
        var isBasicString = false
    }

    private(set) var headers: [TableKey: Position] = [:]
    private(set) var entries: [TableKey: [String: Entry]] = [:]
    /// The file's lines as Unicode scalars, each with its `\r` if it has one, without its `\n`.
    private let lines: [[Unicode.Scalar]]

    /// `position` moved into the text. toml++ counts a line break as a column, so at the end of the file it
    /// can point past the last line's end (`y=[` and a line break: 1:5, found by `scripts/fuzz.sh config`):
    /// that position is the start of the next line.
    func clamped(_ position: Position) -> Position {
        let line = min(max(position.line, 1), lines.count)
        let length = lines[line - 1].count
        if line != position.line { return Position(line: line, column: length + 1) }
        if position.column <= length + 1 { return Position(line: line, column: max(position.column, 1)) }
        return line < lines.count ? Position(line: line + 1, column: 1) : Position(line: line, column: length + 1)
    }

    /// Where a position inside a string value (1-based, in the value's own lines and columns, as a rule
    /// error gives it) lies in the file, for the value whose content starts at `content`.
    ///
    /// A literal string is its text in the file. In a basic string every escape is longer in the file than
    /// in the value (`\t`, `\u00e4`; `\n` even starts a new line of the value on the same line of the file;
    /// a line-ending backslash stands for nothing), so the escapes before the position are walked over
    /// (found by `scripts/fuzz.sh config`: a rule written `"\n("` was reported on a line after the file's end).
    func filePosition(of position: Position, inStringAt content: Position) -> Position {
        let isBasic = entries.values.contains { $0.values.contains { $0.content == content && $0.isBasicString } }
        var line = content.line - 1, column = content.column - 1  // 0-based, in the file
        var valueLine = 1, valueColumn = 1
        while (valueLine, valueColumn) < (position.line, position.column), line < lines.count {
            let text = lines[line]
            if column >= text.count {  // a line break of a multi-line string
                line += 1
                column = 0
                valueLine += 1
                valueColumn = 1
                continue
            }
            guard isBasic, text[column] == "\\" else {
                column += 1
                valueColumn += 1
                continue
            }
            if text[(column + 1)...].allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
                // A line-ending backslash: the line break and the blanks after it are not in the value.
                line += 1
                column = 0
                while line < lines.count {
                    while column < lines[line].count, [" ", "\t", "\r"].contains(lines[line][column]) { column += 1 }
                    if column < lines[line].count { break }
                    line += 1
                    column = 0
                }
                continue
            }
            let escaped = text[column + 1]
            column += escaped == "u" ? 6 : escaped == "U" ? 10 : 2
            if escaped == "n" {
                valueLine += 1
                valueColumn = 1
            } else {
                valueColumn += 1
            }
        }
        return clamped(Position(line: line + 1, column: column + 1))
    }

    /// The position of a table's header, if it has one.
    func header(_ table: TableKey) -> Position? { headers[table] }

    /// The position of a key inside a table.
    func entry(_ table: TableKey, _ key: String) -> Entry? { entries[table]?[key] }

    init(text: String) {
        // Split on scalars: as Characters, "\r\n" is one grapheme and would not split on "\n".
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        self.lines = lines
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
            let isBasicString = line[i] == "\""
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
            entries[current, default: [:]][String(key)] = entries[current]?[String(key)] ?? Entry(
                key: keyPosition, value: valuePosition, content: contentPosition, isBasicString: isBasicString)
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
