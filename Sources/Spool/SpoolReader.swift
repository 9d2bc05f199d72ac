public import Foundation
public import NewsModel

/// One alert file in the spool.
public struct SpoolEntry: Sendable, Hashable {
    /// `new` or `cur`.
    public var folder: String
    /// The file name, `<unix-ms>-<alert id>.json` plus any maildir flags a consumer added.
    public var name: String
    /// The alert id taken from the name.
    public var alertID: String
    /// When the file was published (the name's prefix), in milliseconds since 1970.
    public var millis: Int64

    /// Parses a spool file name; nil for names the spool did not write.
    public init?(folder: String, name: String) {
        let base = name.split(separator: ":", maxSplits: 1).first.map(String.init) ?? name
        guard base.hasSuffix(".json"), let dash = base.firstIndex(of: "-"),
            let millis = Int64(base[..<dash])
        else { return nil }
        let id = base[base.index(after: dash)..<base.index(base.endIndex, offsetBy: -5)]
        guard !id.isEmpty else { return nil }
        self.folder = folder
        self.name = name
        self.alertID = String(id)
        self.millis = millis
    }
}

/// Which alerts `newsmon tail` shows.
public struct AlertFilter: Sendable, Hashable {
    /// Only this topic id. The default is every topic.
    public var topic: String?
    /// Only alerts detected at or after this time. The default is no limit.
    public var since: Date?

    public init(topic: String? = nil, since: Date? = nil) {
        self.topic = topic
        self.since = since
    }

    /// Whether `alert` passes the filter.
    public func accepts(_ alert: Alert) -> Bool {
        if let topic, alert.topic != topic { return false }
        if let since, alert.detectedAt < since { return false }
        return true
    }
}

/// Reads alerts from a spool's `new/` and `cur/` in publication order.
public struct SpoolReader: Sendable {
    /// The spool root.
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// Every alert file in `new/` and `cur/`, oldest first; missing folders count as empty.
    ///
    /// - Throws: ``SpoolError`` when a folder exists but cannot be read.
    public func entries() throws(SpoolError) -> [SpoolEntry] {
        var result: [SpoolEntry] = []
        for folder in ["new", "cur"] {
            let path = directory + "/" + folder
            guard FileManager.default.fileExists(atPath: path) else { continue }
            for name in try SpoolFiles.names(in: path) {
                if let entry = SpoolEntry(folder: folder, name: name) { result.append(entry) }
            }
        }
        return result.sorted { ($0.millis, $0.name) < ($1.millis, $1.name) }
    }

    /// Reads and decodes one entry.
    ///
    /// - Throws: ``SpoolError`` when the file is gone or not a schema-1 alert.
    public func alert(at entry: SpoolEntry) throws(SpoolError) -> Alert {
        let path = directory + "/" + entry.folder + "/" + entry.name
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SpoolError(code: .io, message: "cannot read alert file", path: path)
        }
        return try AlertCoding.decode(data, path: path)
    }

    /// The alerts passing `filter`, oldest first; with `limit`, only the last `limit` of them.
    /// Files that vanish while reading are skipped; files that are not alerts are skipped and
    /// passed to `unreadable` (with a ``SpoolError/Code/decoding`` error naming the file).
    public func alerts(
        filter: AlertFilter = AlertFilter(), limit: Int? = nil, unreadable: (SpoolError) -> Void = { _ in }
    ) throws(SpoolError) -> [Alert] {
        var alerts: [Alert] = []
        for entry in try entries() {
            let alert: Alert
            do {
                alert = try self.alert(at: entry)
            } catch {
                if error.code == .decoding { unreadable(error) }
                continue
            }
            if filter.accepts(alert) { alerts.append(alert) }
        }
        if let limit { return Array(alerts.suffix(max(0, limit))) }
        return alerts
    }
}
