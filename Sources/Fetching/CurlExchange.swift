import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One HTTP request and its response over libcurl, run on a thread of its own.
///
/// libcurl calls back on that thread for every header line, every body chunk (already decoded from
/// gzip, deflate, br or zstd, at most 16 KB at a time) and every socket it opens, so limits act before
/// the next chunk is decoded: the byte cap stops a decompression bomb within one chunk of the cap, a
/// redirect's body is never read, and a connection to a refused address is never made.
/// ``cancel(_:)`` wakes the transfer thread at once.
final class CurlExchange: @unchecked Sendable {
    struct Options: Sendable {
        var url: String
        /// Request header lines, `Name: value`.
        var headers: [String]
        var maxBytes: Int
        /// No byte for this long (connecting included) ends the exchange with ``CurlCode/operationTimedOut``.
        var idleTimeout: Duration
        /// The innermost address scope this exchange may connect to; nil allows any.
        var allowedScope: AddressScope?
        var classify: @Sendable (NetworkAddress) -> AddressScope
        /// `CURLOPT_RESOLVE` entries (`host:port:address`), for tests.
        var resolve: [String] = []
    }

    enum Stop: Sendable {
        case deadline
        case cancelled
    }

    /// A connection refused by ``Options/allowedScope``.
    struct RefusedAddress: Sendable {
        var address: NetworkAddress
        var scope: AddressScope
    }

    struct Outcome: Sendable {
        var head = HTTPResponseHead()
        var body: [UInt8] = []
        /// The `CURLcode` of the transfer.
        var code: Int32 = CurlCode.ok
        /// libcurl's error buffer: the specific reason ("Connection refused", "SSL: wrong version number").
        var detail = ""
        /// `errno` of the last failed connect, if any.
        var osErrno = 0
        var stop: Stop?
        var isBodyTooLarge = false
        /// The response head passed ``CurlExchange/maxHeaderBytes`` (libcurl 7.88 limits single lines only).
        var isHeadTooLarge = false
        var headBytes = 0
        /// The body of a redirect was not read (the transfer was ended after its header).
        var isRedirectCut = false
        var refused: RefusedAddress?
        /// The innermost scope among the addresses connected to.
        var connectedScope: AddressScope?
        /// The address of the last connection, as libcurl reports it.
        var connectedAddress: String?
    }

    private struct Control {
        var stop: Stop?
        /// The multi handle's address while the transfer runs (an `Int`: a pointer is not `Sendable`).
        var multi: Int?
    }

    let options: Options
    private var outcome = Outcome()  // touched only by the transfer thread
    private let control = Mutex(Control())

    init(options: Options) {
        self.options = options
    }

    /// Runs the exchange on a new thread and returns its outcome.
    func run() async -> Outcome {
        await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
            let thread = Thread { continuation.resume(returning: self.perform()) }
            thread.name = "newsmon.fetch"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Ends the exchange as soon as possible (first reason wins); safe from any thread.
    func cancel(_ reason: Stop) {
        guard case .success(let curl) = CurlLibrary.shared else { return }
        control.withLock { control in
            if control.stop == nil { control.stop = reason }
            if let multi = control.multi { _ = curl.multiWakeup(OpaquePointer(bitPattern: multi)) }
        }
    }

    private var stopReason: Stop? { control.withLock { $0.stop } }

    private func perform() -> Outcome {
        let curl: CurlLibrary
        switch CurlLibrary.shared {
        case .success(let library): curl = library
        case .failure(let error):
            outcome.code = CurlCode.unavailable
            outcome.detail = error.message
            return outcome
        }
        guard let easy = curl.easyInit(), let multi = curl.multiInit() else {
            outcome.code = CurlCode.unavailable
            outcome.detail = "libcurl could not create a handle"
            return outcome
        }
        var headerList: OpaquePointer?
        for line in options.headers { headerList = curl.slistAppend(headerList, line) }
        var resolveList: OpaquePointer?
        for entry in options.resolve { resolveList = curl.slistAppend(resolveList, entry) }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: 256)  // CURL_ERROR_SIZE
        errorBuffer.initialize(repeating: 0, count: 256)
        defer {
            control.withLock { $0.multi = nil }  // no wakeups after this
            _ = curl.multiRemoveHandle(multi, easy)
            curl.easyCleanup(easy)
            _ = curl.multiCleanup(multi)
            curl.slistFreeAll(headerList)
            curl.slistFreeAll(resolveList)
            errorBuffer.deallocate()
        }

        let context = Unmanaged.passUnretained(self).toOpaque()
        let idleSeconds = HTTPFeedFetcher.seconds(options.idleTimeout)
        func set(_ option: Int32, _ value: Int) { _ = curl.setoptLong(easy, option, value) }
        func set(_ option: Int32, _ value: UnsafeRawPointer?) { _ = curl.setoptPointer(easy, option, value) }
        func set(_ option: Int32, _ text: String) { text.withCString { _ = curl.setoptPointer(easy, option, $0) } }  // copied
        set(CurlOption.url, options.url)
        set(CurlOption.protocolsString, "http,https")
        set(CurlOption.noSignal, 1)
        set(CurlOption.followLocation, 0)  // redirects are judged in HTTPFeedFetcher+HTTP
        set(CurlOption.acceptEncoding, "")  // every encoding libcurl decodes; decoded bytes count against the cap
        set(CurlOption.httpHeader, UnsafeRawPointer(headerList))
        if resolveList != nil { set(CurlOption.resolve, UnsafeRawPointer(resolveList)) }
        set(CurlOption.errorBuffer, UnsafeRawPointer(errorBuffer))
        set(CurlOption.connectTimeoutMS, max(1, Int(idleSeconds * 1000)))
        set(CurlOption.lowSpeedLimit, 1)  // fewer than 1 byte/s …
        set(CurlOption.lowSpeedTime, max(1, Int(idleSeconds.rounded(.up))))  // … for the idle timeout
        set(CurlOption.writeFunction, unsafeBitCast(curlWriteBody, to: UnsafeRawPointer.self))
        set(CurlOption.writeData, UnsafeRawPointer(context))
        set(CurlOption.headerFunction, unsafeBitCast(curlWriteHeader, to: UnsafeRawPointer.self))
        set(CurlOption.headerData, UnsafeRawPointer(context))
        set(CurlOption.openSocketFunction, unsafeBitCast(curlOpenSocket, to: UnsafeRawPointer.self))
        set(CurlOption.openSocketData, UnsafeRawPointer(context))
        _ = curl.multiAddHandle(multi, easy)

        let stoppedEarly = control.withLock { control -> Bool in
            control.multi = Int(bitPattern: multi)
            return control.stop != nil
        }
        var running: Int32 = 1
        while !stoppedEarly, running > 0, stopReason == nil {
            if curl.multiPerform(multi, &running) != 0 { break }
            if running > 0 { _ = curl.multiPoll(multi, nil, 0, 1000, nil) }
        }
        outcome.stop = stopReason
        var left: Int32 = 0
        while let message = curl.multiInfoRead(multi, &left) {
            if message.load(as: Int32.self) == 1 {  // CURLMSG_DONE: { msg, easy_handle, data.result }
                outcome.code = message.load(fromByteOffset: 16, as: Int32.self)
            }
        }
        var osErrno = 0
        _ = curl.getinfoLong(easy, CurlInfo.osErrno, &osErrno)
        outcome.osErrno = osErrno
        var primaryIP: UnsafePointer<CChar>?
        if curl.getinfoString(easy, CurlInfo.primaryIP, &primaryIP) == 0, let primaryIP, primaryIP.pointee != 0 {
            outcome.connectedAddress = String(cString: primaryIP)
        }
        outcome.detail = String(cString: errorBuffer)
        if outcome.detail.isEmpty, outcome.code != CurlCode.ok { outcome.detail = curl.message(for: outcome.code) }
        return outcome
    }

