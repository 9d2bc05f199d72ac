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
            sizeArenas(for: command)
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
    /// in one is not reused by another (a cold poll of 2,000 feeds peaked 10 MB higher).
    /// And a fixed mmap threshold of 64 KiB: glibc raises it to the largest block freed so far, after which the
    /// story index's tables and arrays grow at the top of the heap, above memory freed in pieces that they
    /// cannot reuse; mapped, they go back to the system when they grow or are freed (docs/performance.md).
    private static func tuneMalloc() {
        mallopt(.arenaMax, 1)
        mallopt(.mmapThreshold, 64 << 10)
    }

    /// Two arenas for a poll of ``largePollFeeds`` or more.
    private static func sizeArenas(for command: any ParsableCommand) {
        guard let sized = command as? any PollSized, let feeds = sized.feedCountHint(), feeds >= largePollFeeds else { return }
        mallopt(.arenaMax, 2)
    }

    /// From this many feeds on, `newsmon once` takes two malloc arenas, not one: in a poll this large the
    /// threads that fetch, parse, plan and spool wait for the one arena's lock (2,000 feeds: 3 to 8 % less
    /// CPU, 4 to 6 MB more peak RSS, still under newsboat's), while at 100 feeds a second arena only raises the
    /// peak. glibc fixes the limit when a second thread first allocates; `main` is still the only thread
    /// until it runs the command (its first `await` hops to the global executor), so it is set just before.
    static let largePollFeeds = 1_000

    private enum MallocOption: Int32 {
        case arenaMax = -8  // M_ARENA_MAX in malloc.h
        case mmapThreshold = -3  // M_MMAP_THRESHOLD
    }

    /// `mallopt`, looked up at run time: `malloc.h` is not part of the Glibc module.
    private static func mallopt(_ option: MallocOption, _ value: Int32) {
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }  // RTLD_DEFAULT
        _ = unsafeBitCast(symbol, to: Mallopt.self)(option.rawValue, value)
    }
}

/// A command whose work grows with the number of feeds, and that can tell it before it starts (from feeds.conf,
/// without reading it in full): `main` sizes the malloc arenas by it.
protocol PollSized {
    /// The number of `[[feed]]` tables of the configuration the command will read; nil when unknown.
    func feedCountHint() -> Int?
}
