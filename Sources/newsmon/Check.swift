import ArgumentParser
import Foundation
import NewsMonitor

/// `newsmon check`: Validate feeds.conf.
///
/// Prints every problem as `file:line:column: message` on stderr and exits 1; exits 0 when the
/// file is clean.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate feeds.conf.",
        discussion: "Prints every problem as FILE:LINE:COLUMN: MESSAGE on stderr and exits 1; exits 0 when the file is clean."
    )

    @Option(name: .long, help: "The configuration file (default: ./feeds.conf, else /etc/newsmon/feeds.conf).")
    var config: String?

    func run() async throws {
        let path = config ?? MonitorConfiguration.defaultPath(
            environment: ProcessInfo.processInfo.environment,
            currentDirectory: FileManager.default.currentDirectoryPath
        )
        do {
            let configuration = try MonitorConfiguration.load(path: path)
            print("\(path): ok, \(configuration.feeds.count) feeds, \(configuration.topics.count) topics")
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
    }
}
