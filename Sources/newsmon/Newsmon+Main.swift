#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import ArgumentParser
import Fetching

extension Newsmon {
    /// Runs the command with newsmon's exit codes (README "Commands"): 0 ok, 1 user error, 2 usage.
    ///
    /// ArgumentParser reports usage errors with `EX_USAGE` (64); newsmon promises 2.
    static func main() async {
        tuneMalloc()
        CurlEnvironment.prepare()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            StandardError.print(fullMessage(for: error))
            Glibc.exit(2)
        }
    }

    /// One malloc arena for the process: glibc otherwise gives threads arenas of their own, and memory freed
    /// in one is not reused by another (a cold poll of 2,000 feeds peaked 10 MB higher, and was no faster).
    /// And a fixed mmap threshold of 64 KiB: glibc raises it to the largest block freed so far, after which the
    /// story index's tables and arrays grow at the top of the heap, above memory freed in pieces that they
    /// cannot reuse; mapped, they go back to the system when they grow or are freed (docs/performance.md).
    /// `mallopt` is looked up at run time: `malloc.h` is not part of the Glibc module.
    private static func tuneMalloc() {
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let (mArenaMax, mMmapThreshold): (Int32, Int32) = (-8, -3)  // M_ARENA_MAX, M_MMAP_THRESHOLD in malloc.h
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }  // RTLD_DEFAULT
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(mArenaMax, 1)
        _ = mallopt(mMmapThreshold, 64 << 10)
    }
}
