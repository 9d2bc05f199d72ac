import ArgumentParser

/// `newsmon run`: Run the daemon: poll, match, dedup and alert until SIGTERM.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the daemon: poll, match, dedup and alert until SIGTERM.")

    func run() async throws {
        throw ValidationError("'newsmon run' is not built yet")
    }
}
