extension FeedDateParser {
    /// The month (1–12) a word names, in English, German, French, Spanish, Italian, Dutch, Greek or Hungarian.
    static func month(_ word: String) -> Int? {
        let w = word.lowercased()
        if let m = monthWords[w] { return m }
        // Abbreviations with or without a trailing period, and full names: match on the first letters.
        for (prefix, m) in monthPrefixes where w.count >= 3 && w.hasPrefix(prefix) { return m }
        return nil
    }

    static let monthWords: [String: Int] = {
        var table: [String: Int] = [:]
        let lists: [[String]] = [
            ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"],
            ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"],
            ["jänner", "feber", "maerz", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "dez"],
            ["mär", "mrz", "sept", "jän", "juin", "juil", "août", "déc", "févr", "janv", "avr", "mars"],
            ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
            ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
            ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"],
            ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
            ["ιαν", "φεβ", "μάρ", "απρ", "μάι", "ιούν", "ιούλ", "αύγ", "σεπ", "οκτ", "νοέ", "δεκ"],
            ["ιαν", "φεβ", "μαρ", "απρ", "μαι", "ιουν", "ιουλ", "αυγ", "σεπ", "οκτ", "νοε", "δεκ"],
            ["január", "február", "március", "április", "május", "június", "július", "augusztus", "szeptember", "október", "november", "december"],
        ]
        for list in lists {
            for (k, name) in list.enumerated() where table[name] == nil { table[name] = k + 1 }
        }
        // Special cases that the positional lists above get wrong.
        table["jänner"] = 1; table["feber"] = 2; table["maerz"] = 3; table["mär"] = 3; table["mrz"] = 3
        table["sept"] = 9; table["jän"] = 1; table["juin"] = 6; table["juil"] = 7; table["août"] = 8
        table["déc"] = 12; table["févr"] = 2; table["janv"] = 1; table["avr"] = 4; table["mars"] = 3
        table["μαΐ"] = 5; table["maj"] = 5
        return table
    }()

    static let monthPrefixes: [(String, Int)] = [
        ("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("may", 5), ("jun", 6), ("jul", 7), ("aug", 8), ("sep", 9),
        ("oct", 10), ("okt", 10), ("nov", 11), ("dec", 12), ("dez", 12), ("mai", 5), ("mär", 3), ("mae", 3),
    ]

    // MARK: - Everything that is not ISO 8601

    /// Token-based reading: words are months, zones, AM/PM or ignored (weekdays, "Uhr"); the
    /// `H:MM(:SS)` token is the time; the numbers left are day, month and year by their shape.
    static func generic(_ s: [Unicode.Scalar]) -> Fields? {
        var f = Fields()
        var numbers: [(value: Int, length: Int, separator: Unicode.Scalar)] = []
        var month: Int?
        var time: (Int, Int, Int)?
        var pm: Bool?
        var i = 0
        var lastSeparator: Unicode.Scalar = " "
        while i < s.count {
            let c = s[i]
            if c.isASCII, c >= "0" && c <= "9" {
                var j = i
                guard let (v, length) = number(s, &j) else { return nil }
                if j < s.count, s[j] == ":" {
                    var k = i
                    guard time == nil, let t = FeedDateParser.time(s, &k) else { return nil }
                    time = t
                    i = k
                    // A zone glued to the time: 16:29:06+0000, 08:57:00Z.
                    if i < s.count, s[i] == "+" || s[i] == "-" || s[i] == "Z" {
                        guard let off = zone(s, &i) else { return nil }
                        f.offset = off
                    }
                    continue
                }
                numbers.append((v, length, lastSeparator))
                i = j
                lastSeparator = " "
                continue
            }
            if (c == "+" || c == "-"), time != nil, i + 1 < s.count, s[i + 1].isASCII, s[i + 1] >= "0" && s[i + 1] <= "9" {
                guard let off = zone(s, &i) else { return nil }
                f.offset = off
                continue
            }
            if c.isLetterLike {
                var j = i
                while j < s.count, s[j].isLetterLike { j += 1 }
                let word = String(String.UnicodeScalarView(s[i..<j])).lowercased()
                if word == "am" || word == "오전" || word == "a" && j < s.count && s[j] == "." {
                    pm = false
                } else if word == "pm" || word == "오후" {
                    pm = true
                } else if month == nil, let m = FeedDateParser.month(word) {
                    month = m
                } else if time != nil || numbers.count >= 2, f.offset == nil, word != "t",
                    let hours = zoneHours[word] ?? (time != nil ? military(word) : nil)
                {
                    f.offset = Int(hours * 3600)
                    // GMT+7, UTC-05:00
                    if j < s.count, s[j] == "+" || s[j] == "-" {
                        var k = j
                        if let off = zone(s, &k) { f.offset = off; j = k }
                    }
                }
                i = j
                continue
            }
            if c == "." || c == "/" || c == "-" { lastSeparator = c }
            i += 1
        }
        if f.offset == nil, s.contains(where: { $0.value >= 0xAC00 && $0.value <= 0xD7A3 }) {
            // Dates written in Korean carry Korea's time (no DST).
            f.offset = 9 * 3600
        }
        if let (h, m, sec) = time {
            var hour = h
            if let pm {
                if pm && hour < 12 { hour += 12 }
                if !pm && hour == 12 { hour = 0 }
            }
            (f.hour, f.minute, f.second) = (hour, m, sec)
        }
        if let month {
            // Day is the first short number, year the other.
            guard numbers.count >= 2 else { return nil }
            let a = numbers[0], b = numbers[1]
            if a.length == 4 {
                f.year = a.value; f.day = b.value
            } else {
                f.day = a.value; f.year = expandYear(b.value, length: b.length)
            }
            f.month = month
        } else {
            guard numbers.count >= 3 else { return nil }
            let a = numbers[0], b = numbers[1], c = numbers[2]
            if a.length == 4 {
                (f.year, f.month, f.day) = (a.value, b.value, c.value)
            } else if b.separator == "/" && a.value <= 12 && b.value > 12 {
                (f.month, f.day, f.year) = (a.value, b.value, expandYear(c.value, length: c.length))
            } else {
                (f.day, f.month, f.year) = (a.value, b.value, expandYear(c.value, length: c.length))
            }
        }
        return f
    }

    /// Two-digit years: 00–69 are 2000–2069, 70–99 are 1970–1999.
    static func expandYear(_ v: Int, length: Int) -> Int {
        guard length <= 2 else { return v }
        return v < 70 ? 2000 + v : 1900 + v
    }
}
