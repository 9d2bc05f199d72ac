#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
import NewsModel

/// Finds a document's encoding and converts it to UTF-8 before libxml2 sees it.
///
/// Order: byte-order mark, UTF-32/UTF-16 sniffed from the zero bytes, the transport's charset, EBCDIC
/// sniffing, the XML declaration, else UTF-8. A label is not believed when the bytes contradict it: a
/// UTF-16/UTF-32 label on 8-bit bytes is dropped, and ISO-8859-1/windows-1252 text that is valid UTF-8
/// with multi-byte sequences (UTF-8 mislabelled Latin-1, common on German sites) is read as UTF-8.
/// ISO-8859-1 is otherwise read as its superset windows-1252 (as browsers do). Text labelled UTF-8 that
/// is not is repaired one sequence at a time when it has valid multi-byte sequences (they are kept; each
/// bad byte is read as windows-1252, which suits stray Latin-1 bytes), else read as windows-1252.
enum InputDecoder {
    struct Output {
        var utf8: [UInt8]
        var encoding: String
        var diagnostics: [FeedDiagnostic] = []
        /// False when UTF-8 input was passed through unchecked (libxml2 checks it; see ``validated()``).
        var isValidated = true

        /// This output with UTF-8 input checked: mostly-valid text repaired, else read as windows-1252.
        func validated() -> Output {
            guard !isValidated else { return self }
            var out = InputDecoder.utf8OrFallback(utf8, label: encoding)
            out.diagnostics.insert(contentsOf: diagnostics, at: 0)
            return out
        }
    }

