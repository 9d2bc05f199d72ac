import FuzzSupport
import NewsModel
import NewsMonitor

// feeds.conf as `newsmon check`, the daemon's start and a SIGHUP reload read it: the bytes must be
// UTF-8 (MonitorConfiguration.load refuses the rest), then TOMLAbortGuard, toml++ (inside TOMLKit),
// the key-by-key validation and the rules. A file that passes must also compile into the runtime the
// daemon runs; a file that fails must name each problem at a position inside the text.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfiguration(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let text = String(validating: fuzzInput(data, size), as: UTF8.self) else { return 0 }
    let configuration: MonitorConfiguration
    do {
        configuration = try MonitorConfiguration.parse(text: text)
    } catch {
        // Lines end at U+000A (TOML's newline is LF or CR LF); columns count Unicode scalars from 1, and
        // may point just past the end of a line ("expected a value" at the end of `key =`).
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        fuzzInvariant(!error.problems.isEmpty, "a configuration was refused without a problem")
        for problem in error.problems {
            fuzzInvariant(
                (1...lines.count).contains(problem.line) && problem.column >= 1
                    && problem.column <= lines[problem.line - 1].count + 1,
                "problem outside the text (\(lines.count) lines): \(problem)")
        }
        return 0
    }
    do {
        _ = try MonitorRuntime(configuration: configuration)
    } catch {
        fuzzInvariant(false, "feeds.conf passed the check but its rules do not compile: \(error)")
    }
    return 0
}
