import Dedup
import Fetching
import Foundation
import NewsModel
import TOMLKit
import TopicRules

/// Validates feeds.conf key by key, collecting every problem with its position.
struct ConfigurationReader {
    typealias TableKey = ConfigurationSourceMap.TableKey

    private let text: String
    private let fileName: String
    private let map: ConfigurationSourceMap
    private(set) var problems: [ConfigurationProblem] = []
    /// Not errors, but likely mistakes: feeds with the same URL.
    private(set) var warnings: [ConfigurationProblem] = []
    /// Each feed's id, canonical URL and table, for the duplicate check.
    private var feedURLs: [(id: String, url: String, table: TableKey)] = []
    /// The parsed document while ``read()`` runs.
    private var root: TOMLTable?

    static let feedKeys = ConfigurationKeys.feed
    static let defaultKeys = ConfigurationKeys.defaults
    static let topicKeys = ConfigurationKeys.topic
    static let daemonKeys = ConfigurationKeys.daemon
    static let sections = Set(ConfigurationKeys.sections.keys).union(ConfigurationKeys.namedSections)

    init(text: String, fileName: String) {
        self.text = text
        self.fileName = fileName
        self.map = ConfigurationSourceMap(text: text)
    }

    // MARK: Reporting

    private mutating func report(_ message: String, line: Int, column: Int) {
        problems.append(ConfigurationProblem(file: fileName, line: line, column: column, message: message))
    }

    private func tablePosition(_ table: TableKey) -> ConfigurationSourceMap.Position {
        map.header(table) ?? ConfigurationSourceMap.Position(line: 1, column: 1)
    }

    /// Reports at the key (`atValue == false`) or its value; falls back to the table header.
    private mutating func report(_ message: String, table: TableKey, key: String, atValue: Bool = true) {
        if let entry = map.entry(table, key) {
            let p = atValue ? entry.value : entry.key
            report(message, line: p.line, column: p.column)
        } else {
            let p = tablePosition(table)
            report(message, line: p.line, column: p.column)
        }
    }

    private static func describe(_ table: TableKey) -> String {
        switch table.name {
        case "feed", "topic": "[[\(table.name)]]"
        default: "[\(table.name)]"
        }
    }

    // MARK: Reading

    mutating func read() -> MonitorConfiguration {
        // Text that makes toml++ abort instead of reporting it (see TOMLAbortGuard) never reaches it.
        let aborts = TOMLAbortGuard.problems(text)
        guard aborts.isEmpty else {
            for problem in aborts { report(problem.message, line: problem.position.line, column: problem.position.column) }
            return MonitorConfiguration()
        }
        let parsed: TOMLTable
        do {
            parsed = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let at = map.clamped(ConfigurationSourceMap.Position(line: error.source.begin.line, column: error.source.begin.column))
            if let open = TOMLStringCheck.firstUnterminated(text), (open.position.line, open.position.column) <= (at.line, at.column) {
                report("TOML syntax: \(open.message)", line: open.position.line, column: open.position.column)
            } else {
                report("TOML syntax: \(error.description)", line: at.line, column: at.column)
            }
            return MonitorConfiguration()
        } catch {
            report("TOML syntax: \(error)", line: 1, column: 1)
            return MonitorConfiguration()
        }

        // TOMLKit 0.6.0 never frees a document it parsed (TOMLTable has no deinit): emptying it when done
        // frees every value in it, two thirds of what a read of the shipped feeds.conf used to leak (found
        // by scripts/fuzz.sh config; docs/security.md, "Fuzzing").
        root = parsed
        defer {
            parsed.clear()
            root = nil
        }
        for key in parsed.keys where !Self.sections.contains(key) {
            let p = map.header(TableKey(name: key, index: 0)) ?? map.entry(TableKey(name: "", index: 0), key)?.key
                ?? ConfigurationSourceMap.Position(line: 1, column: 1)
            report("unknown section '\(key)': expected [defaults], [[feed]], [define], [[topic]] or [daemon]", line: p.line, column: p.column)
        }

        var configuration = MonitorConfiguration()
        if let value = parsed["defaults"] {
            if let table = value.table {
                configuration.defaults = readFeedSettings(table, key: TableKey(name: "defaults", index: 0), base: configuration.defaults, allowed: Self.defaultKeys)
            } else {
                reportSectionShape("defaults", expected: "a table [defaults]")
            }
        }
        if let value = parsed["daemon"] {
            if let table = value.table {
                configuration.daemon = readDaemon(table)
            } else {
                reportSectionShape("daemon", expected: "a table [daemon]")
            }
        }
        configuration.feeds = readArray("feed") { reader, table, key in
            reader.readFeed(table, key: key, defaults: configuration.defaults)
        }
        var definitions: [RuleDefinition] = []
        if let value = parsed["define"] {
            if let table = value.table {
                definitions = readDefinitions(table)
            } else {
                reportSectionShape("define", expected: "a table [define] of named parts, each written name = '''rule'''")
            }
        }
        configuration.topics = readArray("topic") { reader, table, key in
            reader.readTopic(table, key: key)
        }
        for i in configuration.topics.indices { configuration.topics[i].definitions = definitions }
        checkUnique(configuration.feeds.map(\.id), section: "feed", what: "feed")
        checkDuplicateURLs()
        checkUnique(configuration.topics.map(\.id), section: "topic", what: "topic")
        checkRules(configuration.topics, definitions: definitions)
        return configuration
    }

