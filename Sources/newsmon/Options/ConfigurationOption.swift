import ArgumentParser
import Foundation
import NewsMonitor

/// `--config FILE`, resolved by the one rule of ``NewsMonitor/ConfigurationLocation``.
struct ConfigurationOption: ParsableArguments {
    @Option(help: "feeds.conf to read (default: $NEWSMON_CONFIG, else ./feeds.conf, else /etc/newsmon/feeds.conf).")
    var config: String?

    var location: ConfigurationLocation { ConfigurationLocation(explicit: config) }

    /// feeds.conf read and its rules compiled; on error every problem is printed
    /// (`file:line:col: message`, or the paths tried when there is no file) and the command exits 1.
    func loadRuntime(command: String) throws -> MonitorRuntime {
        let path = try existingPath(command: command)
        do {
            return try MonitorRuntime.load(path: path)
        } catch {
            StandardError.print(error.problems.isEmpty ? "newsmon \(command): \(error.message)" : error.problems.joined(separator: "\n"))
            throw ExitCode(1)
        }
    }

    /// feeds.conf read and validated (rules included), with its warnings; exits 1 as ``loadRuntime(command:)``.
    func loadConfiguration(command: String) throws -> (configuration: MonitorConfiguration, path: String, warnings: [ConfigurationProblem]) {
        let path = try existingPath(command: command)
        var warnings: [ConfigurationProblem] = []
        do {
            return (try MonitorConfiguration.load(path: path, warnings: &warnings), path, warnings)
        } catch {
            StandardError.print(error.description)
            throw ExitCode(1)
        }
    }

    /// The path, or exit 1 naming the paths tried.
    func existingPath(command: String) throws -> String {
        let location = self.location
        guard FileManager.default.fileExists(atPath: location.path) else {
            throw StandardError.failure(command, location.missingFileMessage)
        }
        return location.path
    }
}
