// bench-match: topic matching throughput, with the shipped topics and with 1,000 generated ones.
//
//     swift run -c release bench-match [path/to/feeds.conf] [--split] [--only=shipped|subjects|vocabulary]
//
// Generates 20,000 news-like items (each about one of 2,000 subjects) and times three rule sets in
// alternating rounds: the shipped topics; 1,000 topics written around subjects' names with news
// words as context (the yardstick of the target); 1,000 topics of the same shape drawn from the
// text's own vocabulary (a stress case: two matches per item). Prints MB/s of item text and items/s
// from the thread's CPU time (the machine is shared; wall-clock MB/s alongside), and the cost ratios.
// `--split` also times the stages: the scan alone (normalize + automaton), the linking of hits into
// candidate topics, the evaluation of the candidates' rules with evidence. `--only` runs one rule
// set for ten rounds (for profilers). Targets (issue 3): >= 50 MB/s with the shipped topics;
// 1,000 topics (subjects) : shipped <= 1.5. docs/rules.md explains the generators.
@preconcurrency import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import NewsModel
import NewsMonitor
import TopicRules

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let stopWords = """
    der die das und in zu den von mit sich des auf für ist im dem nicht ein eine als auch es an werden aus er hat dass \
    sie nach wird bei einer um am sind noch wie einem über so zum war haben nur oder aber vor zur bis mehr durch man \
    the of and to in a is that for it as was with be by on not he this are or his from at which but have an had they \
    you were their one all we can her has there been if more when will would who so no
    """.split(separator: " ").map(String.init)
let contentWords = """
    Regierung Bundestag Kanzler Ministerin Wahl Haushalt Schulden Energie Gaspreise Strom Inflation Zinsen Bahn Streik \
    Flughafen Wetter Sturm Hochwasser Polizei Gericht Urteil Prozess Klima Hitze Dürre Ernte Landwirte Krankenhaus \
    Pflege Rente Schule Lehrer Universität Forschung Impfstoff Fußball Bundesliga Trainer Olympia Kultur Theater Film \
    Brüssel Berlin Moskau Kiew Washington Peking Paris London Warschau Straßburg Nato Russland Ukraine Belarus China \
    Europarat Sicherheitsrat Gipfel Treffen Gespräche Botschafter Soldaten Truppen Grenze Manöver Panzer Raketen \
    government parliament minister election budget debt energy prices inflation rates railway strike airport weather \
    storm flooding police court ruling trial climate heat drought harvest farmers hospital care pension school \
    teachers university research vaccine football league coach Olympics culture theatre film Brussels Moscow Kyiv \
    Beijing NATO Russia Ukraine council summit talks ambassador soldiers troops border drills tanks missiles \
    Truppenaufmarsch Militärübung Verteidigungsminister Außenminister Generalsekretär Sanktionen Wirtschaft Export \
    sanctions economy exports diplomats security alliance defence spending negotiations ceasefire refugees
    """.split(separator: " ").map(String.init)

/// A large synthetic vocabulary, so that most words of the text are rare (as in real news).
let syllables = [
    "ka", "lo", "mir", "tan", "vel", "dor", "si", "pra", "gun", "est", "ber", "ul", "zen", "fo", "rak", "ne", "schu",
    "ter", "wa", "lin", "bo", "cha", "dri", "eng", "fal", "gor", "hei", "ist", "jo", "kel", "mun", "nor", "ob", "pel",
    "quo", "ris", "sta", "tro", "um", "vin", "wes", "xa", "yor", "zu", "ach", "bru", "cle", "dam", "ef", "gla",
]
let synthetic: [String] = {
    var rng = SplitMix64(state: 99)
    return (0..<20_000).map { _ in (0..<Int.random(in: 2...4, using: &rng)).map { _ in syllables.randomElement(using: &rng)! }.joined() }
}()

