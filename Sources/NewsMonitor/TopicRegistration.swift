import Dedup
import Foundation
import Logging

/// At start and at each reload: the configured topics are recorded in the state store; a topic new to it
/// is matched once against the items still in the feeds (docs/daemon.md, "A new topic").
enum TopicRegistration {
    static func register(_ runtime: MonitorRuntime, store: any StoryStore, now: Date, logger: Logger) {
        do {
            let added = try store.registerTopics(runtime.configuration.topics.map(\.id), now: now)
            if !added.isEmpty {
                logger.notice(
                    "new topics: items still in the feeds are matched against them at their next poll",
                    metadata: ["monitor.new_topics": "\(added.joined(separator: ","))"])
            }
        } catch {
            logger.warning("cannot record the topics in the state store", metadata: ["error": "\(error)"])
        }
    }
}
