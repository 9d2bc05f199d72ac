import TextNormalization

/// Parses a rule into a ``RuleExpression``.
///
/// Grammar, loosest first:
/// ```
/// or      := and ("OR" and)*
/// and     := near (["AND"] near)*          adjacent operands mean AND
/// near    := unary ("NEAR/n" unary)*
/// unary   := "NOT" unary | scoped
/// scoped  := field ":" scoped | "(" or ")" | word | "phrase" | "@" name
/// ```
///
/// `@name` stands for the rule of the named part `name` in parentheses (see ``RuleDefinition``):
/// it is parsed from the part's own text, in the field scope where the reference stands, so an
/// error inside a part points into that part (``RuleSyntaxError/part``). A part that refers back to
/// itself, directly or through others, is refused.
struct RuleParser {
    /// A parsed rule, and the source text of its top-level parts, for diagnosis: the OR alternatives, or, when
    /// there is one, the operands of its AND. They are the root's operands, in the order written
    /// (``RuleProgram/addWithOperands(_:pattern:)``); none when the rule has fewer than two.
    struct Parsed {
        var expression: RuleExpression
        var partLabels: [String]
    }

    private var tokens: [RuleToken]
    private let source: [Unicode.Scalar]
    /// The named parts a rule may refer to, by name.
    private let definitions: [String: String]
    /// The parts being expanded, outermost first (to refuse cycles).
    private let expanding: [String]
    /// What the parses of one rule set share: each part's tokens and each term's pattern, worked out once.
    private let memo: Memo
    private var index = 0
    /// Token ranges of the top-level OR alternatives and AND operands.
    private var topAlternatives: [Range<Int>] = []
    private var topOperands: [Range<Int>] = []
    /// How deep the expression is at the current token: parentheses, NOT, field scopes and NEAR
    /// chains each add a level. Matching recurses over the expression, so depth is bounded.
    private var depth = 0
    /// The deepest ``depth`` this parse reached, nested parts' parses included.
    private var deepest = 0
    static let maximumDepth = 100

    static func parse(_ rule: String, definitions: [String: String] = [:]) throws(RuleSyntaxError) -> RuleExpression {
        try parseWithParts(rule, definitions: definitions).expression
    }

    /// Parses a rule and keeps its top-level parts (see ``Parsed``).
    static func parseWithParts(
        _ rule: String, definitions: [String: String] = [:], memo: Memo = Memo()
    ) throws(RuleSyntaxError) -> Parsed {
        var parser = try RuleParser(rule, definitions: definitions, expanding: [], depth: 0, memo: memo)
        let expression = try parser.parseWhole(fields: .all)
        let top = parser.topAlternatives.count > 1 ? parser.topAlternatives : parser.topOperands
        return Parsed(expression: expression, partLabels: top.count > 1 ? top.map { parser.label($0) } : [])
    }

    /// Checks the named part `name` on its own, in the scope of all fields, and keeps the result for the rules that
    /// use it there (``Memo``): the same parse as its first `@name` in that scope would make.
    static func checkPart(_ name: String, rule: String, definitions: [String: String], memo: Memo) throws(RuleSyntaxError) {
        var parser = try RuleParser(rule, definitions: definitions, expanding: [name], depth: 0, memo: memo)
        let expression = try parser.parseWhole(fields: .all)
        memo.remember(part: name, fields: .all, expression: expression, height: parser.deepest)
    }

    private init(
        _ rule: String, definitions: [String: String], expanding: [String], depth: Int, memo: Memo
    ) throws(RuleSyntaxError) {
        (self.tokens, self.source) = try memo.lexed(rule)
        self.definitions = definitions
        self.expanding = expanding
        self.depth = depth
        self.deepest = depth
        self.memo = memo
    }

    /// Tokens, patterns and parts parsed before, for the parses of one rule set: a part used by many rules (and
    /// checked on its own) is tokenized once and parsed once per field scope, and a term written many times is
    /// normalized once. Only successes are kept, so errors are found, and reported with their positions, as
    /// without it.
    final class Memo {
        private var texts: [String: (tokens: [RuleToken], source: [Unicode.Scalar])] = [:]
        private var patterns: [PatternKey: TermPattern] = [:]
        /// Parts parsed before, by name and field scope, with how many levels they nest below where they stand.
        private var parts: [PartKey: (expression: RuleExpression, height: Int)] = [:]

        private struct PatternKey: Hashable {
            var raw: String
            var isPhrase: Bool
        }

        private struct PartKey: Hashable {
            var name: String
            var fields: UInt8
        }

        /// A part parsed before in the scope `fields` (the same definitions: one memo serves one rule set). A part
        /// that parsed once parses the same wherever it stands: it was checked for cycles through every part it
        /// uses, so no chain of parts that leads to it can close one.
        func part(_ name: String, fields: FieldMask) -> (expression: RuleExpression, height: Int)? {
            parts[PartKey(name: name, fields: fields.rawValue)]
        }

