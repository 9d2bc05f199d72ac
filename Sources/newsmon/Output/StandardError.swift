#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import ArgumentParser
import Synchronization

/// The one way `newsmon` writes to stderr: messages, warnings, log lines and the progress line.
///
/// Every line is one unbuffered `write(2)`. A progress line (a terminal only) is cleared before
/// anything else is printed on stderr or stdout, so it never runs into an alert or a message.
enum StandardError {
    /// Whether a progress line is on screen.
    private static let isShowingProgress = Mutex(false)

    /// Prints `text` (one or more lines) after clearing the progress line.
    static func print(_ text: String) {
        let line = text.hasSuffix("\n") ? text : text + "\n"
        isShowingProgress.withLock { showing in
            write(showing ? "\r\u{1B}[K" + line : line)
            showing = false
        }
    }

    /// Prints `newsmon COMMAND: message` and returns exit status 1 to throw.
    static func failure(_ command: String, _ message: String) -> ExitCode {
        print("newsmon \(command): \(message)")
        return ExitCode(1)
    }

    /// Replaces the progress line with `text`; does nothing unless stderr is a terminal.
    static func progress(_ text: String) {
        guard Terminal.isStandardError else { return }
        isShowingProgress.withLock { showing in
            write("\r\u{1B}[K" + text)
            showing = true
        }
    }

    /// Clears the progress line, if one is on screen (before printing on stdout).
    static func clearProgress() {
        isShowingProgress.withLock { showing in
            if showing { write("\r\u{1B}[K") }
            showing = false
        }
    }

    private static func write(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}

/// Facts about the process's terminal.
enum Terminal {
    static var isStandardOutput: Bool { isatty(1) == 1 }
    static var isStandardError: Bool { isatty(2) == 1 }
}
