import QueueBacklog
import ScaleCore
import ScaleHTTP

/// RabbitMQ queues through the management HTTP API: one queue (`/VHOST/QUEUE`), every queue of
/// a vhost (`/VHOST`), or every queue (no path), optionally filtered by `--match REGEX`.
/// Credentials come from RABBITMQ_USER / RABBITMQ_PASSWORD (environment or --credentials-file).
final class RabbitMQQueueSource: BacklogSource {
    let label: String
    let url: String
    let single: Bool
    let oneVhost: Bool
    let options: BacklogSourceOptions
    let authorization: String?
    let transport: any HTTPTransport
    let match: Regex<AnyRegexOutput>?
    /// Rates come from the broker's own sample history in one answer: no second poll.
    let hasCounters = false
    /// Bytes the queue listing may take: about 1 KiB a queue with the columns asked for.
    static let maxBody = 64 << 20

    init(_ parsed: BacklogSourceURL, options: BacklogSourceOptions) throws(ScaleError) {
        self.options = options
        self.transport = options.transport
        let scheme = parsed.scheme == "rabbitmq+https" ? "https" : "http"
        guard !parsed.host.isEmpty else { throw .usage("no host", at: parsed.display, fix: "write rabbitmq+http://HOST:15672/VHOST/QUEUE") }
        let host = parsed.host.contains(":") ? "[\(parsed.host)]" : parsed.host
        var path = "/api/queues"
        guard parsed.segments.count <= 2 else {
            throw .usage("expected at most /VHOST/QUEUE after the host", at: parsed.display,
                         fix: "percent-encode slashes inside names: the default vhost / is %2F")
        }
        for segment in parsed.segments { path += "/" + PercentEncoding.encode(segment) }
        single = parsed.segments.count == 2
        oneVhost = !parsed.segments.isEmpty
        url = "\(scheme)://\(host):\(parsed.port ?? 15672)\(path)?" + RabbitMQQueues.query(listing: !single)
        label = parsed.display
        authorization = options.basicAuthorization(urlUser: parsed.username, prefix: "RABBITMQ")
        if let pattern = options.match {
            do { match = try Regex(pattern) } catch {
                throw .usage("'\(pattern)' is not a regular expression", about: .match, fix: "write e.g. '^orders\\.'")
            }
        } else {
            match = nil
        }
    }

    func poll(now: Double) throws(ScaleError) -> [(queue: String, sample: BacklogSample)] {
        var headers = [HTTPHeader("Accept", "application/json")]
        if let authorization { headers.append(HTTPHeader("Authorization", authorization)) }
        let request = options.routed(HTTPRequest(url: url, headers: headers, connectTimeout: options.timeout, totalTimeout: options.timeout,
                                  maxBodyBytes: Self.maxBody))
        let response: HTTPResponse
        switch transport.perform(request) {
        case .success(let r): response = r
        case .failure(let failure): throw failure.scaleError.at(label)
        }
        switch response.status {
        case 200: break
        case 401:
            throw ScaleError(.input, "401 Unauthorized", at: label,
                             fix: authorization == nil ? "set RABBITMQ_USER and RABBITMQ_PASSWORD (or use \(Parameter.credentialsFile))"
                                                       : "check RABBITMQ_USER and RABBITMQ_PASSWORD; the user needs the monitoring tag")
        case 404:
            throw ScaleError(.input, "404 Not Found: no such vhost or queue", at: label, fix: "check the names; the default vhost / is %2F")
        default:
            throw ScaleError(.input, "HTTP \(response.status) from the management API", at: label)
        }
        guard !response.truncated else {
            throw ScaleError(.input, "the queue listing is larger than \(SizeUnits.human(Double(Self.maxBody)))", at: label,
                             fix: "name a vhost or a queue")
        }
        let queues = try RabbitMQQueues.parse(response.body, now: now, source: label)
        return queues.flatMap { q -> [(queue: String, sample: BacklogSample)] in
            if let match, (try? match.firstMatch(in: q.name)) == nil { return [] }
            // The queue's name alone for one vhost or the default one; VHOST/QUEUE for the others.
            let shown = oneVhost || q.vhost == "/" ? q.name : "\(q.vhost)/\(q.name)"
            return q.series.map { (shown, $0) }
        }
    }
}
