@testable import CacheAudit

/// RFC 9110 §5.6.7's example date, Sun, 06 Nov 1994 08:49:37 GMT, as Unix seconds
/// (computed independently: 9075 days x 86400 + 8h 49m 37s).
let D: Int64 = 9075 * 86_400 + 8 * 3600 + 49 * 60 + 37

/// An exchange received at D (unless told), with `Date: D` added unless `dated` is false or a
/// Date is given.
func exchange(_ headers: [(String, String)], status: Int = 200, method: String = "GET",
              request: [(String, String)] = [], url: String? = nil, dated: Bool = true,
              receivedAt: Int64 = D, requestTime: Int64? = nil, now: Int64? = nil) -> Exchange {
    var fields = headers.map { HeaderField($0.0, $0.1) }
    if dated, !fields.has("date") { fields.append(HeaderField("Date", HTTPDate(seconds: D).imfFixdate)) }
    return Exchange(url: url, method: method, requestHeaders: request.map { HeaderField($0.0, $0.1) }, status: status,
                    headers: fields, receivedAt: receivedAt, requestTime: requestTime, now: now)
}

func date(_ seconds: Int64) -> String { HTTPDate(seconds: seconds).imfFixdate }

func ids(_ exchange: Exchange) -> [CheckID] { CacheAudit.audit(exchange).findings.map(\.id) }
