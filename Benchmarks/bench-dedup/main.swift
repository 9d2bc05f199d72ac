// bench-dedup: the cost of dedup per new item against an empty store and against a store that
// already holds many seen items. Run: swift run -c release bench-dedup [--seed N] [--new N] [--batch N]
import Dedup
import Foundation
import NewsModel

struct Options {
    var seedItems = 1_000_000
    var newItems = 100_000
    var batch = 50
    var feeds = 100
    var directory: String?

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            let value = iterator.next()
            switch argument {
            case "--seed": seedItems = value.flatMap(Int.init) ?? seedItems
            case "--new": newItems = value.flatMap(Int.init) ?? newItems
            case "--batch": batch = value.flatMap(Int.init) ?? batch
            case "--feeds": feeds = value.flatMap(Int.init) ?? feeds
            case "--dir": directory = value
            default:
                FileHandle.standardError.write(Data("usage: bench-dedup [--seed N] [--new N] [--batch N] [--feeds N] [--dir DIR]\n".utf8))
                exit(2)
            }
        }
    }
}

/// Deterministic pseudo-random numbers (splitmix64), so every run sees the same items.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// News-like items: Zipf-ish words from a synthetic German/English vocabulary, unique ids and links.
struct ItemGenerator {
    var random: SplitMix
    let vocabulary: [String]
    let prefix: String

    init(seed: UInt64, prefix: String) {
        random = SplitMix(state: seed)
        self.prefix = prefix
        var vocabularyRandom = SplitMix(state: 42)
        let syllables = ["ber", "lin", "nato", "russ", "land", "rat", "trup", "pen", "grenz", "ukra", "ine", "mos",
                         "kau", "bruss", "sel", "gen", "f", "wa", "shing", "ton", "tal", "ks", "mi", "li", "tär",
                         "sank", "tion", "en", "kanz", "ler", "mini", "ster", "de", "fen", "ce", "se", "cu", "ri", "ty"]
        vocabulary = (0..<30_000).map { _ in
            (0..<Int.random(in: 2...4, using: &vocabularyRandom)).map { _ in
                syllables.randomElement(using: &vocabularyRandom)!
            }.joined()
        }
    }

    private mutating func word() -> String {
        let u = Double.random(in: 0..<1, using: &random)
        return vocabulary[Int(u * u * u * Double(vocabulary.count))]
    }

