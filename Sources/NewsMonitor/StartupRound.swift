import Foundation
import NewsModel

/// The daemon's first poll of the feeds due when it starts (and of those a reload adds), made as `newsmon once`
/// makes its poll.
///
/// Delivered as each fetch finishes, those polls made stories depend on which server answered first: the first report
/// to arrive founds a story, and a copy is compared with that report only, so a story whose earliest report came last
/// could be split in two, and alerted twice (docs/daemon.md, "The start-up round"). So the round's feeds are fetched in
/// feed-id order, spread evenly over `--startup-spread`, and delivered in chunks of ``Monitor/onceBatchSize`` feeds in
/// feed-id order, each chunk planned as one batch in date order (``FeedPipeline/deliver(batch:spoolsAlongside:)``):
/// the alerts of `newsmon once`, whatever order the fetches finish in. Memory stays bounded as in `once`: at most
/// ``ahead`` feeds are launched beyond those delivered.
///
/// Used by the scheduler loop only: it launches what ``nextLaunch(now:limit:current:abandoned:)`` gives, hands each prepared poll to
/// ``prepared(_:at:)`` and each chunk that ``takeChunk()`` gives to a delivery.
struct StartupRound {
    /// The round's feeds, in feed-id order.
    let feeds: [FeedSource]
    /// When each feed is due: the spread in feed-id order.
    private let due: [Date]
    /// Whether the round is large enough for chunks to be prepared while one is delivered (as in `newsmon once`).
    let overlaps: Bool
    /// Feeds launched beyond those delivered, at most.
    private let ahead: Int
    private var slots: [PreparedPoll?]
    /// Feeds that will not be polled in the round (removed by a reload, or the daemon stops).
    private var skipped: Set<Int> = []
    private var launched = 0
    /// Fetches of the round running now.
    private(set) var inFlight = 0
    /// The first feed of the next chunk to deliver.
    private var nextChunk = 0
    private var isDelivering = false

    /// - Parameters:
    ///   - feeds: The feeds due at the start, in feed-id order (``Schedule/dueAtStart``).
    ///   - spread: The span over which their fetches start.
    ///   - maxInFlight: The daemon's `max_in_flight`.
    init(feeds: [FeedSource], now: Date, spread: Duration, maxInFlight: Int) {
        self.feeds = feeds
        let seconds = RetryPolicy.seconds(spread)
        due = feeds.indices.map { now.addingTimeInterval(seconds * Double($0) / Double(max(1, feeds.count))) }
        (overlaps, ahead) = Monitor.batchPacing(feeds: feeds.count, maxInFlight: maxInFlight)
        slots = Array(repeating: nil, count: feeds.count)
        marked = feeds.count
    }

    /// Whether every feed of the round is delivered or skipped.
    var isDone: Bool { nextChunk >= feeds.count && !isDelivering }

    /// The feeds of the round the scheduler counts as in flight (``Schedule/markPolled(_:)``): not delivered, not
    /// skipped.
    private(set) var marked: Int

    /// The next feed to fetch, as `current` gives it now (nil: removed by a reload, skipped and added to
    /// `abandoned`), with its position for ``prepared(_:at:)``: when it is due at `now`, fewer than `limit` fetches
    /// of the round run, and it is not too far ahead of the deliveries.
    mutating func nextLaunch(
        now: Date, limit: Int, current: (String) -> FeedSource?, abandoned: inout [String]
    ) -> (position: Int, feed: FeedSource)? {
        while launched < feeds.count, inFlight < limit, launched - nextChunk < ahead, due[launched] <= now {
            let position = launched
            launched += 1
            guard let feed = current(feeds[position].id) else {
                skipped.insert(position)
                abandoned.append(feeds[position].id)
                marked -= 1
                continue
            }
            inFlight += 1
            return (position, feed)
        }
        return nil
    }

    /// When the next feed becomes due, if one is waiting for its time (not for a free fetch or a delivery).
    func nextDue(limit: Int) -> Date? {
        guard launched < feeds.count, inFlight < limit, launched - nextChunk < ahead else { return nil }
        return due[launched]
    }

    /// Skips every feed not launched yet (the daemon stops) and returns their ids.
    mutating func close() -> [String] {
        let rest = launched..<feeds.count
        for position in rest { skipped.insert(position) }
        launched = feeds.count
        marked -= rest.count
        return rest.map { feeds[$0].id }
    }

    /// A fetch of the round finished.
    mutating func prepared(_ poll: PreparedPoll, at position: Int) {
        slots[position] = poll
        inFlight -= 1
    }

    /// The next chunk with a poll, in feed-id order, when every feed of it is prepared or skipped and no chunk is
    /// being delivered; its polls are removed from the round.
    mutating func takeChunk() -> [PreparedPoll]? {
        while !isDelivering, nextChunk < feeds.count {
            let chunk = nextChunk..<min(nextChunk + Monitor.onceBatchSize, feeds.count)
            guard chunk.allSatisfy({ slots[$0] != nil || skipped.contains($0) }) else { return nil }
            var polls: [PreparedPoll] = []
            for position in chunk {
                if let poll = slots[position] { polls.append(poll) }
                slots[position] = nil
            }
            nextChunk = chunk.upperBound
            if !polls.isEmpty {
                isDelivering = true
                return polls
            }
        }
        return nil
    }

    /// The chunk given by ``takeChunk()`` is delivered: `count` polls.
    mutating func delivered(_ count: Int) {
        isDelivering = false
        marked -= count
    }
}
