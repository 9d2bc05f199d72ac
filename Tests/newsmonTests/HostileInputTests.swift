import Foundation
import NewsTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Each hostile document is generated here and parsed by the real `newsmon parse` in a child
/// process: it must end within 2 s of CPU time with a peak RSS below 100 MB, and must not crash. (CPU time,
/// not wall time: the bound catches runaway work, and wall time grows with whatever else shares the machine.)
@Suite("Hostile input", .serialized)
struct HostileInputTests {
    static let maxSeconds = 2.0
    static let maxRSSKiB = 100 * 1024

    func run(_ document: [UInt8], extra: [String] = []) throws -> NewsmonProcess.Result {
        let dir = try TemporaryDirectory(prefix: "newsmon-hostile")
        defer { dir.remove() }
        let file = dir.url.appendingPathComponent("hostile.xml")
        try Data(document).write(to: file)
        return try check(NewsmonProcess.runParse([file.path] + extra))
    }

    func check(_ r: NewsmonProcess.Result, sourceLocation: SourceLocation = #_sourceLocation) -> NewsmonProcess.Result {
        #expect(r.status == 0 || r.status == 1, "crashed or killed: status \(r.status), \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.cpuSeconds < Self.maxSeconds, "took \(r.cpuSeconds) s of CPU (\(r.seconds) s wall)", sourceLocation: sourceLocation)
        #expect(r.maxRSSKiB > 0, "the measurement was read", sourceLocation: sourceLocation)
        #expect(r.maxRSSKiB < Self.maxRSSKiB, "peak RSS \(r.maxRSSKiB) KiB", sourceLocation: sourceLocation)
        if r.status == 1 {
            #expect(r.stderr.split(separator: "\n").count == 1, "one error line: \(r.stderr)", sourceLocation: sourceLocation)
        }
        return r
    }

    @Test("billion laughs: no expansion")
    func billionLaughs() throws {
        var dtd = "<!ENTITY lol \"lol\">\n"
        for level in 1...9 {
            dtd += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level == 1 ? "" : String(level - 1));", count: 10) + "\">\n"
        }
        let doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n\(dtd)]>\n<rss><channel><title>&lol9;</title><item><title>ok</title></item></channel></rss>"
        let r = try run(Array(doc.utf8))
        #expect(!r.stdout.contains("lollollol"))
        #expect(r.stdout.contains("\"ok\"") || r.status == 1)
    }

    @Test("quadratic blow-up: a 50 KB entity referenced 50 000 times is not expanded")
    func quadraticBlowup() throws {
        let entity = String(repeating: "x", count: 50_000)
        let refs = String(repeating: "&big;", count: 50_000)
        let doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY big \"\(entity)\">]>\n<rss><channel><title>\(refs)</title></channel></rss>"
        let r = try run(Array(doc.utf8))
        #expect(r.stdout.utf8.count < 2_000_000)
        #expect(!r.stdout.contains(String(repeating: "x", count: 60_000)))
    }

    @Test("XXE to file:///etc/passwd is never read")
    func xxe() throws {
        let doc = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <rss><channel><title>leak:&xxe;:end</title><item><description>&xxe;</description></item></channel></rss>
            """
        let r = try run(Array(doc.utf8))
        #expect(!r.stdout.contains("root:"))
        #expect(!r.stdout.contains("/bin/"))
    }

    @Test("an external DTD and parameter entity on a 127.0.0.1 listener see no request")
    func externalDTD() throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        let url = "http://127.0.0.1:\(listener.port)"
        let doc = """
            <?xml version="1.0"?>
            <!DOCTYPE rss SYSTEM "\(url)/rss.dtd" [<!ENTITY % remote SYSTEM "\(url)/remote.ent"> %remote; <!ENTITY ext SYSTEM "\(url)/ext.txt">]>
            <rss><channel><title>t &ext;</title><item><title>eins</title></item></channel></rss>
            """
        _ = try run(Array(doc.utf8))
        #expect(listener.acceptedConnections() == 0)
    }

    @Test("100 000-deep nesting is rejected at the depth limit")
    func deepNesting() throws {
        let depth = 100_000
        var doc = Array("<rss><channel><item><title>".utf8)
        doc.reserveCapacity(depth * 7 + 100)
        for _ in 0..<depth { doc.append(contentsOf: "<a>".utf8) }
        for _ in 0..<depth { doc.append(contentsOf: "</a>".utf8) }
        doc.append(contentsOf: "</title></item></channel></rss>".utf8)
        let r = try run(doc)
        #expect(r.status == 1)
        #expect(r.stderr.contains("deeper than"))
    }

    @Test("a 50 MB text node: refused by the default size cap, capped at the field limit when allowed")
    func hugeTextNode() throws {
        var doc = Array("<rss><channel><title>gross</title><item><title>".utf8)
        doc.append(contentsOf: [UInt8](repeating: UInt8(ascii: "a"), count: 50_000_000))
        doc.append(contentsOf: "</title></item></channel></rss>".utf8)
        let refused = try run(doc)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("larger than"))
        let allowed = try run(doc, extra: ["--max-bytes", "60000000"])
        #expect(allowed.status == 0)
        #expect(allowed.stdout.utf8.count < 3_000_000)
        #expect(allowed.stdout.contains("\"gross\""))
    }

    @Test("1 GB of whitespace on stdin is rejected at the size cap without reading it all")
    func gigabyteOfWhitespace() throws {
        let r = check(try NewsmonProcess.runParse(["-"]) { fd in
            let chunk = [UInt8](repeating: 0x20, count: 1 << 20)
            let head = Array("<rss><channel><title>".utf8)
            guard head.withUnsafeBytes({ NewsmonProcess.writeAll(fd, $0) }) else { return }
            chunk.withUnsafeBytes { buffer in
                for _ in 0..<1024 {
                    if !NewsmonProcess.writeAll(fd, buffer) { break }
                }
            }
        })
        #expect(r.status == 1)
        #expect(r.stderr.contains("larger than"))
    }

    @Test("truncated UTF-8 and NUL bytes are survived")
    func truncatedUTF8AndNUL() throws {
        var doc = Array("<rss><channel><title>Gr\u{FC}\u{DF}e</title><item><title>A\u{0}B".utf8)
        doc += [0, 0, 0xC3]
        let r = try run(doc)
        #expect(r.status == 0)
        #expect(r.stdout.contains("Grüße"))
        let nulOnly = try run([UInt8](repeating: 0, count: 4096))
        #expect(nulOnly.status == 1)
    }
}

/// A TCP listener on 127.0.0.1 with an ephemeral port that only counts connection attempts.
final class LoopbackListener {
    let fd: Int32
    let port: UInt16

    init() throws {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard s >= 0, bound == 0, listen(s, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &length) }
        }
        _ = fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK)
        fd = s
        port = UInt16(bigEndian: addr.sin_port)
    }

    /// Connections waiting in the backlog (each one a request attempt by the parser).
    func acceptedConnections() -> Int {
        var count = 0
        while true {
            let c = accept(fd, nil, nil)
            if c < 0 { break }
            Glibc.close(c)
            count += 1
        }
        return count
    }

    func close() { Glibc.close(fd) }
}
