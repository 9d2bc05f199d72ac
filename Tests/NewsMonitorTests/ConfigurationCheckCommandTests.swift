import Foundation
import NewsTestSupport
import Testing

/// `newsmon check` end to end: the built binary, a real file, exit status and stderr.
struct ConfigurationCheckCommandTests {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], in directory: URL? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = RepositoryPaths.newsmonBinary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func reportsAllFiveErrorsAndExitsOne() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.url.appendingPathComponent("feeds.conf")
        try FiveErrorConfiguration.text.write(to: path, atomically: true, encoding: .utf8)
        let outcome = try Self.run(["check", "--config", path.path])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.split(separator: "\n").map(String.init) == FiveErrorConfiguration.expected)
        #expect(outcome.stdout.isEmpty)
    }

    @Test func shippedConfigurationPassesFromTheRepositoryRoot() throws {
        // No --config: the default path is ./feeds.conf in the working directory.
        let outcome = try Self.run(["check"], in: RepositoryPaths.root)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.isEmpty)
        #expect(outcome.stdout.contains("2 topics"))
    }
}
