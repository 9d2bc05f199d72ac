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
var files = arguments.filter { !$0.hasPrefix("--") }
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

// Replay in ten-minute polls; each poll's documents are planned together (`plan(batch:)`), as one
// `newsmon once` plans every feed it fetched.
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
/// How many items a feed's document holds (its newest), unless more than that are new at one poll.
let documentSize = 40
var published: [String: [Int]] = [:]  // feed → its items so far, oldest first
while position < order.count {
    var batch: [String: [Int]] = [:]
    while position < order.count, items[order[position]].date.timeIntervalSince1970 <= pollTime {
        batch[items[order[position]].label.feed, default: []].append(order[position])
        position += 1
    }
    let now = Date(timeIntervalSince1970: pollTime)
    var documents: [(indices: [Int], document: DedupStore.Document)] = []
    for feed in batch.keys.sorted() {
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
    // Each poll's documents are planned as one batch, as `newsmon once` does.
    let start = clock()
    let plans = try store.plan(batch: documents.map(\.document), now: now)
    try store.commit(plans)
    cpu += Double(clock() - start) / Double(CLOCKS_PER_SEC)
    for (plan, document) in zip(plans, documents) {
        // Each item's story as decided when it was new (later documents find it seen, in the same story).
        for item in plan.items where storyOf[document.indices[item.entryIndex]].isEmpty {
            storyOf[document.indices[item.entryIndex]] = item.storyKey
            joinOf[document.indices[item.entryIndex]] = item.join.description
                + (item.origin.map { " → " + ($0.feedID ?? "?") + ": " + ($0.title ?? "?") } ?? "")
        }
    }
    pollTime += tick
}

// Every item must have been planned once (an item never planned would share the empty key with all the others).
if let missing = storyOf.firstIndex(where: \.isEmpty) {
    FileHandle.standardError.write(Data("eval-stories: \(items[missing].file) was never planned\n".utf8))
    exit(1)
}

// Pairwise comparison.
var copyPairs = 0, copyMerged = 0, rewritePairs = 0, rewriteMerged = 0, differentMerged = 0
var falseMerges: [(Int, Int)] = []
var missedCopies: [(Int, Int)] = []
var falseByTrait: [String: Int] = [:]
for i in items.indices {
    for j in (i + 1)..<items.count {
        let a = items[i].label, b = items[j].label
        let merged = storyOf[i] == storyOf[j]
        if a.story == b.story {
            copyPairs += 1
            if merged { copyMerged += 1 } else { missedCopies.append((i, j)) }
        } else if a.event == b.event {
            rewritePairs += 1
            if merged { rewriteMerged += 1 }
        } else if merged {
            differentMerged += 1
            falseMerges.append((i, j))
            for trait in Set((a.traits ?? []) + (b.traits ?? [])) { falseByTrait[trait, default: 0] += 1 }
        }
    }
}
let stories = Set(items.map(\.label.story)).count
let predicted = Set(storyOf).count
let precision = Double(copyMerged) / Double(max(1, copyMerged + differentMerged))
let recall = Double(copyMerged) / Double(max(1, copyPairs))
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
