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
    /// A seeded store to copy instead of seeding (made by an earlier run with the same `--seed` when missing).
    var seededStore: String?

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
            case "--seeded": seededStore = value
            default:
                FileHandle.standardError.write(Data("usage: bench-dedup [--seed N] [--new N] [--batch N] [--feeds N] [--dir DIR] [--seeded FILE]\n".utf8))
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

    /// Zipf-distributed (s = 1, log-uniform rank) content words; the 50 most frequent ranks, which
    /// would be stop words, are skipped.
    private mutating func word() -> String {
        let u = Double.random(in: 0..<1, using: &random)
        let rank = Int(exp(u * log(Double(vocabulary.count + 50)))) - 50
        return vocabulary[max(0, min(vocabulary.count - 1, rank))]
    }

    /// Title and summary as lower-case words (what the normalizer would produce for them).
    mutating func text() -> (title: String, summary: String) {
        let title = (0..<Int.random(in: 5...9, using: &random)).map { _ in word() }.joined(separator: " ")
        let summary = (0..<Int.random(in: 18...30, using: &random)).map { _ in word() }.joined(separator: " ")
        return (title, summary)
    }

    func link(_ number: Int) -> String {
        "https://news\(number % 37).example/\(prefix)/2022/\(number)/artikel.html?utm_source=rss"
    }

    mutating func entry(number: Int, published: Date, text: (title: String, summary: String)? = nil) -> FeedEntry {
        let (title, summary) = text ?? self.text()
        return FeedEntry(
            title: title, link: link(number), id: "\(prefix)-\(number)", published: published, summary: summary,
            text: ItemText(title: title, summary: summary))
    }
}

