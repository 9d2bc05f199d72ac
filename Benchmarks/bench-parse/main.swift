// bench-parse: newsmon's feed parser against `xmllint --stream --noout` on one generated corpus.
//
//     swift run -c release bench-parse [megabytes]      (default 120)
//     BENCH_PARSE_CORPUS=DIR swift run -c release bench-parse   (keeps the corpus in DIR, for profiling)
//
// Generates RSS 2.0 and Atom 1.0 feeds (German and English news-like items, half the descriptions
// in CDATA, content:encoded, dc:creator, categories) of about 1 MB each into a temporary directory,
// then times, in one run: newsmon's full extraction (FeedParser.parse of every file, entries with
// plain text), and one `xmllint --stream --noout` process over the same files; five rounds of each,
// alternating, best round of each. Prints MB/s and
// items/s of each and the ratio newsmon/xmllint (target ≥ 0.8), from wall-clock time and from CPU
// time (user + system; the fairer figure when other work shares the cores).
import FeedParsing
import Foundation
import NewsModel

let megabytes = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 120
// BENCH_PARSE_CORPUS=DIR keeps the generated corpus in DIR (for profiling); else a temporary directory.
let keptDirectory = ProcessInfo.processInfo.environment["BENCH_PARSE_CORPUS"]
let directory = keptDirectory.map { URL(fileURLWithPath: $0) }
    ?? FileManager.default.temporaryDirectory.appendingPathComponent("bench-parse-\(getpid())")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { if keptDirectory == nil { try? FileManager.default.removeItem(at: directory) } }

// MARK: Corpus

struct Generator {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    mutating func next() -> Int {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return Int(truncatingIfNeeded: state & 0x7FFF_FFFF)
    }
    mutating func pick<T>(_ list: [T]) -> T { list[next() % list.count] }
}

let german = ["Nato", "Russland", "Rat", "Truppen", "Grenze", "Ukraine", "Außenminister", "Gespräche", "Brüssel",
              "Verhandlungen", "Sicherheit", "Bündnis", "Manöver", "Aufmarsch", "Diplomatie", "Regierung", "über", "für", "die", "der", "und", "mit"]
let english = ["NATO", "Russia", "council", "troops", "border", "Ukraine", "minister", "talks", "Brussels",
               "negotiations", "security", "alliance", "exercise", "buildup", "diplomacy", "government", "the", "of", "and", "with", "in"]

func sentence(_ g: inout Generator, _ words: [String], _ n: Int) -> String {
    (0..<n).map { _ in g.pick(words) }.joined(separator: " ")
}

var g = Generator()
var totalBytes = 0
var totalItems = 0
var files: [String] = []
var fileIndex = 0
while totalBytes < megabytes * 1_000_000 {
    let isAtom = fileIndex % 3 == 2
    let words = fileIndex % 2 == 0 ? german : english
    var doc = ""
    var items = 0
    if isAtom {
        doc += "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"de\">\n"
        doc += "<title>Bench-Feed \(fileIndex)</title><link href=\"https://bench.example.org/\"/><updated>2022-01-12T10:00:00Z</updated>\n"
    } else {
        doc += "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n"
        doc += "<title>Bench-Feed \(fileIndex)</title><link>https://bench.example.org/</link><description>Generated for bench-parse</description><language>de</language>\n"
    }
    while doc.utf8.count < 1_000_000 {
        let n = totalItems + items
        let title = sentence(&g, words, 8)
        let summary = sentence(&g, words, 40)
        if isAtom {
            doc += "<entry><title>\(title)</title><link href=\"https://bench.example.org/a/\(n).html\"/><id>urn:bench:\(n)</id>"
            doc += "<updated>2022-01-12T10:\(n % 60 < 10 ? "0" : "")\(n % 60):00+01:00</updated><author><name>Redaktion</name></author>"
            doc += "<category term=\"\(g.pick(words))\"/><summary type=\"html\">&lt;p&gt;\(summary)&lt;/p&gt;</summary></entry>\n"
        } else {
            doc += "<item><title>\(title)</title><link>https://bench.example.org/a/\(n).html</link><guid isPermaLink=\"false\">bench-\(n)</guid>"
            doc += "<pubDate>Wed, 12 Jan 2022 10:\(n % 60 < 10 ? "0" : "")\(n % 60):00 +0100</pubDate><dc:creator>Redaktion</dc:creator><category>\(g.pick(words))</category>"
            if n % 2 == 0 {
                doc += "<description><![CDATA[<p>\(summary)</p>]]></description>"
            } else {
                doc += "<description>\(summary) &amp; mehr</description><content:encoded><![CDATA[<p>\(sentence(&g, words, 60))</p>]]></content:encoded>"
            }
            doc += "</item>\n"
        }
        items += 1
    }
    doc += isAtom ? "</feed>\n" : "</channel>\n</rss>\n"
    let path = directory.appendingPathComponent("feed-\(fileIndex).xml").path
    try Data(doc.utf8).write(to: URL(fileURLWithPath: path))
    files.append(path)
    totalBytes += doc.utf8.count
    totalItems += items
    fileIndex += 1
}
let mb = Double(totalBytes) / 1_000_000
print("corpus: \(files.count) files, \(String(format: "%.1f", mb)) MB, \(totalItems) items")

