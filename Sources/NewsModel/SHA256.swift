/// SHA-256 (FIPS 180-4), small and dependency-free, for stable keys and digests.
///
/// Swift's `hashValue` is seeded per process and must never be persisted; every key that
/// outlives a process (item keys, story keys, alert ids) is built from this digest instead.
///
/// ```swift
/// SHA256.hexDigest("abc")  // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// ```
///
/// The one-shot digests of contiguous bytes (``hexDigest(_:)``, ``digest64(_:)``, what dedup computes per item)
/// run without allocating: blocks are read in place and the message schedule lives on the stack.
public struct SHA256: Sendable {
    private var state = State.initial
    private var buffer: [UInt8] = []
    private var byteCount: UInt64 = 0

    /// The eight working words of the hash.
    private struct State {
        var h0, h1, h2, h3, h4, h5, h6, h7: UInt32

        static let initial = State(
            h0: 0x6a09_e667, h1: 0xbb67_ae85, h2: 0x3c6e_f372, h3: 0xa54f_f53a, h4: 0x510e_527f, h5: 0x9b05_688c,
            h6: 0x1f83_d9ab, h7: 0x5be0_cd19)

        var words: [UInt32] { [h0, h1, h2, h3, h4, h5, h6, h7] }

        subscript(index: Int) -> UInt32 {
            switch index {
            case 0: h0
            case 1: h1
            case 2: h2
            case 3: h3
            case 4: h4
            case 5: h5
            case 6: h6
            default: h7
            }
        }
    }

    /// Creates an empty hasher.
    public init() {
        buffer.reserveCapacity(64)
    }

    /// Feeds `bytes` into the digest.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { update($0) }
        }
    }

    /// Feeds the UTF-8 bytes of `string` into the digest.
    public mutating func update(_ string: String) {
        var string = string
        string.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    private mutating func update(_ bytes: UnsafeRawBufferPointer) {
        byteCount &+= UInt64(bytes.count)
        var offset = 0
        if !buffer.isEmpty {
            let taken = min(64 - buffer.count, bytes.count)
            buffer.append(contentsOf: bytes[0..<taken])
            offset = taken
            guard buffer.count == 64 else { return }
            buffer.withUnsafeBytes { Self.compress($0.baseAddress!, &state) }
            buffer.removeAll(keepingCapacity: true)
        }
        while bytes.count - offset >= 64 {
            Self.compress(bytes.baseAddress! + offset, &state)
            offset += 64
        }
        if offset < bytes.count { buffer.append(contentsOf: bytes[offset...]) }
    }

    /// Returns the 32-byte digest of everything fed so far.
    public func finalize() -> [UInt8] {
        var state = self.state
        buffer.withUnsafeBytes { Self.finish($0, totalCount: byteCount, &state) }
        return Self.bytes(state)
    }

    /// The digest of `bytes`.
    public static func digest<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        if let state = bytes.withContiguousStorageIfAvailable({ oneShot(UnsafeRawBufferPointer($0)) }) {
            return Self.bytes(state)
        }
        return Array(bytes).withUnsafeBytes { Self.bytes(oneShot($0)) }
    }

    /// The digest of the UTF-8 bytes of `string`, as 64 lower-case hex digits.
    public static func hexDigest(_ string: String) -> String {
        let state = oneShot(string)
        return String(unsafeUninitializedCapacity: 64) { (out: UnsafeMutableBufferPointer<UInt8>) -> Int in
            let digits: StaticString = "0123456789abcdef"
            for index in 0..<8 {
                let word = state[index]
                for nibble in 0..<8 {
                    out[index * 8 + nibble] = digits.utf8Start[Int((word >> UInt32(28 - 4 * nibble)) & 0xf)]
                }
            }
            return 64
        }
    }

    /// The first 8 bytes of the digest of `string` as a signed integer (big-endian), for compact
    /// indexed columns where a 64-bit digest is enough.
    public static func digest64(_ string: String) -> Int64 {
        let state = oneShot(string)
        return Int64(bitPattern: UInt64(state.h0) << 32 | UInt64(state.h1))
    }

    /// Lower-case hex of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func oneShot(_ string: String) -> State {
        if let state = string.utf8.withContiguousStorageIfAvailable({ oneShot(UnsafeRawBufferPointer($0)) }) {
            return state
        }
        var copy = string
        return copy.withUTF8 { oneShot(UnsafeRawBufferPointer($0)) }
    }

    /// The final state for a whole message: full blocks read in place, the tail padded on the stack.
    private static func oneShot(_ bytes: UnsafeRawBufferPointer) -> State {
        var state = State.initial
        let full = bytes.count / 64 * 64
        var offset = 0
        while offset < full {
            compress(bytes.baseAddress! + offset, &state)
            offset += 64
        }
        finish(UnsafeRawBufferPointer(rebasing: bytes[full...]), totalCount: UInt64(bytes.count), &state)
        return state
    }

    /// Pads the last partial block (under 64 bytes) and compresses it, with the message length.
    private static func finish(_ tail: UnsafeRawBufferPointer, totalCount: UInt64, _ state: inout State) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { block in
            let raw = UnsafeMutableRawBufferPointer(block)
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            if tail.count > 0 { raw.copyMemory(from: tail) }
            raw[tail.count] = 0x80
            let length = tail.count < 56 ? 64 : 128
            let bitLength = totalCount &* 8
            for index in 0..<8 { raw[length - 1 - index] = UInt8(truncatingIfNeeded: bitLength >> UInt64(8 * index)) }
            compress(raw.baseAddress!, &state)
            if length == 128 { compress(raw.baseAddress! + 64, &state) }
        }
    }

    private static func bytes(_ state: State) -> [UInt8] {
        var digest: [UInt8] = []
        digest.reserveCapacity(32)
        for word in state.words {
            digest.append(UInt8(truncatingIfNeeded: word >> 24))
            digest.append(UInt8(truncatingIfNeeded: word >> 16))
            digest.append(UInt8(truncatingIfNeeded: word >> 8))
            digest.append(UInt8(truncatingIfNeeded: word))
        }
        return digest
    }

    private static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// One 64-byte block at `block` into `state`; the message schedule on the stack.
    private static func compress(_ block: UnsafeRawPointer, _ state: inout State) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for i in 0..<16 {
                w[i] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
            }
            for i in 16..<64 {
                let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var a = state.h0, b = state.h1, c = state.h2, d = state.h3
            var e = state.h4, f = state.h5, g = state.h6, h = state.h7
            k.withUnsafeBufferPointer { k in
                for i in 0..<64 {
                    let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                    let ch = (e & f) ^ (~e & g)
                    let t1 = h &+ s1 &+ ch &+ k[i] &+ w[i]
                    let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                    let maj = (a & b) ^ (a & c) ^ (b & c)
                    let t2 = s0 &+ maj
                    h = g
                    g = f
                    f = e
                    e = d &+ t1
                    d = c
                    c = b
                    b = a
                    a = t1 &+ t2
                }
            }
            state.h0 &+= a
            state.h1 &+= b
            state.h2 &+= c
            state.h3 &+= d
            state.h4 &+= e
            state.h5 &+= f
            state.h6 &+= g
            state.h7 &+= h
        }
    }

    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
        (x >> n) | (x << (32 - n))
    }
}
