import TextNormalization

/// What identifies a *report*: the phrases of its title and teaser, in order.
///
/// A phrase is a run of consecutive normalized words (``TextNormalizer/words(in:)``): word pairs in
/// the title, word triples in each sentence of the teaser. Copies of one report (agency copies with
/// small edits, other prefixes or capitals, updates with a sentence added or a figure changed) keep
/// most of their phrases; different reports on the same subject share words (names, places) but few
/// phrases. Which phrases are *common* — carried by many stories, such as an agency background
/// sentence or an outlet's boilerplate — is decided by the ``StoryIndex`` at comparison time, not here.
///
/// Hashes are FNV-1a 64 with a splitmix finalizer: stable across processes, never `hashValue`.
struct StoryFingerprint: Sendable, Hashable {
    /// The four lists one after the other (title, body, words, numbers), then the lead as positions in `body`,
    /// four 16-bit positions to an element (every lead phrase is a body phrase): one allocation per fingerprint,
    /// not five, and no lead phrase twice, for the tens of thousands the story index holds.
    private var terms: [UInt64]
    private var titleEnd: Int32
    private var bodyEnd: Int32
    private var wordsEnd: Int32
    private var numbersEnd: Int32
    private var leadCount: Int32

    /// Sorted, unique hashes of the title's word pairs (its single word when it has one).
    var title: ArraySlice<UInt64> { terms[0..<Int(titleEnd)] }
    /// Sorted, unique hashes of the word triples of the teaser's lead: its first sentence, or the first
    /// sentences up to ``minimumLeadWords`` words (made from ``body`` on each call).
    var lead: [UInt64] { Array(leadPhrases) }
    /// The phrases of ``lead``, in order (sorted), read from ``body`` as they are visited: no list is made.
    var leadPhrases: LazyMapCollection<Range<Int>, UInt64> {
        let body = self.body
        return (0..<Int(leadCount)).lazy.map { body[body.startIndex + leadPosition($0)] }
    }
    /// Sorted, unique hashes of the word triples of every teaser sentence (the lead's included).
    var body: ArraySlice<UInt64> { terms[Int(titleEnd)..<Int(bodyEnd)] }
    /// The hash of the whole normalized title: equal titles on different stories mark a recurring title.
    var titleKey: UInt64
    /// Sorted, unique hashes of the content words of title and teaser (no stop words, three letters or more).
    var words: ArraySlice<UInt64> { terms[Int(bodyEnd)..<Int(wordsEnd)] }
    /// Sorted, unique hashes of the title's numbers with two digits or more ("45.690" is "45" and "690"):
    /// copies carry the same headline figures; the same template with other figures a day later is another
    /// report (an update within hours may change them all).
    var numbers: ArraySlice<UInt64> { terms[Int(wordsEnd)..<Int(numbersEnd)] }

    /// How many phrases the lead has.
    var leadPhraseCount: Int { Int(leadCount) }

    /// How many of the lead's phrases the sorted `terms` hold (``lead`` not made).
    func leadShared(with terms: [UInt64]) -> Int {
        StoryEvidence.sharedCount(leadPhrases, terms)
    }

