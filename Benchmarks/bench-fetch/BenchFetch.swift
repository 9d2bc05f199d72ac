// bench-fetch: fetch N generated feeds from a loopback server cold, then again conditionally (all 304),
// and print wall time, CPU seconds and peak RSS for both rounds.
//
// Run: swift run -c release bench-fetch [--feeds 100] [--items 30] [--global 8] [--per-host 8]
//
// The server is scripts/testserver.py on 127.0.0.1 (a separate process: its CPU is not counted).
// The cold round parses every body with FeedParser; the conditional round parses only what is not a 304,
// and its parse counter must stay 0.
import FeedParsing
import Fetching
import Foundation
import Logging
import NewsModel
import Synchronization

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

struct Options {
    var feeds = 100
    var items = 30
    var global = FetchConfiguration().maxConcurrentFetches
    var perHost = FetchConfiguration().maxConcurrentFetches  // one loopback host stands in for many

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            let value = iterator.next().flatMap(Int.init)
            switch (argument, value) {
            case ("--feeds", let n?) where n > 0: feeds = n
            case ("--items", let n?) where n > 0: items = n
            case ("--global", let n?) where n > 0: global = n
            case ("--per-host", let n?) where n > 0: perHost = n
            default:
                let usage = "usage: bench-fetch [--feeds N] [--items N] [--global N] [--per-host N]\n"
                FileHandle.standardError.write(Data(usage.utf8))
                exit(2)
            }
        }
    }
}

