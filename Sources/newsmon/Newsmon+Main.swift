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
        useOneMallocArena()
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
    /// in one is not reused by another (a cold poll of 2,000 feeds peaked 10 MB higher, and was no faster;
    /// docs/performance.md). `mallopt` is looked up at run time: `malloc.h` is not part of the Glibc module.
    private static func useOneMallocArena() {
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mArenaMax: Int32 = -8  // M_ARENA_MAX in malloc.h
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }  // RTLD_DEFAULT
        _ = unsafeBitCast(symbol, to: Mallopt.self)(mArenaMax, 1)
    }
}