/// Subjects: the specific vocabulary of one story area (names of people, places, organisations,
/// compounds), 12 words each. They are random letter strings, so each occurs only where an item
/// about its subject puts it, and the items about one subject are few: as with the names a real
/// topic is written around.
let subjectCount = 2_000
let subjects: [[String]] = {
    var rng = SplitMix64(state: 4242)
    let letters = Array("abcdefghijklmnopqrstuvwxyz")
    return (0..<subjectCount).map { _ in
        (0..<12).map { _ in String((0..<Int.random(in: 6...11, using: &rng)).map { _ in letters.randomElement(using: &rng)! }) }
    }
}()

/// 45 % stop words, 10 % real news words (topic words among them), 45 % synthetic words, Zipf-like;
/// given the item's subject, one word in 30 is one of its words instead (Zipf-like, sometimes inflected).
func randomWord(_ rng: inout SplitMix64, subject: Int) -> String {
    if Int.random(in: 0..<30, using: &rng) == 0 {
        let words = subjects[subject]
        let u = Double.random(in: 0..<1, using: &rng)
        let word = words[Int(u * u * Double(words.count))]
        return word + ["", "", "", "s", "en", "es", "er"].randomElement(using: &rng)!
    }
    switch Int.random(in: 0..<20, using: &rng) {
    case 0..<9: return stopWords.randomElement(using: &rng)!
    case 9, 10: return contentWords.randomElement(using: &rng)!
    default:
        let u = Double.random(in: 0..<1, using: &rng)
        let word = synthetic[Int(u * u * u * Double(synthetic.count - 1))]
        return Bool.random(using: &rng) ? word.prefix(1).uppercased() + word.dropFirst() : word
    }
}

func sentence(_ rng: inout SplitMix64, words: Int, subject: Int) -> String {
    var parts: [String] = []
    for _ in 0..<words { parts.append(randomWord(&rng, subject: subject)) }
    return parts.joined(separator: Int.random(in: 0..<8, using: &rng) == 0 ? "-" : " ") + "."
}

/// Items, each about one subject (some subjects are in the news far more often than others).
func makeCorpus(items: Int) -> [ItemText] {
    var rng = SplitMix64(state: 2026)
    return (0..<items).map { _ in
        let u = Double.random(in: 0..<1, using: &rng)
        let subject = Int(u * u * Double(subjectCount))
        return ItemText(
            title: sentence(&rng, words: Int.random(in: 5...12, using: &rng), subject: subject),
            summary: (0..<3).map { _ in sentence(&rng, words: Int.random(in: 8...16, using: &rng), subject: subject) }.joined(separator: " "),
            content: (0..<10).map { _ in sentence(&rng, words: Int.random(in: 8...20, using: &rng), subject: subject) }.joined(separator: " "),
            categories: [["Ausland", "Inland", "World", "Politik", "Wirtschaft"].randomElement(using: &rng)!]
        )
    }
}

/// Topics shaped like the shipped ones (OR-groups of terms, phrases and wildcards, AND, NOT,
/// NEAR), each about one subject: its words name the subject, news words give the context, as
/// `"nato russland rat*" … AND NOT ("security council" …)` does for the shipped topic.
func makeSubjectTopics(count: Int) -> [TopicDefinition] {
    var rng = SplitMix64(state: 11)
    let context = contentWords.map { $0.lowercased() }
    return (0..<count).map { i in
        let words = subjects[i % subjectCount]
        func subjectTerm() -> String {
            let w = words.randomElement(using: &rng)!
            switch Int.random(in: 0..<8, using: &rng) {
            case 0: return "\"\(w) \(words.randomElement(using: &rng)!)\""
            case 1: return "\(w.prefix(w.count - 2))*"
            case 2: return "*\(w.dropFirst(2))"
            case 3: return "*\(w.dropFirst(1).prefix(5))*"
            default: return w
            }
        }
        func contextTerm() -> String {
            let w = context.randomElement(using: &rng)!
            return Int.random(in: 0..<4, using: &rng) == 0 && w.count >= 6 ? "\(w.prefix(w.count - 1))*" : w
        }
        func group(_ n: Int, _ term: () -> String) -> String { "(" + (0..<n).map { _ in term() }.joined(separator: " OR ") + ")" }
        let rule = "\(group(Int.random(in: 3...8, using: &rng), subjectTerm)) AND \(group(Int.random(in: 2...6, using: &rng), contextTerm)) "
            + "AND NOT \(group(2, contextTerm)) OR (\(subjectTerm()) NEAR/5 \(contextTerm()))"
        return TopicDefinition(id: "subject-\(i)", title: "Subject \(i)", rule: rule)
    }
}

