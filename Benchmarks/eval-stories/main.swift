// eval-stories: pairwise merge precision and copy recall of story dedup on the labelled story set.
//
//   swift run -c release eval-stories [--verbose] [FILE.jsonl ...]
//
// Default input: fixtures/stories/*.jsonl. Items are replayed in time order as a daemon would see
// them: every ten minutes each feed with new items is planned and committed (feeds in id order), with
// `now` the poll time, as the whole document the feed would serve then (its new items and its newest earlier
// ones, 40 in all unless more are new: the daemon plans a feed's whole document, and some decisions read it
// whole). Pairs of items are then compared with the labels (fixtures/stories/FORMAT.md):
// same `story` = a copy pair (should be merged), same `event` only = a rewrite pair (no target),
// anything else = different (must not be merged).
import Dedup
import Foundation
import NewsModel

struct LabelledItem: Decodable {
    var feed: String
    var story: String
    var event: String
    var kind: String
    var lang: String
    var published: String
    var title: String
    var summary: String
    var link: String
    var guid: String?
    var traits: [String]?
}

let arguments = Array(CommandLine.arguments.dropFirst())
let verbose = arguments.contains("--verbose")
// --once: every feed's whole document at one moment, feeds in id order, as a first `newsmon once` sees them.
let onceMode = arguments.contains("--once")
// --shuffle N and --chunks N: see below; their numbers are not files.
var files = arguments.enumerated()
    .filter { !$0.element.hasPrefix("--") && ($0.offset == 0 || !["--shuffle", "--chunks"].contains(arguments[$0.offset - 1])) }
    .map(\.element)
if files.isEmpty {
    let directory = "fixtures/stories"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    files = names.filter { $0.hasSuffix(".jsonl") }.sorted().map { directory + "/" + $0 }
}
guard !files.isEmpty else {
    FileHandle.standardError.write(Data("eval-stories: no .jsonl files (run from the repository root)\n".utf8))
    exit(1)
}

let dateFormatter = ISO8601DateFormatter()
var items: [(label: LabelledItem, date: Date, file: String)] = []
for file in files {
    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
        FileHandle.standardError.write(Data("eval-stories: cannot read \(file)\n".utf8))
        exit(1)
    }
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    where !line.trimmingCharacters(in: .whitespaces).isEmpty {
        do {
            let label = try JSONDecoder().decode(LabelledItem.self, from: Data(line.utf8))
            guard let date = dateFormatter.date(from: label.published) else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "bad date"))
            }
            items.append((label, date, "\(file):\(number + 1)"))
        } catch {
            FileHandle.standardError.write(Data("eval-stories: \(file):\(number + 1): \(error)\n".utf8))
            exit(1)
        }
    }
}

// Stories of different writers that report one real-world event (fixtures/stories/cross-writer-events.tsv,
// judged by a reader who had not seen the dedup code): their events are one, so pairs across them are rewrites.
var eventAlias: [String: String] = [:]
func canonicalEvent(_ event: String, _ alias: [String: String]) -> String {
    var event = event
    while let next = alias[event], next != event { event = next }
    return event
}
let linksPath = (files.first.map { ($0 as NSString).deletingLastPathComponent } ?? "fixtures/stories") + "/cross-writer-events.tsv"
if let links = try? String(contentsOfFile: linksPath, encoding: .utf8) {
    let eventOfStory = Dictionary(items.map { ($0.label.story, $0.label.event) }, uniquingKeysWith: { a, _ in a })
    for line in links.split(separator: "\n") where !line.hasPrefix("#") {
        let fields = line.split(separator: "\t").map(String.init)
        guard fields.count >= 2, let a = eventOfStory[fields[0]], let b = eventOfStory[fields[1]] else { continue }
        let (x, y) = (canonicalEvent(a, eventAlias), canonicalEvent(b, eventAlias))
        if x != y { eventAlias[max(x, y)] = min(x, y) }
    }
}
for index in items.indices { items[index].label.event = canonicalEvent(items[index].label.event, eventAlias) }

/// How many items a feed's document holds (its newest), unless more than that are new at one poll.
let documentSize = 40

