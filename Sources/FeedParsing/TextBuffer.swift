/// The reused byte buffer a field's text is collected in: grows like an array, without the
/// uniqueness checks and reference counting an `[UInt8]` costs on every append.
///
/// A plain pointer in a value type: copies share the storage. Its ``SAXSession`` frees it
/// (``deallocate()``) when the pass is over; nothing reads it after that.
struct TextBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 4096) {
        base = .allocate(capacity: capacity)
        self.capacity = capacity
    }

    func deallocate() {
        base.deallocate()
    }

    /// The bytes collected so far; valid until the next append.
    var bytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base, count: count)
    }

    var isEmpty: Bool { count == 0 }

    mutating func removeAll() {
        count = 0
    }

    @inline(__always) mutating func append(_ byte: UInt8) {
        if count == capacity { grow(minimum: count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always) mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if count + bytes.count > capacity { grow(minimum: count + bytes.count) }
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func append(contentsOf utf8: String.UTF8View) {
        for b in utf8 { append(b) }
    }

    private mutating func grow(minimum: Int) {
        let newCapacity = max(minimum, capacity * 2)
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        storage.update(from: base, count: count)
        base.deallocate()
        base = storage
        capacity = newCapacity
    }
}
