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

    /// Publishes several alerts with one sync of their files and one fsync of `new/`: each new alert is
    /// written to `tmp/`; then the files are made durable together (``SpoolFiles/syncTogether(_:in:)``: one
    /// `syncfs` for two or more, an fsync for one), renamed into `new/` in order, and `new/` is fsynced once.
    /// So, as with ``write(_:)``, no file reaches `new/` before its content is on disk, and a crash leaves at
    /// most stray files in `tmp/`. Treat the alerts as delivered (print them, commit their plan) only once
    /// this returns: before that a power loss may take back a rename. An id given twice is written once.
    ///
    /// - Returns: The outcome of each alert up to the first failure, in order, and that failure. The alerts
    ///   before it are published (and `new/` fsynced for them); the rest are not written.
    public func write(batch alerts: [Alert]) -> (outcomes: [Outcome], failure: SpoolError?) {
        Self.publication.withLock { _ in
            var outcomes: [Outcome] = []
            var staged: [(index: Int, file: StagedFile)] = []
            var failure: SpoolError?
            var batchNames: [String: String] = [:]
            for alert in alerts {
                do throws(SpoolError) {
                    guard Self.isValidID(alert.id) else { throw Self.invalidID(alert.id) }
                    if let name = batchNames[alert.id] {
                        outcomes.append(.alreadyPresent(name: name))
                        continue
                    }
                    let existing = try existingFiles(for: alert.id)
                    if let name = existing.valid {
                        outcomes.append(.alreadyPresent(name: name))
                        continue
                    }
                    let file = try stage(alert, replacing: existing.invalid)
                    batchNames[alert.id] = file.name
                    staged.append((outcomes.count, file))
                    outcomes.append(.written(name: file.name))  // settled below, once renamed
                } catch {
                    failure = error
                    break
                }
            }
            do throws(SpoolError) {
                try SpoolFiles.syncTogether(staged.map { directory + "/tmp/" + $0.file.name }, in: directory + "/tmp")
            } catch {
                for (_, file) in staged { unlink(directory + "/tmp/" + file.name) }
                return ([], error)
            }
            var published = 0
            for (index, file) in staged {
                do throws(SpoolError) {
                    outcomes[index] = try finish(file, alertID: alerts[index].id)
                    published += 1
                } catch {
                    for (_, rest) in staged.dropFirst(published) { unlink(directory + "/tmp/" + rest.name) }
                    outcomes.removeSubrange(index...)
                    failure = error
                    break
                }
            }
            if published > 0 {
                do throws(SpoolError) {
                    try SpoolFiles.syncDirectory(directory + "/new")
                } catch {
                    return ([], error)
                }
            }
            return (outcomes, failure)
        }
    }

    /// An alert written to `tmp/`, not yet synced or renamed, and the invalid files it replaces.
    private struct StagedFile {
        var name: String
        var invalid: [(path: String, reason: String)]
    }

    /// Writes an alert's file to `tmp/` without syncing it.
    private func stage(_ alert: Alert, replacing invalid: [(path: String, reason: String)]) throws(SpoolError) -> StagedFile {
        let json = try AlertCoding.encode(alert) + "\n"
        let millis = Int64((clock().timeIntervalSince1970 * 1000).rounded(.down))
        let name = "\(millis)-\(alert.id).json"
        try SpoolFiles.write(Array(json.utf8), to: directory + "/tmp/" + name, mode: isShared ? 0o640 : nil, synced: false)
        return StagedFile(name: name, invalid: invalid)
    }

    /// Renames a synced staged file into `new/` and removes the invalid files it replaces (`new/` is the caller's to fsync).
    private func finish(_ file: StagedFile, alertID: String) throws(SpoolError) -> Outcome {
        let temporary = directory + "/tmp/" + file.name
        let published = directory + "/new/" + file.name
        guard rename(temporary, published) == 0 else {
            let code = errno
            unlink(temporary)
            throw SpoolError.system("rename into new/", path: published, errno: code)
        }
        names.wrote(alertID, in: directory)
        removeReplaced(file.invalid, publishedAs: file.name)
        return try outcome(publishedAs: file.name, replacing: file.invalid)
    }

    /// Removes the invalid files a new file replaced (before `new/` is fsynced, so that their removal is durable too).
    private func removeReplaced(_ invalid: [(path: String, reason: String)], publishedAs name: String) {
        let published = directory + "/new/" + name
        for file in invalid where file.path != published {
            unlink(file.path)
        }
    }

    /// What publishing `name` did; fsyncs `cur/` when a replaced file was removed from there.
    private func outcome(publishedAs name: String, replacing invalid: [(path: String, reason: String)]) throws(SpoolError) -> Outcome {
        if invalid.contains(where: { $0.path.hasPrefix(directory + "/cur/") }) {
            try SpoolFiles.syncDirectory(directory + "/cur")
        }
        guard invalid.isEmpty else {
            let prefix = directory + "/"
            return .replaced(name: name, invalid: invalid.map { "\($0.path.dropFirst(prefix.count)): \($0.reason)" })
        }
        return .written(name: name)
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
            try publish(alert, beforeRename: beforeRename)
        }
    }

    private static func invalidID(_ id: String) -> SpoolError {
        SpoolError(code: .invalidAlertID, message: "alert id \"\(id)\" is not a file-name-safe digest")
    }

    /// Publishes one alert: tmp/ file fsynced, renamed into new/, new/ fsynced.
    private func publish(_ alert: Alert, beforeRename: () throws -> Void) throws(SpoolError) -> Outcome {
        let existing = try existingFiles(for: alert.id)
        if let name = existing.valid { return .alreadyPresent(name: name) }
        let json = try AlertCoding.encode(alert) + "\n"
        let millis = Int64((clock().timeIntervalSince1970 * 1000).rounded(.down))
        let name = "\(millis)-\(alert.id).json"
        let temporary = directory + "/tmp/" + name
        let published = directory + "/new/" + name
        try SpoolFiles.write(Array(json.utf8), to: temporary, mode: isShared ? 0o640 : nil, synced: true)
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
        removeReplaced(existing.invalid, publishedAs: name)
        try SpoolFiles.syncDirectory(directory + "/new")
        return try outcome(publishedAs: name, replacing: existing.invalid)
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
