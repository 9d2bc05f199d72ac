import ArgumentParser

/// `newsmon check`: Validate feeds.conf.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Validate feeds.conf.")

    func run() async throws {
        throw ValidationError("'newsmon check' is not built yet")
    }
}
