import Glibc
import ScaleCore
import ScaleHTTP
import Testing
import TestSupport

/// nginx serving HTTPS with a fresh self-signed certificate for 127.0.0.1.
@Suite("TLS against a real nginx",
       .requires(NginxFixture.executable, package: "nginx-light"),
       .requires(NginxFixture.opensslExecutable, package: "openssl"))
struct NginxTLSTests {
    static let page = Array("over tls\n".utf8)
    let client = HTTPClient()

    @Test("verification is on by default and rejects a self-signed certificate")
    func verificationRejectsSelfSigned() throws {
        let nginx = try NginxFixture(files: ["index.html": Self.page], tls: true)
        defer { nginx.stop() }

        let failure = try #require(client.perform(HTTPRequest(url: "\(nginx.baseURL)/index.html")).error)

        #expect(failure.kind == .tls)
        #expect(failure.curlCode == 60)
    }

    /// libcurl 7.88 with OpenSSL: a chain that fails verification stops the handshake before
    /// libcurl reads it; a host name is checked after the handshake, so that chain is there.
    @Test("a refused certificate names its cause: expired, self-signed, hostname mismatch, unknown CA")
    func certificateProblems() throws {
        let ca = try TestCertificateAuthority()
        defer { ca.remove() }
        let cases: [(TestCertificateAuthority.Issued?, String?, CertificateProblem, Bool)] = [
            (try ca.issue("expired", notBefore: "20200101000000Z", notAfter: "20200111000000Z"), ca.certificatePath, .expired, false),
            (nil, nil, .selfSigned, false),
            (try ca.issue("other-host", subjectAltName: "DNS:other.example"), ca.certificatePath, .hostnameMismatch, true),
            (try ca.issue("unknown-ca"), nil, .unknownCA, false),
        ]
        for (certificate, caFile, problem, chainRead) in cases {
            let nginx = try NginxFixture(files: ["index.html": Self.page], tls: true, certificate: certificate)
            defer { nginx.stop() }

            let request = HTTPRequest(url: "\(nginx.baseURL)/index.html", caFile: caFile)
            let failure = try #require(client.perform(request).error)

            #expect(failure.kind == .tls)
            #expect(failure.curlCode == 60)
            #expect(failure.certificateProblem == problem, "\(failure.message)")
            #expect((failure.tls?.leafNotAfterEpochSeconds != nil) == chainRead, "\(problem)")
            #expect(failure.chainRefusedUnread == !chainRead, "\(problem)")
            #expect(failure.remoteIP == "127.0.0.1")

            // The second handshake: unverified, connect-only, and it reads the chain.
            let reading = request.chainReading(within: 2)
            #expect(reading.connectOnly && !reading.verifyTLS && reading.totalTimeout == 2)
            let handshake = try #require(client.perform(reading).value)
            #expect(handshake.status == 0)
            let notAfter = try #require(handshake.tls?.leafNotAfterEpochSeconds)
            if problem == .expired { #expect(notAfter == 1_578_700_800, "2020-01-11T00:00:00Z, given to openssl ca -enddate") }
            // Neither handshake sent a request.
            #expect(Subprocess.run(["cat", nginx.accessLogPath]).output == "")
        }
    }

    @Test("trusting the certificate through caFile verifies; insecure skips verification; both report the certificate",
          arguments: [true, false])
    func trustedOrInsecure(verify: Bool) throws {
        let nginx = try NginxFixture(files: ["index.html": Self.page], tls: true)
        defer { nginx.stop() }
        let request = HTTPRequest(url: "\(nginx.baseURL)/index.html", verifyTLS: verify,
                                  caFile: verify ? nginx.certificatePath : nil)

        let response = try #require(client.perform(request).value)

        #expect(response.status == 200)
        #expect(response.body == Self.page)
        #expect(response.timings.tlsSeconds > 0)
        let certificate = try #require(response.tls?.certificates.first)
        #expect(certificate.subject.contains("scalectl-test"))
        #expect(certificate.issuer.contains("scalectl-test"), "self-signed: issuer is subject")
        // openssl was told -days 30 moments ago: the expiry is 30 days from now.
        let expected = Int64(time(nil)) + Int64(NginxFixture.certificateDays) * 86_400
        let expiry = try #require(response.tls?.leafNotAfterEpochSeconds)
        #expect(abs(expiry - expected) < 300, "\(certificate.expireDate)")
        let start = try #require(certificate.notBeforeEpochSeconds)
        #expect(expiry - start == Int64(NginxFixture.certificateDays) * 86_400)
    }

    @Test("the HTTP version follows the preference and the server's ALPN",
          arguments: [(HTTPVersionPreference.default, "HTTP/2"), (.http2, "HTTP/2"), (.http1_1, "HTTP/1.1")])
    func httpVersion(preference: HTTPVersionPreference, spoken: String) throws {
        let nginx = try NginxFixture(files: ["index.html": Self.page], tls: true)
        defer { nginx.stop() }
        let request = HTTPRequest(url: "\(nginx.baseURL)/index.html", verifyTLS: false, httpVersion: preference)

        let response = try #require(client.perform(request).value)

        #expect(response.httpVersion == spoken)
        #expect(response.status == 200)
        #expect(response.body == Self.page)
        // HTTP/2 header names arrive lower-cased; the lookup does not care.
        #expect(response.value(for: "Cache-Control") == NginxFixture.cacheControl)
    }
}
