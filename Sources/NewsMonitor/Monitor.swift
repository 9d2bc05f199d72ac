public import Dedup
public import Fetching
import Foundation
import UnixSignals
public import Logging
import NewsModel
public import ServiceLifecycle
public import Spool

/// The assembled daemon: one state store, one spool, one fetcher, the pipeline and the
/// scheduler. Built by ``makeMonitor(runtime:options:store:fetcher:output:logger:)``, shared by
/// `newsmon run`, `newsmon once` and the tests.
public struct Monitor: Sendable {
    public let runtime: MonitorRuntime
    public let options: MonitorOptions
    public let pipeline: FeedPipeline
    public let notifier: any ServiceNotifier
    public let logger: Logger
    /// The state directory's lock, held as long as the monitor (nil when assembled from given parts).
    var stateLock: StateDirectoryLock?

    /// The daemon: the scheduler and the SIGHUP reload service in one group that shuts down
    /// gracefully on SIGTERM and SIGINT within ``MonitorOptions/shutdownGracePeriod``.
    ///
    /// - Parameter reload: Reads feeds.conf again on SIGHUP.
    public func makeServiceGroup(
        clock: any MonitorClock = SystemMonitorClock(),
        reload: @escaping @Sendable () throws -> MonitorRuntime
    ) -> ServiceGroup {
        let scheduler = MonitorService(
            pipeline: pipeline, runtime: runtime, options: options, notifier: notifier, clock: clock, logger: logger)
        let reloader = ReloadService(monitor: scheduler, notifier: notifier, logger: logger, load: reload)
        var configuration = ServiceGroupConfiguration(
            services: [
                .init(service: scheduler, successTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: reloader),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            cancellationSignals: [],
            logger: logger
        )
        configuration.maximumGracefulShutdownDuration = options.shutdownGracePeriod
        configuration.maximumCancellationDuration = .seconds(3)
        return ServiceGroup(configuration: configuration)
    }

    /// Runs the daemon (``makeServiceGroup(clock:reload:)``) until SIGTERM or SIGINT.
    public func run(reload: @escaping @Sendable () throws -> MonitorRuntime) async throws {
        try await makeServiceGroup(reload: reload).run()
    }
}

/// Assembles the daemon from its parts (the composition root).
///
/// - Throws: ``MonitorError`` when the spool cannot be opened.
public func makeMonitor(
    runtime: MonitorRuntime,
    options: MonitorOptions,
    store: any StoryStore,
    fetcher: any FeedFetcher,
    output: (any AlertSink)? = nil,
    logger: Logger
) throws(MonitorError) -> Monitor {
    let spool: SpoolWriter
    do {
        spool = try SpoolWriter(directory: options.spoolDirectory, isShared: options.isSpoolShared)
    } catch {
        throw MonitorError(code: .spool, message: "cannot open the spool: \(error)", cause: error)
    }
    SpoolReconciliation.run(store: store, spoolDirectory: options.spoolDirectory, now: Date(), logger: logger)
    TopicRegistration.register(runtime, store: store, now: Date(), logger: logger)
    let pipeline = FeedPipeline(
        store: store, fetcher: fetcher, spool: spool, output: output ?? StandardOutputSink(format: options.output))
    let notifier = SystemdNotifier(socketPath: options.notifySocket, logger: logger)
    return Monitor(runtime: runtime, options: options, pipeline: pipeline, notifier: notifier, logger: logger)
}