    /// The position in ``body`` of the lead's phrase `index`.
    private func leadPosition(_ index: Int) -> Int {
        Int(UInt16(truncatingIfNeeded: terms[Int(numbersEnd) + index / 4] >> UInt64(16 * (index % 4))))
    }
    /// The weekdays named in title and teaser, one bit each (Monday = bit 0): copies name the same day; the
    /// same template on another day ("Warnstreik am Flughafen … am Dienstag" / "… am Mittwoch") is another
    /// report.
    var weekdays: UInt8 = 0
    /// The title marks an entry of live coverage ("Liveblog", "Liveticker", "Live updates", "Live:"): a
    /// summary of the day's news, never a copy of one report.
    var isLiveCoverage = false
    /// The hash of the teaser's dateline place ("Münster (dpa/lnw) -", "WASHINGTON, Jan 12 (Reuters) -"), 0
    /// when it has none: a copy keeps or drops the dateline but never moves it to another city.
    var dateline: UInt64 = 0
    /// The title is only a breaking-news marker ("Eilmeldung", "+++ EIL +++", "Breaking news", "Just in"): the
    /// outlet's placeholder for a report it publishes in full minutes later under a new link, with a new headline
    /// and teaser (``placeholderWords``).
    var isPlaceholder = false
    /// The hash of the host of the item's link (``outlet(ofLinkIdentity:)``), 0 when it has none: which outlet
    /// published it, whichever of its feeds carries it.
    var outlet: UInt64 = 0
    /// Title or teaser names the day relative to the publication ("heute", "am Morgen", "gestern", "this morning",
    /// "tonight", ``dayPhrases``): a report of that day. The same template a day later ("Glätte: zahlreiche Unfälle am
    /// Morgen") is another day's report, which a copy of the first would not be.
    var namesItsDay = false

    /// Teaser words beyond this are ignored: teasers are short, long summaries are articles.
    static let maximumWords = 120
    /// A lead shorter than this takes the next sentence too (datelines, "Breaking." and the like).
    static let minimumLeadWords = 8

    /// The fingerprint of a title already split into normalized words and a raw teaser.
    init(titleWords: [String], summary: String) {
        self = FingerprintScratch.with { Self(titleWords: titleWords, summary: summary, scratch: &$0) }
    }

    /// Made in the lists of `scratch` (``FingerprintScratch``): only ``terms`` is allocated.
    private init(titleWords: [String], summary: String, scratch: inout FingerprintScratch) {
        Self.phrases(titleWords, length: titleWords.count == 1 ? 1 : 2, seed: 0x7469_746c, into: &scratch.title)
        let titleKey = Self.hash(titleWords, seed: 0x6b65_79)
        let isLiveCoverage = Self.isLiveCoverage(titleWords)
        let isPlaceholder = Self.isPlaceholder(titleWords)
        let dateline = Self.datelinePlace(summary).map { Self.hash(TextNormalizer.words(in: String($0)), seed: 0x6461_7465) } ?? 0
        var days: UInt8 = 0
        for word in titleWords {
            scratch.spelled.removeAll(keepingCapacity: true)
            scratch.spelled.append(contentsOf: word.utf8)
            scratch.spelled.append(0x20)
            Self.classify(scratch.spelled, lead: true, words: &scratch.words, figures: &scratch.figures, days: &days)
        }
        // The teaser, tokenized once; phrases are hashed from the normalized bytes ("w1 w2 w3 "), never as strings.
        scratch.tokens.tokenize(summary)
        let tokens = scratch.tokens
        let count = min(tokens.count, Self.maximumWords)
        var text = summary
        text.withUTF8 { source in
            for index in 0..<count
            where index == count - 1
                || Self.endsSentence(source, from: Int(tokens.sourceEnds[index]), to: Int(tokens.sourceStarts[index + 1]))
            {
                scratch.sentenceEnds.append(index)
            }
        }
        tokens.bytes.withUnsafeBufferPointer { bytes in
            func end(_ word: Int) -> Int { word + 1 < tokens.count ? Int(tokens.starts[word + 1]) : bytes.count }
            var start = 0
            var leadWords = 0
            for last in scratch.sentenceEnds {
                let isLead = leadWords < Self.minimumLeadWords
                for word in start...last {
                    Self.classify(
                        UnsafeBufferPointer(rebasing: bytes[Int(tokens.starts[word])..<end(word)]), lead: false,
                        words: &scratch.words, figures: &scratch.figures, days: &days)
                }
                let length = min(3, last - start + 1)
                for first in start...(last - length + 1) {
                    let phrase = Self.hash(
                        UnsafeBufferPointer(rebasing: bytes[Int(tokens.starts[first])..<end(first + length - 1)]),
                        seed: 0x626f_6479)
                    scratch.body.append(phrase)
                    if isLead { scratch.lead.append(phrase) }
                }
                if isLead { leadWords += last - start + 1 }
                start = last + 1
            }
        }
        let namesItsDay = Self.namesItsDay(titleWords) || Self.namesItsDay(scratch.tokens)
        Self.sortUnique(&scratch.lead)
        Self.sortUnique(&scratch.body)
        Self.sortUnique(&scratch.words)
        Self.sortUnique(&scratch.figures)
        self.init(
            title: scratch.title[...], lead: scratch.lead[...], body: scratch.body[...], titleKey: titleKey,
            words: scratch.words[...], numbers: scratch.figures[...], weekdays: days, isLiveCoverage: isLiveCoverage,
            dateline: dateline)
        self.isPlaceholder = isPlaceholder
        self.namesItsDay = namesItsDay
    }

