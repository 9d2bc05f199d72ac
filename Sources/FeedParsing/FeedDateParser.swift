#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Parses the date formats found in feeds: RFC 822/1123 (every zone form), RFC 3339 and W3C-DTF,
/// asctime, and the real-world variants (no weekday, German day and month names, `12. Januar 2022
/// 10:15`, two-digit years, numeric `12.01.2022`).
///
/// A date without a zone is read in `defaultTimeZone` (an IANA name), else in UTC.
public enum FeedDateParser {
    /// The instant `string` denotes, or nil when it is not a recognisable date.
    public static func parse(_ string: String, defaultTimeZone: String? = nil) -> Date? {
        var string = string
        if let fields = string.withUTF8({ fast($0) }), let date = fields.date(defaultTimeZone: defaultTimeZone) {
            return date
        }
        let scalars = Array(string.unicodeScalars)
        guard let fields = iso(scalars) ?? generic(scalars) else { return nil }
        return fields.date(defaultTimeZone: defaultTimeZone)
    }

    /// As ``parse(_:defaultTimeZone:)``, from UTF-8 bytes (no String for the common forms).
    static func parse(utf8: ArraySlice<UInt8>, defaultTimeZone: String?) -> Date? {
        utf8.withUnsafeBufferPointer { parse(utf8: $0, defaultTimeZone: defaultTimeZone) }
    }

    /// As ``parse(_:defaultTimeZone:)``, from UTF-8 bytes (no String for the common forms).
    static func parse(utf8: UnsafeBufferPointer<UInt8>, defaultTimeZone: String?) -> Date? {
        if let fields = fast(utf8), let date = fields.date(defaultTimeZone: defaultTimeZone) {
            return date
        }
        let string = String(decoding: utf8, as: UTF8.self)
        let scalars = Array(string.unicodeScalars)
        guard let fields = iso(scalars) ?? generic(scalars) else { return nil }
        return fields.date(defaultTimeZone: defaultTimeZone)
    }

    struct Fields {
        var year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0
        /// Offset east of UTC in seconds; nil when the text has no zone.
        var offset: Int?

