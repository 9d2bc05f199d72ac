#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A date of the proleptic Gregorian calendar in UTC, worked out by arithmetic: no `DateFormatter`, no ICU.
public struct CivilDate: Equatable, Sendable {
    public var year: Int64
    /// 1–12.
    public var month: Int64
    /// 1–31.
    public var day: Int64
    /// 0 = Sunday … 6 = Saturday.
    public var weekday: Int
    /// Seconds since midnight, 0..<86,400.
    public var secondOfDay: Int64

    /// The UTC date and time of `seconds` since 1970-01-01T00:00:00Z (H. Hinnant's `civil_from_days`).
    public init(secondsSince1970 seconds: Int64) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        secondOfDay = seconds - days * 86_400
        weekday = Int((days % 7 + 7 + 4) % 7)  // 1970-01-01 was a Thursday
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// The year as at least four digits (`0099`).
    public var yearText: String {
        let digits = String(year)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// `2022-01-12T10:15:03Z`: ISO 8601 in UTC, whole seconds.
    public var iso8601: String {
        let two = Self.two
        return "\(yearText)-\(two(month))-\(two(day))"
            + "T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))Z"
    }

    /// `date` in ISO 8601, UTC, its fraction of a second dropped: what alerts and parsed documents write.
    public static func iso8601(_ date: Date) -> String {
        CivilDate(secondsSince1970: Int64(date.timeIntervalSince1970.rounded(.down))).iso8601
    }

    /// `n` as two digits at least.
    public static func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
