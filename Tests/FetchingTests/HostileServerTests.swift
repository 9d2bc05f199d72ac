import Foundation
import NewsTestSupport
import Testing

@testable import Fetching

/// Issue 11: servers that attack the fetcher. Each test plays one hostile server on loopback.
extension HTTPTests {
@Suite
struct HostileServerTests {
    /// Writes `bomb.gz` (gzip) and `bomb.zz` (zlib, for `Content-Encoding: deflate`): 1 GiB of zeros, ≈ 1 MB each.
    private static func writeBombs(to directory: TemporaryDirectory) throws {
        let script = """
            import sys, zlib
            for name, wbits in (("bomb.gz", 31), ("bomb.zz", 15)):
                c = zlib.compressobj(9, zlib.DEFLATED, wbits)
                block = bytes(1 << 20)
                with open(sys.argv[1] + "/" + name, "wb") as f:
                    for _ in range(1024):
                        f.write(c.compress(block))
                    f.write(c.flush())
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, directory.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    private func fetch(
        _ url: URL, maxBytes: Int = 1_000_000, fetcher make: (FetchConfiguration) -> HTTPFeedFetcher = {
            HTTPFeedFetcher(configuration: $0)
        }
    ) async -> FetchResult {
        let fetcher = make(testConfiguration(maxBytes: maxBytes))
        return await fetcher.fetch(FetchRequest(feedID: "hostile", url: url), logger: quietLogger)
    }

    // MARK: Decompression bombs and huge bodies

    @Test(arguments: ["gzip", "deflate"])
    func decompressionBombIsCutAtTheCapOnDecodedBytes(encoding: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.writeBombs(to: directory)
        let file = encoding == "gzip" ? "bomb.gz" : "bomb.zz"
        try await TestHTTPServer.withServer(root: directory.url) { server in
            try await server.setRoute(
                "/bomb", [.init(headers: ["Content-Encoding": encoding, "Content-Type": "application/rss+xml"], bodyFile: file)])
            let cap = 2_000_000
            let result = await fetch(server.url("/bomb"), maxBytes: cap)
            let error = try #require(result.outcome.error)
            #expect(error.code == .bodyTooLarge)
            #expect(error.description.contains("cap of \(cap) bytes"))
            #expect(result.bytesReceived <= cap)
            #expect(result.bytesReceived > cap - 20_000)  // decoded up to the cap, in 16 KB steps

            // Peak memory of a whole process doing the same (the daemon's fetcher in `newsmon parse`).
            let binary = RepositoryPaths.newsmonBinary.path
            guard FileManager.default.isExecutableFile(atPath: binary),
                let run = try await PeakMemory.measure(binary, ["parse", server.url("/bomb").absoluteString, "--max-bytes", "10000000"])
            else { return }  // no newsmon binary or /usr/bin/time: the in-process assertions above still hold
            #expect(run.status == 1)
            #expect(run.output.contains("body larger than the cap of 10000000 bytes"), "\(run.output)")
            #expect(run.peakKiB > 0 && run.peakKiB < 150 * 1024, "peak RSS \(run.peakKiB) KiB for a 1 GiB \(encoding) bomb")
            print("peak RSS of newsmon parse, 1 GiB \(encoding) bomb, cap 10 MB: \(run.peakKiB) KiB")
        }
    }

    @Test func hugePlainBodyIsCutAtTheCapWithBoundedMemory() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoute("/huge", [.init(bodySize: 200_000_000)])
            let result = await fetch(server.url("/huge"), maxBytes: 1_000_000)
            #expect(result.outcome.error?.code == .bodyTooLarge)
            #expect(result.bytesReceived <= 1_000_000)

            let binary = RepositoryPaths.newsmonBinary.path
            guard FileManager.default.isExecutableFile(atPath: binary),
                let run = try await PeakMemory.measure(binary, ["parse", server.url("/huge").absoluteString, "--max-bytes", "10000000"])
            else { return }
            #expect(run.status == 1)
            #expect(run.peakKiB > 0 && run.peakKiB < 150 * 1024, "peak RSS \(run.peakKiB) KiB for a 200 MB body")
            print("peak RSS of newsmon parse, 200 MB plain body, cap 10 MB: \(run.peakKiB) KiB")
        }
    }

    @Test func bodyOfARedirectIsNeverRead() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.writeBombs(to: directory)
        try await TestHTTPServer.withServer(root: directory.url) { server in
            try await server.setRoutes([
                "/moved": [.init(status: 301, headers: ["Content-Encoding": "gzip"], bodyFile: "bomb.gz", location: "/feed")],
                "/feed": [.init(body: sampleFeed())],
            ])
            let result = await fetch(server.url("/moved"))
            #expect(result.outcome.text == sampleFeed())
            #expect(result.permanentRedirect == server.url("/feed"))
        }
    }

    // MARK: Header bytes

    @Test func latin1ByteInAnUnrelatedHeaderDoesNotFailTheFetch() async throws {
        try await TestHTTPServer.withServer { server in
            // http.server sends header values as ISO-8859-1: "ö" goes out as the single byte 0xF6.
            try await server.setRoute(
                "/feed",
                [.init(headers: ["X-Standort": "Köln", "Content-Type": "application/rss+xml; charset=utf-8"], body: sampleFeed(), etag: "\"v1\"")])
            let result = await fetch(server.url("/feed"))
            guard case .content(let body, let charset, let etag, _) = result.outcome else {
                Issue.record("expected content, got \(result.outcome)")
                return
            }
            #expect(String(decoding: body, as: UTF8.self) == sampleFeed())
            #expect(charset == "utf-8")
            #expect(etag == "\"v1\"")
        }
    }

    @Test func endlessHeaderIsCut() async throws {
        try await TestHTTPServer.withServer { server in
            var headers: [String: String] = [:]
            for index in 0..<300 { headers["X-Filler-\(index)"] = String(repeating: "a", count: 1_000) }
            try await server.setRoute("/headers", [.init(headers: headers, body: sampleFeed())])
            let result = await fetch(server.url("/headers"))
            let error = try #require(result.outcome.error)
            #expect(error.code == .network)
            #expect(error.message == "127.0.0.1 sent more than 256 KB of response header")
        }
    }

    @Test func headerLinesAreReadAsUTF8OrLatin1() {
        var head = HTTPResponseHead()
        for line in ["HTTP/1.1 200 OK\r\n", "X-Ort: K\u{F6}ln\r\n", "X-Bytes: K\u{F6}ln\r\n", "\r\n"] {
            var bytes = Array(line.utf8)
            if line.hasPrefix("X-Ort") { bytes = Array(line.unicodeScalars.map { UInt8($0.value) }) }  // Latin-1
            bytes.withUnsafeBytes { head.append(line: $0) }
        }
        #expect(head.status == 200 && head.isComplete)
        #expect(head.value("x-ort") == "Köln")
        #expect(head.value("X-BYTES") == "Köln")
    }

    // MARK: Charset labels that lie (fetched and parsed end to end by `newsmon parse URL`)

    private static let german = "Die Regierung schlägt Alarm: Grüße aus Köln"

    @Test(arguments: [
        // UTF-8 body, server says UTF-16: used to give "1:1: Document is empty".
        ("utf16-label", "application/rss+xml; charset=utf-16", "UTF-8", [UInt8]()),
        // UTF-8 body, server and declaration say ISO-8859-1: used to give "schlÃ¤gt".
        ("latin1-label", "text/xml; charset=ISO-8859-1", "ISO-8859-1", []),
        // UTF-8 with one raw Latin-1 byte (E4, "ä"): valid "ö" used to become "Ã¶".
        ("mixed", "application/rss+xml; charset=utf-8", "UTF-8", [0xE4]),
    ])
    func lyingCharsetLabelsStillGiveReadableText(
        path: String, contentType: String, declared: String, rawLatin1: [UInt8]
    ) async throws {
        let binary = RepositoryPaths.newsmonBinary.path
        guard FileManager.default.isExecutableFile(atPath: binary) else { return }
        var body = Array("<?xml version=\"1.0\" encoding=\"\(declared)\"?><rss version=\"2.0\"><channel><title>x</title>".utf8)
        body += Array("<item><title>\(Self.german)".utf8) + rawLatin1 + Array("</title></item></channel></rss>".utf8)
        try await TestHTTPServer.withServer { server in
            try await server.setRoute(
                "/\(path)", [.init(headers: ["Content-Type": contentType], bodyBase64: Data(body).base64EncodedString())])
            let run = try await PeakMemory.measure(binary, ["parse", server.url("/\(path)").absoluteString])
            guard let run else { return }
            #expect(run.status == 0, "\(run.output)")
            let expected = Self.german + (rawLatin1.isEmpty ? "" : "ä")
            #expect(run.output.contains("\"title\":\"\(expected)\""), "\(run.output)")
        }
    }

    // MARK: Redirects inwards

    /// A fetcher for which 127.0.0.1 plays a public (remote) origin; `intranet.example` resolves to 127.0.0.2.
    private func remoteOriginFetcher(port: Int) -> (FetchConfiguration) -> HTTPFeedFetcher {
        { configuration in
            HTTPFeedFetcher(
                configuration: configuration,
                addressScope: { $0.description == "127.0.0.1" ? .public : $0.scope },
                resolveOverrides: ["intranet.example:\(port):127.0.0.2"])
        }
    }

    @Test(arguments: [
        "http://127.0.0.2:PORT/feed", "http://[::1]:PORT/feed", "http://0x7f000002:PORT/feed",
        "http://2130706434:PORT/feed", "http://0177.0.0.2:PORT/feed", "http://127.2:PORT/feed",
        "http://[::ffff:127.0.0.2]:PORT/feed", "http://0.0.0.0:PORT/feed",
        "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/feed", "http://10.0.0.1/feed",
        "http://172.16.5.4/feed", "http://192.168.1.1/feed", "http://[fd12:3456::1]/feed",
        "http://intranet.example:PORT/feed",
    ])
    func redirectFromAPublicOriginInwardsIsRefused(target: String) async throws {
        try await TestHTTPServer.withServer { server in
            let location = target.replacingOccurrences(of: "PORT", with: "\(server.port)")
            try await server.setRoutes([
                "/feed": [.init(body: sampleFeed())],
                "/moved": [.redirect(301, to: location)],
            ])
            let result = await fetch(server.url("/moved"), fetcher: remoteOriginFetcher(port: server.port))
            let error = try #require(result.outcome.error, "\(location) was followed")
            #expect(error.code == .redirectRefused)
            #expect(error.description.contains("refused"))
            #expect(error.description.contains("public"))
            #expect(result.permanentRedirect == nil)
            #expect(try await server.requests().map(\.path) == ["/moved"])  // nothing reached the target
        }
    }

    @Test func redirectFromAPublicOriginToAnotherPublicAddressIsFollowed() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoutes([
                "/moved": [.redirect(301, to: "http://127.0.0.1:\(server.port)/feed")],
                "/feed": [.init(body: sampleFeed())],
            ])
            let result = await fetch(server.url("/moved"), fetcher: remoteOriginFetcher(port: server.port))
            #expect(result.outcome.text == sampleFeed())
        }
    }

    @Test func loopbackOriginMayRedirectToAnotherLoopbackPort() async throws {
        try await TestHTTPServer.withServer { target in
            try await target.setRoute("/feed", [.init(body: sampleFeed())])
            try await TestHTTPServer.withServer { origin in
                try await origin.setRoute("/moved", [.redirect(301, to: target.url("/feed").absoluteString)])
                let result = await fetch(origin.url("/moved"))
                #expect(result.outcome.text == sampleFeed())
                #expect(result.permanentRedirect == target.url("/feed"))
            }
        }
    }

    // MARK: Readable transport errors

    @Test func silentServerReadsAsAnIdleTimeout() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoute("/silent", [.init(body: sampleFeed(), delay: 30)])
            let configuration = testConfiguration(deadline: .seconds(10), idleTimeout: .seconds(1))
            let result = await HTTPFeedFetcher(configuration: configuration).fetch(
                FetchRequest(feedID: "quiet", url: server.url("/silent")), logger: quietLogger)
            let error = try #require(result.outcome.error)
            #expect(error.code == .idleTimeout)
            #expect(error.description.hasPrefix("feed 'quiet': timed out: no data from 127.0.0.1 for 1 s (idle timeout)"))
            #expect(!error.description.contains("NSURLErrorDomain"))
        }
    }

    @Test func refusedConnectionNamesTheHostAndPort() async throws {
        let server = try await TestHTTPServer.start()
        let port = server.port
        await server.stopAndWait()
        let result = await fetch(URL(string: "http://127.0.0.1:\(port)/feed")!)
        let error = try #require(result.outcome.error)
        #expect(error.code == .network)
        #expect(error.description == "feed 'hostile': connection refused by 127.0.0.1 port \(port) (http://127.0.0.1:\(port)/feed)")
    }

    @Test func tlsFailureNamesTheHandshake() async throws {
        try await TestHTTPServer.withServer { server in
            let result = await fetch(URL(string: "https://127.0.0.1:\(server.port)/feed")!)  // the server speaks plain HTTP
            let error = try #require(result.outcome.error)
            #expect(error.code == .network)
            #expect(error.message.hasPrefix("TLS handshake with 127.0.0.1 failed: "), "\(error)")
        }
    }

    @Test func unknownHostNamesTheName() async throws {
        let result = await fetch(URL(string: "http://feed.newsmon-test.invalid/rss")!)
        let error = try #require(result.outcome.error)
        #expect(error.code == .network || error.code == .idleTimeout)
        if error.code == .network {
            #expect(error.message == "could not resolve the host name feed.newsmon-test.invalid")
        }
    }
}
}

/// Parsing of numeric host forms and address scopes (no network).
struct NetworkAddressTests {
    @Test(arguments: [
        ("127.0.0.1", "127.0.0.1"), ("2130706433", "127.0.0.1"), ("0x7f000001", "127.0.0.1"), ("0X7F.1", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"), ("127.1", "127.0.0.1"), ("127.0.1", "127.0.0.1"), ("10.0.0.1.", "10.0.0.1"),
        ("[::1]", "::1"), ("::ffff:169.254.169.254", "::ffff:169.254.169.254"),
    ])
    func numericHostForms(host: String, expected: String) throws {
        #expect(try #require(NetworkAddress(host: host)).description == expected)
    }

    @Test(arguments: ["example.org", "256.0.0.1", "1.2.3.4.5", "0x", "08.0.0.1", "1..2", "", "127.0.0.1x", "4294967296"])
    func namesAndInvalidNumbersAreNoAddress(host: String) {
        #expect(NetworkAddress(host: host) == nil || host == "0x")
    }

    @Test(arguments: [
        ("8.8.8.8", AddressScope.public), ("2a00:1450::1", .public), ("10.1.2.3", .private), ("172.31.0.1", .private),
        ("172.32.0.1", .public), ("192.168.0.1", .private), ("100.64.0.1", .private), ("fd00::1", .private),
        ("169.254.169.254", .linkLocal), ("fe80::1", .linkLocal), ("127.0.0.1", .loopback), ("::1", .loopback),
        ("0.0.0.0", .unspecified), ("::", .unspecified), ("::ffff:10.0.0.1", .private), ("::ffff:127.0.0.1", .loopback),
        ("64:ff9b::a9fe:a9fe", .linkLocal),
    ])
    func scopes(host: String, scope: AddressScope) throws {
        #expect(try #require(NetworkAddress(host: host)).scope == scope)
    }

    @Test func transportFailuresReadAsOneSentence() {
        let url = URL(string: "https://news.example.org/rss")!
        func sentence(_ code: Int32, _ detail: String = "", errno: Int32 = 0) -> String {
            TransportFailure(curlCode: code, detail: detail, osErrno: Int(errno), url: url, idleTimeout: .seconds(15)).sentence
        }
        #expect(sentence(6) == "could not resolve the host name news.example.org")
        #expect(sentence(7, errno: ECONNREFUSED) == "connection refused by news.example.org port 443")
        #expect(sentence(28) == "timed out: could not connect to news.example.org within 15 s (idle timeout)")
        #expect(sentence(60, "SSL certificate problem: self-signed certificate.")
            == "TLS certificate of news.example.org not trusted: SSL certificate problem: self-signed certificate")
        #expect(sentence(52) == "news.example.org closed the connection without answering")
    }
}
