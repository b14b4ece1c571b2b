import Glibc
import ScaleCLI
import Testing
import TestSupport

/// Client-side network options through the built binary against loopback nginx: a client
/// certificate for a server that demands one (mutual TLS, certificates made by openssl), and
/// -4/-6 on `localhost`, which libcurl resolves to both 127.0.0.1 and ::1 while nginx listens
/// on 127.0.0.1 only; tls:// targets against nginx's TLS port and a listener that never
/// answers a handshake.
@Suite("probe --cert/--key, -4/-6 and tls:// against nginx", .requires(NginxFixture.executable, package: "nginx-light"),
       .requires(NginxFixture.opensslExecutable, package: "openssl"))
struct ProbeClientOptionsTests {
    /// target, verdict, status code, reason and remote address of each row of a json run.
    static func rows(_ json: String) -> String {
        Subprocess.run(["python3", "-c", """
            import json, sys
            for r in json.load(sys.stdin)["results"]:
                print(r["verdict"], r["status_code"], r["reason"], r["remote_ip"], r["ip_protocol"])
            """], input: json).output
    }

    @Test("nginx with ssl_verify_client on: 400 without a client certificate, 200 with --cert/--key; the key never printed",
          .enabled(if: BinaryTests.binary != nil || ServerRequirement.isCI, "build the binary first (swift build)"))
    func mutualTLS() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let ca = try TestCertificateAuthority()
        defer { ca.remove() }
        let server = try ca.issue("server")
        let client = try ca.issue("client", subjectAltName: "DNS:client.example")
        let nginx = try NginxFixture(files: ["health": Array("ok\n".utf8)], tls: true, certificate: server,
                                     serverConfig: "ssl_verify_client on; ssl_client_certificate \(ca.certificatePath); location / { }")
        defer { nginx.stop() }
        let url = "\(nginx.baseURL)/health"

        let without = Subprocess.run([bin, "probe", url, "--cacert", ca.certificatePath, "-o", "json"])
        #expect(without.status == 2, "\(without.errors)")
        #expect(Self.rows(without.output) == "DOWN 400 status 400 127.0.0.1 4\n")

        for run in [["--cert", client.certificatePath, "--key", client.keyPath], ["--cert", client.certificatePath, "--key", client.keyPath, "-o", "json"]] {
            let with = Subprocess.run([bin, "probe", url, "--cacert", ca.certificatePath] + run)
            #expect(with.status == 0, "\(with.output)\(with.errors)")
            let key = try #require(readTextFile(client.keyPath))
            let keyBody = try #require(key.split(separator: "\n").dropFirst().first.map(String.init))
            #expect(!with.output.contains(keyBody) && !with.errors.contains(keyBody) && !with.output.contains("PRIVATE KEY"))
            if run.contains("json") { #expect(Self.rows(with.output) == "UP 200 None 127.0.0.1 4\n") }
        }
        // The key alone is not a certificate: refused before anything is probed.
        let keyOnly = Subprocess.run([bin, "probe", url, "--key", client.keyPath])
        #expect(keyOnly.status == 64 && keyOnly.errors.contains("--key needs --cert"))
    }

    @Test("-4 reaches nginx on 127.0.0.1 through localhost; -6 goes to ::1 where nothing listens; both is a usage error",
          .enabled(if: BinaryTests.binary != nil || ServerRequirement.isCI, "build the binary first (swift build)"))
    func addressFamily() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let nginx = try NginxFixture(files: ["health": Array("ok\n".utf8)])
        defer { nginx.stop() }
        let url = "http://localhost:\(nginx.port)/health"
        let v4 = Subprocess.run([bin, "probe", "-4", url, "-o", "json"])
        #expect(v4.status == 0, "\(v4.errors)")
        #expect(Self.rows(v4.output) == "UP 200 None 127.0.0.1 4\n")
        let v6 = Subprocess.run([bin, "probe", "-6", url, "-o", "json"])
        #expect(v6.status == 2, "\(v6.errors)")
        #expect(Self.rows(v6.output) == "DOWN None refused None None\n")
        let both = Subprocess.run([bin, "probe", "-4", "-6", url])
        #expect(both.status == 64 && both.errors.contains("-4 and -6 exclude each other"))
    }

    @Test("tls://host:port: a handshake verified with --cacert, the certificate's days, no HTTP figures; unknown CA; hung handshake; bad URLs",
          .enabled(if: BinaryTests.binary != nil || ServerRequirement.isCI, "build the binary first (swift build)"))
    func tlsTargets() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let ca = try TestCertificateAuthority()
        defer { ca.remove() }
        let nginx = try NginxFixture(files: [:], tls: true, certificate: try ca.issue("server"))
        defer { nginx.stop() }
        let silent = try SilentListener()
        let target = "tls://127.0.0.1:\(nginx.port)"
        let facts = """
            import json, sys
            for r in json.load(sys.stdin)["results"]:
                print(r["verdict"], r["reason"], r["status_code"], r["first_byte_seconds"], r["tls_seconds"] is not None and r["tls_seconds"] > 0,
                      r["tls_days_left"] is not None and 29 < r["tls_days_left"] <= 30, r["cert_expiry_epoch_seconds"] is not None)
            """
        let verified = Subprocess.run([bin, "probe", target, "--cacert", ca.certificatePath, "-o", "json"])
        #expect(verified.status == 0, "\(verified.output)\(verified.errors)")
        #expect(Subprocess.run(["python3", "-c", facts], input: verified.output).output == "UP None None None True True True\n")

        let unknownCA = Subprocess.run([bin, "probe", target, "--timeout", "2s", "-o", "json"])
        #expect(unknownCA.status == 2)
        #expect(Subprocess.run(["python3", "-c", facts], input: unknownCA.output).output.hasPrefix("DOWN tls: unknown CA None None"), "\(unknownCA.output)")

        let hung = Subprocess.run([bin, "probe", "tls://127.0.0.1:\(silent.port)", "--timeout", "500ms", "-o", "json"])
        #expect(hung.status == 2)
        #expect(Subprocess.run(["python3", "-c", facts], input: hung.output).output == "DOWN tls timeout None None False False False\n", "\(hung.output)")

        for bad in ["tls://127.0.0.1", "tls://127.0.0.1:\(nginx.port)/health"] {
            let refused = Subprocess.run([bin, "probe", bad])
            #expect(refused.status == 64, "\(bad): \(refused.errors)")
        }
    }
}
