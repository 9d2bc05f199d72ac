import Foundation
import NewsModel

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
        let civil = CivilDate(secondsSince1970: seconds)
        let time = civil.secondOfDay
        let two = CivilDate.two
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(names[civil.weekday]), \(two(civil.day)) \(months[Int(civil.month) - 1]) \(civil.yearText) "
            + "\(two(time / 3600)):\(two(time % 3600 / 60)):\(two(time % 60)) GMT"
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
