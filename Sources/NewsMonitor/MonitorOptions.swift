import Foundation
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
    /// Whether the spool is shared with the daemon's group (`--shared-spool`, see
    /// ``Spool/SpoolWriter/init(directory:isShared:now:)``). The default is false.
    public var isSpoolShared: Bool
    /// Whether the scheduler logs a one-line summary of each poll cycle at info level (on a terminal);
    /// otherwise at debug level. The default is false.
    public var logsCycleSummary: Bool

    public init(
        configurationPath: String,
        stateDirectory: String,
        spoolDirectory: String? = nil,
        output: AlertOutputFormat = .json,
        startupSpread: Duration = .seconds(30),
        shutdownGracePeriod: Duration = .seconds(10),
        watchdogInterval: Duration? = nil,
        notifySocket: String? = nil,
        isSpoolShared: Bool = false,
        logsCycleSummary: Bool = false
    ) {
        self.configurationPath = configurationPath
        self.stateDirectory = stateDirectory
        self.spoolDirectory = spoolDirectory ?? stateDirectory + "/spool"
        self.output = output
        self.startupSpread = startupSpread
        self.shutdownGracePeriod = shutdownGracePeriod
        self.watchdogInterval = watchdogInterval
        self.notifySocket = notifySocket
        self.isSpoolShared = isSpoolShared
        self.logsCycleSummary = logsCycleSummary
    }
}

/// The default state directory and systemd's watchdog setting, computed from an explicit environment
/// (feeds.conf: ``ConfigurationLocation``).
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

    /// A hint for messages about a missing default state directory under `sudo`, where `$HOME` (and so
    /// the default) is root's rather than the invoking user's or the service's; nil otherwise.
    public static func sudoHint(environment: [String: String]) -> String? {
        guard let user = environment["SUDO_USER"], !user.isEmpty, environment["STATE_DIRECTORY"] == nil else { return nil }
        return "under sudo the default state directory is root's, not \(user)'s; "
            + "for the service pass --state /var/lib/newsmon"
    }

    /// `$WATCHDOG_USEC` as a duration, honouring `$WATCHDOG_PID` (ignored when it names another process).
    public static func watchdogInterval(environment: [String: String], processID: Int32) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let usec = Int64(text), usec > 0 else { return nil }
        if let pid = environment["WATCHDOG_PID"].flatMap({ Int32($0) }), pid != processID { return nil }
        return .microseconds(usec)
    }
}
