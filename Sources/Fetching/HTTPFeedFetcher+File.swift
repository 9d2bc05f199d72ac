import Foundation
import Logging

extension HTTPFeedFetcher {
    /// Reads a `file://` feed with the same typed result as HTTP.
    ///
    /// Validators are synthesized from the file's size and modification time, so an unchanged file
    /// answers ``FetchOutcome/notModified`` like a 304. The byte cap applies.
    func readFile(_ request: FetchRequest, maxBytes: Int, logger: Logger) -> FetchResult {
        let url = request.url
        var result = FetchResult(feedID: request.feedID, requestedURL: url, outcome: .notModified)
        func fail(_ code: FetchError.Code, _ message: String, cause: (any Error & Sendable)? = nil) -> FetchResult {
            result.outcome = .failed(
                FetchError(code: code, message: message, feedID: request.feedID, url: url.absoluteString, cause: cause))
            return result
        }
        if let host = url.host, !host.isEmpty, host.lowercased() != "localhost" {
            return fail(.invalidURL, "file URLs must name a local path")
        }
        let path = url.resolvingSymlinksInPath().path
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            return fail(.fileUnreadable, "cannot read the file", cause: error as NSError)
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            return fail(.fileUnreadable, "not a regular file")
        }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let modified = attributes[.modificationDate] as? Date ?? Date(timeIntervalSince1970: 0)
        let etag = "\"\(String(size, radix: 16))-\(String(Int64(modified.timeIntervalSince1970 * 1e6), radix: 16))\""
        let lastModified = HTTPHeaderValues.httpDate(modified)
        if let known = request.etag {
            if known == etag { return result }
        } else if let known = request.lastModified, known == lastModified {
            return result
        }
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            data = try handle.read(upToCount: maxBytes + 1) ?? Data()
        } catch {
            return fail(.fileUnreadable, "cannot read the file", cause: error as NSError)
        }
        guard data.count <= maxBytes else {
            return fail(.bodyTooLarge, "file larger than the cap of \(maxBytes) bytes")
        }
        result.bytesReceived = data.count
        result.outcome = .content(body: [UInt8](data), charset: nil, etag: etag, lastModified: lastModified)
        return result
    }
}
