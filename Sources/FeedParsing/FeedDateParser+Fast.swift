extension FeedDateParser {
    /// The two forms almost every feed uses, read straight from UTF-8 bytes:
    /// `Wed, 12 Jan 2022 10:15:00 +0100` (RFC 822, English names, numeric or named zone) and
    /// `2022-01-12T10:15:00(.fff)(Z|±hh:mm)` (RFC 3339). Anything else returns nil and takes the general path.
    static func fast(_ p: UnsafeBufferPointer<UInt8>) -> Fields? {
        var i = 0
        let n = p.count
        @inline(__always) func digit(_ k: Int) -> Int? {
            guard k < n else { return nil }
            let b = p[k]
            return b >= 0x30 && b <= 0x39 ? Int(b - 0x30) : nil
        }
        @inline(__always) func two(_ k: Int) -> Int? {
            guard let a = digit(k), let b = digit(k + 1) else { return nil }
            return a * 10 + b
        }
        var f = Fields()
        if let y1 = two(0), let y2 = two(2), n >= 19, p[4] == 0x2D, p[7] == 0x2D, p[10] == 0x54 || p[10] == 0x74 || p[10] == 0x20,
            p[13] == 0x3A, p[16] == 0x3A
        {
            guard let m = two(5), let d = two(8), let h = two(11), let mi = two(14), let s = two(17) else { return nil }
            (f.year, f.month, f.day, f.hour, f.minute, f.second) = (y1 * 100 + y2, m, d, h, mi, s)
            i = 19
            if i < n, p[i] == 0x2E || p[i] == 0x2C {
                i += 1
                while i < n, digit(i) != nil { i += 1 }
            }
            guard i < n else { return nil }
            if p[i] == 0x5A || p[i] == 0x7A {
                f.offset = 0
                i += 1
            } else if p[i] == 0x2B || p[i] == 0x2D, let hh = two(i + 1) {
                let sign = p[i] == 0x2D ? -1 : 1
                i += 3
                if i < n, p[i] == 0x3A { i += 1 }
                guard let mm = two(i) else { return nil }
                i += 2
                f.offset = sign * (hh * 3600 + mm * 60)
            } else {
                return nil
            }
            return i == n ? f : nil
        }
        // RFC 822: optional "Www, ".
        if i < n, p[i] >= 0x41 {
            while i < n, p[i] >= 0x41 { i += 1 }
            guard i < n, p[i] == 0x2C else { return nil }
            i += 1
        }
        while i < n, p[i] == 0x20 { i += 1 }
        guard let d0 = digit(i) else { return nil }
        f.day = d0
        i += 1
        if let d1 = digit(i) { f.day = d0 * 10 + d1; i += 1 }
        guard i + 5 < n, p[i] == 0x20 else { return nil }
        let m0 = p[i + 1] | 0x20, m1 = p[i + 2] | 0x20, m2 = p[i + 3] | 0x20
        guard let month = englishMonth(m0, m1, m2), p[i + 4] == 0x20 else { return nil }
        f.month = month
        i += 5
        guard let y1 = two(i), let y2 = two(i + 2), i + 4 < n, p[i + 4] == 0x20 else { return nil }
        f.year = y1 * 100 + y2
        i += 5
        guard let h = two(i), i + 2 < n, p[i + 2] == 0x3A, let mi = two(i + 3) else { return nil }
        f.hour = h; f.minute = mi
        i += 5
        if i < n, p[i] == 0x3A {
            guard let s = two(i + 1) else { return nil }
            f.second = s
            i += 3
        }
        guard i + 1 < n, p[i] == 0x20 else { return nil }
        i += 1
        if p[i] == 0x2B || p[i] == 0x2D {
            guard n - i == 5, let hh = two(i + 1), let mm = two(i + 3) else { return nil }
            f.offset = (p[i] == 0x2D ? -1 : 1) * (hh * 3600 + mm * 60)
            return f
        }
        // Named zone: GMT, UT, UTC, Z, EST …
        var name = [UInt8]()
        while i < n, name.count < 5, (p[i] | 0x20) >= 0x61, (p[i] | 0x20) <= 0x7A { name.append(p[i] | 0x20); i += 1 }
        guard i == n, !name.isEmpty, let hours = zoneHours[String(decoding: name, as: UTF8.self)] else { return nil }
        f.offset = Int(hours * 3600)
        return f
    }

    @inline(__always) static func englishMonth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        switch (a, b, c) {
        case (0x6A, 0x61, 0x6E): return 1  // jan
        case (0x66, 0x65, 0x62): return 2  // feb
        case (0x6D, 0x61, 0x72): return 3  // mar
        case (0x61, 0x70, 0x72): return 4  // apr
        case (0x6D, 0x61, 0x79): return 5  // may
        case (0x6A, 0x75, 0x6E): return 6  // jun
        case (0x6A, 0x75, 0x6C): return 7  // jul
        case (0x61, 0x75, 0x67): return 8  // aug
        case (0x73, 0x65, 0x70): return 9  // sep
        case (0x6F, 0x63, 0x74): return 10  // oct
        case (0x6E, 0x6F, 0x76): return 11  // nov
        case (0x64, 0x65, 0x63): return 12  // dec
        default: return nil
        }
    }
}
