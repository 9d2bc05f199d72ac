#if canImport(Glibc)
import Glibc
#endif

/// Transparent huge pages for the large tables of the story index.
///
/// The index's hash tables are probed at random (one cache miss per term); at a million items they are tens of
/// megabytes, so with 4 KiB pages most probes also miss the TLB, and every table grown is faulted in 4 KiB at a
/// time. Advising huge pages (`MADV_HUGEPAGE`, honoured when the system's THP mode is `madvise` or `always`)
/// before the memory is first touched backs it with 2 MiB pages instead. A hint only: nothing changes where it is
/// refused.
enum HugePages {
    /// Buffers smaller than this are left alone (a huge page is 2 MiB).
    static let threshold = 4 << 20

    /// Advises huge pages for the whole 2 MiB-aligned part of `count` bytes at `start`.
    static func advise(_ start: UnsafeMutableRawPointer, count: Int) {
        #if os(Linux)
        guard count >= threshold else { return }
        let huge = 2 << 20
        let first = (Int(bitPattern: start) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: start) + count) & ~(huge - 1)
        guard end > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(aligned, end - first, MADV_HUGEPAGE)
        #endif
    }

    /// An array of `count` copies of `value`, its memory advised for huge pages before it is written.
    static func array<Element>(repeating value: Element, count: Int) -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress {
                advise(UnsafeMutableRawPointer(base), count: count * MemoryLayout<Element>.stride)
                buffer.initialize(repeating: value)
            }
            initialized = count
        }
    }
}
