import Foundation
import NewsModel

extension MonitorConfiguration {
    /// Reads and validates a feeds.conf file.
    ///
    /// Keys of the file:
    /// - `[defaults]`: `interval` ("10m"), `timeout` ("20s"), `max_bytes` ("10MB" or bytes),
    ///   `backfill` ("24h", "all" or "0s"), `lang`, `tz`, `enabled`.
    /// - `[[feed]]`: `id` and `url` (http, https or file), and any key of `[defaults]` to override it.
    /// - `[[topic]]`: `id`, `title` (the default is the id) and `rule` (see docs/rules.md).
    /// - `[daemon]`: `max_in_flight` (8), `max_per_host` (2), `retention` ("90d"), `story_window` ("72h").
    ///
    /// - Parameter path: The file to read; problems are reported under its last path component.
    /// - Throws: ``ConfigurationError`` with every problem found, each with line and column.
    public static func load(path: String) throws(ConfigurationError) -> MonitorConfiguration {
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError(problems: [ConfigurationProblem(file: fileName, line: 1, column: 1, message: "cannot read the file: \(error.localizedDescription)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(problems: [ConfigurationProblem(file: fileName, line: 1, column: 1, message: "the file is not valid UTF-8")])
        }
        return try parse(text: text, fileName: fileName)
    }

    /// Parses and validates feeds.conf text.
    ///
    /// - Parameters:
    ///   - text: The TOML source.
    ///   - fileName: The name used in problem reports.
    /// - Throws: ``ConfigurationError`` with every problem found, each with line and column.
    public static func parse(text: String, fileName: String = "feeds.conf") throws(ConfigurationError) -> MonitorConfiguration {
        var reader = ConfigurationReader(text: text, fileName: fileName)
        let configuration = reader.read()
        guard reader.problems.isEmpty else {
            let sorted = reader.problems.enumerated().sorted {
                ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
            }
            throw ConfigurationError(problems: sorted.map(\.element))
        }
        return configuration
    }

    /// The configuration file to use when none is given on the command line.
    ///
    /// `$NEWSMON_CONFIG` if set, else `feeds.conf` in the current directory if it exists,
    /// else `/etc/newsmon/feeds.conf`.
    ///
    /// - Parameters:
    ///   - environment: The process environment.
    ///   - currentDirectory: The working directory.
    ///   - fileExists: Tells whether a path exists (injectable for tests).
    public static func defaultPath(
        environment: [String: String],
        currentDirectory: String,
        fileExists: (String) -> Bool
    ) -> String {
        if let explicit = environment["NEWSMON_CONFIG"], !explicit.isEmpty { return explicit }
        let local = currentDirectory.hasSuffix("/") ? currentDirectory + "feeds.conf" : currentDirectory + "/feeds.conf"
        return fileExists(local) ? local : "/etc/newsmon/feeds.conf"
    }

    /// ``defaultPath(environment:currentDirectory:fileExists:)`` asking the file system.
    public static func defaultPath(environment: [String: String], currentDirectory: String) -> String {
        defaultPath(environment: environment, currentDirectory: currentDirectory) { FileManager.default.fileExists(atPath: $0) }
    }
}

extension MonitorConfiguration {
    /// Why `url` cannot be a feed's `url` in feeds.conf (`'url' must use http, https or file, …`),
    /// or nil when it can: the check `newsmon check` applies, for tools that write feeds.conf.
    public static func feedURLProblem(_ url: String) -> String? {
        ConfigurationReader.urlProblem(url)
    }
}
