import Foundation

/// The resident memory of this process, for leak checks run alone in a child process (an exit test).
public enum ResidentMemory {
    /// Resident bytes now (`/proc/self/statm`), 0 where that file does not exist.
    public static func bytes() -> Int {
        let fields = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8))?.split(separator: " ") ?? []
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }
}

extension ResidentMemory {
    /// How much resident memory `repeats` calls of `body` add, after `warmUp` calls (caches, arenas).
    /// A leak check: run it alone, in an exit test's child process, and print the result.
    public static func growth(warmUp: Int, repeats: Int, _ body: () throws -> Void) rethrows -> Int {
        for _ in 0..<warmUp { try body() }
        let before = bytes()
        for _ in 0..<repeats { try body() }
        return bytes() - before
    }
}
