import Dedup
import Foundation
import Logging
import NewsModel
import NewsTestSupport
import Spool
import Testing

@testable import NewsMonitor

/// The composition root with every production part (file:// feeds, so no network).
@Suite struct MakeMonitorTests {
    /// The demo shows the shipped topics at work: its copy of them must not drift.
    @Test func theDemoConfigurationCarriesTheShippedTopics() throws {
        let demo = try MonitorConfiguration.load(path: RepositoryPaths.fixtures.appendingPathComponent("demo/feeds.conf").path)
        let shipped = try MonitorConfiguration.load(path: RepositoryPaths.root.appendingPathComponent("feeds.conf").path)
        #expect(demo.topics.map { [$0.id, $0.title, $0.rule] } == shipped.topics.map { [$0.id, $0.title, $0.rule] })
        #expect(demo.topics.map { $0.definitions.map { [$0.name, $0.rule] } } == shipped.topics.map { $0.definitions.map { [$0.name, $0.rule] } })
    }

    @Test(.timeLimit(.minutes(1)))
    func theDemoConfigurationPolledOnceRaisesItsThreeAlertsAndThenNone() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = RepositoryPaths.fixtures.appendingPathComponent("demo/feeds.conf").path
        let runtime = try MonitorRuntime.load(path: path)
        #expect(runtime.configuration.feeds.allSatisfy { $0.url.hasPrefix("file:///") })
        let options = MonitorOptions(configurationPath: path, stateDirectory: dir.path, output: .none)
        let monitor = try makeMonitor(configuration: runtime.configuration, options: options, logger: .quiet)
        let first = await monitor.pollOnce()
        #expect(first.feeds == 2 && first.alerts == 3 && first.failures.isEmpty)
        let alerts = try SpoolReader(directory: options.spoolDirectory).alerts()
        #expect(Set(alerts.map(\.topic)) == ["nato-russia-council", "ukraine-troop-buildup"])
        #expect(alerts.allSatisfy { !$0.why.isEmpty && $0.item.summary.count <= 500 })
        let second = await monitor.pollOnce()
        #expect(second.alerts == 0 && second.failures.isEmpty)
        let states = try monitor.pipeline.store.allFeedStates()
        #expect(states.count == 2 && states.allSatisfy { $0.nextDue != nil && $0.lastItemCount == 2 })
    }
}