    /// Files one normalized word (its bytes and one trailing space) as a figure (title only: `lead`), a
    /// weekday (anywhere; also the start of a German compound, "Dienstagmorgen"), a content word, or nothing
    /// (a stop word, under three letters).
    private static func classify<Bytes: Collection<UInt8>>(
        _ word: Bytes, lead: Bool, words: inout [UInt64], figures: inout [UInt64], days: inout UInt8
    ) {
        let length = word.count - 1
        if word.dropLast().allSatisfy({ $0 &- 0x30 < 10 }) {
            if lead, length >= 2 { figures.append(hash(word, seed: 0x6e75_6d)) }
            return
        }
        guard length >= 3 else { return }
        let key = hash(word, seed: 0x776f_7264)
        if let day = weekdayHashes.value(key) ?? weekday(prefixOf: word) { days |= 1 << day }
        if !stopWordHashes.contains(key) { words.append(key) }
    }

    /// The first `limit` distinct content words of a title and teaser that `story` carries too, as text (for
    /// logs and `newsmon explain`).
    static func sharedWords(titleWords: [String], summary: String, with story: StoryFingerprint, limit: Int) -> [String] {
        var result: [String] = []
        for word in titleWords where result.count < limit {
            guard word.utf8.count >= 3, !result.contains(word) else { continue }
            let key = hash(CollectionOfOne(word), seed: 0x776f_7264)
            if !stopWordHashes.contains(key), position(of: key, in: story.words) != nil { result.append(word) }
        }
        guard result.count < limit else { return result }
        // The teaser's words are hashed from the tokenizer's bytes ("word "); only those shared become strings.
        FingerprintScratch.with { (scratch: inout FingerprintScratch) in
            scratch.tokens.tokenize(summary)
            let tokens = scratch.tokens
            tokens.bytes.withUnsafeBufferPointer { bytes in
                for index in 0..<tokens.count where result.count < limit {
                    let end = index + 1 < tokens.count ? Int(tokens.starts[index + 1]) : bytes.count
                    let spelled = UnsafeBufferPointer(rebasing: bytes[Int(tokens.starts[index])..<end])  // with its space
                    guard spelled.count > 3 else { continue }
                    let key = hash(spelled, seed: 0x776f_7264)
                    guard !stopWordHashes.contains(key), position(of: key, in: story.words) != nil else { continue }
                    let word = String(decoding: spelled.dropLast(), as: UTF8.self)
                    if !result.contains(word) { result.append(word) }
                }
            }
        }
        return result
    }

    /// The content words of a headline (sorted, unique hashes, as in ``words``), without the markers outlets put
    /// before breaking news ("EILMELDUNG:", "Breaking:", "Update:"): what a headline-only item is judged by.
    static func headlineWords(_ titleWords: [String]) -> [UInt64] {
        var result: [UInt64] = []
        for word in titleWords where word.utf8.count >= 3 && !headlineMarkers.contains(word) {
            guard !word.utf8.allSatisfy({ $0 &- 0x30 < 10 }) else { continue }
            let key = hash(CollectionOfOne(word), seed: 0x776f_7264)
            if !stopWordHashes.contains(key) { result.append(key) }
        }
        return sortedUnique(result)
    }

