#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import ArgumentParser

extension Newsmon {
    /// Runs the command with newsmon's exit codes (README "Commands"): 0 ok, 1 user error, 2 usage.
    ///
    /// ArgumentParser reports usage errors with `EX_USAGE` (64); newsmon promises 2.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            StandardError.print(fullMessage(for: error))
            Glibc.exit(2)
        }
    }
}
