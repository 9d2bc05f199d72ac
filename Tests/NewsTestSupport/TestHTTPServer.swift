public import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A loopback HTTP server for tests: `scripts/testserver.py` on 127.0.0.1, on a port the OS chose.
///
/// It serves a directory of fixture files (with ETag / Last-Modified and 304s) and programmable routes:
/// status codes, headers, delays ("hangs"), slow drips, redirects, gzip/deflate, conditional answers, and a
/// sequence of responses per path so content can change between requests. It records every request and
/// counts requests in flight. See the script's header for the full response vocabulary.
///
/// ```swift
/// let server = try await TestHTTPServer.start()
/// defer { server.stop() }
/// try await server.setRoute("/feed", [.init(status: 200, body: "<rss/>", etag: "\"v1\"")])
/// let url = server.url("/feed")
/// ```
// @unchecked: `Process` and `Pipe` are not Sendable; they are only read after init, and `stop()` is idempotent.
public final class TestHTTPServer: @unchecked Sendable {
    /// The port on 127.0.0.1.
    public let port: Int
    /// `http://127.0.0.1:<port>`.
    public let baseURL: URL

    private let process: Process
    private let stdinPipe: Pipe
    private let control: URLSession

    private init(port: Int, process: Process, stdinPipe: Pipe) {
        self.port = port
        self.baseURL = URL(string: "http://127.0.0.1:\(port)")!
        self.process = process
        self.stdinPipe = stdinPipe
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        self.control = URLSession(configuration: configuration)
    }

    deinit {
        stop()
        control.finishTasksAndInvalidate()
    }

    /// Starts the server and waits until it listens.
    ///
    /// - Parameters:
    ///   - root: A directory served for paths that have no programmed route; nil serves none (404).
    ///   - routes: Routes programmed before the first request.
    /// - Throws: ``TestHTTPServerError`` when python3 or the script cannot start.
    public static func start(root: URL? = nil, routes: [String: [Response]] = [:]) async throws -> TestHTTPServer {
        let script = RepositoryPaths.root.appendingPathComponent("scripts/testserver.py")
        // The system python first: a pyenv shim adds a second or more of start-up under load.
        let systemPython = "/usr/bin/python3"
        let usesSystemPython = FileManager.default.isExecutableFile(atPath: systemPython)
        var arguments = usesSystemPython ? [script.path] : ["python3", script.path]
        if let root { arguments += ["--root", root.path] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: usesSystemPython ? systemPython : "/usr/bin/env")
        process.arguments = arguments
        let stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        try process.run()
        let reader = stdoutPipe.fileHandleForReading
        let line: String = await withCheckedContinuation { continuation in
            // A queue of its own (its own thread): a blocking read on DispatchQueue.global() would take
            // one of the few threads that Swift concurrency's cooperative pool also runs on.
            DispatchQueue(label: "newsmon.testserver.start").async {
                var bytes: [UInt8] = []
                while !bytes.contains(UInt8(ascii: "\n")) {
                    let chunk = reader.availableData
                    if chunk.isEmpty { break }
                    bytes += chunk
                }
                continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
            }
        }
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            process.terminate()
            throw TestHTTPServerError(message: "testserver.py did not report a port (got \(line.debugDescription))")
        }
        let server = TestHTTPServer(port: port, process: process, stdinPipe: stdinPipe)
        if !routes.isEmpty { try await server.setRoutes(routes) }
        return server
    }

    /// Starts a server, runs `body`, and stops the server whatever happens.
    public static func withServer<T>(
        root: URL? = nil,
        routes: [String: [Response]] = [:],
        isolation: isolated (any Actor)? = #isolation,
        _ body: (TestHTTPServer) async throws -> T
    ) async throws -> T {
        let server = try await start(root: root, routes: routes)
        defer { server.stop() }
        return try await body(server)
    }

    /// Stops the server (idempotent). Does not wait for the exit, so it never blocks the caller's thread:
    /// the script also exits by itself when its stdin closes.
    public func stop() {
        if process.isRunning {
            try? stdinPipe.fileHandleForWriting.close()
            process.terminate()
        }
    }

    /// Stops the server and waits until its process has exited (so its port is closed).
    public func stopAndWait() async {
        stop()
        let process = self.process
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue(label: "newsmon.testserver.stop").async {  // own thread: never the cooperative pool
                process.waitUntilExit()
                continuation.resume()
            }
        }
    }

    /// The absolute URL of `path` (which starts with "/") on this server.
    public func url(_ path: String) -> URL {
        URL(string: baseURL.absoluteString + path)!
    }

    /// Programs `path` to answer with `responses` in order (the last one repeats), restarting the sequence.
    public func setRoute(_ path: String, _ responses: [Response]) async throws {
        try await setRoutes([path: responses])
    }

    /// Programs several routes at once (see ``setRoute(_:_:)``).
    public func setRoutes(_ routes: [String: [Response]]) async throws {
        let body = try JSONEncoder().encode(routes)
        _ = try await call("POST", "/_control/routes", body: body)
    }

    /// Every request received (control requests excluded), in arrival order.
    public func requests() async throws -> [RecordedRequest] {
        try JSONDecoder().decode([RecordedRequest].self, from: await call("GET", "/_control/requests"))
    }

    /// Request counters, including the most requests that were in flight at once.
    public func stats() async throws -> Stats {
        try JSONDecoder().decode(Stats.self, from: await call("GET", "/_control/stats"))
    }

    /// Forgets recorded requests, restarts every route's sequence and resets the in-flight maximum.
    public func reset() async throws {
        _ = try await call("POST", "/_control/reset", body: Data())
    }

    private func call(_ method: String, _ path: String, body: Data? = nil) async throws -> Data {
        var request = URLRequest(url: url(path))
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 10
        let (data, response) = try await control.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw TestHTTPServerError(message: "control call \(method) \(path) failed")
        }
        return data
    }
}