    /// The headline's specific figures (sorted, unique hashes, as in ``numbers``): three digits or more, not a
    /// year and not "000" ("80.430" gives "430", "407,5" gives "407"; "No 10", "2022" and "100.000" give nothing
    /// or only what many stories carry).
    static func specificFigures(_ titleWords: [String]) -> [UInt64] {
        var result: [UInt64] = []
        for word in titleWords where word.utf8.count >= 3 && word.utf8.allSatisfy({ $0 &- 0x30 < 10 }) {
            if word.utf8.allSatisfy({ $0 == 0x30 }) { continue }
            if word.utf8.count == 4, let year = Int(word), (1900...2099).contains(year) { continue }
            result.append(hash(CollectionOfOne(word), seed: 0x6e75_6d))
        }
        return sortedUnique(result)
    }

    /// Words that mark a headline's kind, not its report.
    static let headlineMarkers: Set<String> = [
        "eilmeldung", "eil", "breaking", "news", "update", "updated", "aktualisiert", "exklusiv", "exclusive",
        "liveblog", "newsblog", "ticker", "video", "watch", "audio", "podcast",
    ]

    /// Whether the source between two words ends a sentence: `.`, `!`, `?` or `…` followed by white space.
    static func endsSentence(_ source: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Bool {
        var index = from
        while index < to {
            let byte = source[index]
            var mark = 0
            if byte == 0x2E || byte == 0x21 || byte == 0x3F {
                mark = 1
            } else if byte == 0xE2, index + 2 < to, source[index + 1] == 0x80, source[index + 2] == 0xA6 {
                mark = 3
            }
            if mark > 0 {
                let next = index + mark
                if next < to, source[next] == 0x20 || source[next] == 0x0A || source[next] == 0x09 || source[next] == 0x0D
                    || (source[next] == 0xC2 && next + 1 < to && source[next + 1] == 0xA0)
                {
                    return true
                }
                index = next
            } else {
                index += 1
            }
        }
        return false
    }

    init(
        title: [UInt64], lead: [UInt64], body: [UInt64], titleKey: UInt64, words: [UInt64], numbers: [UInt64],
        weekdays: UInt8, isLiveCoverage: Bool, dateline: UInt64
    ) {
        self.init(
            title: title[...], lead: lead[...], body: body[...], titleKey: titleKey, words: words[...], numbers: numbers[...],
            weekdays: weekdays, isLiveCoverage: isLiveCoverage, dateline: dateline)
    }

    /// The lists sorted and unique, the lead's phrases among the body's.
    private init(
        title: ArraySlice<UInt64>, lead: ArraySlice<UInt64>, body: ArraySlice<UInt64>, titleKey: UInt64,
        words: ArraySlice<UInt64>, numbers: ArraySlice<UInt64>, weekdays: UInt8, isLiveCoverage: Bool, dateline: UInt64
    ) {
        self.dateline = dateline
        self.weekdays = weekdays
        self.isLiveCoverage = isLiveCoverage
        self.titleKey = titleKey
        var terms: [UInt64] = []
        terms.reserveCapacity(title.count + body.count + words.count + numbers.count + (lead.count + 3) / 4)
        terms += title
        titleEnd = Int32(terms.count)
        terms += body
        bodyEnd = Int32(terms.count)
        terms += words
        wordsEnd = Int32(terms.count)
        terms += numbers
        numbersEnd = Int32(terms.count)
        // A lead phrase not in the body (only a damaged stored blob could have one) is left out.
        var leadCount = 0
        for phrase in lead {
            guard let position = Self.position(of: phrase, in: body), position <= Int(UInt16.max) else { continue }
            if leadCount % 4 == 0 { terms.append(0) }
            terms[terms.count - 1] |= UInt64(position) << UInt64(16 * (leadCount % 4))
            leadCount += 1
        }
        self.leadCount = Int32(leadCount)
        self.terms = terms
    }

    /// Hashes of every run of `length` consecutive words (all words when there are fewer), sorted and unique, in
    /// `result` (emptied first).
    static func phrases(_ words: [String], length: Int, seed: UInt64, into result: inout [UInt64]) {
        result.removeAll(keepingCapacity: true)
        guard !words.isEmpty else { return }
        guard words.count > length else {
            result.append(hash(words[...], seed: seed))
            return
        }
        for start in 0...(words.count - length) {
            result.append(hash(words[start..<(start + length)], seed: seed))
        }
        sortUnique(&result)
    }

    /// FNV-1a 64 over normalized bytes (words each followed by one space), finalized.
    static func hash<Bytes: Collection<UInt8>>(_ bytes: Bytes, seed: UInt64) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return mix(hash)
    }