    static func decode(_ bytes: [UInt8], charset: String?) -> Output {
        var start = 0
        var label: String?
        var fromBOM = false
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            start = 3; label = "UTF-8"; fromBOM = true
        } else if bytes.starts(with: [0xFF, 0xFE, 0, 0]) {
            start = 4; label = "UTF-32LE"; fromBOM = true
        } else if bytes.starts(with: [0, 0, 0xFE, 0xFF]) {
            start = 4; label = "UTF-32BE"; fromBOM = true
        } else if bytes.starts(with: [0xFF, 0xFE]) {
            start = 2; label = "UTF-16LE"; fromBOM = true
        } else if bytes.starts(with: [0xFE, 0xFF]) {
            start = 2; label = "UTF-16BE"; fromBOM = true
        }
        var dropped: String?
        if !fromBOM {
            if let wide = sniffedWideEncoding(bytes) {
                label = wide  // the zero bytes leave no doubt, whatever the label says
            } else if let charset, !charset.isEmpty {
                label = charset
            } else if bytes.starts(with: [0x4C, 0x6F, 0xA7, 0x94]) {
                let head = transcode(Array(bytes.prefix(256)), from: "CP037") ?? []
                label = declaredEncoding(head) ?? "CP037"
            } else {
                label = declaredEncoding(bytes)
            }
            if let named = label, isWide(named), sniffedWideEncoding(bytes) == nil {
                // "charset=utf-16" on bytes without a zero byte pattern: the label is wrong, not the bytes.
                dropped = named
                label = declaredEncoding(bytes).flatMap { isWide($0) ? nil : $0 }
            }
        }
        let body = start == 0 ? bytes : Array(bytes[start...])
        var output = convert(body, label: label ?? "UTF-8")
        if let dropped {
            output.diagnostics.insert(
                FeedDiagnostic(message: "labelled \(dropped) but the bytes are not \(dropped); read as \(output.encoding)"),
                at: 0)
        }
        return output
    }

    /// UTF-32 or UTF-16 (without a BOM) recognised by the zero bytes around a leading ASCII character.
    static func sniffedWideEncoding(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= 4 else { return nil }
        if bytes.starts(with: [0, 0, 0]) && bytes[3] != 0 { return "UTF-32BE" }
        if bytes[0] != 0 && bytes[1...3].allSatisfy({ $0 == 0 }) { return "UTF-32LE" }
        if bytes[0] != 0, bytes[1] == 0, bytes[2] != 0, bytes[3] == 0 { return "UTF-16LE" }
        if bytes[0] == 0, bytes[1] != 0, bytes[2] == 0, bytes[3] != 0 { return "UTF-16BE" }
        return nil
    }

    /// True for the UTF-16, UTF-32 and UCS-2/UCS-4 families, whose text of ASCII characters has zero bytes.
    static func isWide(_ label: String) -> Bool {
        let name = canonicalName(label)
        return name.hasPrefix("UTF-16") || name.hasPrefix("UTF-32") || name.hasPrefix("UCS-2") || name.hasPrefix("UCS-4")
            || name.hasPrefix("UTF16") || name.hasPrefix("UTF32") || name == "UNICODE"
    }

    static func convert(_ body: [UInt8], label: String) -> Output {
        let name = canonicalName(label)
        switch name {
        case "UTF-8", "US-ASCII":
            return Output(utf8: body, encoding: "UTF-8", isValidated: false)
        case "WINDOWS-1252", "ISO-8859-1":
            let (valid, multibyte, _) = validateUTF8(body)
            if valid && multibyte > 0 {
                // Latin-1 text practically never forms valid multi-byte UTF-8 ("Ã¤" and the like): it is UTF-8.
                return Output(
                    utf8: body, encoding: "UTF-8",
                    diagnostics: [FeedDiagnostic(message: "labelled \(label) but valid UTF-8; read as UTF-8")])
            }
            return Output(utf8: windows1252ToUTF8(body), encoding: "windows-1252")
        default:
            if let converted = SingleByteCodePages.decode(body, name: name) ?? transcode(body, from: name) {
                return Output(utf8: converted, encoding: name)
            }
            var out = utf8OrFallback(body, label: "UTF-8")
            out.diagnostics.append(FeedDiagnostic(message: "unknown encoding '\(label)', read as \(out.encoding)"))
            return out
        }
    }

    /// Valid UTF-8 is returned as is; UTF-8 with some bad bytes is repaired one sequence at a time (valid
    /// sequences kept, each bad byte read as windows-1252); text without any multi-byte sequence, windows-1252.
    static func utf8OrFallback(_ body: [UInt8], label: String) -> Output {
        let (valid, multibyte, invalid) = validateUTF8(body)
        if valid { return Output(utf8: body, encoding: "UTF-8") }
        if multibyte > 0 {
            return Output(
                utf8: repairUTF8(body), encoding: "UTF-8",
                diagnostics: [
                    FeedDiagnostic(message: "\(invalid) byte(s) not valid UTF-8 read as windows-1252; valid UTF-8 kept")
                ]
            )
        }
        return Output(
            utf8: windows1252ToUTF8(body), encoding: "windows-1252",
            diagnostics: [FeedDiagnostic(message: "labelled \(label) but not UTF-8; read as windows-1252")]
        )
    }

    /// (is valid, number of valid multi-byte sequences, number of invalid bytes).
    static func validateUTF8(_ b: [UInt8]) -> (Bool, Int, Int) {
        var i = 0, multi = 0, bad = 0
        let n = b.count
        while i < n {
            if b[i] < 0x80 { i += 1; continue }
            let len = sequenceLength(b, at: i)
            if len > 0 { multi += 1; i += len } else { bad += 1; i += 1 }
        }
        return (bad == 0, multi, bad)
    }

    /// The length of the valid multi-byte UTF-8 sequence starting at `i`, or 0 (overlong forms,
    /// surrogates and values past U+10FFFF are invalid).
    @inline(__always)
    static func sequenceLength(_ b: [UInt8], at i: Int) -> Int {
        let c = b[i]
        var len = 0
        var minValue: UInt32 = 0
        var value: UInt32 = 0
        if c & 0xE0 == 0xC0 { len = 2; value = UInt32(c & 0x1F); minValue = 0x80 }
        else if c & 0xF0 == 0xE0 { len = 3; value = UInt32(c & 0x0F); minValue = 0x800 }
        else if c & 0xF8 == 0xF0 { len = 4; value = UInt32(c & 0x07); minValue = 0x10000 }
        guard len > 0, i + len <= b.count else { return 0 }
        for k in 1..<len {
            let cc = b[i + k]
            if cc & 0xC0 != 0x80 { return 0 }
            value = value << 6 | UInt32(cc & 0x3F)
        }
        if value < minValue || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF) { return 0 }
        return len
    }

    /// `b` with valid UTF-8 sequences kept and every other byte read as windows-1252.
    static func repairUTF8(_ b: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(b.count + b.count / 8)
        var i = 0
        while i < b.count {
            let c = b[i]
            if c < 0x80 { out.append(c); i += 1; continue }
            let len = sequenceLength(b, at: i)
            if len > 0 {
                out.append(contentsOf: b[i..<(i + len)])
                i += len
            } else {
                HTMLText.appendUTF8(c < 0xA0 ? HTMLText.windows1252C1[Int(c - 0x80)] : UInt32(c), to: &out)
                i += 1
            }
        }
        return out
    }

    static func windows1252ToUTF8(_ body: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(body.count + body.count / 8)
        for c in body {
            if c < 0x80 {
                out.append(c)
            } else if c < 0xA0 {
                HTMLText.appendUTF8(HTMLText.windows1252C1[Int(c - 0x80)], to: &out)
            } else {
                HTMLText.appendUTF8(UInt32(c), to: &out)
            }
        }
        return out
    }

    /// The `encoding="…"` of an XML declaration at the start of an ASCII-compatible document.
    static func declaredEncoding(_ bytes: [UInt8]) -> String? {
        let head = bytes.prefix(512)
        guard head.starts(with: Array("<?xml".utf8)) else { return nil }
        guard let end = head.firstIndex(of: UInt8(ascii: ">")) else { return nil }
        let declBytes = Array(head[..<end])
        let key = Array("encoding".utf8)
        guard let at = (0...max(0, declBytes.count - key.count)).first(where: { declBytes[$0...].starts(with: key) }),
            declBytes.count >= key.count
        else { return nil }
        let decl = String(decoding: declBytes[(at + key.count)...], as: UTF8.self)
        var rest = decl[...].drop { $0 == " " || $0 == "=" || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let q = rest.first, q == "\"" || q == "'" else { return nil }
        rest = rest.dropFirst()
        guard let close = rest.firstIndex(of: q) else { return nil }
        let name = String(rest[..<close])
        return name.isEmpty ? nil : name
    }

    /// An iconv-friendly upper-case name; Python-style aliases (`latin_1`, `macroman`, `kz_1048`)
    /// mapped, with or without hyphens; a bare code page number (`1251`, `037`) is that code page.
    static func canonicalName(_ label: String) -> String {
        var name = label.trimmingSpaces.uppercased().replacingUnderscores
        if let alias = aliases[name] ?? compactAliases[name.filter { $0 != "-" }] { name = alias }
        if !name.isEmpty, name.allSatisfy({ $0.isASCII && $0.isNumber }) { name = aliases["CP" + name] ?? "CP" + name }
        if name.hasPrefix("UTF8") { name = "UTF-8" }
        if name == "UTF-16" || name == "UTF-32" || name == "UCS-2" { return name }
        return name
    }

    static let aliases: [String: String] = [
        "UTF8": "UTF-8", "U8": "UTF-8", "UTF": "UTF-8", "UNICODE-1-1-UTF-8": "UTF-8", "CP65001": "UTF-8",
        "ASCII": "US-ASCII", "ANSI-X3.4-1968": "US-ASCII", "646": "US-ASCII", "US": "US-ASCII",
        "LATIN-1": "ISO-8859-1", "LATIN1": "ISO-8859-1", "L1": "ISO-8859-1", "ISO8859-1": "ISO-8859-1", "8859": "ISO-8859-1",
        "CP1252": "WINDOWS-1252", "X-CP1252": "WINDOWS-1252",
        "MACROMAN": "MACINTOSH", "MAC-ROMAN": "MACINTOSH", "MACLATIN2": "MAC-CENTRALEUROPE", "MAC-LATIN2": "MAC-CENTRALEUROPE",
        "MACCENTRALEUROPE": "MAC-CENTRALEUROPE", "MAC-CENTEURO": "MAC-CENTRALEUROPE", "MACCYRILLIC": "MAC-CYRILLIC", "IBM039": "CP037",
        "EBCDIC-CP-CA": "CP037", "EBCDIC-CP-NL": "CP037", "EBCDIC-CP-WT": "CP037", "EBCDIC-CP-US": "CP037",
        "EBCDIC-CP-BE": "CP500", "EBCDIC-CP-CH": "CP500",
        "CSIBM858": "CP858", "CP-IS": "CP861", "CSIBM861": "CP861", "KZ1048": "RK1048", "LATIN": "ISO-8859-1",
        "L9": "ISO-8859-15", "MAC-ICELAND": "MAC-IS", "MACICELAND": "MAC-IS", "MACINTOSH-ROMAN": "MACINTOSH",
        "PTCP154": "PT154", "CSPTCP154": "PT154", "CP154": "PT154", "CYRILLIC-ASIAN": "PT154",
        "TIS-620-0": "TIS-620", "TIS-620-2529-0": "TIS-620", "TIS-620-2529-1": "TIS-620", "THAI": "ISO-8859-11",
        "IBM1125": "CP1125", "CP866U": "CP1125", "ISO2022-JP": "ISO-2022-JP", "EUC-JIS-2004": "EUC-JISX0213",
        "SHIFT-JIS-2004": "SHIFT_JISX0213", "ISO-8859-8-I": "ISO-8859-8", "U7": "UTF-7", "UNICODE-1-1-UTF-7": "UTF-7",
        "MACGREEK": "MAC-GREEK", "MACTURKISH": "MAC-TURKISH", "MACARABIC": "MAC-ARABIC", "MACFARSI": "MAC-FARSI",
        "MACCROATIAN": "MAC-CROATIAN", "MACROMANIAN": "MAC-ROMANIAN",
    ]

    /// ``aliases`` keyed without hyphens (`KZ-1048` and `KZ1048` alike).
    static let compactAliases: [String: String] = Dictionary(
        aliases.map { ($0.key.filter { $0 != "-" }, $0.value) }, uniquingKeysWith: { first, _ in first }
    )

    /// Converts with iconv; nil when iconv does not know `name`. Undecodable bytes become U+FFFD.
    static func transcode(_ body: [UInt8], from name: String) -> [UInt8]? {
        let cd = iconv_open("UTF-8", name)
        guard let cd, Int(bitPattern: cd) != -1 else { return nil }
        defer { iconv_close(cd) }
        var out = [UInt8](repeating: 0, count: max(64, body.count * 2 + 16))
        var input = body
        var written = 0
        let ok = input.withUnsafeMutableBufferPointer { inBuf -> Bool in
            var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress)?.assumingMemoryBound(to: CChar.self)
            var inLeft = inBuf.count
            while true {
                let result: Int = out.withUnsafeMutableBufferPointer { outBuf in
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress! + written)
                        .assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuf.count - written
                    let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    written = outBuf.count - outLeft
                    return r
                }
                if result != -1 { return true }
                switch errno {
                case E2BIG:
                    out.append(contentsOf: [UInt8](repeating: 0, count: out.count))
                case EILSEQ, EINVAL:
                    // Skip one bad byte and emit U+FFFD.
                    if out.count - written < 8 { out.append(contentsOf: [UInt8](repeating: 0, count: 64)) }
                    out[written] = 0xEF; out[written + 1] = 0xBF; out[written + 2] = 0xBD
                    written += 3
                    inPtr = inPtr.map { $0 + 1 }
                    inLeft -= 1
                    if inLeft <= 0 { return true }
                default:
                    return false
                }
            }
        }
        guard ok else { return nil }
        out.removeSubrange(written...)
        return out
    }
}

extension String {
    /// The string without leading and trailing ASCII whitespace (and no-break spaces).
    var trimmingSpaces: String {
        var utf8 = self.utf8
        let ends = utf8.withContiguousStorageIfAvailable { p in p.isEmpty ? nil : (p[0], p[p.count - 1]) }
        if let ends, let (f, l) = ends, !isSpaceByte(f), !isSpaceByte(l) { return self }
        guard let f = utf8.first, let l = utf8.last, isSpaceByte(f) || isSpaceByte(l) else { return self }
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, isSpaceByte(utf8[start]) { start = utf8.index(after: start) }
        while end > start, isSpaceByte(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        utf8 = self.utf8
        return String(decoding: utf8[start..<end], as: UTF8.self)
    }

    var replacingUnderscores: String {
        String(self.map { $0 == "_" ? "-" : $0 })
    }
}

@inline(__always) func isSpaceByte(_ b: UInt8) -> Bool {
    b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C
}

/// `bytes` without leading and trailing ASCII whitespace.
func trimmedBytes(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
    var start = 0
    var end = bytes.count
    while start < end, isSpaceByte(bytes[start]) { start += 1 }
    while end > start, isSpaceByte(bytes[end - 1]) { end -= 1 }
    return bytes[start..<end]
}
