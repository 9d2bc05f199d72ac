import ArgumentParser

/// `newsmon status`: Per-feed health from the state store.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Per-feed health from the state store.")

    func run() async throws {
        throw ValidationError("'newsmon status' is not built yet")
    }
}
