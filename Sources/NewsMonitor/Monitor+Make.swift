import Dedup
import Fetching
import Foundation
public import Logging
public import Spool

/// Assembles the daemon with its production parts: the state directory's lock
/// (``StateDirectoryLock``), the SQLite state store under ``MonitorOptions/stateDirectory``, the
/// URLSession fetcher with feeds.conf's concurrency limits, the spool and the stdout sink.
///
/// - Parameters:
///   - userAgentVersion: The version sent in the `User-Agent` header.
///   - output: Where alerts are printed. The default is a ``Spool/StandardOutputSink`` in ``MonitorOptions/output``.
/// - Throws: ``MonitorError`` when another process holds the state directory, or the state store or
///   the spool cannot be opened.
public func makeMonitor(
    runtime: MonitorRuntime, options: MonitorOptions, userAgentVersion: String, output: (any AlertSink)? = nil,
    logger: Logger
) throws(MonitorError) -> Monitor {
    let daemon = runtime.configuration.daemon
    let stateDirectory = StateDirectory(path: options.stateDirectory)
    let lock = try StateDirectoryLock(stateDirectory: stateDirectory)
    let store = try stateDirectory.openStore(
        configuration: DedupConfiguration(storyWindow: daemon.storyWindow, retention: daemon.retention))
    let fetcher = HTTPFeedFetcher(
        configuration: FetchConfiguration(
            userAgent: FetchConfiguration.userAgent(version: userAgentVersion),
            maxConcurrentFetches: daemon.maxInFlight,
            maxConcurrentFetchesPerHost: daemon.maxPerHost))
    var monitor = try makeMonitor(
        runtime: runtime, options: options, store: store, fetcher: fetcher, output: output, logger: logger)
    monitor.stateLock = lock
    return monitor
}

/// Compiles `configuration` and assembles the daemon with its production parts.
///
/// - Throws: ``MonitorError`` for rule errors, or when the state store or the spool cannot be opened.
public func makeMonitor(
    configuration: MonitorConfiguration, options: MonitorOptions, userAgentVersion: String = "0.0.0-dev",
    logger: Logger
) throws(MonitorError) -> Monitor {
    let runtime = try MonitorRuntime(configuration: configuration, fileName: options.configurationPath)
    return try makeMonitor(runtime: runtime, options: options, userAgentVersion: userAgentVersion, logger: logger)
}
