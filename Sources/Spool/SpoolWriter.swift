#if canImport(Glibc)
@preconcurrency import Glibc
#endif
public import Foundation
public import NewsModel
import Synchronization

/// Writes alerts to a maildir-style spool (see `docs/spool-format.md`).
///
/// Each alert becomes one file `new/<unix-ms>-<alert id>.json`, published atomically: the JSON is
/// written to `tmp/`, fsynced, renamed into `new/`, and `new/` is fsynced. A crash leaves at most a
/// stray file in `tmp/`, never a partial one in `new/`. Writing is idempotent by alert id: when a
/// file in `new/` or `cur/` holds a valid alert with the id, nothing is written. A file named for the
/// id that is not such an alert (empty, truncated, another id) is no proof of delivery: it is replaced.
public struct SpoolWriter: AlertSink {
    /// What ``write(_:)`` did.
    public enum Outcome: Sendable, Hashable {
        /// A new file was published under this name.
        case written(name: String)
        /// A file for the same alert id already existed under this name.
        case alreadyPresent(name: String)
        /// A new file was published under `name`, replacing files named for the id that held no valid
        /// alert with it; `invalid` lists each as `folder/name: reason`.
        case replaced(name: String, invalid: [String])

        /// The name of the file newly published, nil for ``alreadyPresent(name:)``.
        public var publishedName: String? {
            switch self {
            case .written(let name), .replaced(let name, _): name
            case .alreadyPresent: nil
            }
        }
    }

    /// The spool's root directory (holding `tmp`, `new`, `cur`).
    public let directory: String
    /// Whether the spool is shared with the writer's group (see ``init(directory:isShared:now:)``).
    public let isShared: Bool
    private let clock: @Sendable () -> Date
    /// Which alert ids have files, so that a write does not list the spool each time.
    private let names = SpoolNameIndex()

    /// Opens a spool, creating `tmp/`, `new/` and `cur/` when missing, and removes stale `tmp/` files.
    ///
    /// - Parameters:
    ///   - directory: The spool root.
    ///   - isShared: Whether members of the process's group may read alerts and take them: the root and
    ///     `tmp/` get mode 2750, `new/` and `cur/` 2770 (set-group-id, so files keep the group) and
    ///     alert files 0640, whatever the umask. The default is false: modes follow the umask.
    ///   - now: The wall clock used for file names. The default is the system clock.
    /// - Throws: ``SpoolError`` when the directories cannot be created or their modes set.
    public init(directory: String, isShared: Bool = false, now: @escaping @Sendable () -> Date = { Date() }) throws(SpoolError) {
        self.directory = directory
        self.isShared = isShared
        self.clock = now
        for folder in ["", "/tmp", "/new", "/cur"] {
            try SpoolFiles.makeDirectory(directory + folder)
            if isShared {
                try SpoolFiles.setMode(folder == "/new" || folder == "/cur" ? 0o2770 : 0o2750, of: directory + folder)
            }
        }
        SpoolFiles.removeStaleTemporaryFiles(in: directory + "/tmp", olderThan: 3600)
    }

    public func deliver(_ alert: Alert) throws(SpoolError) {
        _ = try write(alert)
    }

    /// Publishes one alert unless a valid file for its id is already in `new/` or `cur/`.
    ///
    /// - Returns: Whether a file was written (or replaced an invalid one), and its name.
    /// - Throws: ``SpoolError`` on an invalid id or a failed system call; nothing is left in `new/`.
    @discardableResult
    public func write(_ alert: Alert) throws(SpoolError) -> Outcome {
        try write(alert, beforeRename: {})
    }

    /// Publishes several alerts with one fsync of `new/`: each is written to `tmp/`, fsynced and renamed into
    /// `new/` as by ``write(_:)``, and `new/` is fsynced once, after the last rename. Treat the alerts as
    /// delivered (print them, commit their plan) only once this returns: before that a power loss may take
    /// back a rename.
    ///
    /// - Returns: The outcome of each alert up to the first failure, in order, and that failure. The alerts
    ///   before it are published (and `new/` fsynced for them); the rest are not written.
    public func write(batch alerts: [Alert]) -> (outcomes: [Outcome], failure: SpoolError?) {
        Self.publication.withLock { _ in
            var outcomes: [Outcome] = []
            var failure: SpoolError?
            for alert in alerts {
                do throws(SpoolError) {
                    guard Self.isValidID(alert.id) else { throw Self.invalidID(alert.id) }
                    outcomes.append(try publish(alert, beforeRename: {}, syncsDirectory: false))
                } catch {
                    failure = error
                    break
                }
            }
            if outcomes.contains(where: { $0.publishedName != nil }) {
                do throws(SpoolError) {
                    try SpoolFiles.syncDirectory(directory + "/new")
                } catch {
                    return ([], error)
                }
            }
            return (outcomes, failure)
        }
    }

    /// Makes the existence check and the publication one step for all writers in this process.
    private static let publication = Mutex(())

    /// The name of the file already holding a valid alert with `alertID`, if any.
    public func existingName(for alertID: String) throws(SpoolError) -> String? {
        try existingFiles(for: alertID).valid
    }

