import NewsModel

/// Strings from bytes that are already known to be valid UTF-8.
///
/// `String(decoding:as:)` validates every byte again; on the parser's hot path that was ~6 % of its
/// time for text libxml2 had already checked. In a strict pass libxml2 rejects (and stops delivering
/// text at) the first malformed sequence — except overlong forms inside CDATA sections, which its
/// push parser lets through (`xmlCheckCdataPush` checks only the code point range), so CDATA blocks
/// are scanned for those (``HTMLText/hasOverlongUTF8(_:)``). Every transformation here (entity
/// decoding, tag stripping, whitespace collapsing) cuts and writes whole scalars only, so such text
/// is created without a second check. Anything else (recovery passes, truncated fields, base64
/// payloads, CDATA with overlong forms) goes through ``string(_:trusted:)`` with `trusted: false`,
/// and the result of a strict pass that failed is checked again (``NewsModel/FeedDocument/revalidated()``).
enum UTF8Text {
    /// A `String` of `bytes`; skips validation when `trusted` (debug builds still check).
    @inline(__always)
    static func string(_ bytes: UnsafeBufferPointer<UInt8>, trusted: Bool) -> String {
        guard trusted else { return String(decoding: bytes, as: UTF8.self) }
        assert(InputDecoder.validateUTF8(Array(bytes)).0, "untrusted bytes passed as valid UTF-8")
        return String.uncheckedFromUTF8(bytes)
    }

    /// ``string(_:trusted:)`` when it is known whether `bytes` are all ASCII (a ``HTMLText/Scan``
    /// found out): the string's ASCII flag is set without another pass. `isASCII: false` for ASCII
    /// bytes is allowed (only slower later, as for a `Substring` of non-ASCII text made a `String`);
    /// `true` must be right.
    @inline(__always)
    static func string(_ bytes: UnsafeBufferPointer<UInt8>, trusted: Bool, isASCII: Bool) -> String {
        guard trusted else { return String(decoding: bytes, as: UTF8.self) }
        assert(InputDecoder.validateUTF8(Array(bytes)).0, "untrusted bytes passed as valid UTF-8")
        assert(!isASCII || bytes.allSatisfy { $0 < 0x80 }, "wrong ASCII flag")
        return String.uncheckedFromUTF8(bytes, isASCII: isASCII)
    }

    /// ``string(_:trusted:)`` of a slice.
    @inline(__always)
    static func string(_ bytes: ArraySlice<UInt8>, trusted: Bool) -> String {
        bytes.withUnsafeBufferPointer { string($0, trusted: trusted) }
    }

    /// ``string(_:trusted:)`` of an array.
    @inline(__always)
    static func string(_ bytes: [UInt8], trusted: Bool) -> String {
        bytes.withUnsafeBufferPointer { string($0, trusted: trusted) }
    }
}

extension String {
    /// The standard library's `String._uncheckedFromUTF8(_:)` (exported, `@usableFromInline`): copies
    /// `input` into a new string (inline when short) without validating it.
    @_silgen_name("$sSS18_uncheckedFromUTF8ySSSRys5UInt8VGFZ")
    fileprivate static func uncheckedFromUTF8(_ input: UnsafeBufferPointer<UInt8>) -> String

    /// `String._uncheckedFromUTF8(_:isASCII:)`: as ``uncheckedFromUTF8(_:)``, with the ASCII flag given.
    @_silgen_name("$sSS18_uncheckedFromUTF8_7isASCIISSSRys5UInt8VG_SbtFZ")
    fileprivate static func uncheckedFromUTF8(_ input: UnsafeBufferPointer<UInt8>, isASCII: Bool) -> String
}

extension FeedDocument {
    /// Every string checked again and repaired (invalid sequences become U+FFFD). For the result of
    /// a strict pass that failed: its text was taken on trust up to the error (see ``UTF8Text``).
    func revalidated() -> FeedDocument {
        func check(_ s: String) -> String {
            let bytes = Array(s.utf8)
            return InputDecoder.validateUTF8(bytes).0 ? s : String(decoding: bytes, as: UTF8.self)
        }
        func check(_ s: String?) -> String? { s.map { check($0) } }
        var document = self
        document.feed.title = check(feed.title)
        document.feed.link = check(feed.link)
        document.feed.subtitle = check(feed.subtitle)
        document.feed.language = check(feed.language)
        for k in document.entries.indices {
            var e = document.entries[k]
            (e.title, e.link, e.id) = (check(e.title), check(e.link), check(e.id))
            (e.summary, e.content, e.author) = (check(e.summary), check(e.content), check(e.author))
            e.categories = e.categories.map { check($0) }
            e.enclosures = e.enclosures.map { Enclosure(url: check($0.url), type: check($0.type), length: check($0.length)) }
            (e.text.title, e.text.summary, e.text.content) = (check(e.text.title), check(e.text.summary), check(e.text.content))
            e.text.categories = e.text.categories.map { check($0) }
            document.entries[k] = e
        }
        return document
    }
}
