import Foundation
import Logging
import NewsTestSupport
import Testing

@testable import NewsMonitor

@Suite struct SystemdNotifierTests {
    @Test(.timeLimit(.minutes(1)), arguments: ["path", "abstract"])
    func messagesArriveInOrderAtPathAndAbstractSockets(kind: String) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let address = kind == "path" ? dir.path + "/notify.sock" : "@newsmon-test-\(UUID().uuidString.prefix(8))"
        let receiver = try NotifyReceiver(path: address)
        defer { receiver.stop() }
        let notifier = SystemdNotifier(socketPath: address, logger: .quiet)
        for message in ["READY=1", "STATUS=2 feeds, 0 alerts, 0 failing", "WATCHDOG=1", "STOPPING=1"] {
            notifier.notify(message)
        }
        #expect(await receiver.waitFor { $0 == "STOPPING=1" })
        #expect(receiver.messages == ["READY=1", "STATUS=2 feeds, 0 alerts, 0 failing", "WATCHDOG=1", "STOPPING=1"])
    }

    @Test func aMissingOrInvalidSocketIsNotAnError() {
        #expect(SystemdNotifier.send("READY=1", to: "/nonexistent/notify.sock") == ENOENT)
        #expect(SystemdNotifier.send("READY=1", to: "relative") == EINVAL)
        SystemdNotifier(socketPath: nil, logger: .quiet).notify("READY=1")  // no-op
    }
}

@Suite struct MonitorPathsTests {
    @Test func stateDirectoryPrefersSystemdThenXDGThenHome() {
        #expect(MonitorPaths.defaultStateDirectory(environment: ["STATE_DIRECTORY": "/var/lib/newsmon:/var/lib/other", "HOME": "/h"]) == "/var/lib/newsmon")
        #expect(MonitorPaths.defaultStateDirectory(environment: ["XDG_STATE_HOME": "/x/state", "HOME": "/h"]) == "/x/state/newsmon")
        #expect(MonitorPaths.defaultStateDirectory(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h/"]) == "/h/.local/state/newsmon")
        #expect(MonitorPaths.defaultStateDirectory(environment: [:]) == "/.local/state/newsmon")
        #expect(MonitorOptions(configurationPath: "c", stateDirectory: "/s").spoolDirectory == "/s/spool")
    }

    @Test func watchdogIntervalHonoursWatchdogPID() {
        #expect(MonitorPaths.watchdogInterval(environment: ["WATCHDOG_USEC": "60000000"], processID: 7) == .seconds(60))
        #expect(MonitorPaths.watchdogInterval(environment: ["WATCHDOG_USEC": "60000000", "WATCHDOG_PID": "7"], processID: 7) == .seconds(60))
        #expect(MonitorPaths.watchdogInterval(environment: ["WATCHDOG_USEC": "60000000", "WATCHDOG_PID": "8"], processID: 7) == nil)
        #expect(MonitorPaths.watchdogInterval(environment: ["WATCHDOG_USEC": "zero"], processID: 7) == nil)
    }
}

@Suite struct NewsmonLogHandlerTests {
    @Test func formatsStaticMessagesWithSortedQuotedMetadata() {
        let line = NewsmonLogHandler.format(
            level: .warning, label: "newsmon", message: "feed poll failed",
            metadata: ["feed.id": "tagesschau", "error": "tagesschau: HTTP 503 \"busy\""],
            timestamp: Date(timeIntervalSince1970: 1_641_982_503))
        #expect(line == #"2022-01-12T10:15:03Z warning newsmon: feed poll failed error="tagesschau: HTTP 503 \"busy\"" feed.id=tagesschau"#)
        let journal = NewsmonLogHandler.format(level: .info, label: "newsmon", message: "started", metadata: [:], timestamp: nil)
        #expect(journal == "info newsmon: started")
        #expect(NewsmonLogHandler.syslogPriority(.error) == 3)
    }
}

@Suite struct MailboxTests {
    @Test(.timeLimit(.minutes(1)))
    func anEventWakesTheSleeperBeforeItsDeadline() async {
        let mailbox = Mailbox<Int>()
        let start = Date()
        Task {
            try? await Task.sleep(for: .milliseconds(100))
            mailbox.post(7)
        }
        let event = await mailbox.next(until: start.addingTimeInterval(30), clock: SystemMonitorClock())
        #expect(event == 7)
        #expect(Date().timeIntervalSince(start) < 25)
    }

    @Test(.timeLimit(.minutes(1)))
    func theDeadlineWakesTheSleeperAndQueuedEventsComeFirst() async {
        let mailbox = Mailbox<Int>()
        let start = Date()
        #expect(await mailbox.next(until: start.addingTimeInterval(0.2), clock: SystemMonitorClock()) == nil)
        #expect(Date().timeIntervalSince(start) >= 0.19)
        mailbox.post(1)
        mailbox.post(2)
        #expect(await mailbox.next(until: nil, clock: SystemMonitorClock()) == 1)
        #expect(await mailbox.next(until: .distantPast, clock: SystemMonitorClock()) == 2)
    }

    /// The scheduler's sleep is cancelled whenever an event comes first: it must end at once, and its
    /// timer with it (a cancelled `Task.sleep` would wait for its deadline, docs/performance.md).
    @Test(.timeLimit(.minutes(1)))
    func aCancelledSleepEndsAtOnceWithCancellationError() async {
        let sleeper = Task { try await SystemMonitorClock().sleep(until: Date().addingTimeInterval(600)) }
        try? await Task.sleep(for: .milliseconds(50))
        let start = Date()
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(Date().timeIntervalSince(start) < 5)
        let cancelledFirst = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await SystemMonitorClock().sleep(until: Date().addingTimeInterval(600))
        }
        await #expect(throws: CancellationError.self) { try await cancelledFirst.value }
    }
}
