import Glibc
import ScaleCore
import Testing
import TestSupport

/// A busy machine must not turn healthy HTTPS targets DOWN. Before the trust store was loaded
/// once per run, each HTTPS probe parsed the whole CA bundle on the thread that drives every
/// probe, and with the machine busy a third of a healthy pool read `first-byte timeout`.
/// The load is two CPU hogs, not the rest of the test suite: `make test` skips this suite in
/// the parallel run (SCALECTL_SKIP_LOAD_TESTS=1) and runs it alone afterwards.
@Suite("scalectl probe under CPU load")
struct ProbeUnderLoadTests {
    /// 300 verified HTTPS targets on one loopback nginx (a certificate from a test CA, trusted
    /// beside the system bundle, as a fleet with an internal CA has it), a 2 s timeout, and two
    /// CPU-bound processes running all the while: every target UP.
    @Test("300 verified HTTPS targets, 2 s timeout, two CPU hogs running: none DOWN",
          .enabled(if: NoFalseOKBinaryTests.enabled, "build the binary first (swift build)"),
          .enabled(if: getenv("SCALECTL_SKIP_LOAD_TESTS") == nil, "make test runs it alone, after the parallel run"),
          .requires(NginxFixture.executable, package: "nginx-light"), .requires(NginxFixture.opensslExecutable, package: "openssl"))
    func httpsPoolUnderLoad() throws {
        let bin = try #require(BinaryTests.binary)
        let ca = try TestCertificateAuthority()
        defer { ca.remove() }
        let nginx = try NginxFixture(files: ["ok.html": Array("healthy\n".utf8)], tls: true, certificate: ca.issue("pool"))
        defer { nginx.stop() }
        let dir = try TemporaryDirectory(prefix: "scalectl-underload")
        defer { dir.remove() }
        let system = readTextFile("/etc/ssl/certs/ca-certificates.crt") ?? ""
        #expect(system.contains("BEGIN CERTIFICATE"), "the system bundle (Debian's ca-certificates) is missing")
        try dir.write("bundle.pem", Array((system + (readTextFile(ca.certificatePath) ?? "")).utf8))
        try dir.write("targets.txt", Array((0..<300).map { "\(nginx.baseURL)/ok.html?member=\($0)\n" }.joined().utf8))
        let script = """
            cd '\(dir.path)'
            for i in 1 2; do sh -c 'while :; do :; done' & done
            hogs=$(jobs -p)
            sleep 0.2
            '\(bin)' probe --targets-file targets.txt --cacert bundle.pem --timeout 2s -o json > out.json 2> err.txt
            rc=$?
            kill $hogs
            exit $rc
            """
        let result = Subprocess.run(["bash", "-c", script])
        let output = readTextFile("\(dir.path)/out.json") ?? ""
        let verdicts = ProbeServerTests.rows(output, ["verdict", "reason"])
        #expect(verdicts.count == 300, "\(readTextFile("\(dir.path)/err.txt") ?? "")")
        let down = verdicts.filter { $0 != "UP None" }
        #expect(down.isEmpty, "\(down.count) of 300 not UP: \(Set(down))")
        #expect(result.status == 0, "\(result.errors)")
    }
}
