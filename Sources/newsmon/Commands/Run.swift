#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import ArgumentParser
import Logging
import NewsMonitor

/// `newsmon run`: Run the daemon: poll, match, dedup and alert until SIGTERM.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the daemon: poll, match, dedup and alert until SIGTERM.",
        discussion: "On a terminal, each poll cycle ends with a one-line summary on stderr.")

    @OptionGroup var options: MonitorCommandOptions

    @Option(help: "Spread the first polls of new or overdue feeds over this many seconds after start.")
    var startupSpread: Double = 30

    func validate() throws {
        guard startupSpread >= 0 else { throw ValidationError("--startup-spread must be 0 or more") }
    }

    func run() async throws {
        // Until the service group traps them, these signals must not kill the process
        // (systemd may send SIGHUP/SIGTERM as soon as READY=1 arrives). The group's handlers
        // use signalfd-backed sources, which still receive ignored signals.
        for signalNumber in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { signal(signalNumber, SIG_IGN) }
        let logger = options.bootstrapLogging(defaultLevel: .info)
        let (monitor, _) = try options.makeMonitor(
            command: "run", startupSpread: .milliseconds(Int64(startupSpread * 1000)), logger: logger)
        let path = monitor.options.configurationPath
        logger.info(
            "newsmon starting",
            metadata: [
                "config.path": "\(path)", "state.dir": "\(monitor.options.stateDirectory)",
                "spool.dir": "\(monitor.options.spoolDirectory)", "monitor.feeds": "\(monitor.runtime.configuration.feeds.count)",
                "monitor.topics": "\(monitor.runtime.configuration.topics.count)",
            ])
        do {
            // feeds.conf was parsed once, by makeMonitor above; a reload reads it in a child process
            // (TOMLKit keeps everything a parse allocates, docs/performance.md "Memory over time").
            try await monitor.run { try ConfigurationCheckProcess.loadRuntime(path: path) }
        } catch {
            logger.critical("daemon failed", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
        logger.info("newsmon stopped")
    }
}
