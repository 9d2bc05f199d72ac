/// A word pattern: one or more normalized words, optionally open at the start (`*suffix`) or end (`prefix*`).
struct TermPattern: Sendable, Hashable {
    /// Normalized words; never empty.
    var words: [String]
    /// `*aufmarsch`: the first word may have more letters before it.
    var isOpenStart: Bool
    /// `truppen*`: the last word may have more letters after it.
    var isOpenEnd: Bool

    /// The pattern as shown in explanations: `nato russland rat`, `*aufmarsch*`, `truppen*`.
    var display: String {
        (isOpenStart ? "*" : "") + words.joined(separator: " ") + (isOpenEnd ? "*" : "")
    }

    /// The bytes searched in the tokenized text (` word word `, spaces anchoring closed ends).
    var automatonBytes: [UInt8] {
        Array(((isOpenStart ? "" : " ") + words.joined(separator: " ") + (isOpenEnd ? "" : " ")).utf8)
    }
}

/// A set of fields (bit i = ``MatchField`` raw value i).
struct FieldMask: Sendable, Hashable {
    var rawValue: UInt8
    static let all = FieldMask(rawValue: 0b1111)
    init(rawValue: UInt8) { self.rawValue = rawValue }
    init(_ field: MatchField) { rawValue = 1 << field.rawValue }
    func contains(_ field: UInt8) -> Bool { rawValue & (1 << field) != 0 }
}

/// The parsed form of one rule.
indirect enum RuleExpression: Sendable, Hashable {
    case term(TermPattern, fields: FieldMask)
    case and([RuleExpression])
    case or([RuleExpression])
    case not(RuleExpression)
    case near(RuleExpression, RuleExpression, distance: Int)

    /// Every term pattern in the expression, in order of appearance.
    var patterns: [TermPattern] {
        switch self {
        case .term(let p, _): [p]
        case .and(let xs), .or(let xs): xs.flatMap(\.patterns)
        case .not(let x): x.patterns
        case .near(let a, let b, _): a.patterns + b.patterns
        }
    }

    /// Whether the expression can be an operand of NEAR (terms, OR of terms, NEAR).
    var isPositional: Bool {
        switch self {
        case .term: true
        case .or(let xs): xs.allSatisfy(\.isPositional)
        case .near: true
        case .and, .not: false
        }
    }
}