    /// The files in `new/` and `cur/` named for `alertID`: the first holding a valid alert with that id
    /// (or vanished meanwhile: a consumer took it), and the paths of those that do not, with the reason.
    private func existingFiles(for alertID: String) throws(SpoolError) -> (valid: String?, invalid: [(path: String, reason: String)]) {
        // No file named for the id (the usual case for a new alert): no listing, no reading.
        guard try names.mayHaveFiles(for: alertID, in: directory) else { return (nil, []) }
        let suffix = "-\(alertID).json"
        var invalid: [(path: String, reason: String)] = []
        for folder in ["new", "cur"] {
            for name in try SpoolFiles.names(in: directory + "/" + folder) {
                let base = name.split(separator: ":", maxSplits: 1).first.map(String.init) ?? name
                guard base.hasSuffix(suffix) else { continue }
                let path = directory + "/" + folder + "/" + name
                guard let data = FileManager.default.contents(atPath: path) else {
                    if access(path, F_OK) != 0 { return (name, []) }  // moved or deleted by a consumer
                    invalid.append((path, "unreadable"))
                    continue
                }
                do {
                    let stored = try AlertCoding.decode(data)
                    if stored.id == alertID { return (name, []) }
                    invalid.append((path, "holds alert \(stored.id)"))
                } catch {
                    invalid.append((path, data.isEmpty ? "empty" : error.message))
                }
            }
        }
        return (nil, invalid)
    }

    /// `write(_:)` with a hook between the fsynced temporary file and the rename (crash tests).
    func write(_ alert: Alert, beforeRename: () throws -> Void) throws(SpoolError) -> Outcome {
        guard Self.isValidID(alert.id) else { throw Self.invalidID(alert.id) }
        return try Self.publication.withLock { _ throws(SpoolError) in
            try publish(alert, beforeRename: beforeRename, syncsDirectory: true)
        }
    }

    private static func invalidID(_ id: String) -> SpoolError {
        SpoolError(code: .invalidAlertID, message: "alert id \"\(id)\" is not a file-name-safe digest")
    }

    /// Publishes one alert; `syncsDirectory` false leaves the fsync of `new/` to the caller.
    private func publish(_ alert: Alert, beforeRename: () throws -> Void, syncsDirectory: Bool) throws(SpoolError)
        -> Outcome
    {
        let existing = try existingFiles(for: alert.id)
        if let name = existing.valid { return .alreadyPresent(name: name) }
        let json = try AlertCoding.encode(alert) + "\n"
        let millis = Int64((clock().timeIntervalSince1970 * 1000).rounded(.down))
        let name = "\(millis)-\(alert.id).json"
        let temporary = directory + "/tmp/" + name
        let published = directory + "/new/" + name
        try SpoolFiles.writeSynced(Array(json.utf8), to: temporary, mode: isShared ? 0o640 : nil)
        do {
            try beforeRename()
        } catch {
            unlink(temporary)
            throw SpoolError(code: .io, message: "write interrupted: \(error)", path: temporary)
        }
        guard rename(temporary, published) == 0 else {
            let code = errno
            unlink(temporary)
            throw SpoolError.system("rename into new/", path: published, errno: code)
        }
        names.wrote(alert.id, in: directory)
        for file in existing.invalid where file.path != published {
            unlink(file.path)
        }
        if syncsDirectory { try SpoolFiles.syncDirectory(directory + "/new") }
        if existing.invalid.contains(where: { $0.path.hasPrefix(directory + "/cur/") }) {
            try SpoolFiles.syncDirectory(directory + "/cur")
        }
        guard existing.invalid.isEmpty else {
            let prefix = directory + "/"
            return .replaced(name: name, invalid: existing.invalid.map { "\($0.path.dropFirst(prefix.count)): \($0.reason)" })
        }
        return .written(name: name)
    }

    /// Alert ids are digests: letters, digits, `-` and `_` only, 1 to 128 characters.
    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 128
            && id.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D
                    || b == 0x5F
            }
    }
}

/// The alert ids that have files in `new/` or `cur/`, read once and kept while nobody else changes the
/// folders (their modification times tell): a spool of thousands of alerts is listed once, not per write.
final class SpoolNameIndex: Sendable {
    private struct State {
        var ids: Set<String> = []
        var stamps: [timespec] = []
    }

    private let state = Mutex<State?>(nil)

    /// Whether `new/` or `cur/` may hold a file named for `alertID`; lists them again when another
    /// process changed them.
    func mayHaveFiles(for alertID: String, in directory: String) throws(SpoolError) -> Bool {
        let stamps = Self.stamps(directory)
        return try state.withLock { (state: inout State?) throws(SpoolError) -> Bool in
            if state == nil || !Self.equal(state!.stamps, stamps) {
                var fresh = State(stamps: stamps)
                for folder in ["new", "cur"] {
                    for name in try SpoolFiles.names(in: directory + "/" + folder) {
                        if let entry = SpoolEntry(folder: folder, name: name) { fresh.ids.insert(entry.alertID) }
                    }
                }
                state = fresh
            }
            return state!.ids.contains(alertID)
        }
    }

    /// Records a file this writer published (its own change of `new/`).
    func wrote(_ alertID: String, in directory: String) {
        let stamps = Self.stamps(directory)
        state.withLock { state in
            state?.ids.insert(alertID)
            state?.stamps = stamps
        }
    }

    private static func stamps(_ directory: String) -> [timespec] {
        ["new", "cur"].map { folder in
            var info = stat()
            guard stat(directory + "/" + folder, &info) == 0 else { return timespec() }
            return info.st_mtim
        }
    }

    private static func equal(_ a: [timespec], _ b: [timespec]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.tv_sec == $1.tv_sec && $0.tv_nsec == $1.tv_nsec }
    }
}
