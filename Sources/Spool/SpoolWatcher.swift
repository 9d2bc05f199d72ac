#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Dispatch
public import NewsModel

/// Follows a spool with inotify: every alert published into `new/` or moved into `cur/` after
/// ``follow(filter:)`` started, each alert id once.
public struct SpoolWatcher: Sendable {
    /// The spool being followed.
    public let reader: SpoolReader

    public init(directory: String) {
        self.reader = SpoolReader(directory: directory)
    }

    /// Alerts passing `filter` as they appear, in the order their files appear.
    ///
    /// The watch is in place before this returns, so nothing published afterwards is missed.
    /// Alert ids in `skipping` (typically everything already printed) are never yielded. On an
    /// inotify queue overflow the spool is rescanned.
    ///
    /// - Throws: ``SpoolError`` with code ``SpoolError/Code/watch`` when inotify is unavailable.
    /// - Parameter unreadable: Told about each file that is not an alert (it is skipped).
    public func follow(
        filter: AlertFilter, skipping: Set<String>, unreadable: @escaping @Sendable (SpoolError) -> Void = { _ in }
    ) throws(SpoolError) -> AsyncStream<Alert> {
        let reader = self.reader
        for folder in ["", "/tmp", "/new", "/cur"] { try SpoolFiles.makeDirectory(reader.directory + folder) }
        let events = try InotifyStream(directories: ["new", "cur"].map { reader.directory + "/" + $0 })
        return Self.follow(reader: reader, events: events.stream, filter: filter, skipping: skipping, unreadable: unreadable) {
            events.cancel()
        }
    }

    /// The follower's logic over any event source (tests feed it events directly).
    static func follow(
        reader: SpoolReader, events: AsyncStream<InotifyStream.Event>, filter: AlertFilter, skipping: Set<String>,
        unreadable: @escaping @Sendable (SpoolError) -> Void = { _ in },
        onTermination: @escaping @Sendable () -> Void = {}
    ) -> AsyncStream<Alert> {
        let (stream, continuation) = AsyncStream.makeStream(of: Alert.self)
        let task = Task {
            var seen = skipping
            func offer(_ entry: SpoolEntry) {
                guard !seen.contains(entry.alertID) else { return }
                let alert: Alert
                do {
                    alert = try reader.alert(at: entry)
                } catch {
                    // Gone (moved on to cur/ before we read it) is normal; not an alert is worth a word, once.
                    if error.code == .decoding {
                        seen.insert(entry.alertID)
                        unreadable(error)
                    }
                    return
                }
                seen.insert(entry.alertID)
                if filter.accepts(alert) { continuation.yield(alert) }
            }
            for await event in events {
                switch event {
                case .overflow:
                    // Events were lost: rescan everything, in publication order.
                    for entry in (try? reader.entries()) ?? [] { offer(entry) }
                case .file(let folder, let name):
                    guard let entry = SpoolEntry(folder: folder, name: name) else { continue }
                    offer(entry)
                    // A consumer may have moved it on before we read it.
                    if !seen.contains(entry.alertID), let moved = SpoolEntry(folder: "cur", name: name) {
                        offer(moved)
                    }
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in
            task.cancel()
            onTermination()
        }
        return stream
    }
}

/// An inotify instance watching directories for `IN_MOVED_TO` and `IN_CLOSE_WRITE`.
final class InotifyStream: Sendable {
    enum Event: Sendable {
        case file(folder: String, name: String)
        case overflow
    }

    let stream: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation
    nonisolated(unsafe) private let source: any DispatchSourceRead

    init(directories: [String]) throws(SpoolError) {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw SpoolError(code: .watch, message: "inotify_init1 failed", errno: errno) }
        var folders: [Int32: String] = [:]
        for directory in directories {
            let wd = inotify_add_watch(fd, directory, UInt32(IN_MOVED_TO | IN_CLOSE_WRITE))
            guard wd >= 0 else {
                let code = errno
                close(fd)
                throw SpoolError(code: .watch, message: "inotify_add_watch failed", path: directory, errno: code)
            }
            folders[wd] = String(directory.split(separator: "/").last ?? "")
        }
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
        self.stream = stream
        self.continuation = continuation
        let watched = folders
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: DispatchQueue(label: "newsmon.inotify"))
        source.setEventHandler {
            let capacity = 64 * 1024
            let buffer = UnsafeMutableRawPointer.allocate(
                byteCount: capacity, alignment: MemoryLayout<inotify_event>.alignment)
            defer { buffer.deallocate() }
            while true {
                let n = read(fd, buffer, capacity)
                if n <= 0 { break }
                var offset = 0
                while offset < n {
                    let event = buffer.load(fromByteOffset: offset, as: inotify_event.self)
                    let namePointer = (buffer + offset + MemoryLayout<inotify_event>.size)
                        .assumingMemoryBound(to: CChar.self)
                    if event.mask & UInt32(IN_Q_OVERFLOW) != 0 {
                        continuation.yield(.overflow)
                    } else if event.len > 0, let folder = watched[event.wd] {
                        continuation.yield(.file(folder: folder, name: String(cString: namePointer)))
                    }
                    offset += MemoryLayout<inotify_event>.size + Int(event.len)
                }
            }
        }
        source.setCancelHandler { close(fd) }
        self.source = source
        source.resume()
    }

    func cancel() {
        source.cancel()
        continuation.finish()
    }
}
