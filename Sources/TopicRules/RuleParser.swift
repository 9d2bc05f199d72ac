import TextNormalization

/// Parses a rule into a ``RuleExpression``.
///
/// Grammar, loosest first:
/// ```
/// or      := and ("OR" and)*
/// and     := near (["AND"] near)*          adjacent operands mean AND
/// near    := unary ("NEAR/n" unary)*
/// unary   := "NOT" unary | scoped
/// scoped  := field ":" scoped | "(" or ")" | word | "phrase"
/// ```
struct RuleParser {
    private var tokens: [RuleToken]
    private var index = 0
    /// How deep the expression is at the current token: parentheses, NOT, field scopes and NEAR
    /// chains each add a level. Matching recurses over the expression, so depth is bounded.
    private var depth = 0
    static let maximumDepth = 100

    static func parse(_ rule: String) throws(RuleSyntaxError) -> RuleExpression {
        var lexer = RuleLexer(rule)
        var parser = RuleParser(tokens: try lexer.tokenize())
        guard parser.current.kind != .end else {
            throw RuleSyntaxError(line: 1, column: 1, message: "empty rule")
        }
        let expression = try parser.parseOr(fields: .all)
        if parser.current.kind != .end {
            let t = parser.current
            let what = t.kind == .rightParen ? "unbalanced ')'" : "unexpected \(describe(t.kind))"
            throw RuleSyntaxError(line: t.position.line, column: t.position.column, message: what)
        }
        return expression
    }

    private init(tokens: [RuleToken]) { self.tokens = tokens }

    private var current: RuleToken { tokens[index] }

    private mutating func next() -> RuleToken {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    /// Enters one level of nesting; throws past ``maximumDepth``.
    private mutating func enter(at token: RuleToken) throws(RuleSyntaxError) {
        depth += 1
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
        case .end: "end of rule"
        }
    }

    private mutating func parseOr(fields: FieldMask) throws(RuleSyntaxError) -> RuleExpression {
        var items = [try parseAnd(fields: fields)]
        while current.kind == .or {
            _ = next()
            items.append(try parseAnd(fields: fields))
        }
        return items.count == 1 ? items[0] : .or(items)
    }

    private var startsOperand: Bool {
        switch current.kind {
        case .word, .phrase, .field, .leftParen, .not: true
        default: false
        }
    }

    private mutating func parseAnd(fields: FieldMask) throws(RuleSyntaxError) -> RuleExpression {
        var items = [try parseNear(fields: fields)]
        while true {
            if current.kind == .and {
                _ = next()
                items.append(try parseNear(fields: fields))
            } else if startsOperand {
                items.append(try parseNear(fields: fields))
            } else {
                break
            }
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
        case .end:
            throw error("rule ends where a term was expected", at: token)
        default:
            throw error("expected a term, a phrase or '(' but found \(Self.describe(token.kind))", at: token)
        }
    }

    private func pattern(_ raw: String, token: RuleToken, isPhrase: Bool) throws(RuleSyntaxError) -> TermPattern {
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
