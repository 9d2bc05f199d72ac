import Foundation

/// Runs a command as a child process and reports its peak resident memory.
///
/// The peak comes from `/usr/bin/time -f %M` (Debian package `time`), which forks the command itself:
/// Linux carries the RSS high-water mark across `execve`, so a command spawned straight from the large
/// test process would report the test process's peak.
public enum PeakMemory {
    public struct Run: Sendable {
        public var status: Int32
        /// Standard output and standard error, together.
        public var output: String
        /// Peak RSS (VmHWM) of the command, in KiB.
        public var peakKiB: Int
    }

    /// True when `/usr/bin/time` is installed.
    public static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/time") }

    /// Runs `executable arguments…` under `/usr/bin/time`; nil when that tool is missing.
    public static func measure(_ executable: String, _ arguments: [String]) async throws -> Run? {
        guard isAvailable else { return nil }
        let directory = try TemporaryDirectory(prefix: "newsmon-peak")
        defer { directory.remove() }
        let report = directory.url.appendingPathComponent("peak")
        let output = directory.url.appendingPathComponent("output")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = ["-f", "%M", "-o", report.path, executable] + arguments
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue(label: "newsmon.peak-memory").async {  // own thread: never the cooperative pool
                process.waitUntilExit()
                continuation.resume()
            }
        }
        try? handle.close()
        let peakText = (try? String(contentsOf: report, encoding: .utf8)) ?? ""
        let peak = peakText.split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.last
        return Run(
            status: process.terminationStatus,
            output: (try? String(contentsOf: output, encoding: .utf8)) ?? "",
            peakKiB: peak ?? -1)
    }
}
