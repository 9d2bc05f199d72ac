#if canImport(Glibc)
import Glibc
#endif

/// Gives the free pages inside the malloc heap back to the system (glibc's `malloc_trim`).
///
/// Memory freed in small blocks (SQLite's pages, a plan's strings) stays resident in the heap until it is reused;
/// large blocks (the story index's tables, over `newsmon`'s 64 KiB mmap threshold) are mapped anew and cannot
/// reuse it. A trim walks the heap's free lists (0.4–0.6 ms for a cold poll's 20 MB heap), so it is for after
/// large releases only. `malloc_trim` is looked up at run time: `malloc.h` is not part of the Glibc module.
enum HeapRelease {
    /// A release smaller than this is not worth a trim.
    static let threshold = 1 << 20

    private typealias Trim = @convention(c) (Int) -> Int32
    private static let function: Trim? = {
        #if os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }  // RTLD_DEFAULT
        return unsafeBitCast(symbol, to: Trim.self)
        #else
        return nil
        #endif
    }()

    /// Returns the heap's free pages to the system, where the C library can.
    static func trim() {
        _ = function?(0)
    }
}
