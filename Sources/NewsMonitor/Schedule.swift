import Dedup
import Foundation
import Logging
import NewsModel

/// The scheduler's bookkeeping: one ``FeedStateMachine`` per enabled feed, the polls in
/// flight, and persistence of each feed's next due time.
struct Schedule {
    private(set) var runtime: MonitorRuntime
    private(set) var feeds: [FeedSource]
    private(set) var machines: [String: FeedStateMachine] = [:]
    private(set) var inFlight: Set<String> = []
    /// The enabled feeds by id.
    private var feedsByID: [String: FeedSource] = [:]
    /// The feeds due when the schedule was made (never polled, or due while the daemon was down), in feed-id order:
    /// the daemon's first ``StartupRound``.
    private(set) var dueAtStart: [FeedSource] = []
    private let store: any StoryStore
    private let options: MonitorOptions
    private let logger: Logger

    init(runtime: MonitorRuntime, store: any StoryStore, options: MonitorOptions, now: Date, logger: Logger) {
        self.runtime = runtime
        self.feeds = runtime.configuration.feeds.filter(\.isEnabled)
        self.store = store
        self.options = options
        self.logger = logger
        for feed in feeds {
            let (machine, isDue) = restore(feed, now: now)
            machines[feed.id] = machine
            feedsByID[feed.id] = feed
            if isDue { dueAtStart.append(feed) }
        }
        dueAtStart.sort { $0.id < $1.id }
    }

    /// A machine from the persisted record, so that a restart keeps every feed's schedule, and whether the feed is
    /// due now (never polled, or its due time passed).
    private func restore(_ feed: FeedSource, now: Date) -> (FeedStateMachine, isDue: Bool) {
        let record = (try? store.feedState(id: feed.id)) ?? nil
        var random = SystemRandomNumberGenerator()
        let machine = FeedStateMachine(
            interval: feed.interval, nextDue: record?.nextDue, consecutiveFailures: record?.consecutiveErrors ?? 0,
            goneSince: record?.goneSince, now: now, startupSpread: options.startupSpread, random: &random)
        return (machine, (record?.nextDue).map { $0 <= now } ?? true)
    }

    /// The enabled feed with this id, if any.
    func feed(id: String) -> FeedSource? {
        feedsByID[id]
    }

    /// The earliest time a feed that is not in flight becomes due.
    var nextWakeUp: Date? {
        machines.values.compactMap(\.wakeUp).min()
    }

    /// Feeds failing right now (their last poll failed or they are gone).
    var failingCount: Int {
        machines.values.filter { $0.consecutiveFailures > 0 }.count
    }

    /// Marks up to `limit` due feeds as fetching, earliest due first, and returns them.
    mutating func duePolls(now: Date, limit: Int) -> [FeedSource] {
        guard limit > 0 else { return [] }
        let due = feeds.compactMap { feed -> (FeedSource, Date)? in
            guard let wake = machines[feed.id]?.wakeUp, wake <= now else { return nil }
            return (feed, wake)
        }
        .sorted { $0.1 < $1.1 }
        .prefix(limit)
        for (feed, _) in due {
            _ = machines[feed.id]?.poll(now: now)
            inFlight.insert(feed.id)
        }
        return due.map(\.0)
    }

    /// Marks a feed as fetching regardless of its due time (`newsmon once`, the daemon's ``StartupRound``).
    mutating func markPolled(_ feedID: String) {
        _ = machines[feedID]?.poll(now: .distantFuture, force: true)
        inFlight.insert(feedID)
    }

    /// Forgets a poll marked by ``markPolled(_:)`` that will not run (the daemon stops, or a reload removed the feed):
    /// nothing is persisted, so the feed keeps its stored due time.
    mutating func abandon(_ feedID: String) {
        inFlight.remove(feedID)
    }

    /// Applies a finished poll: advances the machine and persists the record with its next due time.
    mutating func finished<R: RandomNumberGenerator>(_ report: FeedPollReport, now: Date, random: inout R) {
        finished([report], now: now, random: &random)
    }

    /// ``finished(_:now:random:)`` for several polls, their records persisted in one transaction (a chunk of
    /// `newsmon once`).
    mutating func finished<R: RandomNumberGenerator>(_ reports: [FeedPollReport], now: Date, random: inout R) {
        var records: [StoredFeedState] = []
        for report in reports { records.append(advance(report, now: now, random: &random)) }
        do {
            try store.saveFeedStates(records)
        } catch {
            for report in reports {
                logger.error("cannot save feed state", metadata: ["feed.id": "\(report.feed.id)", "error": "\(error)"])
            }
        }
    }

    /// Advances the feed's machine past a finished poll; returns the record to persist.
    private mutating func advance<R: RandomNumberGenerator>(
        _ report: FeedPollReport, now: Date, random: inout R
    ) -> StoredFeedState {
        inFlight.remove(report.feed.id)
        var record = report.record
        if var machine = machines[report.feed.id] {
            machine.finished(report.outcome, now: now, random: &random)
            machines[report.feed.id] = machine
            record.nextDue = machine.nextDue
            record.consecutiveErrors = machine.consecutiveFailures
            record.goneSince = machine.goneSince
        } else {
            // Removed by a reload while in flight: keep its state, nothing more to schedule.
            switch report.outcome {
            case .fetched: record.consecutiveErrors = 0
            case .deferred: break
            case .failed, .gone: record.consecutiveErrors += 1
            }
        }
        return record
    }

    /// Switches to a new configuration, keeping the machines of feeds that stay.
    ///
    /// - Returns: The feeds it adds that are due now (never polled, or their stored due time passed), in feed-id
    ///   order: a ``StartupRound`` of their own.
    @discardableResult
    mutating func reload(_ runtime: MonitorRuntime, now: Date) -> [FeedSource] {
        self.runtime = runtime
        feeds = runtime.configuration.feeds.filter(\.isEnabled)
        var next: [String: FeedStateMachine] = [:]
        var added: [FeedSource] = []
        feedsByID = [:]
        for feed in feeds {
            feedsByID[feed.id] = feed
            if var machine = machines[feed.id] {
                machine.interval = feed.interval
                next[feed.id] = machine
            } else {
                let (machine, isDue) = restore(feed, now: now)
                next[feed.id] = machine
                if isDue { added.append(feed) }
            }
        }
        machines = next
        return added.sorted { $0.id < $1.id }
    }
}