        func date(defaultTimeZone: String?) -> Date? {
            guard (1...12).contains(month), (1...31).contains(day), (0...24).contains(hour), (0...59).contains(minute),
                (0...60).contains(second), year >= 1 && year <= 9999
            else { return nil }
            guard day <= FeedDateParser.daysInMonth(year, month) else { return nil }
            let days = FeedDateParser.daysFromCivil(year, month, day)
            let local = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59)
            var offset = self.offset
            if offset == nil, let name = defaultTimeZone, let tz = TimeZone(identifier: name) {
                let guess = Date(timeIntervalSince1970: TimeInterval(local))
                let first = tz.secondsFromGMT(for: guess)
                offset = tz.secondsFromGMT(for: guess.addingTimeInterval(TimeInterval(-first)))
            }
            return Date(timeIntervalSince1970: TimeInterval(local - (offset ?? 0)))
        }
    }

    // MARK: - ISO 8601 / RFC 3339 / W3C-DTF

    static func iso(_ s: [Unicode.Scalar]) -> Fields? {
        var i = 0
        skipSpaces(s, &i)
        var f = Fields()
        if i < s.count, s[i] == "-" {
            // ISO 8601:1988 truncated "-YY-MM" / "-YYMM": a year of this century and a month.
            i += 1
            guard let (yy, yyLength) = number(s, &i) else { return nil }
            if yyLength == 4 {
                (f.year, f.month) = (2000 + yy / 100, yy % 100)
            } else {
                guard yyLength == 2, i < s.count, s[i] == "-" else { return nil }
                i += 1
                guard let (mm, mmLength) = number(s, &i), mmLength == 2 else { return nil }
                (f.year, f.month) = (2000 + yy, mm)
            }
            skipSpaces(s, &i)
            return i == s.count ? f : nil
        }
        guard let (year, yearLength) = number(s, &i) else { return nil }
        switch yearLength {
        case 8:
            f.year = year / 10000; f.month = year / 100 % 100; f.day = year % 100
        case 7, 5:
            // Compact ordinal dates YYYYDDD, YYDDD (two-digit years are of this century, as in feedparser).
            f.year = yearLength == 7 ? year / 1000 : 2000 + year / 1000
            guard let (mm, dd) = ordinal(f.year, year % 1000) else { return nil }
            f.month = mm; f.day = dd
        case 6:
            // Compact YYMMDD.
            f.year = 2000 + year / 10000; f.month = year / 100 % 100; f.day = year % 100
        case 2:
            // ISO 8601:1988 two-digit years: YY-MM-DD or YY-DDD, nothing looser (31-12-2003 is a day first).
            guard i < s.count, s[i] == "-" else { return nil }
            i += 1
            guard let (m, mLength) = number(s, &i) else { return nil }
            f.year = 2000 + year
            if mLength == 3, i >= s.count || s[i] != "-" {
                guard let (mm, dd) = ordinal(f.year, m) else { return nil }
                f.month = mm; f.day = dd
            } else {
                guard mLength == 2, i < s.count, s[i] == "-" else { return nil }
                i += 1
                guard let (d, dLength) = number(s, &i), dLength == 2 else { return nil }
                f.month = m; f.day = d
            }
        case 4:
            f.year = year
            if i < s.count, s[i] == "-" {
                i += 1
                if let (m, mLength) = number(s, &i) {
                    if mLength == 3, i >= s.count || s[i] != "-" {
                        // Ordinal date YYYY-DDD.
                        guard let (mm, dd) = ordinal(year, m) else { return nil }
                        f.month = mm; f.day = dd
                    } else {
                        f.month = m
                    }
                } else if let m = monthName(s, &i) {
                    f.month = m
                } else {
                    return nil
                }
                if i < s.count, s[i] == "-" {
                    i += 1
                    guard let (d, _) = number(s, &i) else { return nil }
                    f.day = d
                }
            }
        default:
            return nil
        }
        if i < s.count, s[i] == "T" || s[i] == "t" || s[i] == " " {
            var j = i + 1
            while j < s.count, s[j] == " " { j += 1 }
            if j < s.count, s[j].properties.numericType != nil, let t = time(s, &j) {
                (f.hour, f.minute, f.second) = t
                i = j
            } else if s[i] != " " {
                return nil
            }
        }
        skipSpaces(s, &i)
        if i < s.count {
            guard let offset = zone(s, &i) else { return nil }
            f.offset = offset
            skipSpaces(s, &i)
            guard i == s.count else { return nil }
        }
        return f
    }

    /// `HH(:MM(:SS(.fff)?)?)?` or compact `HHMM(SS)?`.
    static func time(_ s: [Unicode.Scalar], _ i: inout Int) -> (Int, Int, Int)? {
        guard let (h, hLength) = number(s, &i) else { return nil }
        if hLength == 4 || hLength == 6 {
            return hLength == 4 ? (h / 100, h % 100, 0) : (h / 10000, h / 100 % 100, h % 100)
        }
        guard hLength <= 2 else { return nil }
        var minute = 0, second = 0
        if i < s.count, s[i] == ":" {
            i += 1
            guard let (m, _) = number(s, &i) else { return nil }
            minute = m
            if i < s.count, s[i] == ":" {
                i += 1
                guard let (sec, _) = number(s, &i) else { return nil }
                second = sec
                if i < s.count, s[i] == "." || s[i] == "," {
                    i += 1
                    _ = number(s, &i)
                }
            }
        }
        return (h, minute, second)
    }

    /// `Z`, `±HH`, `±HHMM`, `±HH:MM`, or a zone name (`GMT`, `EST`, `MESZ`, `GMT+7` …).
    static func zone(_ s: [Unicode.Scalar], _ i: inout Int) -> Int? {
        guard i < s.count else { return nil }
        if s[i] == "+" || s[i] == "-" {
            let sign = s[i] == "-" ? -1 : 1
            i += 1
            guard let (v, length) = number(s, &i) else { return nil }
            var hours = v, minutes = 0
            if length == 4 || length == 3 {
                hours = v / 100; minutes = v % 100
            } else if length <= 2, i < s.count, s[i] == ":" {
                i += 1
                guard let (m, _) = number(s, &i) else { return nil }
                minutes = m
            } else if length > 2 {
                return nil
            }
            guard hours <= 23, minutes <= 59 else { return nil }
            return sign * (hours * 3600 + minutes * 60)
        }
        var j = i
        while j < s.count, s[j].isLetterLike || s[j] == "/" { j += 1 }
        guard j > i else { return nil }
        let name = String(String.UnicodeScalarView(s[i..<j])).lowercased()
        i = j
        let base = name.hasPrefix("etc/") ? String(name.dropFirst(4)) : name
        guard let hours = zoneHours[base] ?? military(base) else { return nil }
        if i < s.count, s[i] == "+" || s[i] == "-", let extra = zone(s, &i) {
            return extra
        }
        return Int(hours * 3600)
    }

    static func military(_ name: String) -> Double? {
        guard name.count == 1, let c = name.unicodeScalars.first, c.isASCII else { return nil }
        let v = Int(c.value)
        switch c {
        case "z": return 0
        case "a"..."i": return -Double(v - 96)
        case "k"..."m": return -Double(v - 97)
        case "n"..."y": return Double(v - 109)
        default: return nil
        }
    }

    static let zoneHours: [String: Double] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "wet": 0, "west": 1, "bst": 1, "ist": 1,
        "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
        "et": -5, "ct": -6, "mt": -7, "pt": -8, "at": -4, "ast": -4, "adt": -3, "akst": -9, "akdt": -8,
        "hst": -10, "nst": -3.5, "ndt": -2.5,
        "cet": 1, "cest": 2, "met": 1, "mest": 2, "mez": 1, "mesz": 2, "eet": 2, "eest": 3, "oez": 2, "oesz": 3,
        "msk": 3, "jst": 9, "kst": 9, "hkt": 8, "sgt": 8, "awst": 8, "acst": 9.5, "aest": 10, "aedt": 11,
        "nzst": 12, "nzdt": 13,
    ]

    // MARK: - Helpers

    static func skipSpaces(_ s: [Unicode.Scalar], _ i: inout Int) {
        while i < s.count, s[i] == " " || s[i] == "\t" || s[i] == "\n" || s[i] == "\r" { i += 1 }
    }

    /// A run of ASCII digits: its value and length.
    static func number(_ s: [Unicode.Scalar], _ i: inout Int) -> (Int, Int)? {
        var v = 0, n = 0
        while i < s.count, s[i].isASCII, s[i] >= "0" && s[i] <= "9", n < 9 {
            v = v * 10 + Int(s[i].value - 48)
            n += 1
            i += 1
        }
        return n > 0 ? (v, n) : nil
    }

    static func monthName(_ s: [Unicode.Scalar], _ i: inout Int) -> Int? {
        var j = i
        while j < s.count, s[j].isLetterLike { j += 1 }
        guard j > i, let m = month(String(String.UnicodeScalarView(s[i..<j]))) else { return nil }
        i = j
        return m
    }

    static func ordinal(_ year: Int, _ dayOfYear: Int) -> (Int, Int)? {
        var remaining = dayOfYear
        for m in 1...12 {
            let dim = daysInMonth(year, m)
            if remaining <= dim { return remaining >= 1 ? (m, remaining) : nil }
            remaining -= dim
        }
        return nil
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

extension Unicode.Scalar {
    /// A letter: ASCII checked directly, other scalars by their Unicode property.
    @inline(__always) var isLetterLike: Bool {
        if isASCII { return (value | 0x20) >= 0x61 && (value | 0x20) <= 0x7A }
        return properties.isAlphabetic
    }
}