    /// The named parts of `[define]`, in file order: `name = rule`, used in rules as `@name`.
    private mutating func readDefinitions(_ table: TOMLTable) -> [RuleDefinition] {
        let key = TableKey(name: "define", index: 0)
        var definitions: [RuleDefinition] = []
        for name in table.keys {
            guard let rule = string(table, name, in: key) else { continue }
            guard RuleSet.isPartName(name) else {
                report(
                    "part name '\(name)' must start with a letter and use only letters, digits, '-' and '_'",
                    table: key, key: name, atValue: false
                )
                continue
            }
            let position = map.entry(key, name)?.content
            definitions.append(RuleDefinition(name: name, rule: rule, ruleLine: position?.line, ruleColumn: position?.column))
        }
        return definitions.sorted { ($0.ruleLine ?? 0, $0.ruleColumn ?? 0, $0.name) < ($1.ruleLine ?? 0, $1.ruleColumn ?? 0, $1.name) }
    }

    private mutating func reportSectionShape(_ name: String, expected: String) {
        let p = map.header(TableKey(name: name, index: 0)) ?? map.entry(TableKey(name: "", index: 0), name)?.key
            ?? ConfigurationSourceMap.Position(line: 1, column: 1)
        report("'\(name)' must be \(expected)", line: p.line, column: p.column)
    }

    private mutating func readArray<T>(_ name: String, _ body: (inout ConfigurationReader, TOMLTable, TableKey) -> T?) -> [T] {
        guard let value = root?[name] else { return [] }
        guard let array = value.array else {
            reportSectionShape(name, expected: "an array of tables: write [[\(name)]] for each one")
            return []
        }
        var result: [T] = []
        for index in 0..<array.count {
            let key = TableKey(name: name, index: index)
            guard let table = array[index].table else {
                let p = tablePosition(key)
                report("each '\(name)' must be a table", line: p.line, column: p.column)
                continue
            }
            if let item = body(&self, table, key) { result.append(item) }
        }
        return result
    }

    // MARK: Typed values

    private mutating func checkKeys(_ table: TOMLTable, key tableKey: TableKey, allowed: Set<String>) {
        for key in table.keys where !allowed.contains(key) {
            report(
                "unknown key '\(key)' in \(Self.describe(tableKey)); known keys: \(allowed.sorted().joined(separator: ", "))",
                table: tableKey, key: key, atValue: false
            )
        }
    }

    private mutating func string(_ table: TOMLTable, _ key: String, in tableKey: TableKey) -> String? {
        guard let value = table[key] else { return nil }
        guard let s = value.string else {
            report("'\(key)' must be a string, not \(Self.typeName(value.type))", table: tableKey, key: key)
            return nil
        }
        return s
    }

    private mutating func int(_ table: TOMLTable, _ key: String, in tableKey: TableKey, minimum: Int) -> Int? {
        guard let value = table[key] else { return nil }
        guard let n = value.int else {
            report("'\(key)' must be an integer, not \(Self.typeName(value.type))", table: tableKey, key: key)
            return nil
        }
        guard n >= minimum else {
            report("'\(key)' must be at least \(minimum), not \(n)", table: tableKey, key: key)
            return nil
        }
        return n
    }

    private mutating func bool(_ table: TOMLTable, _ key: String, in tableKey: TableKey) -> Bool? {
        guard let value = table[key] else { return nil }
        guard let b = value.bool else {
            report("'\(key)' must be true or false, not \(Self.typeName(value.type))", table: tableKey, key: key)
            return nil
        }
        return b
    }

