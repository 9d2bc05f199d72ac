import Foundation
import NewsModel

extension MonitorRuntime {
    /// Reads feeds.conf and compiles its rules.
    ///
    /// - Throws: ``MonitorError`` whose ``MonitorError/problems`` are `file:line:col: message` lines,
    ///   all of them at once.
    public static func load(path: String) throws(MonitorError) -> MonitorRuntime {
        try load(ConfigurationCheck(path: path), path: path)
    }

    /// Compiles the rules of a file read by ``ConfigurationCheck`` (in this process or, for a reload, in
    /// a child `newsmon check --emit-json`): the same runtime, and the same errors, as ``load(path:)``.
    ///
    /// - Parameter path: The file `check` read: relative `file:` feed URLs are resolved against its directory.
    /// - Throws: ``MonitorError`` whose ``MonitorError/problems`` are `file:line:col: message` lines.
    public static func load(_ check: ConfigurationCheck, path: String) throws(MonitorError) -> MonitorRuntime {
        guard let configuration = check.configuration, check.problems.isEmpty else {
            let error = ConfigurationError(problems: check.problems)
            throw MonitorError(
                code: .configuration, message: "\(path): invalid configuration",
                problems: error.problems.map(\.description), cause: error)
        }
        return try MonitorRuntime(
            configuration: resolvingRelativeFileURLs(configuration, configurationPath: path), fileName: path)
    }

    /// `file:name.xml` (a relative path, not standard in URLs) is resolved against the directory
    /// of feeds.conf, so demo and test configurations work from any working directory.
    static func resolvingRelativeFileURLs(_ configuration: MonitorConfiguration, configurationPath: String)
        -> MonitorConfiguration
    {
        let directory = URL(fileURLWithPath: configurationPath).deletingLastPathComponent()
        var configuration = configuration
        for index in configuration.feeds.indices {
            let url = configuration.feeds[index].url
            guard url.lowercased().hasPrefix("file:") else { continue }
            let rest = String(url.dropFirst(5))
            guard !rest.hasPrefix("/"), !rest.isEmpty else { continue }
            let decoded = rest.removingPercentEncoding ?? rest
            configuration.feeds[index].url = directory.appendingPathComponent(decoded).standardizedFileURL.absoluteString
        }
        return configuration
    }
}
