import Foundation
import NewsModel

extension MonitorRuntime {
    /// Reads feeds.conf and compiles its rules.
    ///
    /// - Throws: ``MonitorError`` whose ``MonitorError/problems`` are `file:line:col: message` lines,
    ///   all of them at once.
    public static func load(path: String) throws(MonitorError) -> MonitorRuntime {
        let configuration: MonitorConfiguration
        do {
            configuration = try MonitorConfiguration.load(path: path)
        } catch {
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
