public import NewsModel

/// A destination for alerts: the spool, standard output, or a test collector.
///
/// The daemon delivers each alert to its sinks in order (spool first) and records the item as
/// alerted only after every sink returned.
public protocol AlertSink: Sendable {
    /// Delivers one alert. Returns once the alert is as durable as this sink makes it.
    ///
    /// - Throws: ``SpoolError`` when the alert could not be delivered.
    func deliver(_ alert: Alert) throws(SpoolError)
}
