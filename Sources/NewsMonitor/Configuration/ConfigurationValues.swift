/// Parsers for the value forms of feeds.conf: durations, sizes, backfill, languages.
enum ConfigurationValues {
    /// Parses `"90s"`, `"10m"`, `"24h"`, `"90d"`, `"1w"`, `"500ms"` and sums like `"1h30m"`.
    static func duration(_ text: String) -> Duration? {
        var total: Duration = .zero
        var scalars = Substring(text.trimmed)
        guard !scalars.isEmpty else { return nil }
        while !scalars.isEmpty {
            let digits = scalars.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let value = Int64(digits), value < 1_000_000_000 else { return nil }
            scalars = scalars.dropFirst(digits.count)
            let unit = scalars.prefix { $0.isLetter }
            scalars = scalars.dropFirst(unit.count)
            switch unit {
            case "ms": total += .milliseconds(value)
            case "s": total += .seconds(value)
            case "m": total += .seconds(value * 60)
            case "h": total += .seconds(value * 3600)
            case "d": total += .seconds(value * 86_400)
            case "w": total += .seconds(value * 604_800)
            default: return nil
            }
        }
        return total
    }

    /// Parses `"10MB"`, `"512KB"`, `"1GiB"`, `"2048"` (bytes); KB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024.
    static func size(_ text: String) -> Int? {
        let t = text.trimmed
        let digits = t.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let value = Int(digits) else { return nil }
        let unit = t.dropFirst(digits.count).trimmed.uppercased()
        let factor: Int
        switch unit {
        case "", "B": factor = 1
        case "KB", "K": factor = 1000
        case "MB", "M": factor = 1_000_000
        case "GB", "G": factor = 1_000_000_000
        case "KIB": factor = 1024
        case "MIB": factor = 1024 * 1024
        case "GIB": factor = 1024 * 1024 * 1024
        default: return nil
        }
        let (product, overflow) = value.multipliedReportingOverflow(by: factor)
        return overflow ? nil : product
    }

    /// Whether `text` looks like a BCP 47 language tag: `de`, `en`, `en-GB`, `pt-BR`.
    static func isLanguageTag(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            return false
        }
        return parts.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }
}

extension StringProtocol {
    fileprivate var trimmed: Substring {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return s
    }
}