        func remember(part name: String, fields: FieldMask, expression: RuleExpression, height: Int) {
            parts[PartKey(name: name, fields: fields.rawValue)] = (expression, height)
        }

        init() {}

        /// The tokens and the scalars of `text`.
        func lexed(_ text: String) throws(RuleSyntaxError) -> ([RuleToken], [Unicode.Scalar]) {
            if let known = texts[text] { return known }
            var lexer = RuleLexer(text)
            let result = (try lexer.tokenize(), Array(text.unicodeScalars))
            texts[text] = result
            return result
        }

        /// The pattern of a term or phrase, from `make` the first time.
        func pattern(
            _ raw: String, isPhrase: Bool, _ make: () throws(RuleSyntaxError) -> TermPattern
        ) throws(RuleSyntaxError) -> TermPattern {
            let key = PatternKey(raw: raw, isPhrase: isPhrase)
            if let known = patterns[key] { return known }
            let pattern = try make()
            patterns[key] = pattern
            return pattern
        }
    }

    /// The whole text as one expression: an error unless it is exactly one.
    private mutating func parseWhole(fields: FieldMask) throws(RuleSyntaxError) -> RuleExpression {
        guard current.kind != .end else {
            throw RuleSyntaxError(line: 1, column: 1, message: "empty rule")
        }
        let expression = try parseOr(fields: fields)
        if current.kind != .end {
            let t = current
            let what = t.kind == .rightParen ? "unbalanced ')'" : "unexpected \(Self.describe(t.kind))"
            throw RuleSyntaxError(line: t.position.line, column: t.position.column, message: what)
        }
        return expression
    }

    /// The source of tokens `range`, comments dropped and blanks collapsed, shortened to 80 characters.
    private func label(_ range: Range<Int>) -> String {
        var text = ""
        var inComment = false
        for s in source[tokens[range.lowerBound].start..<tokens[range.upperBound - 1].end] {
            if s == "#" { inComment = true }
            if s == "\n" { inComment = false }
            if inComment { continue }
            if RuleLexer.isWhitespace(s) {
                if !text.isEmpty, text.last != " " { text.append(" ") }
            } else {
                text.unicodeScalars.append(s)
            }
        }
        if text.last == " " { text.removeLast() }
        return text.count > 80 ? String(text.prefix(79)) + "…" : text
    }

    private var current: RuleToken { tokens[index] }