    mutating func entry(number: Int, published: Date) -> FeedEntry {
        let title = (0..<Int.random(in: 5...9, using: &random)).map { _ in word() }.joined(separator: " ")
        let summary = (0..<Int.random(in: 18...30, using: &random)).map { _ in word() }.joined(separator: " ") + "."
        let link = "https://news\(number % 37).example/\(prefix)/2022/\(number)/artikel.html?utm_source=rss"
        return FeedEntry(
            title: title, link: link, id: "\(prefix)-\(number)", published: published, summary: summary,
            text: ItemText(title: title, summary: summary))
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func fileSize(_ path: String) -> Int64 {
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    return (attributes?[.size] as? NSNumber)?.int64Value ?? 0
}

func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

let options = Options(CommandLine.arguments)
let now = Date(timeIntervalSince1970: 1_641_981_600)  // 2022-01-12T10:00:00Z
let feeds = (0..<options.feeds).map { FeedSource(id: "feed-\($0)", url: "https://feed\($0).example/rss", backfill: .all) }
let clock = ContinuousClock()

#if DEBUG
print("warning: bench-dedup is a debug build; use swift run -c release bench-dedup")
#endif

let directory = options.directory.map { URL(fileURLWithPath: $0) }
    ?? FileManager.default.temporaryDirectory.appendingPathComponent("bench-dedup-\(getpid())")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { if options.directory == nil { try? FileManager.default.removeItem(at: directory) } }

/// The measured workload: `newItems` unseen items in documents of `batch` entries, 5 % matching a topic.
func makeNewDocuments() -> [(FeedSource, [FeedEntry], [[String]])] {
    var generator = ItemGenerator(seed: 7, prefix: "new")
    var documents: [(FeedSource, [FeedEntry], [[String]])] = []
    var number = 0
    while number < options.newItems {
        let count = min(options.batch, options.newItems - number)
        let entries = (0..<count).map { i in
            generator.entry(number: number + i, published: now.addingTimeInterval(-Double((number + i) % 7200)))
        }
        let topics = (0..<count).map { i in (number + i) % 20 == 0 ? ["nato-russia-council"] : [] }
        documents.append((feeds[(number / options.batch) % feeds.count], entries, topics))
        number += count
    }
    return documents
}

/// Runs the workload through plan + commit; returns seconds and alerts raised.
func measure(_ store: DedupStore, _ documents: [(FeedSource, [FeedEntry], [[String]])]) throws -> (Double, Int) {
    var alerts = 0
    var newItems = 0
    let elapsed = try clock.measure {
        for (feed, entries, topics) in documents {
            let plan = try store.plan(feed: feed, entries: entries, topics: topics, now: now)
            alerts += plan.alerts.count
            newItems += plan.items(.new).count
            try store.commit(plan)
        }
    }
    precondition(newItems == options.newItems, "every measured item must be new, got \(newItems)")
    return (seconds(elapsed), alerts)
}

let documents = makeNewDocuments()
print("bench-dedup: \(options.newItems) new items in documents of \(options.batch), \(feeds.count) feeds")

// 1. Against an empty store (feeds already polled once, so no backfill rules apply).
let emptyPath = directory.appendingPathComponent("empty.sqlite").path
let empty = try DedupStore(path: emptyPath)
for feed in feeds { try empty.commit(try empty.plan(feed: feed, entries: [], topics: [], now: now.addingTimeInterval(-86_400))) }
let (emptySeconds, emptyAlerts) = try measure(empty, documents)
empty.close()

// 2. Seed a second store with `seedItems` seen items spread over the last 85 days, in big transactions.
let bigPath = directory.appendingPathComponent("big.sqlite").path
let big = try DedupStore(path: bigPath)
var seedGenerator = ItemGenerator(seed: 1, prefix: "seed")
let seedBatch = 2_000
let polls = (options.seedItems + seedBatch - 1) / seedBatch
let seedElapsed = try clock.measure {
    for poll in 0..<polls {
        let pollTime = now.addingTimeInterval(-85 * 86_400 + Double(poll) * 85 * 86_400 / Double(max(polls, 1)))
        let count = min(seedBatch, options.seedItems - poll * seedBatch)
        let entries = (0..<count).map { i in
            seedGenerator.entry(number: poll * seedBatch + i, published: pollTime.addingTimeInterval(-Double(i % 3600)))
        }
        let topics = (0..<count).map { i in i % 20 == 0 ? ["nato-russia-council"] : [] }
        try big.commit(try big.plan(feed: feeds[poll % feeds.count], entries: entries, topics: topics, now: pollTime))
    }
}
let seeded = try big.statistics()
print(String(format: "seeded %d seen items, %d stories, %d alerts in %.1f s (%.0f items/s)",
             seeded.seenItems, seeded.stories, seeded.alerts, seconds(seedElapsed),
             Double(seeded.seenItems) / seconds(seedElapsed)))

let (bigSeconds, bigAlerts) = try measure(big, documents)
big.close()

let emptyMicros = emptySeconds / Double(options.newItems) * 1e6
let bigMicros = bigSeconds / Double(options.newItems) * 1e6
let size = fileSize(bigPath) + fileSize(bigPath + "-wal")
print(String(format: "empty store:      %8.1f µs per new item (%.2f s, %d alerts)", emptyMicros, emptySeconds, emptyAlerts))
print(String(format: "%d-item store: %8.1f µs per new item (%.2f s, %d alerts)", seeded.seenItems, bigMicros, bigSeconds, bigAlerts))
print(String(format: "ratio:            %8.2f× (target ≤ 2×)", bigMicros / emptyMicros))
print(String(format: "store on disk:    %8.1f MiB (%d seen items), %.0f bytes per item",
             Double(size) / 1_048_576, seeded.seenItems + options.newItems,
             Double(size) / Double(seeded.seenItems + options.newItems)))
print(String(format: "peak RSS:         %8.1f MiB", peakRSSMiB()))