    static func hash<Words: Collection<String>>(_ words: Words, seed: UInt64) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
        for word in words {
            for byte in word.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
            hash ^= 0x20
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return mix(hash)
    }

    /// splitmix64 finalizer.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    static func sortedUnique(_ values: consuming [UInt64]) -> [UInt64] {
        var sorted = values  // sorted in place: the callers hand over their only reference
        sortUnique(&sorted)
        return sorted
    }

    /// Sorts `values` and drops repeats, in place (its capacity kept).
    static func sortUnique(_ values: inout [UInt64]) {
        let count = values.withUnsafeMutableBufferPointer { buffer -> Int in
            guard let base = buffer.baseAddress, buffer.count > 1 else { return buffer.count }
            sortInPlace(base, 0, buffer.count - 1)
            var write = 1
            for read in 1..<buffer.count where buffer[read] != buffer[write - 1] {
                buffer[write] = buffer[read]
                write += 1
            }
            return write
        }
        values.removeSubrange(count...)
    }

    /// Sorts `values[low...high]` ascending: a quicksort (median of three), insertion sort below 16 elements. The
    /// standard library's `sort()` is stable, which hashes do not need, and cost twice as much on these short lists
    /// of a few dozen to a hundred and twenty hashes.
    private static func sortInPlace(_ values: UnsafeMutablePointer<UInt64>, _ low: Int, _ high: Int) {
        var low = low, high = high
        while high - low >= 16 {
            let middle = low + (high - low) / 2
            if values[middle] < values[low] { swap(values, middle, low) }
            if values[high] < values[low] { swap(values, high, low) }
            if values[high] < values[middle] { swap(values, high, middle) }
            let pivot = values[middle]
            var i = low, j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    swap(values, i, j)
                    i += 1
                    j -= 1
                }
            }
            // The smaller side recursively, the larger in this loop: the depth stays logarithmic.
            if j - low < high - i {
                sortInPlace(values, low, j)
                low = i
            } else {
                sortInPlace(values, i, high)
                high = j
            }
        }
        guard high > low else { return }
        for index in (low + 1)...high {
            let value = values[index]
            var position = index
            while position > low && values[position - 1] > value {
                values[position] = values[position - 1]
                position -= 1
            }
            values[position] = value
        }
    }

    private static func swap(_ values: UnsafeMutablePointer<UInt64>, _ a: Int, _ b: Int) {
        let value = values[a]
        values[a] = values[b]
        values[b] = value
    }

    // MARK: Storage

    /// Blob form for `stories.fingerprint`: a version byte (2), the weekdays, a flags byte (live coverage 1,
    /// placeholder 2, names its day 4: blobs written before session 18 have none), the title key, the dateline, the
    /// outlet, the five list lengths (UInt16), then the lists; little-endian. The lead is stored as positions in `body`, since every lead phrase is a body phrase.
    /// Version 1 (until session 12) had neither the outlet nor the placeholder flag.
    var blob: [UInt8] {
        let limit = Int(UInt16.max)
        let (title, body, words, numbers, lead) = (
            self.title.prefix(limit), self.body.prefix(limit), self.words.prefix(limit), self.numbers.prefix(limit),
            (0..<Int(leadCount)).map(leadPosition).prefix(limit)
        )
        let size = 37 + 8 * (title.count + body.count + words.count + numbers.count) + 2 * lead.count
        // Written in place: appending byte by byte cost more than the insert that stores it.
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            var offset = 0
            func put<T: FixedWidthInteger>(_ value: T) {
                raw.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
                offset += MemoryLayout<T>.size
            }
            put(UInt8(2))
            put(weekdays)
            put(UInt8((isLiveCoverage ? 1 : 0) | (isPlaceholder ? 2 : 0) | (namesItsDay ? 4 : 0)))
            put(titleKey)
            put(dateline)
            put(outlet)
            for count in [title.count, body.count, lead.count, words.count, numbers.count] { put(UInt16(count)) }
            for list in [title, body, words, numbers] {
                for value in list { put(value) }
            }
            for position in lead { put(UInt16(clamping: position)) }
            count = offset
        }
    }

    /// Decodes ``blob`` (version 2, or 1: no outlet, no placeholder flag); nil for an unknown version or a short blob.
    init?(encoded: UnsafeRawBufferPointer) {
        guard encoded.count >= 1, encoded[0] == 1 || encoded[0] == 2 else { return nil }
        let header = encoded[0] == 1 ? 29 : 37
        guard encoded.count >= header else { return nil }
        let weekdays = encoded[1]
        let isLiveCoverage = encoded[2] & 1 != 0
        let isPlaceholder = encoded[0] == 2 && encoded[2] & 2 != 0
        var offset = 3
        func read<T: FixedWidthInteger>(_: T.Type) -> T {
            defer { offset += MemoryLayout<T>.size }
            return T(littleEndian: encoded.loadUnaligned(fromByteOffset: offset, as: T.self))
        }
        let titleKey = read(UInt64.self)
        let dateline = read(UInt64.self)
        let outlet = header == 37 ? read(UInt64.self) : 0
        let titleCount = Int(read(UInt16.self)), bodyCount = Int(read(UInt16.self)), leadCount = Int(read(UInt16.self))
        let wordCount = Int(read(UInt16.self)), numberCount = Int(read(UInt16.self))
        guard encoded.count == header + 8 * (titleCount + bodyCount + wordCount + numberCount) + 2 * leadCount else {
            return nil
        }
        let title = (0..<titleCount).map { _ in read(UInt64.self) }
        let body = (0..<bodyCount).map { _ in read(UInt64.self) }
        let words = (0..<wordCount).map { _ in read(UInt64.self) }
        let numbers = (0..<numberCount).map { _ in read(UInt64.self) }
        let lead = (0..<leadCount).compactMap { _ -> UInt64? in
            let position = Int(read(UInt16.self))
            return position < body.count ? body[position] : nil
        }
        self.init(
            title: title, lead: lead, body: body, titleKey: titleKey, words: words, numbers: numbers, weekdays: weekdays,
            isLiveCoverage: isLiveCoverage, dateline: dateline)
        self.isPlaceholder = isPlaceholder
        self.namesItsDay = encoded[0] == 2 && encoded[2] & 4 != 0
        self.outlet = outlet
    }

    /// The offset of `value` in a sorted list, if it is there.
    static func position(of value: UInt64, in sorted: ArraySlice<UInt64>) -> Int? {
        var low = sorted.startIndex, high = sorted.endIndex
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < sorted.endIndex && sorted[low] == value ? low - sorted.startIndex : nil
    }

    /// Whether normalized title words name live coverage: a live blog or ticker word anywhere, or "live" first
    /// or before "updates", "blog", "coverage".
    static func isLiveCoverage(_ words: [String]) -> Bool {
        if words.first == "live" { return true }
        for (index, word) in words.enumerated() {
            if liveMarkers.contains(word) { return true }
            if word == "live", index + 1 < words.count, liveFollowers.contains(words[index + 1]) { return true }
        }
        return false
    }

    /// Title words that mark live coverage anywhere, and the words that make "live" before them mark it (sets
    /// built once, not per title).
    private static let liveMarkers: Set<String> = ["liveblog", "liveticker", "newsblog", "newsticker", "ticker", "liveupdates"]
    private static let liveFollowers: Set<String> = ["updates", "blog", "coverage", "ticker"]

    /// The place of a dateline at the start of a teaser: at most four words before a parenthesised agency
    /// ("Brüssel (dpa) -", "Moskau/Kiew (AFP) –"), or before a comma and date ("BENGALURU, Jan 12 (Reuters) -").
    static func datelinePlace(_ summary: String) -> Substring? {
        // No "(" byte, no "(" character: most teasers are done without walking characters.
        var text = summary
        guard text.withUTF8({ $0.contains(0x28) }) else { return nil }
        let head = summary.prefix(80)
        guard let open = head.firstIndex(of: "("), let close = head[open...].firstIndex(of: ")") else { return nil }
        let after = head[head.index(after: close)...].drop { $0 == " " }
        guard let dash = after.first, dash == "-" || dash == "–" || dash == "—" else { return nil }
        var place = head[..<open]
        if let comma = place.firstIndex(of: ",") { place = place[..<comma] }
        let words = place.split(whereSeparator: { $0 == " " || $0 == "/" })
        guard !words.isEmpty, words.count <= 4 else { return nil }
        return place
    }

    /// ``weekdayNumbers`` and ``stopWords`` by the hash ``classify`` computes for a word.
    static let weekdayHashes = TermTable(weekdayNumbers.map { (hash(CollectionOfOne($0.key), seed: 0x776f_7264), $0.value) })
    static let stopWordHashes = TermTable(stopWords.map { (hash(CollectionOfOne($0), seed: 0x776f_7264), 0) })

    /// The weekday a German compound starts with ("dienstagmorgen", "freitagabend"), if any.
    private static func weekday<Bytes: Collection<UInt8>>(prefixOf word: Bytes) -> Int? {
        guard word.count > 7 else { return nil }
        for (prefix, day) in weekdayPrefixes where word.starts(with: prefix) { return day }
        return nil
    }

    private static let weekdayPrefixes: [([UInt8], Int)] = [
        ("montag", 0), ("dienstag", 1), ("mittwoch", 2), ("donnerstag", 3), ("freitag", 4), ("samstag", 5),
        ("sonnabend", 5), ("sonntag", 6),
    ].map { (Array($0.0.utf8), $0.1) }

    /// Weekday names (normalized, German and English) → 0 (Monday) … 6.
    static let weekdayNumbers: [String: Int] = [
        "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5, "sonnabend": 5,
        "sonntag": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
        "sunday": 6,
    ]

    /// German and English function words (normalized), which say nothing about the report.
    static let stopWords: Set<String> = [
        // German
        "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "einem", "einen", "und", "oder",
        "aber", "als", "auch", "auf", "aus", "bei", "bis", "durch", "fuer", "gegen", "hat", "haben", "hatte", "ist",
        "sind", "war", "waren", "wird", "werden", "wurde", "wurden", "mit", "nach", "nicht", "noch", "nun", "sich",
        "sie", "sein", "seine", "ihre", "ihr", "uns", "von", "vor", "wie", "zum", "zur", "zwischen", "ueber", "unter",
        "dass", "denn", "doch", "dort", "hier", "heute", "jetzt", "kann", "koennen", "soll", "sollen", "will",
        "wollen", "mehr", "sehr", "schon", "so", "was", "wer", "wenn", "weil", "alle", "allen", "beim", "vom", "ins",
        "im", "am", "um", "an", "es", "er", "wir", "man", "nur", "ohne", "seit", "laut", "dabei", "dazu", "diese",
        "dieser", "dieses", "diesem", "diesen", "einem", "keine", "kein", "neue", "neuen", "neuer",
        // English
        "the", "and", "for", "are", "was", "were", "has", "have", "had", "with", "from", "that", "this", "these",
        "those", "its", "his", "her", "their", "they", "them", "not", "but", "you", "our", "who", "what", "when",
        "where", "which", "will", "would", "could", "should", "can", "may", "about", "after", "before", "over",
        "into", "than", "then", "also", "more", "most", "been", "being", "said", "says", "new", "all", "any", "out",
        "off", "how", "why", "now", "just", "other", "some", "such", "very",
    ]
}
