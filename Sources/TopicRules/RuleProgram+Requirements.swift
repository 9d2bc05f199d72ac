extension RuleProgram {
    /// Necessary conditions for a node to hold, in disjunctive form: branches of groups of patterns.
    ///
    /// The node can hold only if, in some branch, every group has at least one hit. The matcher
    /// evaluates a topic only once a branch of it is complete, so common words in a rule (the
    /// context of `(name1 OR name2) AND (minister OR talks)`) never make a topic a candidate alone.
    typealias Requirements = [[[Int32]]]

    /// At most this many branches per topic (beyond, alternatives merge into one group) and
    /// groups per branch (the smallest are kept): a weaker but still necessary condition.
    static let maximumBranches = 8
    static let maximumGroups = 8

    /// The requirements of a node; nil when it may hold without any hit (`NOT x`).
    func requirements(_ index: Int32) -> Requirements? {
        let node = nodes[Int(index)]
        switch node.kind {
        case .term:
            return [[[node.pattern]]]
        case .not:
            return nil
        case .or:
            var branches: Requirements = []
            for child in operands(of: node) {
                guard let r = requirements(child) else { return nil }
                branches += r
            }
            // Alternatives of one group each are one group: "a hit in any of them".
            if branches.allSatisfy({ $0.count == 1 }) { return [[Self.union(branches.map { $0[0] })]] }
            return branches.count > Self.maximumBranches ? Self.merged(branches) : branches
        case .and, .near:
            var result: Requirements = [[]]
            for child in operands(of: node) {
                guard var r = requirements(child) else { continue }
                if result.count * r.count > Self.maximumBranches { r = Self.merged(r) }
                if result.count * r.count > Self.maximumBranches { result = Self.merged(result) }
                result = result.flatMap { a in r.map { b in Self.smallestGroups(a + b) } }
            }
            return result == [[]] ? nil : result
        }
    }

    /// One branch of one group, implied by any branch of `branches`: the union of each branch's smallest group.
    private static func merged(_ branches: Requirements) -> Requirements {
        [[union(branches.map { $0.min { $0.count < $1.count }! })]]
    }

    private static func union(_ groups: [[Int32]]) -> [Int32] {
        Array(Set(groups.joined())).sorted()
    }

    /// A branch with at most ``maximumGroups`` groups, the smallest (most selective) ones.
    private static func smallestGroups(_ groups: [[Int32]]) -> [[Int32]] {
        groups.count <= maximumGroups ? groups : Array(groups.sorted { $0.count < $1.count }.prefix(maximumGroups))
    }
}