// MARK: newsmon

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func readFile(_ path: String) -> [UInt8] {
    let fd = open(path, O_RDONLY)
    precondition(fd >= 0, "cannot open \(path)")
    defer { close(fd) }
    var info = stat()
    fstat(fd, &info)
    let size = Int(info.st_size)
    return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
        var done = 0
        while done < size {
            let n = read(fd, buffer.baseAddress! + done, size - done)
            if n <= 0 { break }
            done += n
        }
        count = done
    }
}

/// CPU seconds (user + system) of this process, or of its waited-for children.
func cpuSeconds(_ who: Int32) -> Double {
    var usage = rusage()
    getrusage(who == 0 ? RUSAGE_SELF.rawValue : RUSAGE_CHILDREN.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

let parser = FeedParser()

/// One full-extraction pass of newsmon over the corpus: (wall, cpu, items).
@MainActor func runNewsmon() throws -> (Double, Double, Int) {
    let start = now()
    let startCPU = cpuSeconds(0)
    var items = 0
    var textBytes = 0
    for path in files {
        let bytes = readFile(path)
        let document = try parser.parse(bytes, url: path)
        items += document.entries.count
        for e in document.entries { textBytes &+= e.text.title.utf8.count &+ e.text.summary.utf8.count }
    }
    return (now() - start, cpuSeconds(0) - startCPU, items)
}

// MARK: xmllint

func runXmllint(_ files: [String]) -> (Double, Double) {
    let start = now()
    let startCPU = cpuSeconds(1)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
    p.arguments = ["--stream", "--noout"] + files
    do { try p.run() } catch {
        print("error: cannot run xmllint (apt-get install -y libxml2-utils): \(error)")
        exit(1)
    }
    p.waitUntilExit()
    guard p.terminationStatus == 0 else {
        print("error: xmllint failed with status \(p.terminationStatus)")
        exit(1)
    }
    return (now() - start, cpuSeconds(1) - startCPU)
}

// Rounds alternate between the two, so both see the same load on a shared machine; best of five each.
let rounds = 5
var best = Double.infinity
var bestCPU = Double.infinity
var xmllintBest = Double.infinity
var xmllintBestCPU = Double.infinity
for _ in 0..<rounds {
    let (wall, cpu, items) = try runNewsmon()
    guard items == totalItems else {
        print("error: newsmon found \(items) items, expected \(totalItems)")
        exit(1)
    }
    best = min(best, wall)
    bestCPU = min(bestCPU, cpu)
    let (xWall, xCPU) = runXmllint(files)
    xmllintBest = min(xmllintBest, xWall)
    xmllintBestCPU = min(xmllintBestCPU, xCPU)
}

func line(_ name: String, _ seconds: Double, _ cpu: Double, _ mb: Double, _ items: Int) -> String {
    name.padding(toLength: 8, withPad: " ", startingAt: 0)
        + String(format: " wall %7.3f s %7.1f MB/s %9.0f items/s | cpu %7.3f s %7.1f MB/s %9.0f items/s",
                 seconds, mb / seconds, Double(items) / seconds, cpu, mb / cpu, Double(items) / cpu)
}
print(line("newsmon", best, bestCPU, mb, totalItems))
print(line("xmllint", xmllintBest, xmllintBestCPU, mb, totalItems))
print(String(format: "ratio newsmon/xmllint (MB/s): wall %.2f, cpu %.2f (target >= 0.80)", xmllintBest / best, xmllintBestCPU / bestCPU))
