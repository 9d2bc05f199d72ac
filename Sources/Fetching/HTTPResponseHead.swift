/// The status and header fields of one HTTP response, built from libcurl's header lines.
///
/// Lenient by design: a header line that is not UTF-8 (a Latin-1 `Server` or `Content-Disposition`
/// value, common on old servers) is read as ISO-8859-1 instead of failing the fetch.
struct HTTPResponseHead: Sendable {
    /// The status code; 0 until a status line arrived.
    var status = 0
    /// Field names as sent, in order; names compared case-insensitively by ``value(_:)``.
    var fields: [(name: String, value: String)] = []
    /// True once the empty line ending a final (non-1xx) response head arrived.
    var isComplete = false

    /// The value of the first field called `name` (case-insensitive).
    func value(_ name: String) -> String? {
        fields.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Takes one header line as libcurl delivers it (status line, field, or the empty last line).
    mutating func append(line bytes: UnsafeRawBufferPointer) {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        let line = Self.text(UnsafeRawBufferPointer(rebasing: bytes[0..<end]))
        if line.hasPrefix("HTTP/") {
            // A new response: after a 1xx, or the next hop's. Status is the 3-digit token after the version.
            self = HTTPResponseHead()
            let tokens = line.split(separator: " ", maxSplits: 2)
            status = tokens.count > 1 ? Int(tokens[1]) ?? 0 : 0
            return
        }
        if line.isEmpty {
            if status >= 200 { isComplete = true }
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }  // malformed field: ignored, not fatal
        let name = line[..<colon].trimmingCharacters(in: " \t")
        let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
        if !name.isEmpty { fields.append((name, value)) }
    }

    /// UTF-8 when the bytes are valid UTF-8, else ISO-8859-1 (every byte is a character).
    static func text(_ bytes: UnsafeRawBufferPointer) -> String {
        let units = bytes.bindMemory(to: UInt8.self)
        if let utf8 = String(validating: units, as: UTF8.self) { return utf8 }
        return String(String.UnicodeScalarView(units.map { Unicode.Scalar($0) }))
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
