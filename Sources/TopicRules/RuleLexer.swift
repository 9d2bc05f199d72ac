/// One token of the rule language.
struct RuleToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case word(String)
        case phrase(String)
        case field(MatchField)
        case leftParen, rightParen
        case and, or, not
        case near(Int)
        /// `@name`: a named part (`[define]`) standing for its rule in parentheses.
        case reference(String)
        case end
    }

    var kind: Kind
    var position: RulePosition
    /// Where the token starts and ends in the rule text, in Unicode scalars (for labels of parts).
    var start = 0
    var end = 0
}

/// The fields a rule term can be scoped to.
enum MatchField: UInt8, Sendable, Hashable, CaseIterable {
    case title = 0, summary, content, category

    var name: String {
        switch self {
        case .title: "title"
        case .summary: "summary"
        case .content: "content"
        case .category: "category"
        }
    }
}

/// Splits a rule into tokens; `#` starts a comment that runs to the end of the line.
struct RuleLexer {
    /// The largest distance `NEAR/n` accepts.
    static let maximumNearDistance = 100

    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    static func isQuote(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x22, 0x201C, 0x201D, 0x201E, 0x201F, 0x00AB, 0x00BB: true
        default: false
        }
    }

    private static func isDelimiter(_ s: Unicode.Scalar) -> Bool {
        isWhitespace(s) || s == "(" || s == ")" || isQuote(s)
    }

    /// `s.properties.isWhitespace`, answered without the Unicode tables for ASCII (tab to carriage return, space).
    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x80 ? s.value == 0x20 || (0x09...0x0D).contains(s.value) : s.properties.isWhitespace
    }

    private mutating func advance() {
        if scalars[index] == "\n" { line += 1; column = 1 } else { column += 1 }
        index += 1
    }

    mutating func tokenize() throws(RuleSyntaxError) -> [RuleToken] {
        var tokens: [RuleToken] = []
        while true {
            // Skip blanks and comments.
            while index < scalars.count {
                if Self.isWhitespace(scalars[index]) {
                    advance()
                } else if scalars[index] == "#" {
                    while index < scalars.count, scalars[index] != "\n" { advance() }
                } else {
                    break
                }
            }
            let start = RulePosition(line: line, column: column)
            guard index < scalars.count else {
                tokens.append(RuleToken(kind: .end, position: start, start: index, end: index))
                return tokens
            }
            let startIndex = index, tokenCount = tokens.count
            defer {
                if tokens.count > tokenCount {
                    tokens[tokens.count - 1].start = startIndex
                    tokens[tokens.count - 1].end = index
                }
            }
            let s = scalars[index]
            if s == "(" {
                advance()
                tokens.append(RuleToken(kind: .leftParen, position: start))
            } else if s == ")" {
                advance()
                tokens.append(RuleToken(kind: .rightParen, position: start))
            } else if Self.isQuote(s) {
                advance()
                var text = String.UnicodeScalarView()
                while index < scalars.count, !Self.isQuote(scalars[index]) {
                    text.append(scalars[index])
                    advance()
                }
                guard index < scalars.count else {
                    throw RuleSyntaxError(line: start.line, column: start.column, message: "unterminated phrase: missing closing quote")
                }
                advance()
                tokens.append(RuleToken(kind: .phrase(String(text)), position: start))
            } else {
                var text = String.UnicodeScalarView()
                while index < scalars.count, !Self.isDelimiter(scalars[index]) {
                    if scalars[index] == ":", let field = MatchField.allCases.first(where: { $0.name == String(text).lowercased() }) {
                        advance()
                        tokens.append(RuleToken(kind: .field(field), position: start))
                        text = String.UnicodeScalarView()
                        break
                    }
                    text.append(scalars[index])
                    advance()
                }
                if text.isEmpty { continue }
                let word = String(text)
                tokens.append(RuleToken(kind: try Self.keyword(word, at: start), position: start))
            }
        }
    }

    /// Whether a part's name is acceptable: ASCII letters, digits, `-` and `_`, starting with a letter.
    static func isPartName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { s in
            (s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s))) || s == "-" || s == "_"
        }
    }

    private static func keyword(_ word: String, at position: RulePosition) throws(RuleSyntaxError) -> RuleToken.Kind {
        if word.hasPrefix("@") {
            let name = String(word.dropFirst())
            guard isPartName(name) else {
                throw RuleSyntaxError(
                    line: position.line, column: position.column,
                    message: name.isEmpty
                        ? "'@' must be followed by the name of a part from [define], e.g. @russia"
                        : "'\(word)' is not a part name: use letters, digits, '-' and '_', starting with a letter"
                )
            }
            return .reference(name)
        }
        switch word {
        case "AND": return .and
        case "OR": return .or
        case "NOT": return .not
        case "and", "or", "not", "And", "Or", "Not":
            throw RuleSyntaxError(
                line: position.line, column: position.column,
                message: "'\(word)' is not an operator: write \(word.uppercased()) for the operator, or \"\(word)\" to match the word"
            )
        default:
            break
        }
        if word.uppercased().hasPrefix("NEAR/") || word == "NEAR" {
            let rest = word.dropFirst(4)
            guard word.hasPrefix("NEAR") else {
                throw RuleSyntaxError(line: position.line, column: position.column, message: "write NEAR/n in capitals, e.g. NEAR/5")
            }
            guard rest.first == "/", let n = Int(rest.dropFirst()) else {
                throw RuleSyntaxError(line: position.line, column: position.column, message: "NEAR needs a word distance, e.g. NEAR/5")
            }
            guard (1...maximumNearDistance).contains(n) else {
                throw RuleSyntaxError(
                    line: position.line, column: position.column,
                    message: "NEAR distance must be between 1 and \(maximumNearDistance), not \(n)"
                )
            }
            return .near(n)
        }
        if let colon = word.firstIndex(of: ":"), colon != word.startIndex {
            let name = word[..<colon]
            if name.allSatisfy({ $0.isLetter }) {
                throw RuleSyntaxError(
                    line: position.line, column: position.column,
                    message: "unknown field '\(name)': use title:, summary:, content: or category:"
                )
            }
        }
        return .word(word)
    }
}