    private mutating func next() -> RuleToken {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    /// Enters one level of nesting; throws past ``maximumDepth``.
    private mutating func enter(at token: RuleToken) throws(RuleSyntaxError) {
        depth += 1
        deepest = max(deepest, depth)
        guard depth <= Self.maximumDepth else {
            throw error("nested too deeply: more than \(Self.maximumDepth) levels of parentheses, NOT, NEAR and field scopes", at: token)
        }
    }

    private func error(_ message: String, at token: RuleToken) -> RuleSyntaxError {
        RuleSyntaxError(line: token.position.line, column: token.position.column, message: message)
    }

    private static func describe(_ kind: RuleToken.Kind) -> String {
        switch kind {
        case .word(let w): "'\(w)'"
        case .phrase(let p): "\"\(p)\""
        case .field(let f): "'\(f.name):'"
        case .leftParen: "'('"
        case .rightParen: "')'"
        case .and: "AND"
        case .or: "OR"
        case .not: "NOT"
        case .near(let n): "NEAR/\(n)"
        case .reference(let name): "'@\(name)'"
        case .end: "end of rule"
        }
    }

    private mutating func parseOr(fields: FieldMask) throws(RuleSyntaxError) -> RuleExpression {
        let isTop = depth == 0
        var first = index
        var items = [try parseAnd(fields: fields)]
        if isTop { topAlternatives.append(first..<index) }
        while current.kind == .or {
            _ = next()
            first = index
            items.append(try parseAnd(fields: fields))
            if isTop { topAlternatives.append(first..<index) }
        }
        return items.count == 1 ? items[0] : .or(items)
    }

    private var startsOperand: Bool {
        switch current.kind {
        case .word, .phrase, .field, .leftParen, .not, .reference: true
        default: false
        }
    }

    private mutating func parseAnd(fields: FieldMask) throws(RuleSyntaxError) -> RuleExpression {
        let isTop = depth == 0
        if isTop { topOperands = [] }
        var first = index
        var items = [try parseNear(fields: fields)]
        if isTop { topOperands.append(first..<index) }
        while true {
            if current.kind == .and {
                _ = next()
            } else if !startsOperand {
                break
            }
            first = index
            items.append(try parseNear(fields: fields))
            if isTop { topOperands.append(first..<index) }
        }
        return items.count == 1 ? items[0] : .and(items)
    }

    private mutating func parseNear(fields: FieldMask) throws(RuleSyntaxError) -> RuleExpression {
        let leftToken = current
        var left = try parseUnary(fields: fields)
        let outerDepth = depth
        defer { depth = outerDepth }
        while case .near(let distance) = current.kind {
            try enter(at: next())
            guard left.isPositional else {
                throw error("NEAR needs terms, phrases or OR-groups of them on both sides", at: leftToken)
            }
            let rightToken = current
            let right = try parseUnary(fields: fields)
            guard right.isPositional else {
                throw error("NEAR needs terms, phrases or OR-groups of them on both sides", at: rightToken)
            }
            left = .near(left, right, distance: distance)
        }
        return left
    }

    private mutating func parseUnary(fields: FieldMask) throws(RuleSyntaxError) -> RuleExpression {
        if current.kind == .not {
            try enter(at: next())
            defer { depth -= 1 }
            return .not(try parseUnary(fields: fields))
        }
        return try parseScoped(fields: fields)
    }

    private mutating func parseScoped(fields: FieldMask) throws(RuleSyntaxError) -> RuleExpression {
        let token = next()
        switch token.kind {
        case .field(let field):
            guard startsOperand, current.kind != .not else {
                throw error("'\(field.name):' must be followed by a term, a phrase or a (group)", at: current)
            }
            try enter(at: token)
            defer { depth -= 1 }
            return try parseScoped(fields: FieldMask(field))
        case .leftParen:
            guard current.kind != .rightParen else { throw error("empty parentheses", at: current) }
            try enter(at: token)
            defer { depth -= 1 }
            let inner = try parseOr(fields: fields)
            guard current.kind == .rightParen else {
                throw error("unclosed '(': the rule ends before its ')'", at: token)
            }
            _ = next()
            return inner
        case .word(let raw):
            return .term(try pattern(raw, token: token, isPhrase: false), fields: fields)
        case .phrase(let raw):
            return .term(try pattern(raw, token: token, isPhrase: true), fields: fields)
        case .reference(let name):
            return try expand(name, at: token, fields: fields)
        case .end:
            throw error("rule ends where a term was expected", at: token)
        default:
            throw error("expected a term, a phrase or '(' but found \(Self.describe(token.kind))", at: token)
        }
    }

    /// The rule of the part `name`, parsed in the scope `fields` where `@name` stands.
    private mutating func expand(_ name: String, at token: RuleToken, fields: FieldMask) throws(RuleSyntaxError) -> RuleExpression {
        guard let text = definitions[name] else {
            throw error("unknown part '@\(name)': there is no '\(name) = ...' in [define]", at: token)
        }
        if let start = expanding.firstIndex(of: name) {
            let cycle = (expanding[start...] + [name]).map { "@" + $0 }.joined(separator: " → ")
            throw error("'@\(name)' makes a cycle, and a part may not refer to itself: \(cycle)", at: token)
        }
        try enter(at: token)
        defer { depth -= 1 }
        // Parsed before in this scope: the same expression, unless here it would nest too deeply (then parsed
        // again, so that the error names its place).
        if let known = memo.part(name, fields: fields), depth + known.height <= Self.maximumDepth {
            deepest = max(deepest, depth + known.height)
            return known.expression
        }
        do {
            var nested = try RuleParser(text, definitions: definitions, expanding: expanding + [name], depth: depth, memo: memo)
            let expression = try nested.parseWhole(fields: fields)
            deepest = max(deepest, nested.deepest)
            memo.remember(part: name, fields: fields, expression: expression, height: nested.deepest - depth)
            return expression
        } catch {
            var located = error
            if located.part == nil { located.part = name }
            throw located
        }
    }

    private func pattern(_ raw: String, token: RuleToken, isPhrase: Bool) throws(RuleSyntaxError) -> TermPattern {
        try memo.pattern(raw, isPhrase: isPhrase) { () throws(RuleSyntaxError) -> TermPattern in
            try makePattern(raw, token: token, isPhrase: isPhrase)
        }
    }

    private func makePattern(_ raw: String, token: RuleToken, isPhrase: Bool) throws(RuleSyntaxError) -> TermPattern {
        var core = Substring(raw.trimmingCharacters(in: " \t\n"))
        let openStart = core.hasPrefix("*")
        if openStart { core = core.dropFirst() }
        let openEnd = core.hasSuffix("*")
        if openEnd { core = core.dropLast() }
        if core.contains("*") {
            throw error(
                isPhrase ? "'*' is allowed only at the start or the end of a phrase" : "'*' is allowed only at the start or the end of a term",
                at: token
            )
        }
        let words = TextNormalizer.words(in: String(core))
        guard !words.isEmpty else {
            throw error(isPhrase ? "empty phrase" : "term '\(raw)' has no letters or digits", at: token)
        }
        guard words.count <= RuleSet.maximumPatternWords else {
            throw error("a phrase may have at most \(RuleSet.maximumPatternWords) words", at: token)
        }
        return TermPattern(words: words, isOpenStart: openStart, isOpenEnd: openEnd)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
