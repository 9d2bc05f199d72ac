import Testing

/// Parent of every suite that talks to a loopback server: they run one test at a time, so the suite
/// starts one `testserver.py` at a time and leaves CPU to timing-sensitive suites running in parallel
/// (the daemon's scheduler tests run a real clock on a 2-core machine).
@Suite(.serialized, .timeLimit(.minutes(2)))
enum HTTPTests {}