    // MARK: Callbacks (transfer thread)

    fileprivate func receiveBody(_ chunk: UnsafeRawBufferPointer) -> Bool {
        if stopReason != nil { return false }
        if HTTPFeedFetcher.redirectStatuses.contains(outcome.head.status), outcome.head.value("Location") != nil {
            outcome.isRedirectCut = true  // the redirect is followed (or refused) without reading its body
            return false
        }
        guard outcome.body.count + chunk.count <= options.maxBytes else {
            outcome.isBodyTooLarge = true  // never keep bytes past the cap; libcurl stops decoding here
            return false
        }
        outcome.body.append(contentsOf: chunk)
        return true
    }

    fileprivate func receiveHeader(_ line: UnsafeRawBufferPointer) -> Bool {
        outcome.headBytes += line.count
        guard outcome.headBytes <= Self.maxHeaderBytes else {
            outcome.isHeadTooLarge = true  // an endless stream of header lines
            return false
        }
        outcome.head.append(line: line)
        return stopReason == nil
    }

    /// The most header bytes accepted for one exchange, 1xx responses included.
    static let maxHeaderBytes = 256 * 1024

    /// Whether a connection to `address` may be opened.
    fileprivate func admit(_ address: NetworkAddress) -> Bool {
        let scope = options.classify(address)
        outcome.connectedScope = max(outcome.connectedScope ?? scope, scope)
        if let allowed = options.allowedScope, scope.rank > allowed.rank {
            outcome.refused = RefusedAddress(address: address, scope: scope)
            return false
        }
        return true
    }
}

private func exchange(_ context: UnsafeMutableRawPointer?) -> CurlExchange {
    Unmanaged<CurlExchange>.fromOpaque(context!).takeUnretainedValue()
}

private let curlWriteBody: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    let length = size * count
    return exchange(context).receiveBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private let curlWriteHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    let length = size * count
    return exchange(context).receiveHeader(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

/// `curl_opensocket_callback`: `struct curl_sockaddr { int family, socktype, protocol; unsigned addrlen;
/// struct sockaddr addr; }`. Returning -1 (`CURL_SOCKET_BAD`) makes libcurl fail with "couldn't connect".
private let curlOpenSocket: @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafeMutableRawPointer?) -> Int32 = {
    context, _, address in
    guard let address else { return -1 }
    let family = address.load(as: Int32.self)
    let type = address.load(fromByteOffset: 4, as: Int32.self)
    let proto = address.load(fromByteOffset: 8, as: Int32.self)
    guard let target = NetworkAddress(socketAddress: UnsafeRawPointer(address + 16)),
        exchange(context).admit(target)
    else { return -1 }
    return socket(family, type | Int32(SOCK_CLOEXEC.rawValue), proto)
}
