import FeedParsing
import FuzzSupport
import NewsModel
import NewsMonitor

// The feed parser as the pipeline calls it (FeedPipeline: `parse(body, url:, charset:, timeZone:)`),
// over raw bytes in any encoding. The input's last byte chooses the transport's charset label (low
// four bits), the feed's `tz` (next three) and whether the document has a URL (top bit); the bytes
// before it are the document.

/// Charset labels a server may send in `Content-Type`, right or wrong.
let charsets: [String?] = [
    nil, "utf-8", "iso-8859-1", "windows-1252", "koi8-r", "utf-16", "utf-16le", "utf-16be",
    "utf-32", "shift_jis", "gb18030", "big5", "euc-jp", "iso-2022-jp", "x-no-such-charset", "",
]
let zones: [String?] = [nil, "Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC", "Nope/Zone", "", nil]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFeedParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var bytes = fuzzInput(data, size)
    guard let options = bytes.popLast() else { return 0 }
    let charset = charsets[Int(options & 0x0F)]
    let zone = zones[Int((options >> 4) & 0x07)]
    let url = options & 0x80 == 0 ? "https://example.org/news/feed.xml" : nil
    let document: FeedDocument
    do {
        document = try FeedParser().parse(bytes, url: url, charset: charset, timeZone: zone)
    } catch {
        _ = "\(error)"
        return 0
    }
    fuzzInvariant(document.isRecovered == (document.recoveryNote != nil), "recoveryNote disagrees with isRecovered")
    fuzzInvariant(document.format != .unknown, "a document was returned for an unknown format")
    _ = FeedDocumentJSON.render(document)  // what `newsmon parse` prints
    return 0
}