/// Replays the items and returns each item's story key and how it joined. Ten-minute polls whose documents are planned
/// together (`plan(batch:)`), as one `newsmon once` plans every feed it fetched; with `onceMode` one poll of every
/// feed's whole document. With `feedSeed`, that one poll's documents are planned and committed one at a time, in an
/// order shuffled by the seed: a daemon that planned each feed as its fetch finished. With `chunk`, in batches of that
/// many feeds in feed-id order, as `newsmon once` plans a poll of more than 64 feeds.
@MainActor func replay(onceMode: Bool, feedSeed: UInt64? = nil, chunk: Int? = nil) throws -> (stories: [String], joins: [String], cpu: Double) {
    let store = try DedupStore(path: ":memory:")
    let order = items.indices.sorted { (items[$0].date, items[$0].file) < (items[$1].date, items[$1].file) }
    var storyOf = [String](repeating: "", count: items.count)
    var joinOf = [String](repeating: "", count: items.count)
    var cpu = 0.0
    var position = 0
    let tick = 600.0
    var pollTime = onceMode
        ? (items.map(\.date.timeIntervalSince1970).max() ?? 0) + 3600
        : (items[order[0]].date.timeIntervalSince1970 / tick).rounded(.up) * tick
    var published: [String: [Int]] = [:]  // feed → its items so far, oldest first
    while position < order.count {
        var batch: [String: [Int]] = [:]
        while position < order.count, items[order[position]].date.timeIntervalSince1970 <= pollTime {
            batch[items[order[position]].label.feed, default: []].append(order[position])
            position += 1
        }
        let now = Date(timeIntervalSince1970: pollTime)
        var documents: [(indices: [Int], document: DedupStore.Document)] = []
        var feeds = batch.keys.sorted()
        if let feedSeed {
            // A shuffle that is the same on every run: by a digest of the seed and the feed id.
            feeds = feeds.map { (SHA256.digest64("\(feedSeed) \($0)"), $0) }.sorted { $0 < $1 }.map(\.1)
        }
        for feed in feeds {
            // Every new item, and as many of the feed's earlier items as fit (all of a feed's items at once in --once).
            let earlier = published[feed] ?? [], new = batch[feed]!
            let indices = Array(earlier.suffix(max(0, documentSize - new.count))) + new
            published[feed] = earlier + new
            let entries = indices.map { index -> FeedEntry in
                let label = items[index].label
                return FeedEntry(
                    title: label.title, link: label.link, id: label.guid ?? label.link, published: items[index].date,
                    summary: label.summary, text: ItemText(title: label.title, summary: label.summary))
            }
            let source = FeedSource(id: feed, url: "http://127.0.0.1/\(feed)", backfill: .all)
            documents.append((indices, DedupStore.Document(feed: source, entries: entries, topics: [])))
        }
        // Planned as one batch, or (shuffled) one document after another, each committed before the next is planned.
        let size = feedSeed != nil ? 1 : chunk ?? max(1, documents.count)
        let groups = stride(from: 0, to: documents.count, by: size).map { Array(documents[$0..<min($0 + size, documents.count)]) }
        for group in groups {
            let start = clock()
            let plans = try store.plan(batch: group.map(\.document), now: now)
            try store.commit(plans)
            cpu += Double(clock() - start) / Double(CLOCKS_PER_SEC)
            for (plan, document) in zip(plans, group) {
                // Each item's story as decided when it was new (later documents find it seen, in the same story).
                for item in plan.items where storyOf[document.indices[item.entryIndex]].isEmpty {
                    storyOf[document.indices[item.entryIndex]] = item.storyKey
                    joinOf[document.indices[item.entryIndex]] = item.join.description
                        + (item.origin.map { " → " + ($0.feedID ?? "?") + ": " + ($0.title ?? "?") } ?? "")
                }
            }
        }
        pollTime += tick
    }
    // Every item must have been planned once (an item never planned would share the empty key with all the others).
    if let missing = storyOf.firstIndex(where: \.isEmpty) {
        FileHandle.standardError.write(Data("eval-stories: \(items[missing].file) was never planned\n".utf8))
        exit(1)
    }
    return (storyOf, joinOf, cpu)
}

/// Per labelled story, the stories the replay made of its items.
@MainActor func parts(_ storyOf: [String]) -> [String: Set<String>] {
    var result: [String: Set<String>] = [:]
    for (index, item) in items.enumerated() { result[item.label.story, default: []].insert(storyOf[index]) }
    return result
}

