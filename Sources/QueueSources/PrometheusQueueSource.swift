import QueueBacklog
import ScaleCore
import ScaleHTTP

/// Queue depths from any exporter: `metrics+http://HOST:PORT/metrics --metric 'NAME{label="v"}'`
/// scrapes the text format directly; `prometheus+http://HOST:9090 --query 'EXPR'` asks a
/// Prometheus server for an instant vector. Every series is one queue, named by its `queue`
/// label (else its labels), with the value as depth: no counters, so rates come from the
/// depth's slope in `watch`.
final class PrometheusQueueSource: BacklogSource {
    let label: String
    let url: String
    let selector: PrometheusText.Selector?
    let options: BacklogSourceOptions
    let transport: any HTTPTransport
    /// Basic auth for a server behind it (Prometheus's web.yml basic_auth_users, a proxy).
    let authorization: String?
    let hasCounters = false
    static let maxBody = 32 << 20

    init(_ parsed: BacklogSourceURL, options: BacklogSourceOptions, metric: String?, query: String?) throws(ScaleError) {
        self.options = options
        self.transport = options.transport
        label = parsed.display
        authorization = options.basicAuthorization(urlUser: parsed.username, prefix: "PROMETHEUS")
        let scheme = parsed.scheme.hasSuffix("https") ? "https" : "http"
        let host = parsed.host.contains(":") ? "[\(parsed.host)]" : parsed.host
        guard !host.isEmpty else { throw .usage("no host", at: parsed.display) }
        let authority = "\(scheme)://\(host)" + (parsed.port.map { ":\($0)" } ?? "")
        if parsed.scheme.hasPrefix("metrics") {
            guard let metric else { throw .usage("a metrics+http source needs \(Parameter.metric)", at: parsed.display, fix: "add \(Parameter.metric) 'NAME{label=\"value\"}'") }
            selector = try PrometheusText.Selector.parse(metric)
            url = authority + "/" + parsed.segments.map(PercentEncoding.encode).joined(separator: "/")
        } else {
            guard let query else { throw .usage("a prometheus+http source needs \(Parameter.query)", at: parsed.display,
                                               fix: "add \(Parameter.query) 'rabbitmq_queue_messages{queue=\"orders\"}'") }
            selector = nil
            let prefix = parsed.segments.map(PercentEncoding.encode).joined(separator: "/")
            url = authority + (prefix.isEmpty ? "" : "/" + prefix) + "/api/v1/query?query=" + PercentEncoding.encode(query)
        }
    }

    func poll(now: Double) throws(ScaleError) -> [(queue: String, sample: BacklogSample)] {
        let request = options.routed(HTTPRequest(url: url, headers: [HTTPHeader("Accept", "text/plain;version=0.0.4, application/json")]
                                    + (authorization.map { [HTTPHeader("Authorization", $0)] } ?? []),
                                  connectTimeout: options.timeout, totalTimeout: options.timeout, maxBodyBytes: Self.maxBody))
        let response: HTTPResponse
        switch transport.perform(request) {
        case .success(let r): response = r
        case .failure(let failure): throw failure.scaleError.at(label)
        }
        guard !response.truncated else { throw ScaleError(.input, "the answer is larger than \(SizeUnits.human(Double(Self.maxBody)))", at: label) }
        let samples: [PrometheusText.Sample]
        if let selector {
            guard response.status == 200 else { throw ScaleError(.input, "HTTP \(response.status) from the metrics endpoint", at: label) }
            samples = try PrometheusText.parse(response.body, source: label).filter(selector.matches)
        } else {
            // Prometheus answers errors (400, 422, 503) with a JSON body that says why.
            guard [200, 400, 422, 503].contains(response.status) else {
                throw ScaleError(.input, "HTTP \(response.status) from the Prometheus API", at: label)
            }
            samples = try PrometheusQueryResult.parse(response.body, source: label)
        }
        return try samples.map { s throws(ScaleError) in
            let name = s.label("queue") ?? (s.labels.isEmpty ? s.name : "{" + s.labels.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ",") + "}")
            let time = s.timestampMilliseconds.map { Double($0) / 1000 } ?? now
            // NaN, ±Inf, a negative or an absurd depth is not a measurement: say which series.
            guard InputRange.isCount(s.value) else {
                throw ScaleError(.input, "series \(name) has the value \(Format.shortest(s.value)), not a queue depth (a count from 0 to 2^53)", at: label,
                                 fix: "check the metric or query: backlog needs a gauge of messages waiting")
            }
            return (name, BacklogSample(time: selector == nil ? now : time, depth: s.value))
        }
    }
}
