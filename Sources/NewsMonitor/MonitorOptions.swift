public import Foundation
public import Spool

/// Where the monitor keeps its files and how it prints alerts: the runtime options of
/// `newsmon run` and `newsmon once` (feeds.conf itself is ``MonitorConfiguration``).
public struct MonitorOptions: Sendable, Hashable {
    /// The feeds.conf path.
    public var configurationPath: String
    /// The state directory (holds `state.sqlite`).
    public var stateDirectory: String
    /// The spool root. The default is `<state>/spool`.
    public var spoolDirectory: String
    /// How alerts are printed on stdout. The default is `json`.
    public var output: AlertOutputFormat
    /// New or overdue feeds are first polled at a random moment within this span after start, so
    /// that a restart does not poll everything at once. The default is 30 seconds.
    public var startupSpread: Duration
    /// Graceful shutdown budget; must stay below the unit's `TimeoutStopSec` (20 s). The default is 10 s.
    public var shutdownGracePeriod: Duration
    /// `$WATCHDOG_USEC` as a duration, when systemd asked for pings. The default is none.
    public var watchdogInterval: Duration?
    /// `$NOTIFY_SOCKET`, when running under systemd. The default is none.
    public var notifySocket: String?

    public init(
        configurationPath: String,
        stateDirectory: String,
        spoolDirectory: String? = nil,
        output: AlertOutputFormat = .json,
        startupSpread: Duration = .seconds(30),
        shutdownGracePeriod: Duration = .seconds(10),
        watchdogInterval: Duration? = nil,
        notifySocket: String? = nil
    ) {
        self.configurationPath = configurationPath
        self.stateDirectory = stateDirectory
        self.spoolDirectory = spoolDirectory ?? stateDirectory + "/spool"
        self.output = output
        self.startupSpread = startupSpread
        self.shutdownGracePeriod = shutdownGracePeriod
        self.watchdogInterval = watchdogInterval
        self.notifySocket = notifySocket
    }
}

/// The default paths of DESIGN.md "Command line", computed from an explicit environment.
public enum MonitorPaths {
    /// The state directory: `$STATE_DIRECTORY` (systemd; the first of a colon-separated list),
    /// else `$XDG_STATE_HOME/newsmon`, else `$HOME/.local/state/newsmon`.
    public static func defaultStateDirectory(environment: [String: String]) -> String {
        if let dir = environment["STATE_DIRECTORY"], !dir.isEmpty {
            return String(dir.split(separator: ":").first ?? Substring(dir))
        }
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            return xdg + "/newsmon"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "/"
        return (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.local/state/newsmon"
    }

    /// `./feeds.conf` when it exists in `workingDirectory`, else `/etc/newsmon/feeds.conf`.
    public static func defaultConfigurationPath(
        workingDirectory: String,
        fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
    ) -> String {
        let local = workingDirectory + "/feeds.conf"
        return fileExists(local) ? local : "/etc/newsmon/feeds.conf"
    }

    /// `$WATCHDOG_USEC` as a duration, honouring `$WATCHDOG_PID` (ignored when it names another process).
    public static func watchdogInterval(environment: [String: String], processID: Int32) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let usec = Int64(text), usec > 0 else { return nil }
        if let pid = environment["WATCHDOG_PID"].flatMap({ Int32($0) }), pid != processID { return nil }
        return .microseconds(usec)
    }
}
