import Dedup
import Foundation
public import Logging
import NewsModel
public import ServiceLifecycle

/// The scheduler: polls every enabled feed when it is due, at most `maxInFlight` at a time,
/// persists each feed's next due time, pings the watchdog and reports status.
///
/// It sleeps in a ``Mailbox`` until the earliest due time, a finished poll, a reload or a
/// shutdown request: no busy waiting and no fixed tick.
///
/// The feeds due when it starts (never polled, or due while it was down), and those a reload adds, are polled as one
/// ``StartupRound``: fetched in feed-id order over the start-up spread and delivered in chunks planned in date
/// order, as ``Monitor/pollOnce(progress:)`` does, so that the earliest report of a story founds it whichever
/// server answered first. After that, each poll is delivered (plan → spool → commit) as soon as its fetch
/// completes: when two feeds carry a new story in the same cycle, which one founds it (and is named in the
/// alert) depends on which answered first. On graceful shutdown it stops scheduling, lets in-flight polls
/// finish (the service group cancels them after its grace period) and returns.
public final class MonitorService: Service, Sendable {
    enum Event: Sendable {
        case finished(FeedPollReport)
        /// A fetch of the start-up round finished: its position in the round and the prepared poll.
        case prepared(Int, PreparedPoll)
        /// A chunk of the start-up round was delivered.
        case delivered([FeedPollReport])
        case reload(MonitorRuntime)
        case shutdown
    }

    private let pipeline: FeedPipeline
    private let initialRuntime: MonitorRuntime
    private let options: MonitorOptions
    private let notifier: any ServiceNotifier
    private let clock: any MonitorClock
    private let logger: Logger
    private let mailbox = Mailbox<Event>()

    public init(
        pipeline: FeedPipeline, runtime: MonitorRuntime, options: MonitorOptions, notifier: any ServiceNotifier,
        clock: any MonitorClock = SystemMonitorClock(), logger: Logger
    ) {
        self.pipeline = pipeline
        self.initialRuntime = runtime
        self.options = options
        self.notifier = notifier
        self.clock = clock
        self.logger = logger
    }

    /// Replaces the configuration: new feeds are scheduled, removed ones dropped, intervals updated;
    /// rules apply to the next polls.
    public func apply(_ runtime: MonitorRuntime) {
        mailbox.post(.reload(runtime))
    }

    public func run() async throws {
        let mailbox = self.mailbox
        await withGracefulShutdownHandler {
            await loop()
        } onGracefulShutdown: {
            mailbox.post(.shutdown)
        }
    }