/// Topics of the same shape whose words are drawn from the corpus's own vocabulary (news words
/// and the synthetic words the text is mostly made of): a stress case in which half the
/// vocabulary of the text is topic words, 86 of them hit per item and two topics match per item.
func makeVocabularyTopics(count: Int) -> [TopicDefinition] {
    var rng = SplitMix64(state: 7)
    // Topic words: real news words and words of the synthetic vocabulary, as a user would pick them.
    let pool = contentWords.map { $0.lowercased() } + synthetic
    func term() -> String {
        let w = pool.randomElement(using: &rng)!
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: return "\"\(w) \(pool.randomElement(using: &rng)!)\""
        case 1 where w.count >= 7: return "\(w.prefix(w.count - 2))*"
        case 2 where w.count >= 7: return "*\(w.dropFirst(2))"
        case 3 where w.count >= 8: return "*\(w.dropFirst(1).prefix(6))*"
        default: return w
        }
    }
    func group(_ n: Int) -> String { "(" + (0..<n).map { _ in term() }.joined(separator: " OR ") + ")" }
    return (0..<count).map { i in
        let rule = "\(group(Int.random(in: 3...8, using: &rng))) AND \(group(Int.random(in: 2...6, using: &rng))) "
            + "AND NOT \(group(2)) OR (\(term()) NEAR/5 \(term()))"
        return TopicDefinition(id: "generated-\(i)", title: "Generated \(i)", rule: rule)
    }
}

/// CPU time of this thread: the machine is shared, so wall time mostly measures the neighbours.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// The best of several rounds of matching the whole corpus, CPU and wall time.
struct Timing {
    var cpu = Double.infinity
    var wall = Double.infinity
    var matches = 0
}

