public import NewsModel

extension FeedDocument {
    /// `line:column: not well-formed, recovered: …` for a document that was not well-formed (a
    /// truncated body, a stray `&`) and was read by a lenient pass; nil for a well-formed one.
    ///
    /// The daemon logs it as a warning and keeps it as the feed's `last_error` while the poll counts
    /// as a success, so `newsmon status` shows it until the next successful poll.
    public var recoveryNote: String? {
        guard isRecovered else { return nil }
        guard let first = diagnostics.first else { return "not well-formed, recovered" }
        let place = [first.line, first.column].compactMap { $0.map(String.init) }.joined(separator: ":")
        return place.isEmpty ? first.message : "\(place): \(first.message)"
    }
}