    private mutating func duration(_ table: TOMLTable, _ key: String, in tableKey: TableKey, allowZero: Bool) -> Duration? {
        guard let text = string(table, key, in: tableKey) else {
            return nil
        }
        guard let d = ConfigurationValues.duration(text) else {
            report("'\(key)' is not a duration: \"\(text)\" (write e.g. \"90s\", \"10m\", \"24h\", \"90d\")", table: tableKey, key: key)
            return nil
        }
        if !allowZero && d <= .zero {
            report("'\(key)' must be longer than zero", table: tableKey, key: key)
            return nil
        }
        return d
    }

    private static func typeName(_ type: TOMLType) -> String {
        switch type {
        case .table: "a table"
        case .array: "an array"
        case .string: "a string"
        case .int: "an integer"
        case .double: "a number"
        case .bool: "a boolean"
        case .date: "a date"
        case .time: "a time"
        case .dateTime: "a date-time"
        }
    }

    // MARK: Sections

    private mutating func readFeedSettings(_ table: TOMLTable, key tableKey: TableKey, base: FeedSource, allowed: Set<String>) -> FeedSource {
        checkKeys(table, key: tableKey, allowed: allowed)
        var feed = base
        if let d = duration(table, "interval", in: tableKey, allowZero: false) { feed.interval = d }
        if let d = duration(table, "timeout", in: tableKey, allowZero: false) { feed.timeout = d }
        if let value = table["max_bytes"] {
            if let n = value.int {
                if n > 0 { feed.maxBytes = n } else { report("'max_bytes' must be positive, not \(n)", table: tableKey, key: "max_bytes") }
            } else if let text = value.string {
                if let n = ConfigurationValues.size(text), n > 0 {
                    feed.maxBytes = n
                } else {
                    report("'max_bytes' is not a size: \"\(text)\" (write e.g. \"10MB\", \"512KB\" or a number of bytes)", table: tableKey, key: "max_bytes")
                }
            } else {
                report("'max_bytes' must be a size string or an integer, not \(Self.typeName(value.type))", table: tableKey, key: "max_bytes")
            }
        }
        if let text = string(table, "backfill", in: tableKey) {
            if text == "all" {
                feed.backfill = .all
            } else if let d = ConfigurationValues.duration(text) {
                feed.backfill = .window(d)
            } else {
                report("'backfill' must be \"all\" or a duration such as \"24h\" or \"0s\", not \"\(text)\"", table: tableKey, key: "backfill")
            }
        }
        if let lang = string(table, "lang", in: tableKey) {
            if ConfigurationValues.isLanguageTag(lang) {
                feed.language = lang
            } else {
                report("'lang' is not a language tag: \"\(lang)\" (write e.g. \"de\" or \"en-GB\")", table: tableKey, key: "lang")
            }
        }
        if let tz = string(table, "tz", in: tableKey) {
            if TimeZone(identifier: tz) != nil {
                feed.timeZone = tz
            } else {
                report("'tz' is not a known time zone: \"\(tz)\" (write an IANA name such as \"Europe/Berlin\")", table: tableKey, key: "tz")
            }
        }
        if let enabled = bool(table, "enabled", in: tableKey) { feed.isEnabled = enabled }
        return feed
    }

    private mutating func readFeed(_ table: TOMLTable, key tableKey: TableKey, defaults: FeedSource) -> FeedSource? {
        var feed = readFeedSettings(table, key: tableKey, base: defaults, allowed: Self.feedKeys)
        let id = string(table, "id", in: tableKey)
        let url = string(table, "url", in: tableKey)
        if table["id"] == nil { reportMissing("id", in: tableKey) }
        if table["url"] == nil { reportMissing("url", in: tableKey) }
        if let id { checkIdentifier(id, key: "id", in: tableKey) }
        if let url, let message = Self.urlProblem(url) { report(message, table: tableKey, key: "url") }
        guard let id, let url else { return nil }
        feed.id = id
        feed.url = url
        feedURLs.append((id, URLCanonicalizer.canonicalize(url) ?? url, tableKey))
        return feed
    }

    private mutating func readTopic(_ table: TOMLTable, key tableKey: TableKey) -> TopicDefinition? {
        checkKeys(table, key: tableKey, allowed: Self.topicKeys)
        let id = string(table, "id", in: tableKey)
        let title = string(table, "title", in: tableKey)
        let rule = string(table, "rule", in: tableKey)
        if table["id"] == nil { reportMissing("id", in: tableKey) }
        if table["rule"] == nil { reportMissing("rule", in: tableKey) }
        if let id { checkIdentifier(id, key: "id", in: tableKey) }
        guard let id, let rule else { return nil }
        let position = map.entry(tableKey, "rule")?.content
        return TopicDefinition(id: id, title: title ?? id, rule: rule, ruleLine: position?.line, ruleColumn: position?.column)
    }