    private func loop() async {
        var schedule = Schedule(runtime: initialRuntime, store: pipeline.store, options: options, now: clock.now(), logger: logger)
        let watchdogPeriod = options.watchdogInterval.map { $0 / 2 }
        var nextWatchdog = watchdogPeriod.map { clock.now().addingTimeInterval(FeedStateMachine.seconds($0)) }
        // Old seen items are pruned at start, then daily (docs/dedup.md "Pruning").
        var nextPrune = clock.now()
        var isShuttingDown = false
        var cycleActive = false
        var totalAlerts = 0
        var cycle = CycleSummary()
        var problem: DaemonProblem?
        let stateDirectory = StateDirectory(path: options.stateDirectory)
        stateDirectory.saveProblem(nil)
        let maxInFlight = max(1, initialRuntime.configuration.daemon.maxInFlight)
        var round: StartupRound?
        /// Polls `feeds` (due now, in feed-id order) as one round.
        func startRound(_ feeds: [FeedSource]) {
            guard !feeds.isEmpty else { return }
            round = StartupRound(feeds: feeds, now: clock.now(), spread: options.startupSpread, maxInFlight: maxInFlight)
            for feed in feeds { schedule.markPolled(feed.id) }
            cycleActive = true
        }
        startRound(schedule.dueAtStart)
        /// Notes the daemon's storage problem when it changed; said at once, not at the end of the cycle: the disk
        /// may stay full for long.
        func noteProblem() {
            let current = pipeline.problem
            guard current != problem else { return }
            problem = current
            stateDirectory.saveProblem(problem)
            notifier.notify(Self.status(schedule, alerts: totalAlerts, problem: problem))
        }
        logger.info("monitor started", metadata: ["monitor.feeds": "\(schedule.feeds.count)"])
        await withDiscardingTaskGroup { group in
            while true {
                let now = clock.now()
                if let due = nextWatchdog, let period = watchdogPeriod, now >= due {
                    notifier.notify("WATCHDOG=1")
                    nextWatchdog = now.addingTimeInterval(FeedStateMachine.seconds(period))
                }
                if now >= nextPrune && !isShuttingDown {
                    prune(now: now)
                    nextPrune = now.addingTimeInterval(Self.pruneInterval)
                }
                if !isShuttingDown && !Task.isCancelled, var current = round {
                    var abandoned: [String] = []
                    while let (position, feed) = current.nextLaunch(
                        now: now, limit: maxInFlight, current: { schedule.feed(id: $0) }, abandoned: &abandoned)
                    {
                        let (runtime, pipeline, mailbox, logger) = (schedule.runtime, self.pipeline, self.mailbox, self.logger)
                        let preparesEntries = current.overlaps
                        group.addTask {
                            let poll = await pipeline.prepare(
                                feed: feed, runtime: runtime, now: now, logger: logger, states: nil,
                                preparesEntries: preparesEntries)
                            mailbox.post(.prepared(position, poll))
                        }
                    }
                    for id in abandoned { schedule.abandon(id) }
                    round = current
                }
                if var current = round, let batch = current.takeChunk() {
                    round = current
                    let (pipeline, mailbox, spoolsAlongside) = (self.pipeline, self.mailbox, current.overlaps)
                    group.addTask {
                        mailbox.post(.delivered(pipeline.deliver(batch: batch, spoolsAlongside: spoolsAlongside)))
                    }
                }
                if round?.isDone == true { round = nil }
                // Fetches running: the round's, and the other polls (the round's feeds count as in flight until
                // delivered).
                let busy = schedule.inFlight.count - (round?.marked ?? 0) + (round?.inFlight ?? 0)
                if !isShuttingDown && !Task.isCancelled {
                    for feed in schedule.duePolls(now: now, limit: maxInFlight - busy) {
                        cycleActive = true
                        let runtime = schedule.runtime
                        let pipeline = self.pipeline
                        let mailbox = self.mailbox
                        let logger = self.logger
                        group.addTask {
                            let report = await pipeline.poll(feed: feed, runtime: runtime, now: now, logger: logger)
                            mailbox.post(.finished(report))
                        }
                    }
                }
                if schedule.inFlight.isEmpty {
                    if isShuttingDown { break }
                    if cycleActive {
                        cycleActive = false
                        notifier.notify(Self.status(schedule, alerts: totalAlerts, problem: problem))
                        logger.log(
                            level: options.logsCycleSummary ? .info : .debug, "poll cycle done",
                            metadata: cycle.metadata(schedule: schedule, now: clock.now()))
                        cycle = CycleSummary()
                    }
                }
                var deadline = busy < maxInFlight && !isShuttingDown ? schedule.nextWakeUp : nil
                if !isShuttingDown, let due = round?.nextDue(limit: maxInFlight) { deadline = min(deadline ?? due, due) }
                if let watchdog = nextWatchdog { deadline = min(deadline ?? watchdog, watchdog) }
                if !isShuttingDown { deadline = min(deadline ?? nextPrune, nextPrune) }
                guard let event = await mailbox.next(until: deadline, clock: clock) else {
                    // Cancelled (the group's shutdown budget ran out): leave; the task group cancels
                    // and awaits the polls still in flight.
                    if Task.isCancelled { break }
                    continue
                }
                switch event {
                case .finished(let report):
                    totalAlerts += report.alerts
                    cycle.add(report)
                    var random = SystemRandomNumberGenerator()
                    schedule.finished(report, now: clock.now(), random: &random)
                    noteProblem()
                case .prepared(let position, let poll):
                    round?.prepared(poll, at: position)
                case .delivered(let reports):
                    round?.delivered(reports.count)
                    for report in reports {
                        totalAlerts += report.alerts
                        cycle.add(report)
                    }
                    var random = SystemRandomNumberGenerator()
                    // The chunk's feed states in one transaction.
                    schedule.finished(reports, now: clock.now(), random: &random)
                    noteProblem()
                case .reload(let runtime):
                    TopicRegistration.register(runtime, store: pipeline.store, now: clock.now(), logger: logger)
                    let added = schedule.reload(runtime, now: clock.now())
                    // The feeds a reload adds (an OPML import: many at once) are polled as a round of their own, unless
                    // a round runs: then each is delivered as it finishes.
                    if round == nil && !isShuttingDown { startRound(added) }
                    logger.info(
                        "configuration applied",
                        metadata: [
                            "monitor.feeds": "\(schedule.feeds.count)",
                            "monitor.topics": "\(runtime.configuration.topics.count)",
                        ])
                case .shutdown:
                    isShuttingDown = true
                    // The round's feeds not fetched yet keep their due times; those fetched are still delivered.
                    if var current = round {
                        for id in current.close() { schedule.abandon(id) }
                        round = current
                    }
                    notifier.notify("STOPPING=1")
                    logger.info("shutting down", metadata: ["monitor.in_flight": "\(schedule.inFlight.count)"])
                }
            }
        }
        logger.info("monitor stopped")
    }

    /// `STATUS=42 feeds, 3 alerts, 1 failing`, plus `; not recording: <problem>` during a daemon problem.
    static func status(_ schedule: Schedule, alerts: Int, problem: DaemonProblem?) -> String {
        var text = "STATUS=\(schedule.feeds.count) feeds, \(alerts) alerts, \(schedule.failingCount) failing"
        if let problem { text += "; not recording: \(problem)" }
        return text
    }

    /// What one poll cycle did, for its summary line.
    struct CycleSummary {
        var polled = 0
        var alerts = 0
        var failed = 0

        mutating func add(_ report: FeedPollReport) {
            polled += 1
            alerts += report.alerts
            switch report.outcome {
            case .failed, .gone: failed += 1
            case .fetched, .deferred: break
            }
        }

        /// `cycle.polled=3 cycle.alerts=1 cycle.failed=0 monitor.feeds=42 monitor.failing=1 monitor.next_poll=…`.
        func metadata(schedule: Schedule, now: Date) -> Logger.Metadata {
            var metadata: Logger.Metadata = [
                "cycle.polled": "\(polled)", "cycle.alerts": "\(alerts)", "cycle.failed": "\(failed)",
                "monitor.feeds": "\(schedule.feeds.count)", "monitor.failing": "\(schedule.failingCount)",
            ]
            if let next = schedule.nextWakeUp {
                metadata["monitor.next_poll_in"] = "\(max(0, Int(next.timeIntervalSince(now).rounded())))s"
            }
            return metadata
        }
    }

    /// Seconds between two prunes of the state store.
    static let pruneInterval: Double = 86_400

    private func prune(now: Date) {
        do {
            try pipeline.store.prune(now: now)
            logger.debug("state pruned")
        } catch {
            logger.error("cannot prune the state store", metadata: ["error": "\(error)"])
        }
    }
}