/// The pairs of a replay against the labels: same `story` = a copy pair (should be merged), same `event` only = a
/// rewrite pair (no target), anything else = different (must not be merged).
struct Pairs {
    var copyPairs = 0, copyMerged = 0, rewritePairs = 0, rewriteMerged = 0, differentMerged = 0
    var falseMerges: [(Int, Int)] = []
    var missedCopies: [(Int, Int)] = []
    var falseByTrait: [String: Int] = [:]
    var precision: Double { Double(copyMerged) / Double(max(1, copyMerged + differentMerged)) }
    var recall: Double { Double(copyMerged) / Double(max(1, copyPairs)) }
}

@MainActor func pairwise(_ storyOf: [String]) -> Pairs {
    var pairs = Pairs()
    for i in items.indices {
        for j in (i + 1)..<items.count {
            let a = items[i].label, b = items[j].label
            let merged = storyOf[i] == storyOf[j]
            if a.story == b.story {
                pairs.copyPairs += 1
                if merged { pairs.copyMerged += 1 } else { pairs.missedCopies.append((i, j)) }
            } else if a.event == b.event {
                pairs.rewritePairs += 1
                if merged { pairs.rewriteMerged += 1 }
            } else if merged {
                pairs.differentMerged += 1
                pairs.falseMerges.append((i, j))
                for trait in Set((a.traits ?? []) + (b.traits ?? [])) { pairs.falseByTrait[trait, default: 0] += 1 }
            }
        }
    }
    return pairs
}

/// How many more stories than in `baseParts` a replay made of the labelled stories (summed over them), and how many
/// fewer (both from ``parts(_:)``).
func splits(_ runParts: [String: Set<String>], against baseParts: [String: Set<String>]) -> (more: Int, fewer: Int) {
    var more = 0, fewer = 0
    for (story, made) in runParts {
        more += max(0, made.count - baseParts[story]!.count)
        fewer += max(0, baseParts[story]!.count - made.count)
    }
    return (more, fewer)
}

/// The first poll of every feed's whole document, planned in date order as one batch (`newsmon once`) and in `rounds`
/// shuffled feed orders one document at a time (the daemon). Prints, per order, the labelled stories made into more
/// stories than in date order (each a repeated alert when the story is on a topic) and into fewer, and the pairwise
/// figures. The design asks for the same alerts whatever the order of feeds.
@MainActor func shuffledOrders(_ rounds: Int) throws {
    let base = try replay(onceMode: true)
    let baseParts = parts(base.stories)
    let baseFigures = pairwise(base.stories)
    func f(_ x: Double) -> String { String(format: "%.4f", x) }
    print("date order (newsmon once): \(Set(base.stories).count) stories, precision \(f(baseFigures.precision)), recall \(f(baseFigures.recall))")
    var totalMore = 0, totalFewer = 0, ordersChanged = 0
    var precisions: [Double] = [], recalls: [Double] = []
    var examples: [String: Int] = [:]  // labelled story → orders in which it was made into more stories
    for seed in 1...UInt64(rounds) {
        let run = try replay(onceMode: true, feedSeed: seed)
        let runParts = parts(run.stories)
        let (more, fewer) = splits(runParts, against: baseParts)
        for (story, made) in runParts where made.count > baseParts[story]!.count { examples[story, default: 0] += 1 }
        let figures = pairwise(run.stories)
        if more + fewer > 0 { ordersChanged += 1 }
        precisions.append(figures.precision)
        recalls.append(figures.recall)
        totalMore += more
        totalFewer += fewer
        print("order \(seed): \(Set(run.stories).count) stories; labelled stories split further +\(more), joined further -\(fewer); precision \(f(figures.precision)), recall \(f(figures.recall))")
        if verbose, more > 0 {
            for (story, made) in runParts.sorted(by: { $0.key < $1.key }) where made.count > baseParts[story]!.count {
                for (index, item) in items.enumerated() where item.label.story == story {
                    let with = Set(items.indices.filter { run.stories[$0] == run.stories[index] }.map { items[$0].label.story })
                        .subtracting([story]).sorted()
                    if !with.isEmpty { print("      (in one story with \(with.joined(separator: ", ")))") }
                    print("    \(story) \(item.label.feed) \(item.label.published) \(item.label.title.prefix(70)) [\(run.joins[index].prefix(400))]")
                }
            }
        }
    }
    print("\(rounds) shuffled orders: \(ordersChanged) differ from date order; labelled stories split further \(totalMore) times, joined further \(totalFewer) times")
    let mean = { (values: [Double]) in values.reduce(0, +) / Double(values.count) }
    print("precision mean \(f(mean(precisions))), lowest \(f(precisions.min()!)); recall mean \(f(mean(recalls))), lowest \(f(recalls.min()!))")
    if !examples.isEmpty {
        print("split further: " + examples.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))
    }
}

