import Testing
import QueueBacklog
import ScaleCore
@testable import ScaleCLI
import TestSupport

/// SQS through a local SQS-compatible server (moto_server) with a real SigV4 signature made by
/// libcurl, fed by the curl command line signing the same way.
@Suite(.serialized) struct BacklogSQSTests {
    static let credentials = ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing-secret-key"]

    /// 5 sent, 2 received (in flight for the visibility timeout), 1 sent with a delay:
    /// depth = visible 3 + in flight 2 = 5; the delayed one is not counted.
    @Test(.requires(MotoFixture.executable, package: "moto[server] (pip)"))
    func depthFromGetQueueAttributes() throws {
        let moto = try MotoFixture()
        defer { moto.stop() }
        moto.sqs("CreateQueue", #"{"QueueName":"orders"}"#)
        let queueURL = "\(moto.endpoint)/123456789012/orders"
        for i in 0..<5 { moto.sqs("SendMessage", #"{"QueueUrl":"\#(queueURL)","MessageBody":"m\#(i)"}"#) }
        moto.sqs("SendMessage", #"{"QueueUrl":"\#(queueURL)","MessageBody":"later","DelaySeconds":600}"#)
        let received = moto.sqs("ReceiveMessage", #"{"QueueUrl":"\#(queueURL)","MaxNumberOfMessages":2,"VisibilityTimeout":600}"#)
        #expect(received.output.contains("ReceiptHandle"))
        let result = runBacklog(["backlog", "sqs://us-east-1/123456789012/orders", "--endpoint-url", moto.endpoint,
                                 "--warning", "depth=4", "-o", "csv"], environment: Self.credentials, clock: ServicesClock(SystemTime()))
        #expect(result.out.split(separator: "\r\n").dropFirst().first?.hasPrefix("orders,queue,OK,WARNING,5,,,,none,") == true, "\(result.out)\(result.err)")
        #expect(result.status == .warning)
        #expect(!(result.out + result.err).contains("testing-secret-key"))
    }

    @Test(.requires(MotoFixture.executable, package: "moto[server] (pip)"))
    func anUnknownQueueAndMissingCredentials() throws {
        let moto = try MotoFixture()
        defer { moto.stop() }
        let missing = runBacklog(["backlog", "sqs://us-east-1/123456789012/nope", "--endpoint-url", moto.endpoint],
                                 environment: Self.credentials, clock: ServicesClock(SystemTime()))
        #expect(missing.err.hasPrefix("scalectl: error: sqs://us-east-1/123456789012/nope: SQS refused: "), "\(missing.err)")
        #expect(missing.err.contains("NonExistentQueue") || missing.err.contains("QueueDoesNotExist"))
        #expect(missing.status == .unknown)
        let anonymous = run(["backlog", "sqs://us-east-1/123456789012/orders", "--endpoint-url", moto.endpoint])
        #expect(anonymous.err == "scalectl: error: sqs://us-east-1/123456789012/orders: no AWS credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones), or use --credentials-file\n")
        #expect(anonymous.status == .usage)
    }
}

/// The signature libcurl puts on the request, checked against botocore's SigV4 signer (the
/// reference implementation, installed with moto) for the same request and the same x-amz-date.
@Suite struct SigV4SignatureTests {
    static let checker = """
    import sys, json
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    d = json.load(sys.stdin)
    signed = d["headers"]["authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
    req = AWSRequest(method=d["method"], url=d["url"], data=d["body"].encode(),
                     headers={k: v for k, v in d["headers"].items() if k in signed})
    auth = SigV4Auth(Credentials(d["key"], d["secret"]), "sqs", d["region"])
    req.context["timestamp"] = d["headers"]["x-amz-date"]
    print(auth.signature(auth.string_to_sign(req, auth.canonical_request(req)), req))
    """

    /// The python next to moto_server has botocore (moto depends on it).
    static var python: String {
        let dir = String(MotoFixture.executable.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/"))
        return ServerRequirement.isInstalled(dir + "/python3") ? dir + "/python3" : "python3"
    }

    @Test(.requires(MotoFixture.executable, package: "moto[server] (pip)"))
    func libcurlsSignatureMatchesBotocores() throws {
        let server = try LoopbackHTTPServer { _ in .text(#"{"Attributes":{"ApproximateNumberOfMessages":"1"}}"#) }
        defer { server.stop() }
        let result = runBacklog(["backlog", "sqs://eu-west-1/123456789012/orders", "--endpoint-url", server.baseURL, "-o", "csv"],
                                environment: ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"],
                                clock: ServicesClock(SystemTime()))
        #expect(result.out.contains("\r\norders,queue,OK,OK,1,"))
        let request = try #require(server.receivedRequests.first)
        var headers: [String: String] = [:]
        for header in request.headers { headers[header.name.lowercased()] = header.value }
        let authorization = try #require(headers["authorization"])
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"))
        #expect(authorization.contains("/eu-west-1/sqs/aws4_request, SignedHeaders="))
        let signature = String(authorization.split(separator: "Signature=").last ?? "")
        #expect(signature.count == 64)
        let fields = [("method", request.method), ("url", server.baseURL + request.target), ("body", String(decoding: request.body, as: UTF8.self)),
                      ("key", "AKIDEXAMPLE"), ("secret", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), ("region", "eu-west-1")]
        let headerJSON = "{" + headers.map { JSON.string($0.key) + ":" + JSON.string($0.value) }.joined(separator: ",") + "}"
        let input = "{" + fields.map { JSON.string($0.0) + ":" + JSON.string($0.1) }.joined(separator: ",") + ",\"headers\":" + headerJSON + "}"
        let reference = Subprocess.run([Self.python, "-c", Self.checker], input: input)
        #expect(reference.status == 0, "\(reference.errors)")
        #expect(reference.output == signature + "\n")
    }
}

@Suite struct SQSAttributesTests {
    /// The response shape of the SQS API reference's GetQueueAttributes example (JSON protocol).
    @Test func parsesAttributes() throws {
        let body = #"{"Attributes":{"ApproximateNumberOfMessages":"12","ApproximateNumberOfMessagesNotVisible":"3","ApproximateNumberOfMessagesDelayed":"1","CreatedTimestamp":"1714550000"}}"#
        let q = try SQSAttributes.parse(Array(body.utf8), now: 7, source: "t")
        #expect(q == SQSAttributes.Queue(visible: 12, inFlight: 3, delayed: 1, sample: BacklogSample(time: 7, depth: 15)))
        #expect(throws: ScaleError.self) { try SQSAttributes.parse(Array(#"{"Attributes":{"ApproximateNumberOfMessages":"-1"}}"#.utf8), now: 0, source: "t") }
        #expect(throws: ScaleError.input("SQS refused: QueueDoesNotExist The specified queue does not exist.", at: "t")) {
            try SQSAttributes.parse(Array(#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"#.utf8), now: 0, source: "t")
        }
    }
}
