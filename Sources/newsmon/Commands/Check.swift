import ArgumentParser
import Foundation
import NewsMonitor

/// `newsmon check`: Validate feeds.conf.
///
/// Prints every problem as `file:line:column: message` on stderr and exits 1; exits 0 when the
/// file is clean. Warnings (feeds with the same URL) are printed the same way and do not fail.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate feeds.conf.",
        discussion: """
            Prints every problem as FILE:LINE:COLUMN: MESSAGE on stderr and exits 1; exits 0 when the file \
            is clean. Warnings (two feeds with the same URL) are printed the same way and do not fail.
            """
    )

    @OptionGroup var configuration: ConfigurationOption

    /// For the daemon's reload (``ConfigurationCheckProcess``): the file read, as JSON on stdout, exit 0.
    @Flag(help: .private) var emitJSON = false

    func run() async throws {
        if emitJSON {
            // Problems travel in the JSON, a missing file included: the daemon reports them as its own.
            FileHandle.standardOutput.write(ConfigurationCheck(path: configuration.location.path).json())
            return
        }
        let (loaded, path, warnings) = try configuration.loadConfiguration(command: "check")
        if !warnings.isEmpty { StandardError.print(warnings.map(\.description).joined(separator: "\n")) }
        let note = warnings.isEmpty ? "" : ", \(warnings.count) warning\(warnings.count == 1 ? "" : "s")"
        print("\(path): ok, \(loaded.feeds.count) feeds, \(loaded.topics.count) topics\(note)")
    }
}