/// One round over the corpus.
func round(_ rules: RuleSet, into timing: inout Timing) {
    var matches = 0
    let start = ContinuousClock.now
    let cpuStart = threadCPUSeconds()
    for item in corpus { matches += rules.match(item).count }
    timing.cpu = min(timing.cpu, threadCPUSeconds() - cpuStart)
    let elapsed = ContinuousClock.now - start
    timing.wall = min(timing.wall, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    timing.matches = matches
}

/// Rounds of every rule set in turn (so that all see the same phases of a shared machine's load),
/// then one line per rule set from its best round.
func measure(_ sets: [(label: String, rules: RuleSet)], rounds: Int) -> [Double] {
    var timings = [Timing](repeating: Timing(), count: sets.count)
    for _ in 0..<rounds {
        for (i, set) in sets.enumerated() { round(set.rules, into: &timings[i]) }
    }
    for (set, timing) in zip(sets, timings) {
        let size = set.rules.automatonSize
        print(String(
            format: "%@: %.1f MB/s, %.0f items/s (CPU time; wall %.1f MB/s) — %d topics, %d matches, %d patterns, %d states; best of %d: %.3f s CPU",
            set.label, Double(bytes) / timing.cpu / 1e6, Double(corpus.count) / timing.cpu, Double(bytes) / timing.wall / 1e6,
            set.rules.topicIDs.count, timing.matches, size.patterns, size.states, rounds, timing.cpu
        ))
    }
    return timings.map(\.cpu)
}

setvbuf(stdout, nil, _IOLBF, 0)
let configPath = CommandLine.arguments.dropFirst().first { !$0.hasPrefix("--") } ?? "feeds.conf"
let shipped: MonitorConfiguration
do {
    shipped = try MonitorConfiguration.load(path: configPath)
} catch {
    print("bench-match: \(error)")
    exit(1)
}
let corpus = makeCorpus(items: 20_000)
let bytes = corpus.reduce(0) { $0 + $1.title.utf8.count + $1.summary.utf8.count + $1.content.utf8.count + $1.categories.reduce(0) { $0 + $1.utf8.count } }
print(String(format: "corpus: %d items, %.1f MB of item text", corpus.count, Double(bytes) / 1e6))
let small = try RuleSet(topics: shipped.topics)
let compileStart = ContinuousClock.now
let subjectRules = try RuleSet(topics: shipped.topics + makeSubjectTopics(count: 1_000 - shipped.topics.count))
let vocabularyRules = try RuleSet(topics: shipped.topics + makeVocabularyTopics(count: 1_000 - shipped.topics.count))
print("compiling both sets of 1,000 topics: \(ContinuousClock.now - compileStart)")
/// The cost of the stages, in alternating rounds: the scan alone, the scan and the linking of hits
/// into candidate topics, the whole match.
func measureStages(_ sets: [(label: String, rules: RuleSet)]) {
    var best = [[Double]](repeating: [.infinity, .infinity, .infinity], count: sets.count)
    var counts = [[Int]](repeating: [0, 0], count: sets.count)
    for _ in 0..<5 {
        for (i, set) in sets.enumerated() {
            var start = threadCPUSeconds()
            var hits = 0
            for item in corpus { hits += set.rules._hitCount(item) }
            best[i][0] = min(best[i][0], threadCPUSeconds() - start)
            start = threadCPUSeconds()
            var candidates = 0
            for item in corpus { candidates += set.rules._candidateCount(item) }
            best[i][1] = min(best[i][1], threadCPUSeconds() - start)
            start = threadCPUSeconds()
            for item in corpus { _ = set.rules.match(item) }
            best[i][2] = min(best[i][2], threadCPUSeconds() - start)
            counts[i] = [hits, candidates]
        }
    }
    for (i, set) in sets.enumerated() {
        print(String(
            format: "  %@: scan %.3f s, + linking %.3f s, + evaluation %.3f s (CPU, best of 5); %.1f hits, %.2f candidates per item",
            set.label, best[i][0], best[i][1] - best[i][0], best[i][2] - best[i][1],
            Double(counts[i][0]) / Double(corpus.count), Double(counts[i][1]) / Double(corpus.count)
        ))
    }
}

if let only = CommandLine.arguments.first(where: { $0.hasPrefix("--only=") })?.dropFirst(7) {
    // For profilers: one rule set alone.
    let rules = only == "shipped" ? small : only == "subjects" ? subjectRules : vocabularyRules
    _ = measure([(String(only), rules)], rounds: 10)
    exit(0)
}
let times = measure([
    ("shipped topics                ", small),
    ("1,000 topics (subjects)       ", subjectRules),
    ("1,000 topics (text vocabulary)", vocabularyRules),
], rounds: 7)
let (tShipped, tSubject, tVocabulary) = (times[0], times[1], times[2])
if CommandLine.arguments.contains("--split") {
    measureStages([
        ("shipped topics                ", small),
        ("1,000 topics (subjects)       ", subjectRules),
        ("1,000 topics (text vocabulary)", vocabularyRules),
    ])
}
print(String(format: "cost ratio 1,000 topics (subjects) : shipped = %.2f (target <= 1.5)", tSubject / tShipped))
print(String(format: "cost ratio 1,000 topics (text vocabulary) : shipped = %.2f (stress case)", tVocabulary / tShipped))
