/// Everything wrong with a configuration file, reported at once.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, ordered by position in the file.
    public var problems: [ConfigurationProblem]

    public init(problems: [ConfigurationProblem]) { self.problems = problems }

    /// One `file:line:column: message` line per problem.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// One problem in a configuration file, at a 1-based line and column.
public struct ConfigurationProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file name as given to the reader (e.g. `feeds.conf`).
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`.
    public var description: String { "\(file):\(line):\(column): \(message)" }
}
