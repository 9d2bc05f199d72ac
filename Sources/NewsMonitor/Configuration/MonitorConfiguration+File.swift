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
        var warnings: [ConfigurationProblem] = []
        return try load(path: path, warnings: &warnings)
    }

    /// ``load(path:)`` that also returns what `newsmon check` warns about (feeds with the same URL).
    public static func load(path: String, warnings: inout [ConfigurationProblem]) throws(ConfigurationError)
        -> MonitorConfiguration
    {
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied or not a file" : "no such file"
            throw ConfigurationError(problems: [ConfigurationProblem(file: path, line: 1, column: 1, message: "cannot read the file: \(reason)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(problems: [ConfigurationProblem(file: fileName, line: 1, column: 1, message: "the file is not valid UTF-8")])
        }
        return try parse(text: text, fileName: fileName, warnings: &warnings)
    }

    /// Parses and validates feeds.conf text.
    ///
    /// - Parameters:
    ///   - text: The TOML source.
    ///   - fileName: The name used in problem reports.
    /// - Throws: ``ConfigurationError`` with every problem found, each with line and column.
    public static func parse(text: String, fileName: String = "feeds.conf") throws(ConfigurationError) -> MonitorConfiguration {
        var warnings: [ConfigurationProblem] = []
        return try parse(text: text, fileName: fileName, warnings: &warnings)
    }

    /// ``parse(text:fileName:)`` that also returns what `newsmon check` warns about.
    public static func parse(text: String, fileName: String = "feeds.conf", warnings: inout [ConfigurationProblem])
        throws(ConfigurationError) -> MonitorConfiguration
    {
        var reader = ConfigurationReader(text: text, fileName: fileName)
        let configuration = reader.read()
        warnings = reader.warnings
        guard reader.problems.isEmpty else {
            let sorted = reader.problems.enumerated().sorted {
                ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
            }
            throw ConfigurationError(problems: sorted.map(\.element))
        }
        return configuration
    }
}

extension MonitorConfiguration {
    /// Why `url` cannot be a feed's `url` in feeds.conf (`'url' must use http, https or file, …`),
    /// or nil when it can: the check `newsmon check` applies, for tools that write feeds.conf.
    public static func feedURLProblem(_ url: String) -> String? {
        ConfigurationReader.urlProblem(url)
    }
}
