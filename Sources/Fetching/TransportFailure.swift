import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A transfer that failed below HTTP (DNS, connect, TLS, timeout, broken connection), described as
/// one plain sentence naming the cause, e.g. "connection refused by 127.0.0.1 port 9".
///
/// It is the ``FetchError/cause`` of such failures; its libcurl code and detail stay available for logs.
struct TransportFailure: LocalizedError, Sendable, CustomStringConvertible {
    /// The `CURLcode`.
    var curlCode: Int32
    /// libcurl's own explanation ("SSL routines::wrong version number").
    var detail: String
    /// The plain sentence used as the ``FetchError`` message.
    var sentence: String
    /// The ``FetchError`` code.
    var fetchCode: FetchError.Code

    var description: String { sentence }

    /// libcurl's detail: what `localizedDescription` shows to code that prints a cause after the message.
    var errorDescription: String? { detail.isEmpty ? nil : detail }

    init(curlCode: Int32, detail: String, osErrno: Int = 0, url: URL, idleTimeout: Duration, connected: Bool = false) {
        self.curlCode = curlCode
        self.detail = detail
        let host = url.host ?? "the server"
        let port = url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
        let seconds = Self.format(idleTimeout)
        let why = Self.trimmed(detail)
        switch curlCode {
        case CurlCode.couldNotResolveHost:
            (fetchCode, sentence) = (.network, "could not resolve the host name \(host)")
        case CurlCode.couldNotResolveProxy:
            (fetchCode, sentence) = (.network, "could not resolve the proxy's host name")
        case CurlCode.couldNotConnect:
            let reason: String
            switch Int32(osErrno) {
            case ECONNREFUSED: reason = "connection refused by \(host) port \(port)"
            case ENETUNREACH: reason = "network unreachable for \(host) port \(port)"
            case EHOSTUNREACH: reason = "host \(host) unreachable"
            default: reason = "could not connect to \(host) port \(port)"
            }
            (fetchCode, sentence) = (.network, reason)
        case CurlCode.operationTimedOut:
            let what = connected ? "no data from \(host) for \(seconds)" : "could not connect to \(host) within \(seconds)"
            (fetchCode, sentence) = (.idleTimeout, "timed out: \(what) (idle timeout)")
        case CurlCode.peerFailedVerification:
            (fetchCode, sentence) = (.network, "TLS certificate of \(host) not trusted: \(why)")
        case let code where CurlCode.tls.contains(code):
            (fetchCode, sentence) = (.network, "TLS handshake with \(host) failed: \(why)")
        case CurlCode.gotNothing:
            (fetchCode, sentence) = (.network, "\(host) closed the connection without answering")
        case CurlCode.receiveError, CurlCode.sendError:
            (fetchCode, sentence) = (.network, "connection to \(host) broken: \(why)")
        case CurlCode.partialFile:
            (fetchCode, sentence) = (.network, "\(host) closed the connection before the whole body arrived")
        case CurlCode.weirdServerReply:
            (fetchCode, sentence) = (.network, "\(host) sent a malformed HTTP response: \(why)")
        case CurlCode.badContentEncoding:
            (fetchCode, sentence) = (.network, "the body from \(host) is not valid in its Content-Encoding: \(why)")
        case CurlCode.http2, CurlCode.http2Stream:
            (fetchCode, sentence) = (.network, "HTTP/2 error from \(host): \(why)")
        case CurlCode.unsupportedProtocol, CurlCode.urlMalformed:
            (fetchCode, sentence) = (.invalidURL, "the URL cannot be fetched: \(why)")
        default:
            (fetchCode, sentence) = (.network, "transfer from \(host) failed: \(why)")
        }
    }

    init(outcome: CurlExchange.Outcome, url: URL, idleTimeout: Duration) {
        self.init(
            curlCode: outcome.code, detail: outcome.detail, osErrno: outcome.osErrno, url: url,
            idleTimeout: idleTimeout, connected: outcome.connectedAddress != nil && outcome.osErrno == 0)
    }

    /// libcurl's detail without its trailing period and whitespace.
    private static func trimmed(_ detail: String) -> String {
        var text = Substring(detail)
        while let last = text.last, last == "." || last == " " || last == "\n" { text = text.dropLast() }
        return text.isEmpty ? "unknown reason" : String(text)
    }

    private static func format(_ duration: Duration) -> String {
        let seconds = HTTPFeedFetcher.seconds(duration)
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
    }
}