/// Prints a line at once, even when stdout is a file.
func say(_ line: String) {
    print(line)
    fflush(nil)
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
say("warning: bench-dedup is a debug build; use swift run -c release bench-dedup")
#endif

let directory = options.directory.map { URL(fileURLWithPath: $0) }
    ?? FileManager.default.temporaryDirectory.appendingPathComponent("bench-dedup-\(getpid())")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { if options.directory == nil { try? FileManager.default.removeItem(at: directory) } }

/// The measured workload: `newItems` unseen items in documents of `batch` entries, 5 % matching a topic.
func makeNewDocuments() -> [(FeedSource, [FeedEntry], [[String]])] {
    var generator = ItemGenerator(seed: 7, prefix: "new")
    var documents: [(FeedSource, [FeedEntry], [[String]])] = []
    var texts: [Int: (title: String, summary: String)] = [:]
    var number = 0
    while number < options.newItems {
        let count = min(options.batch, options.newItems - number)
        let entries = (0..<count).map { i -> FeedEntry in
            let n = number + i
            var text: (title: String, summary: String)?
            if n % 10 == 9, let earlier = texts[n - 59] {
                // The same story from another outlet: one title word dropped, other link and id.
                text = (earlier.title.split(separator: " ").dropFirst().joined(separator: " "), earlier.summary)
            }
            let made = generator.entry(number: n, published: now.addingTimeInterval(-Double(n % 7200)), text: text)
            texts[n] = (made.text.title, made.text.summary)
            return made
        }
        // 5 % of items match the topic, and so do the copies of those.
        let topics = (0..<count).map { i -> [String] in
            let n = number + i
            let source = n % 10 == 9 ? n - 59 : n
            return source >= 0 && source % 20 == 0 ? ["nato-russia-council"] : []
        }
        documents.append((feeds[(number / options.batch) % feeds.count], entries, topics))
        number += count
    }
    return documents
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

struct Measurement {
    var wall: Double
    var cpu: Double
    var alerts: Int
    var copies: Int
    var newStories: Int
    /// CPU seconds in `plan` and in `commit`.
    var planCPU: Double
    var commitCPU: Double
}

/// Runs the workload through plan + commit.
func measure(_ store: DedupStore, _ documents: [(FeedSource, [FeedEntry], [[String]])]) throws -> Measurement {
    var alerts = 0
    var copies = 0
    var newStories = 0
    var newItems = 0
    var planCPU = 0.0
    let cpuStart = cpuSeconds()
    let elapsed = try clock.measure {
        for (feed, entries, topics) in documents {
            let planStart = cpuSeconds()
            let plan = try store.plan(feed: feed, entries: entries, topics: topics, now: now)
            planCPU += cpuSeconds() - planStart
            alerts += plan.alerts.count
            copies += plan.copies.count
            newStories += plan.items.filter(\.isNewStory).count
            newItems += plan.items(.new).count
            try store.commit(plan)
        }
    }
    let cpu = cpuSeconds() - cpuStart
    precondition(newItems == options.newItems, "every measured item must be new, got \(newItems)")
    return Measurement(
        wall: seconds(elapsed), cpu: cpu, alerts: alerts, copies: copies, newStories: newStories, planCPU: planCPU,
        commitCPU: cpu - planCPU)
}

func report(_ label: String, _ run: Measurement) {
    let n = Double(options.newItems)
    say(label + String(
        format: " %7.1f µs CPU (plan %.1f, commit %.1f), %7.1f µs wall per new item (%d alerts, %d also_in, %d new stories)",
        run.cpu / n * 1e6, run.planCPU / n * 1e6, run.commitCPU / n * 1e6, run.wall / n * 1e6, run.alerts, run.copies,
        run.newStories))
}
let documents = makeNewDocuments()
say("bench-dedup: \(options.newItems) new items in documents of \(options.batch), \(feeds.count) feeds")

// 1. Against an empty store (feeds already polled once, so no backfill rules apply).
let emptyPath = directory.appendingPathComponent("empty.sqlite").path
let empty = try DedupStore(path: emptyPath)
for feed in feeds { try empty.commit(try empty.plan(feed: feed, entries: [], topics: [], now: now.addingTimeInterval(-86_400))) }
let emptyRun = try measure(empty, documents)
empty.close()
report("empty store:           ", emptyRun)

// 2. Seed a second store with `seedItems` seen items spread over the last 85 days, in big transactions.
let bigPath = directory.appendingPathComponent("big.sqlite").path
if let seeded = options.seededStore, FileManager.default.fileExists(atPath: seeded) {
    try FileManager.default.copyItem(atPath: seeded, toPath: bigPath)
}
let big = try DedupStore(path: bigPath)
var seedGenerator = ItemGenerator(seed: 1, prefix: "seed")
let seedBatch = 50_000
let seedElapsed = try clock.measure {
    var number = try big.statistics().seenItems  // a copied store is seeded already
    while number < options.seedItems {
        let count = min(seedBatch, options.seedItems - number)
        let items = (0..<count).map { i -> DedupStore.BulkItem in
            let n = number + i
            // Spread over the last 85 days, oldest first, as a daemon would have seen them.
            let seenAt = now.addingTimeInterval(-85 * 86_400 * (1 - Double(n) / Double(options.seedItems)))
            let (title, summary) = seedGenerator.text()
            return DedupStore.BulkItem(
                feedID: feeds[n % feeds.count].id, id: "seed-\(n)", link: seedGenerator.link(n), normalizedTitle: title,
                normalizedSummary: summary, published: seenAt.addingTimeInterval(-Double(n % 3600)), seenAt: seenAt,
                topics: n % 20 == 0 ? ["nato-russia-council"] : [])
        }
        try big.bulkLoad(items, now: now)
        number += count
    }
}
if let seeded = options.seededStore, !FileManager.default.fileExists(atPath: seeded) {
    try big.checkpoint()
    try FileManager.default.copyItem(atPath: bigPath, toPath: seeded)
}
let seeded = try big.statistics()
say(String(format: "seeded %d seen items, %d stories, %d alerts in %.1f s (%.0f items/s)",
             seeded.seenItems, seeded.stories, seeded.alerts, seconds(seedElapsed),
             Double(seeded.seenItems) / seconds(seedElapsed)))

let bigRun = try measure(big, documents)
big.close()

let size = fileSize(bigPath) + fileSize(bigPath + "-wal")
report(String(format: "store with %7d items:", seeded.seenItems), bigRun)
say(String(format: "ratio (CPU):            %7.2f× (target ≤ 2×); wall %.2f×", bigRun.cpu / emptyRun.cpu, bigRun.wall / emptyRun.wall))
say(String(format: "store on disk:          %7.1f MiB for %d seen items (%.0f bytes per item)",
             Double(size) / 1_048_576, seeded.seenItems + options.newItems,
             Double(size) / Double(seeded.seenItems + options.newItems)))
say(String(format: "peak RSS:               %7.1f MiB", peakRSSMiB()))
