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

        /// The positions of the operands in ``RuleProgram/children``.
        @inline(__always)
        var childRange: Range<Int> { Int(childStart)..<Int(childStart + childCount) }
    }

    private(set) var nodes: [Node] = []
    private(set) var children: [Int32] = []
    /// ``cost(_:)`` of each node, worked out once as it is added: 1, or 20 for a NEAR, plus its operands' costs (a
    /// part used in many places is a large subtree, and sorting operands walked each at every comparison).
    private var costs: [Int] = []

    /// Adds an expression; returns its node index.
    mutating func add(_ e: RuleExpression, pattern id: (TermPattern) -> Int32) -> Int32 {
        addWithOperands(e, pattern: id).root
    }

    /// Adds an expression; returns its node index and, for an AND or OR, its operands' nodes in the order written
    /// (a rule's top-level parts, ``RuleParser/Parsed/partLabels``, are explained one by one from them), else none.
    mutating func addWithOperands(_ e: RuleExpression, pattern id: (TermPattern) -> Int32) -> (root: Int32, operands: [Int32]) {
        let node: Node
        var written: [Int32] = []
        switch e {
        case .term(let p, let fields):
            node = Node(kind: .term, fields: fields, pattern: id(p))
        case .and(let xs):
            // Add the operands first: `cheapestFirst` must see the nodes they append.
            written = xs.map { add($0, pattern: id) }
            node = makeNode(.and, operands: cheapestFirst(written))
        case .or(let xs):
            written = xs.map { add($0, pattern: id) }
            node = makeNode(.or, operands: cheapestFirst(written))
        case .not(let x):
            let operand = add(x, pattern: id)
            node = makeNode(.not, operands: [operand])
        case .near(let a, let b, let distance):
            let left = add(a, pattern: id), right = add(b, pattern: id)
            var n = makeNode(.near, operands: [left, right])
            n.distance = Int32(distance)
            node = n
        }
        costs.append((node.kind == .near ? 20 : 1) + operands(of: node).reduce(0) { $0 + costs[Int($1)] })
        nodes.append(node)
        return (Int32(nodes.count - 1), written)
    }

    /// Operands ordered so that short-circuiting AND and OR try cheap checks (terms) before
    /// expensive ones (NEAR); the result does not depend on the order.
    private func cheapestFirst(_ operands: [Int32]) -> [Int32] {
        operands.enumerated().sorted { (cost($0.element), $0.offset) < (cost($1.element), $1.offset) }.map(\.element)
    }

    /// A rough evaluation cost: the subtree's nodes, with NEAR counted heavily (it compares positions).
    private func cost(_ index: Int32) -> Int {
        costs[Int(index)]
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
}