/// A generated RSS 2.0 feed with German and English news-like items.
func makeFeed(index: Int, items: Int) -> String {
    let places = ["Brüssel", "Kiew", "Moskau", "Berlin", "Washington", "Warschau", "Riga", "Wien"]
    let topics = ["Truppenbewegungen", "Gespräche im NATO-Russland-Rat", "Sanktionen", "Energiepreise",
                  "Haushaltsstreit", "Wahlkampf", "Hochwasser", "Bahnstreik"]
    var xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Testfeed \(index)</title><link>https://feed\(index).example/</link>
        <description>Generated feed \(index) for bench-fetch</description><language>de</language>

        """
    for item in 0..<items {
        let place = places[(index + item) % places.count]
        let topic = topics[(index * 3 + item) % topics.count]
        xml += """
            <item><title>\(place): neue Meldung \(item) zu \(topic)</title>
            <link>https://feed\(index).example/artikel/\(item)</link>
            <guid isPermaLink="false">feed\(index)-\(item)</guid>
            <pubDate>Wed, 12 Jan 2022 \(String(format: "%02d", item % 24)):15:03 +0100</pubDate>
            <description><![CDATA[<p>\(place) (dpa) – Bericht \(item) über \(topic). Diplomaten sprechen von einer \
            schwierigen Lage; the talks continue next week, officials said, while observers expect no quick result \
            in feed \(index).</p>]]></description></item>

            """
    }
    return xml + "</channel></rss>\n"
}

struct Usage {
    var cpuSeconds: Double
    var peakRSSKiB: Int

    static func now() -> Usage {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        return Usage(cpuSeconds: cpu, peakRSSKiB: peakRSS() ?? usage.ru_maxrss)
    }

    /// VmHWM from /proc/self/status: the peak since start or since ``resetPeak()``.
    static func peakRSS() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }

    /// Resets VmHWM to the current RSS (Linux: write 5 to /proc/self/clear_refs). Returns false if unsupported.
    static func resetPeak() -> Bool {
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return write(fd, "5", 1) == 1
    }
}

/// The loopback server process.
final class Server {
    let process = Process()
    let stdinPipe = Pipe()
    let port: Int

    init(root: URL) throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let script = repository.appendingPathComponent("scripts/testserver.py").path
        let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : nil
        process.executableURL = URL(fileURLWithPath: python ?? "/usr/bin/env")
        process.arguments = (python == nil ? ["python3"] : []) + [script, "--root", root.path]
        let stdoutPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        try process.run()
        var bytes: [UInt8] = []
        while !bytes.contains(UInt8(ascii: "\n")) {
            let chunk = stdoutPipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            bytes += chunk
        }
        let line = String(decoding: bytes, as: UTF8.self)
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw CocoaError(.fileReadUnknown) }
        self.port = port
    }

    func stop() {
        try? stdinPipe.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }
}

struct FeedSummary: Sendable {
    var index: Int
    var outcome: String
    var bytes: Int
    var parsedEntries: Int?  // nil: not parsed
    var etag: String?
    var lastModified: String?
}

final class SummaryBox: Sendable {
    private let slots: Mutex<[FeedSummary?]>
    init(count: Int) { slots = Mutex([FeedSummary?](repeating: nil, count: count)) }
    func store(_ summary: FeedSummary) { slots.withLock { $0[summary.index] = summary } }
    var all: [FeedSummary] { slots.withLock { $0.map { $0! } } }
}

struct RoundReport {
    var name: String
    var wall: Duration
    var cpuSeconds: Double
    var peakRSSKiB: Int
    var summaries: [FeedSummary]

    var line: String {
        let count = { (label: String) in summaries.filter { $0.outcome == label }.count }
        let other = summaries.count - count("content") - count("not-modified")
        let bytes = summaries.reduce(0) { $0 + $1.bytes }
        let parsed = summaries.filter { $0.parsedEntries != nil }.count
        let entries = summaries.reduce(0) { $0 + ($1.parsedEntries ?? 0) }
        let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        return String(
            format: "%@ %7.3f %8.3f %12.1f %6d %6d %6d %10d %7d %8d",
            name.padding(toLength: 12, withPad: " ", startingAt: 0), wallSeconds, cpuSeconds,
            Double(peakRSSKiB) / 1024, count("content"), count("not-modified"), other, bytes, parsed, entries)
    }
}

func runRound(
    name: String, fetcher: HTTPFeedFetcher, requests: [FetchRequest], logger: Logger
) async -> RoundReport {
    let peakReset = Usage.resetPeak()
    let before = Usage.now()
    let clock = ContinuousClock()
    let start = clock.now
    // Children return nothing and record into a locked box: with Swift 6.3.1 -c release, child tasks that
    // return a struct holding Strings crashed in the runtime's result copy (even with the fetch stubbed out).
    let box = SummaryBox(count: requests.count)
    await withTaskGroup(of: Void.self) { group in
        for (index, request) in requests.enumerated() {
            group.addTask {
                let result = await fetcher.fetch(request, logger: logger)
                var summary = FeedSummary(index: index, outcome: result.outcome.label, bytes: result.bytesReceived)
                if case .content(let body, let charset, let etag, let lastModified) = result.outcome {
                    summary.etag = etag
                    summary.lastModified = lastModified
                    let document = try? FeedParser().parse(body, url: result.finalURL.absoluteString, charset: charset)
                    summary.parsedEntries = document?.entries.count ?? 0
                }
                box.store(summary)
            }
        }
    }
    let summaries = box.all
    let wall = clock.now - start
    let after = Usage.now()
    return RoundReport(
        name: name, wall: wall, cpuSeconds: after.cpuSeconds - before.cpuSeconds,
        peakRSSKiB: peakReset ? after.peakRSSKiB : max(after.peakRSSKiB, before.peakRSSKiB), summaries: summaries)
}

@main
enum BenchFetch {
    static func main() async throws {
        let options = Options(CommandLine.arguments)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-fetch-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var totalBytes = 0
        for index in 0..<options.feeds {
            let data = Data(makeFeed(index: index, items: options.items).utf8)
            totalBytes += data.count
            try data.write(to: directory.appendingPathComponent("feed\(index).xml"))
        }
        let server = try Server(root: directory)
        defer { server.stop() }

        let logger = Logger(label: "bench-fetch", factory: { _ in SwiftLogNoOpLogHandler() })
        let configuration = FetchConfiguration(
            userAgent: FetchConfiguration.userAgent(version: "bench"), maxConcurrentFetches: options.global,
            maxConcurrentFetchesPerHost: options.perHost)
        print(
            "bench-fetch: \(options.feeds) feeds × \(options.items) items (\(totalBytes / options.feeds) B each, "
                + "\(totalBytes) B in all) from 127.0.0.1:\(server.port); limits \(options.global) global, "
                + "\(options.perHost) per host")
        let coldRequests = (0..<options.feeds).map {
            FetchRequest(feedID: "feed\($0)", url: URL(string: "http://127.0.0.1:\(server.port)/feed\($0).xml")!)
        }
        let (cold, conditional) = await withHTTPFeedFetcher(configuration: configuration) { fetcher in
            let cold = await runRound(name: "cold", fetcher: fetcher, requests: coldRequests, logger: logger)
            let conditionalRequests = zip(coldRequests, cold.summaries).map { request, summary in
                var request = request
                request.etag = summary.etag
                request.lastModified = summary.lastModified
                return request
            }
            let conditional = await runRound(
                name: "conditional", fetcher: fetcher, requests: conditionalRequests, logger: logger)
            return (cold, conditional)
        }
        print("round          wall s    cpu s  peak RSS MB    200    304  other      bytes  parsed  entries")
        print(cold.line)
        print(conditional.line)
        let conditionalParses = conditional.summaries.filter { $0.parsedEntries != nil }.count
        print("conditional round parse counter: \(conditionalParses) (must be 0)")
        if !Usage.resetPeak() { print("note: /proc/self/clear_refs unavailable: peak RSS is the process peak so far") }
        let failures = cold.summaries.filter { $0.outcome != "content" }.count
            + conditional.summaries.filter { $0.outcome != "not-modified" }.count
        if failures > 0 || conditionalParses > 0 {
            print(
                "bench-fetch: FAILED (\(failures) unexpected outcomes, "
                    + "\(conditionalParses) parses in the conditional round)")
            exit(1)
        }
    }
}