    private mutating func readDaemon(_ table: TOMLTable) -> DaemonSettings {
        let key = TableKey(name: "daemon", index: 0)
        checkKeys(table, key: key, allowed: Self.daemonKeys)
        var daemon = DaemonSettings()
        if let n = int(table, "max_in_flight", in: key, minimum: 1) { daemon.maxInFlight = n }
        if let n = int(table, "max_per_host", in: key, minimum: 1) { daemon.maxPerHost = n }
        if let d = duration(table, "retention", in: key, allowZero: false) { daemon.retention = d }
        if let d = duration(table, "story_window", in: key, allowZero: false) { daemon.storyWindow = d }
        return daemon
    }

    // MARK: Checks

    private mutating func reportMissing(_ key: String, in tableKey: TableKey) {
        let p = tablePosition(tableKey)
        report("\(Self.describe(tableKey)) needs '\(key)'", line: p.line, column: p.column)
    }

    private mutating func checkIdentifier(_ id: String, key: String, in tableKey: TableKey) {
        let valid = !id.isEmpty && id.unicodeScalars.allSatisfy { s in
            (s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s))) || s == "-" || s == "_" || s == "."
        }
        if !valid {
            report("'\(key)' must be non-empty and use only letters, digits, '-', '_' and '.', not \"\(id)\"", table: tableKey, key: key)
        }
    }

    /// Why a feed URL is unacceptable, or nil.
    static func urlProblem(_ configured: String) -> String? {
        let url = URLCredentials.stripped(configured)  // messages never repeat a password
        guard let components = URLComponents(string: configured), let scheme = components.scheme?.lowercased() else {
            return "'url' is not a valid URL: \"\(url)\""
        }
        switch scheme {
        case "http", "https":
            guard let host = components.host, !host.isEmpty else { return "'url' has no host: \"\(url)\"" }
            if let problem = HTTPFeedFetcher.hostProblem(host: host, port: components.port) {
                return "'url' cannot be fetched: \(problem): \"\(url)\""
            }
            return nil
        case "file":
            return components.path.isEmpty ? "'url' has no path: \"\(url)\"" : nil
        default:
            return "'url' must use http, https or file, not \"\(scheme)\""
        }
    }

    private mutating func checkUnique(_ ids: [String], section: String, what: String) {
        var seen: Set<String> = []
        // `ids` may skip tables that failed; find each id's table again by position.
        guard let array = root?[section]?.array else { return }
        for index in 0..<array.count {
            guard let id = array[index].table?["id"]?.string, ids.contains(id) else { continue }
            if !seen.insert(id).inserted {
                report("duplicate \(what) id \"\(id)\"", table: TableKey(name: section, index: index), key: "id")
            }
        }
    }

    /// Warns at every feed whose URL (canonical form) an earlier feed already has.
    private mutating func checkDuplicateURLs() {
        var first: [String: (id: String, line: Int)] = [:]
        for feed in feedURLs {
            let position = map.entry(feed.table, "url")?.value ?? tablePosition(feed.table)
            if let earlier = first[feed.url] {
                warnings.append(
                    ConfigurationProblem(
                        file: fileName, line: position.line, column: position.column,
                        message: "warning: feed '\(feed.id)' has the same URL as feed '\(earlier.id)' (line \(earlier.line)); "
                            + "it would be polled twice"))
            } else {
                first[feed.url] = (feed.id, position.line)
            }
        }
    }

    /// Compiles the rules; each problem points into the topic's rule or into the part (`[define]`) it lies in.
    private mutating func checkRules(_ topics: [TopicDefinition], definitions: [RuleDefinition]) {
        do {
            _ = try CompiledRules.compile(topics, definitions: definitions)
        } catch {
            func position(_ problem: RuleProblem, ruleLine: Int?, ruleColumn: Int?) -> ConfigurationSourceMap.Position {
                map.filePosition(
                    of: ConfigurationSourceMap.Position(line: problem.line, column: problem.column),
                    inStringAt: ConfigurationSourceMap.Position(line: ruleLine ?? 1, column: ruleColumn ?? 1))
            }
            for problem in error.problems {
                if let name = problem.part, let part = definitions.first(where: { $0.name == name }) {
                    let at = position(problem, ruleLine: part.ruleLine, ruleColumn: part.ruleColumn)
                    report("[define] '\(name)': \(problem.message)", line: at.line, column: at.column)
                } else if let topic = topics.first(where: { $0.id == problem.topicID }) {
                    let at = position(problem, ruleLine: topic.ruleLine, ruleColumn: topic.ruleColumn)
                    report("topic '\(topic.id)': rule: \(problem.message)", line: at.line, column: at.column)
                }
            }
        }
    }
}
