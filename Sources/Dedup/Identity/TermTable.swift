/// A fixed map from term hashes (already well mixed, from ``StoryFingerprint/hash(_:seed:)``) to small values,
/// looked up by the hash's low bits: no second hashing, as a `Dictionary` or `Set` of `UInt64` would do for each of
/// a teaser's words.
struct TermTable: Sendable {
    private let keys: [UInt64]
    private let values: [Int8]
    private let mask: Int

    /// - Parameter entries: Distinct nonzero term hashes and their values (0...127).
    init(_ entries: [(key: UInt64, value: Int)]) {
        var size = 16
        while size < 4 * entries.count { size *= 2 }
        var keys = [UInt64](repeating: 0, count: size)
        var values = [Int8](repeating: -1, count: size)
        for (key, value) in entries {
            precondition(key != 0, "0 marks an empty bucket")
            var index = Int(truncatingIfNeeded: key) & (size - 1)
            while keys[index] != 0 && keys[index] != key { index = (index + 1) & (size - 1) }
            keys[index] = key
            values[index] = Int8(value)
        }
        self.keys = keys
        self.values = values
        mask = size - 1
    }

    /// The value of `key`, if the table holds it.
    func value(_ key: UInt64) -> Int? {
        keys.withUnsafeBufferPointer { keys in
            var index = Int(truncatingIfNeeded: key) & mask
            while keys[index] != 0 {
                if keys[index] == key { return Int(values[index]) }
                index = (index + 1) & mask
            }
            return nil
        }
    }

    func contains(_ key: UInt64) -> Bool { value(key) != nil }
}
