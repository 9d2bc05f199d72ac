public import Dedup
import Foundation

/// The files of the state directory: `state.sqlite` (the state store), `problem` (the daemon's
/// current storage problem, for `newsmon status`) and `newsmon.lock` (one `run` or `once` at a time).
public struct StateDirectory: Sendable, Hashable {
    /// The directory (``MonitorOptions/stateDirectory``).
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The SQLite state store: `<state>/state.sqlite`.
    public var storePath: String { path + "/state.sqlite" }

    /// Creates the directory (and its parents) when missing.
    ///
    /// - Throws: ``MonitorError`` with code ``MonitorError/Code/state``.
    public func create() throws(MonitorError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw MonitorError(code: .state, message: "\(path): cannot create the state directory: \(error)", cause: error)
        }
    }

    /// Opens (creating) the state store, creating the directory when missing.
    ///
    /// - Throws: ``MonitorError`` with code ``MonitorError/Code/state``.
    public func openStore(configuration: DedupConfiguration = DedupConfiguration()) throws(MonitorError) -> DedupStore {
        try create()
        do {
            return try DedupStore(path: storePath, configuration: configuration)
        } catch {
            throw MonitorError(code: .state, message: "cannot open the state store: \(error)", cause: error)
        }
    }

    /// `<state>/problem`: the current ``DaemonProblem``, absent while there is none.
    public var problemPath: String { path + "/problem" }

    /// Persists `problem` for `newsmon status`, or removes the file when nil. Best effort: the disk
    /// may be the problem, and the log and sd_notify `STATUS=` say it too.
    public func saveProblem(_ problem: DaemonProblem?) {
        guard let problem else {
            try? FileManager.default.removeItem(atPath: problemPath)
            return
        }
        let text = "since \(problem.since.formatted(.iso8601)): \(problem)\n"
        try? Data(text.utf8).write(to: URL(fileURLWithPath: problemPath), options: .atomic)
    }

    /// The persisted problem line (`since <time>: <component>: <message>`), if there is one.
    public func savedProblem() -> String? {
        guard let data = FileManager.default.contents(atPath: problemPath) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
