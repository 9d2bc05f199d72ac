/// The rules of all topics, flattened into one array of nodes (no reference counting while matching).
struct RuleProgram: Sendable {
    enum Kind: UInt8, Sendable {
        case term, and, or, not, near
    }

    struct Node: Sendable {
        var kind: Kind
        /// For `term`: the fields it may hit in, and the pattern in the automaton.
        var fields: FieldMask = .all
        var pattern: Int32 = -1
        /// For `near`: the largest word distance.
        var distance: Int32 = 0
        /// The operands: `children[childStart ..< childStart + childCount]`.
        var childStart: Int32 = 0
        var childCount: Int32 = 0
    }

    private(set) var nodes: [Node] = []
    private(set) var children: [Int32] = []

    /// Adds an expression; returns its node index.
    mutating func add(_ e: RuleExpression, pattern id: (TermPattern) -> Int32) -> Int32 {
        let node: Node
        switch e {
        case .term(let p, let fields):
            node = Node(kind: .term, fields: fields, pattern: id(p))
        case .and(let xs):
            node = makeNode(.and, operands: xs.map { add($0, pattern: id) })
        case .or(let xs):
            node = makeNode(.or, operands: xs.map { add($0, pattern: id) })
        case .not(let x):
            node = makeNode(.not, operands: [add(x, pattern: id)])
        case .near(let a, let b, let distance):
            var n = makeNode(.near, operands: [add(a, pattern: id), add(b, pattern: id)])
            n.distance = Int32(distance)
            node = n
        }
        nodes.append(node)
        return Int32(nodes.count - 1)
    }

    private mutating func makeNode(_ kind: Kind, operands: [Int32]) -> Node {
        let start = Int32(children.count)
        children += operands
        return Node(kind: kind, childStart: start, childCount: Int32(operands.count))
    }

    /// The operands of a node.
    @inline(__always)
    func operands(of node: Node) -> ArraySlice<Int32> {
        children[Int(node.childStart)..<Int(node.childStart + node.childCount)]
    }

    /// Patterns of which at least one must hit for the node to hold; nil when it may hold without any.
    ///
    /// AND picks the smallest set among its operands, OR and NEAR need all of theirs (NEAR: one
    /// side suffices), NOT gives nil. Topics are registered only under these patterns, which
    /// keeps the topics evaluated per item few even when a rule lists many alternatives.
    func triggers(_ index: Int32) -> [Int32]? {
        let node = nodes[Int(index)]
        switch node.kind {
        case .term:
            return [node.pattern]
        case .not:
            return nil
        case .or:
            var all: [Int32] = []
            for child in operands(of: node) {
                guard let t = triggers(child) else { return nil }
                all += t
            }
            return all
        case .and, .near:
            var best: [Int32]?
            for child in operands(of: node) {
                if let t = triggers(child), t.count < (best?.count ?? .max) { best = t }
            }
            return best
        }
    }
}
