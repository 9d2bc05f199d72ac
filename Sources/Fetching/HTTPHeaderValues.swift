import Foundation

/// Parsers for the few HTTP header values the fetcher reads.
enum HTTPHeaderValues {
    /// The `charset` parameter of a `Content-Type` value, as sent (surrounding quotes removed).
    static func charset(fromContentType value: String?) -> String? {
        guard let value else { return nil }
        for parameter in value.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else {
                continue
            }
            var charset = pair[1].trimmingCharacters(in: .whitespaces)
            if charset.count >= 2, charset.hasPrefix("\""), charset.hasSuffix("\"") {
                charset = String(charset.dropFirst().dropLast())
            }
            return charset.isEmpty ? nil : charset
        }
        return nil
    }

    /// A `Retry-After` value: delay seconds, or an HTTP date (IMF-fixdate, RFC 850 or asctime).
    ///
    /// A date in the past gives `.zero`; anything unparsable gives nil.
    static func retryAfter(_ value: String, now: Date) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.allSatisfy(\.isASCIIDigit) {
            // Absurdly large values saturate: the scheduler cuts every Retry-After to its own limit.
            return .seconds(Int64(trimmed) ?? .max)
        }
        guard let date = httpDate(trimmed) else { return nil }
        let seconds = date.timeIntervalSince(now)
        return seconds > 0 ? .seconds(seconds) : .zero
    }

    /// Parses the three HTTP date formats of RFC 9110 §5.6.7.
    static func httpDate(_ value: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = makeFormatter(format)
            if let date = formatter.date(from: value) { return date }
        }
        return nil
    }

    /// Formats a date as IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`): the time rounded to the millisecond,
    /// then down to the second, as `DateFormatter` does. By hand, since a `DateFormatter` per file feed poll
    /// cost more than reading the file (ICU set-up).
    static func httpDate(_ date: Date) -> String {
        let seconds = Int64(((date.timeIntervalSince1970 * 1000).rounded() / 1000).rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSince1970: days)
        let weekday = Int((days % 7 + 7 + 4) % 7)  // 1970-01-01 was a Thursday
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let digits = String(year)
        let yearText = String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        return "\(names[weekday]), \(two(day)) \(months[Int(month) - 1]) \(yearText) "
            + "\(two(time / 3600)):\(two(time % 3600 / 60)):\(two(time % 60)) GMT"
    }

    /// Year, month (1–12) and day of the proleptic Gregorian calendar (H. Hinnant's `civil_from_days`).
    private static func civilDate(daysSince1970 days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func makeFormatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = format
        return formatter
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
