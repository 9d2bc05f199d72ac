/// A syntax error inside one rule, at a 1-based line and column of the rule text.
struct RuleSyntaxError: Error, Sendable, Hashable {
    var line: Int
    var column: Int
    var message: String
    /// The named part (`[define]`) whose text ``line`` and ``column`` point into; nil for the rule parsed.
    var part: String? = nil
}

/// A position inside a rule's text (1-based line and column, counted in Unicode scalars).
struct RulePosition: Sendable, Hashable {
    var line: Int
    var column: Int
}
