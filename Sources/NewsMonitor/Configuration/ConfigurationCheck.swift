public import Foundation

/// feeds.conf read and validated as one value: the configuration, or every problem, with the warnings.
///
/// `newsmon check --emit-json` writes it as JSON on stdout; the running daemon reloads from that
/// (``MonitorRuntime/load(_:path:)``) and never parses TOML itself after it started. TOMLKit 0.6.0
/// frees none of what a parse allocates (its `TOMLTable` has no `deinit`; each string and key it
/// hands out is a `strdup` nobody frees), about 150 KB per load of the shipped feeds.conf, which a
/// short-lived child gives back when it exits (docs/performance.md, "Memory over time").
///
/// The JSON is the synthesized `Codable` form of ``MonitorConfiguration`` and its parts, so a new
/// field travels without anyone writing code for it; it is a private format between two copies of the
/// same binary (`/proc/self/exe`), not a file format.
public struct ConfigurationCheck: Sendable, Hashable, Codable {
    /// What the file configures; nil when it has problems.
    public var configuration: MonitorConfiguration?
    /// Every problem, ordered by position in the file (empty when ``configuration`` is set).
    public var problems: [ConfigurationProblem]
    /// Likely mistakes that do not make the file invalid (feeds with the same URL).
    public var warnings: [ConfigurationProblem]

    public init(configuration: MonitorConfiguration?, problems: [ConfigurationProblem], warnings: [ConfigurationProblem]) {
        self.configuration = configuration
        self.problems = problems
        self.warnings = warnings
    }

    /// Reads and validates the file at `path` (``MonitorConfiguration/load(path:warnings:)``).
    public init(path: String) {
        var warnings: [ConfigurationProblem] = []
        do {
            let configuration = try MonitorConfiguration.load(path: path, warnings: &warnings)
            self.init(configuration: configuration, problems: [], warnings: warnings)
        } catch {
            self.init(configuration: nil, problems: error.problems, warnings: warnings)
        }
    }

    /// The JSON `newsmon check --emit-json` prints.
    public func json() -> Data {
        // Only strings, integers, booleans and arrays of them: encoding cannot fail.
        (try? JSONEncoder().encode(self)) ?? Data()
    }

    /// Decodes what ``json()`` wrote.
    public init(json: Data) throws {
        self = try JSONDecoder().decode(Self.self, from: json)
    }
}
