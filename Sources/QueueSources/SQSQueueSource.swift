import QueueBacklog
import ScaleCore
import ScaleHTTP

/// An SQS queue: `sqs://REGION/ACCOUNT/QUEUE`, read with GetQueueAttributes (AWS JSON 1.0)
/// signed with SigV4 by libcurl. Credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
/// AWS_SESSION_TOKEN (environment or --credentials-file); `--endpoint-url` for compatible servers.
final class SQSQueueSource: BacklogSource {
    let label: String
    let endpoint: String
    let queueURL: String
    let queue: String
    let signing: AWSSigV4
    let options: BacklogSourceOptions
    let transport: any HTTPTransport
    let hasCounters = false

    init(_ parsed: BacklogSourceURL, options: BacklogSourceOptions) throws(ScaleError) {
        self.options = options
        self.transport = options.transport
        label = parsed.display
        guard !parsed.host.isEmpty, parsed.segments.count == 2 else {
            throw .usage("expected sqs://REGION/ACCOUNT/QUEUE", at: parsed.display, fix: "write e.g. sqs://eu-west-1/123456789012/orders")
        }
        let region = parsed.host
        queue = parsed.segments[1]
        var base = options.endpointURL ?? "https://sqs.\(region).amazonaws.com"
        while base.hasSuffix("/") { base.removeLast() }
        endpoint = base + "/"
        queueURL = base + "/" + PercentEncoding.encode(parsed.segments[0]) + "/" + PercentEncoding.encode(queue)
        guard let key = options.secret("AWS_ACCESS_KEY_ID"), let secret = options.secret("AWS_SECRET_ACCESS_KEY") else {
            throw ScaleError(.usage, "no AWS credentials", at: parsed.display,
                             fix: "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones), or use \(Parameter.credentialsFile)")
        }
        signing = AWSSigV4(region: region, service: "sqs", accessKeyID: key, secretAccessKey: secret,
                           sessionToken: options.secret("AWS_SESSION_TOKEN"))
    }

    func poll(now: Double) throws(ScaleError) -> [(queue: String, sample: BacklogSample)] {
        let body = "{\"QueueUrl\":" + JSON.string(queueURL) + ",\"AttributeNames\":[\"ApproximateNumberOfMessages\",\"ApproximateNumberOfMessagesNotVisible\",\"ApproximateNumberOfMessagesDelayed\"]}"
        var request = options.routed(HTTPRequest(method: "POST", url: endpoint,
                                  headers: [HTTPHeader("Content-Type", "application/x-amz-json-1.0"),
                                            HTTPHeader("X-Amz-Target", "AmazonSQS.GetQueueAttributes")],
                                  body: Array(body.utf8), connectTimeout: options.timeout, totalTimeout: options.timeout))
        request.awsSigV4 = signing
        let response: HTTPResponse
        switch transport.perform(request) {
        case .success(let r): response = r
        case .failure(let failure): throw failure.scaleError.at(label)
        }
        guard response.status == 200 || response.status == 400 || response.status == 403 else {
            throw ScaleError(.input, "HTTP \(response.status) from SQS", at: label)
        }
        let parsed = try SQSAttributes.parse(response.body, now: now, source: label)
        return [(queue, parsed.sample)]
    }
}
