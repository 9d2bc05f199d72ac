/// Sixteen bytes at a time with `SIMD16<UInt8>`, for the scans over field text.
///
/// `any(_:)` of the standard library reduces a mask through a generic `min()` that is not inlined
/// (a call per step); ``any(_:)`` here reads the mask's sixteen bytes as two words instead. The
/// constants are computed properties: a stored `static let` costs a `swift_once` check per use.
enum Bytes16 {
    typealias Mask = SIMDMask<SIMD16<Int8>>

    @inline(__always) static var ampersand: SIMD16<UInt8> { SIMD16(repeating: 0x26) }
    @inline(__always) static var lessThan: SIMD16<UInt8> { SIMD16(repeating: 0x3C) }
    @inline(__always) static var greaterThan: SIMD16<UInt8> { SIMD16(repeating: 0x3E) }
    @inline(__always) static var quote: SIMD16<UInt8> { SIMD16(repeating: 0x22) }
    @inline(__always) static var space: SIMD16<UInt8> { SIMD16(repeating: 0x20) }
    @inline(__always) static var c2: SIMD16<UInt8> { SIMD16(repeating: 0xC2) }
    @inline(__always) static var c0: SIMD16<UInt8> { SIMD16(repeating: 0xC0) }
    @inline(__always) static var fe: SIMD16<UInt8> { SIMD16(repeating: 0xFE) }
    @inline(__always) static var e0: SIMD16<UInt8> { SIMD16(repeating: 0xE0) }
    @inline(__always) static var f0: SIMD16<UInt8> { SIMD16(repeating: 0xF0) }
    @inline(__always) static var a0: SIMD16<UInt8> { SIMD16(repeating: 0xA0) }
    @inline(__always) static var x90: SIMD16<UInt8> { SIMD16(repeating: 0x90) }
    @inline(__always) static var x80: SIMD16<UInt8> { SIMD16(repeating: 0x80) }

    @inline(__always) static func load(_ base: UnsafeRawPointer, _ offset: Int) -> SIMD16<UInt8> {
        base.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
    }

    /// Whether any lane of `mask` is set.
    @inline(__always) static func any(_ mask: Mask) -> Bool {
        let words = unsafeBitCast(mask, to: (UInt64, UInt64).self)
        return words.0 | words.1 != 0
    }
}
