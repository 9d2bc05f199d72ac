#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import ArgumentParser
import Logging
import NewsMonitor

/// `newsmon run`: Run the daemon: poll, match, dedup and alert until SIGTERM.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the daemon: poll, match, dedup and alert until SIGTERM.")

    @OptionGroup var options: MonitorCommandOptions

    func run() async throws {
        // Until the service group traps them, these signals must not kill the process
        // (systemd may send SIGHUP/SIGTERM as soon as READY=1 arrives). The group's handlers
        // use signalfd-backed sources, which still receive ignored signals.
        for signalNumber in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { signal(signalNumber, SIG_IGN) }
        let logger = options.bootstrapLogging(defaultLevel: .info)
        let monitorOptions = options.monitorOptions()
        let path = monitorOptions.configurationPath
        let runtime = try MonitorLauncher.loadOrExit(path: path)
        let monitor = try MonitorLauncher.makeOrExit(runtime: runtime, options: monitorOptions, logger: logger, command: "run")
        logger.info(
            "newsmon starting",
            metadata: [
                "config.path": "\(path)", "state.dir": "\(monitorOptions.stateDirectory)",
                "spool.dir": "\(monitorOptions.spoolDirectory)", "monitor.feeds": "\(runtime.configuration.feeds.count)",
            ])
        do {
            try await monitor.run {
                try ConfigurationPreflight.check(path: path)
                return try MonitorRuntime.load(path: path)
            }
        } catch {
            logger.critical("daemon failed", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
        logger.info("newsmon stopped")
    }
}

/// Shared start-up steps of `run` and `once`.
enum MonitorLauncher {
    /// Loads feeds.conf; on error prints every problem as `file:line:col: message` and exits 1.
    static func loadOrExit(path: String) throws -> MonitorRuntime {
        do {
            return try MonitorRuntime.load(path: path)
        } catch {
            Terminal.printError("newsmon: \(error.message)")
            for problem in error.problems { Terminal.printError(problem) }
            throw ExitCode(1)
        }
    }

    /// Builds the monitor; on error prints it as `newsmon COMMAND: …` and exits 1.
    static func makeOrExit(runtime: MonitorRuntime, options: MonitorOptions, logger: Logger, command: String) throws -> Monitor {
        do {
            return try makeMonitor(runtime: runtime, options: options, userAgentVersion: NewsmonVersion.string, logger: logger)
        } catch {
            Terminal.printError("newsmon \(command): \(error)")
            throw ExitCode(1)
        }
    }
}
