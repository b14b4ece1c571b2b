import ScaleCore

/// A request header as `-H 'Name: value'` and a targets file's `header='Name: value'` give it:
/// the name an RFC 9110 token, no control character but a tab anywhere. One parser for both, so
/// a header that one accepts the other does too.
public struct HeaderField: Sendable, Hashable {
    public let name: String
    public let value: String

    /// nil when `text` is not `Name: value`. Callers report that without the text: it may be a credential.
    public init?(parsing text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let name = String(text[..<colon]).trimmingSpaces
        let value = String(text[text.index(after: colon)...]).trimmingSpaces
        guard !name.isEmpty, name.utf8.allSatisfy(HTTPToken.isTokenByte),
              !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F }) else { return nil }
        self.name = name
        self.value = value
    }
}
