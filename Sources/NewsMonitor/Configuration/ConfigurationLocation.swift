import Foundation

/// Which feeds.conf a command reads: the one rule every `newsmon` command follows.
///
/// `--config FILE` if given, else `$NEWSMON_CONFIG` if set, else `feeds.conf` in the working
/// directory if it exists, else `/etc/newsmon/feeds.conf`.
public struct ConfigurationLocation: Sendable, Hashable {
    /// The file to read.
    public var path: String
    /// Where ``path`` came from: `--config`, `$NEWSMON_CONFIG` or `default`.
    public var source: String
    /// Every path considered, in order (for the message when none exists).
    public var candidates: [String]

    /// The system-wide file, last in the search.
    public static let systemPath = "/etc/newsmon/feeds.conf"

    /// Applies the rule.
    ///
    /// - Parameters:
    ///   - explicit: The `--config` argument, if any.
    ///   - environment: The process environment (`NEWSMON_CONFIG`).
    ///   - workingDirectory: Where `./feeds.conf` is looked for.
    ///   - fileExists: Tells whether a path exists (injectable for tests).
    public init(explicit: String?, environment: [String: String], workingDirectory: String, fileExists: (String) -> Bool) {
        if let explicit {
            (path, source, candidates) = (explicit, "--config", [explicit])
        } else if let variable = environment["NEWSMON_CONFIG"], !variable.isEmpty {
            (path, source, candidates) = (variable, "$NEWSMON_CONFIG", [variable])
        } else {
            let local = (workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/") + "feeds.conf"
            (path, source, candidates) = (fileExists(local) ? local : Self.systemPath, "default", [local, Self.systemPath])
        }
    }

    /// The rule applied to this process: its environment, working directory and file system.
    public init(explicit: String?) {
        self.init(
            explicit: explicit, environment: ProcessInfo.processInfo.environment,
            workingDirectory: FileManager.default.currentDirectoryPath, fileExists: { FileManager.default.fileExists(atPath: $0) })
    }

    /// Whether the user named the file (`--config` or `$NEWSMON_CONFIG`) rather than the default search.
    public var isExplicit: Bool { source != "default" }

    /// The message when ``path`` does not exist: the paths tried and how to name another.
    ///
    /// `no configuration file: tried /srv/feeds.conf, /etc/newsmon/feeds.conf (pass --config FILE or set NEWSMON_CONFIG)`,
    /// or `/x/feeds.conf (from --config): no such file`.
    public var missingFileMessage: String {
        if isExplicit { return "\(path) (from \(source)): no such file" }
        return "no configuration file: tried \(candidates.joined(separator: ", ")) (pass --config FILE or set NEWSMON_CONFIG)"
    }
}