// --shuffle N: the first poll with feeds arriving in N shuffled orders, against the date order of `newsmon once`.
if let flag = arguments.firstIndex(of: "--shuffle") {
    guard flag + 1 < arguments.count, let rounds = Int(arguments[flag + 1]), rounds > 0 else {
        FileHandle.standardError.write(Data("eval-stories: --shuffle takes a number of orders\n".utf8))
        exit(1)
    }
    try shuffledOrders(rounds)
    exit(0)
}

// --chunks N: the first poll planned in batches of N feeds in feed-id order (as `newsmon once` plans more than 64
// feeds), against one batch of all.
if let flag = arguments.firstIndex(of: "--chunks") {
    guard flag + 1 < arguments.count, let size = Int(arguments[flag + 1]), size > 0 else {
        FileHandle.standardError.write(Data("eval-stories: --chunks takes a number of feeds\n".utf8))
        exit(1)
    }
    let base = try replay(onceMode: true), run = try replay(onceMode: true, chunk: size)
    let (more, fewer) = splits(parts(run.stories), against: parts(base.stories))
    let (b, r) = (pairwise(base.stories), pairwise(run.stories))
    print(String(format: "one batch: %d stories, precision %.4f, recall %.4f", Set(base.stories).count, b.precision, b.recall))
    print(String(format: "batches of %d feeds: %d stories, precision %.4f, recall %.4f; labelled stories split further +%d, joined further -%d",
        size, Set(run.stories).count, r.precision, r.recall, more, fewer))
    exit(0)
}

let (storyOf, joinOf, cpu) = try replay(onceMode: onceMode)

// Pairwise comparison.
let pairs = pairwise(storyOf)
let (copyPairs, copyMerged, rewritePairs, rewriteMerged, differentMerged) =
    (pairs.copyPairs, pairs.copyMerged, pairs.rewritePairs, pairs.rewriteMerged, pairs.differentMerged)
let (falseMerges, missedCopies, falseByTrait) = (pairs.falseMerges, pairs.missedCopies, pairs.falseByTrait)
let stories = Set(items.map(\.label.story)).count
let predicted = Set(storyOf).count
let (precision, recall) = (pairs.precision, pairs.recall)
func f(_ x: Double) -> String { String(format: "%.4f", x) }
print("items \(items.count), labelled stories \(stories), stories made \(predicted)")
print("copy pairs \(copyPairs), merged \(copyMerged); different pairs merged \(differentMerged)")
print("pairwise merge precision \(f(precision)) (target >= 0.995)")
print("copy recall              \(f(recall)) (target >= 0.95)")
print("rewrite pairs \(rewritePairs), merged \(rewriteMerged) (\(f(Double(rewriteMerged) / Double(max(1, rewritePairs))))) — reported, no target")
if !falseByTrait.isEmpty {
    print("false merges by trait: " + falseByTrait.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
}
print("dedup CPU \(String(format: "%.3f", cpu)) s (\(String(format: "%.0f", cpu / Double(items.count) * 1e6)) µs per item)")
if verbose {
    func show(_ i: Int) -> String {
        let l = items[i].label
        return "    \(l.story) \(l.feed) \(l.published) \(l.title) | \(l.summary.prefix(140))\n      [\(joinOf[i])]"
    }
    print("\nFALSE MERGES (\(falseMerges.count))")
    for (i, j) in falseMerges { print(show(i)); print(show(j)); print("") }
    print("MISSED COPIES (\(missedCopies.count))")
    for (i, j) in missedCopies { print("  [\(items[i].label.kind) / \(items[j].label.kind)]"); print(show(i)); print(show(j)); print("") }
}