extension TestHTTPServer {
    /// One programmed response; every field is optional (see `scripts/testserver.py`).
    public struct Response: Encodable, Sendable {
        public var status: Int?
        public var headers: [String: String]?
        public var body: String?
        public var bodyBase64: String?
        public var bodySize: Int?
        public var bodyFile: String?
        public var gzip: Bool?
        public var deflate: Bool?
        public var etag: String?
        public var lastModified: String?
        public var location: String?
        /// Seconds to wait before the status line.
        public var delay: Double?
        public var drip: Drip?
        public var chunked: Bool?

        /// Write the body `bytes` at a time with `interval` seconds between writes.
        public struct Drip: Encodable, Sendable {
            public var bytes: Int
            public var interval: Double
            public init(bytes: Int, interval: Double) {
                self.bytes = bytes
                self.interval = interval
            }
        }

        public init(
            status: Int? = nil, headers: [String: String]? = nil, body: String? = nil, bodyBase64: String? = nil,
            bodySize: Int? = nil, bodyFile: String? = nil, gzip: Bool? = nil, deflate: Bool? = nil,
            etag: String? = nil, lastModified: String? = nil, location: String? = nil, delay: Double? = nil,
            drip: Drip? = nil, chunked: Bool? = nil
        ) {
            self.status = status
            self.headers = headers
            self.body = body
            self.bodyBase64 = bodyBase64
            self.bodySize = bodySize
            self.bodyFile = bodyFile
            self.gzip = gzip
            self.deflate = deflate
            self.etag = etag
            self.lastModified = lastModified
            self.location = location
            self.delay = delay
            self.drip = drip
            self.chunked = chunked
        }

        /// A redirect with the given status to `location`.
        public static func redirect(_ status: Int, to location: String) -> Response {
            Response(status: status, location: location)
        }

        enum CodingKeys: String, CodingKey {
            case status, headers, body, gzip, deflate, etag, location, delay, drip, chunked
            case bodyBase64 = "body_base64", bodySize = "body_size", bodyFile = "body_file"
            case lastModified = "last_modified"
        }
    }

    /// A request the server received.
    public struct RecordedRequest: Decodable, Sendable {
        public var method: String
        /// Path and query as sent.
        public var path: String
        public var headers: [String: String]

        /// The value of a header, compared case-insensitively by name.
        public func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    /// Request counters since start or the last ``TestHTTPServer/reset()``.
    public struct Stats: Decodable, Sendable {
        public var count: Int
        public var inFlight: Int
        public var maxInFlight: Int

        enum CodingKeys: String, CodingKey {
            case count
            case inFlight = "in_flight"
            case maxInFlight = "max_in_flight"
        }
    }
}

/// The test server could not start or a control call failed.
public struct TestHTTPServerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { "TestHTTPServer: \(message)" }
}
