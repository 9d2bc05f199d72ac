#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// The bytes of one libFuzzer input.
public func fuzzInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// Stops the process when an invariant of the code under test fails, so that libFuzzer keeps the
/// input as a crash (`crash-<sha1>`), exactly as it does for a trap or a sanitizer report.
public func fuzzInvariant(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    guard !condition() else { return }
    fputs("fuzz invariant failed: \(message())\n", stderr)
    abort()
}
