public import Logging
public import ServiceLifecycle
import UnixSignals

/// Reloads feeds.conf on SIGHUP and tells systemd (`RELOADING=1` … `READY=1`).
///
/// A file that does not load or whose rules do not compile is reported problem by problem
/// (`feeds.conf:line:col: message`) and the running configuration stays. It also sends the
/// first `READY=1`, once its SIGHUP handler is in place.
public struct ReloadService: Service {
    private let monitor: MonitorService
    private let load: @Sendable () throws -> MonitorRuntime
    private let notifier: any ServiceNotifier
    private let logger: Logger

    /// - Parameter load: Reads and compiles the configuration; throws ``MonitorError`` with problems.
    public init(
        monitor: MonitorService, notifier: any ServiceNotifier, logger: Logger,
        load: @escaping @Sendable () throws -> MonitorRuntime
    ) {
        self.monitor = monitor
        self.load = load
        self.notifier = notifier
        self.logger = logger
    }

    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        notifier.notify("READY=1")
        for await _ in signals.cancelOnGracefulShutdown() {
            notifier.notify("RELOADING=1")
            logger.info("reloading configuration")
            do {
                let runtime = try load()
                monitor.apply(runtime)
                logger.info(
                    "configuration reloaded",
                    metadata: [
                        "monitor.feeds": "\(runtime.configuration.feeds.count)",
                        "monitor.topics": "\(runtime.configuration.topics.count)",
                    ])
            } catch let error as MonitorError {
                for problem in error.problems.isEmpty ? [error.message] : error.problems {
                    logger.error("configuration error", metadata: ["config.problem": "\(problem)"])
                }
                logger.error("reload failed, keeping the previous configuration")
            } catch {
                logger.error("configuration error", metadata: ["config.problem": "\(error)"])
                logger.error("reload failed, keeping the previous configuration")
            }
            notifier.notify("READY=1")
        }
    }
}
