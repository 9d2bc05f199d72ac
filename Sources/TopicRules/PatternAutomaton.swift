/// An Aho-Corasick automaton over the tokenized byte stream, compiled to a dense DFA.
///
/// All patterns of all topics share one automaton, so a scan costs O(bytes) whatever the number
/// of topics. Bytes that occur in no pattern share one input class, which keeps the table small.
struct PatternAutomaton: Sendable {
    /// Byte → input class (0 = a byte no pattern contains).
    private let classOf: [UInt8]
    private let classCount: Int
    /// `state * classCount + class` → next state; 16-bit entries while the states fit
    /// (half the cache footprint), else 32-bit (`table16` is then empty).
    private let table16: [UInt16]
    private let table32: [UInt32]
    /// States at or above this number have outputs (they are numbered last).
    private let firstOutputState: Int
    /// Outputs of state s: `outputs[outputStart[s] ..< outputStart[s + 1]]`.
    private let outputStart: [Int32]
    private let outputs: [Int32]
    /// The number of states.
    let stateCount: Int

    init(patterns: [[UInt8]]) {
        // Input classes.
        var classOf = [UInt8](repeating: 0, count: 256)
        var classCount = 1
        for p in patterns {
            for b in p where classOf[Int(b)] == 0 {
                classOf[Int(b)] = UInt8(classCount)
                classCount += 1
            }
        }
        // Trie, in one flat table: state * classCount + class → next state, -1 for none yet (an array per state
        // made `newsmon check` of the shipped topics 3 % slower).
        var goto = [Int32](repeating: -1, count: classCount)
        var out: [[Int32]] = [[]]
        for (id, p) in patterns.enumerated() {
            var s = 0
            for b in p {
                let c = Int(classOf[Int(b)])
                if goto[s * classCount + c] < 0 {
                    goto[s * classCount + c] = Int32(out.count)
                    goto.append(contentsOf: repeatElement(-1, count: classCount))
                    out.append([])
                }
                s = Int(goto[s * classCount + c])
            }
            out[s].append(Int32(id))
        }
        let stateCount = out.count
        // Breadth-first failure links, completing the DFA as we go.
        var fail = [Int32](repeating: 0, count: stateCount)
        var queue: [Int] = []
        for c in 0..<classCount {
            if goto[c] < 0 { goto[c] = 0 } else { queue.append(Int(goto[c])) }
        }
        var head = 0
        while head < queue.count {
            let s = queue[head]
            head += 1
            let f = Int(fail[s])
            out[s] += out[f]
            for c in 0..<classCount {
                let t = goto[s * classCount + c]
                if t < 0 {
                    goto[s * classCount + c] = goto[f * classCount + c]
                } else {
                    fail[Int(t)] = goto[f * classCount + c]
                    queue.append(Int(t))
                }
            }
        }
        // Number states breadth-first, so the shallow states that most bytes visit share cache
        // lines; states with outputs come last, so "has output" is a comparison.
        let breadthFirst = [0] + queue
        let order = breadthFirst.filter { out[$0].isEmpty } + breadthFirst.filter { !out[$0].isEmpty }
        let firstOutputState = breadthFirst.count(where: { out[$0].isEmpty })
        var newID = [Int32](repeating: 0, count: stateCount)
        for (n, old) in order.enumerated() { newID[old] = Int32(n) }
        var table = [UInt32](repeating: 0, count: stateCount * classCount)
        var outputStart: [Int32] = [0]
        var outputs: [Int32] = []
        for (n, old) in order.enumerated() {
            for c in 0..<classCount {
                table[n * classCount + c] = UInt32(newID[Int(goto[old * classCount + c])])
            }
            outputs += out[old]
            outputStart.append(Int32(outputs.count))
        }
        if stateCount <= 1 << 16 {
            self.table16 = table.map { UInt16($0) }
            self.table32 = []
        } else {
            self.table16 = []
            self.table32 = table
        }
        self.firstOutputState = firstOutputState
        self.classOf = classOf
        self.classCount = classCount
        self.outputStart = outputStart
        self.outputs = outputs
        self.stateCount = stateCount
    }

    /// Read-only views of the tables for a scanning loop.
    struct Tables {
        let table16: UnsafeBufferPointer<UInt16>
        let table32: UnsafeBufferPointer<UInt32>
        let isWide: Bool
        let classOf: UnsafeBufferPointer<UInt8>
        let classCount: Int
        let firstOutputState: Int
        let outputStart: UnsafeBufferPointer<Int32>
        let outputs: UnsafeBufferPointer<Int32>

        /// The next state.
        @inline(__always)
        func step(_ state: Int, _ byte: UInt8) -> Int {
            let i = state &* classCount &+ Int(classOf[Int(byte)])
            return isWide ? Int(table32[i]) : Int(table16[i])
        }

        /// Whether a state has outputs.
        @inline(__always)
        func hasOutput(_ state: Int) -> Bool { state >= firstOutputState }
    }

    /// Calls `body` with unsafe views of the tables, valid only inside it.
    func withTables<R>(_ body: (Tables) -> R) -> R {
        table16.withUnsafeBufferPointer { table16 in
            table32.withUnsafeBufferPointer { table32 in
                classOf.withUnsafeBufferPointer { classOf in
                    outputStart.withUnsafeBufferPointer { outputStart in
                        outputs.withUnsafeBufferPointer { outputs in
                            body(Tables(
                                table16: table16, table32: table32, isWide: !self.table32.isEmpty, classOf: classOf,
                                classCount: classCount, firstOutputState: firstOutputState,
                                outputStart: outputStart, outputs: outputs
                            ))
                        }
                    }
                }
            }
        }
    }
}
