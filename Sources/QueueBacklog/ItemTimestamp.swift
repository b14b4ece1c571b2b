import ScaleCore

/// When a queued job was enqueued, read from a field of its JSON body — Sidekiq's
/// `enqueued_at`, or any field the user names.
public enum ItemTimestamp {
    /// The bytes a job body may have before it is not worth parsing for a timestamp.
    public static let maxItemBytes = 1 << 20

    /// The value of top-level `field` in a JSON object: Unix seconds, Unix milliseconds (values
    /// above 10^11, which as seconds would be after the year 5138) or an RFC 3339 string; nil when
    /// the item is not a JSON object or has no such field.
    public static func read(_ item: [UInt8], field: String) -> Double? {
        guard item.count <= maxItemBytes,
              let document = try? JSONParser.read(item),
              let value = document[field] else { return nil }
        if let number = value.double, number.isFinite { return number > 1e11 ? number / 1000 : number }
        if let text = value.string { return Timestamp.parse(text) }
        return nil
    }
}
