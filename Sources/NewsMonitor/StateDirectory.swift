public import Dedup
import Foundation

/// The files of the state directory: `state.sqlite`, the state store.
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
}
