/// AWS Signature Version 4 signing, done by libcurl (`CURLOPT_AWS_SIGV4`): the request is
/// signed for `aws:amz:REGION:SERVICE` with the access key pair. The secret and the session
/// token never appear in a request's description, mirror or failure messages.
public struct AWSSigV4: Sendable, Equatable {
    public var region: String
    public var service: String
    public var accessKeyID: String
    public var secretAccessKey: String
    /// Temporary credentials' token, sent as `x-amz-security-token` (and signed with it).
    public var sessionToken: String?

    public init(region: String, service: String, accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.region = region
        self.service = service
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// The provider string libcurl takes: `aws:amz:us-east-1:sqs`.
    public var provider: String { "aws:amz:\(region):\(service)" }
}
