import Glibc

/// A throwaway CA made with the openssl command, and leaf certificates it signs, for TLS tests
/// that need more than a fixture's fresh self-signed certificate: an expired one, one for
/// another host, one from a CA the client does not trust. Lives in a directory of its own
/// until `remove()`.
public final class TestCertificateAuthority: Sendable {
    /// A PEM certificate and its key, ready for nginx's `ssl_certificate` / `ssl_certificate_key`.
    public struct Issued: Sendable {
        public let certificatePath: String
        public let keyPath: String
    }

    /// The CA's own certificate: the trust anchor for `--cacert`.
    public let certificatePath: String
    private let temporary: TemporaryDirectory
    private var directory: String { temporary.path }

    public init() throws {
        try ServerRequirement.check(NginxFixture.opensslExecutable, package: "openssl")
        temporary = try TemporaryDirectory(prefix: "scalectl-ca")
        certificatePath = "\(temporary.path)/ca.pem"
        do {
            try temporary.write("db/index.txt", [])
            try temporary.write("db/serial", Array("1000\n".utf8))
            try temporary.write("ca.cnf", Array(Self.config(directory: temporary.path).utf8))
            try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                         "-keyout", "\(directory)/ca.key", "-out", certificatePath, "-days", "30", "-subj", "/CN=scalectl-test-ca"])
        } catch {
            temporary.remove()
            throw error
        }
    }

    /// A leaf certificate for `subjectAltName` (an openssl SAN list), valid from `notBefore`
    /// to `notAfter` (`YYYYMMDDHHMMSSZ`, UTC), signed by this CA.
    public func issue(_ name: String, subjectAltName: String = "IP:127.0.0.1,DNS:localhost",
                      notBefore: String? = nil, notAfter: String? = nil) throws -> Issued {
        let key = "\(directory)/\(name).key", request = "\(directory)/\(name).csr", certificate = "\(directory)/\(name).pem"
        try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", key, "-out", request, "-subj", "/CN=\(name)", "-addext", "subjectAltName=\(subjectAltName)"])
        let validity = notBefore.map { ["-startdate", $0] } ?? []
        try openssl(["ca", "-batch", "-config", "\(directory)/ca.cnf", "-cert", certificatePath, "-keyfile", "\(directory)/ca.key",
                     "-in", request, "-out", certificate, "-notext", "-extensions", "leaf"] + validity + (notAfter.map { ["-enddate", $0] } ?? ["-days", "30"]))
        chmod(key, 0o644)
        return Issued(certificatePath: certificate, keyPath: key)
    }

    public func remove() { temporary.remove() }

    private func openssl(_ arguments: [String]) throws {
        try ChildProcess.run(NginxFixture.opensslExecutable, arguments, outputPath: "\(directory)/openssl.log", timeout: 20)
    }

    /// `copy_extensions = copy` carries the request's subjectAltName into the certificate.
    private static func config(directory: String) -> String { """
    [ ca ]
    default_ca = test
    [ test ]
    database = \(directory)/db/index.txt
    new_certs_dir = \(directory)/db
    serial = \(directory)/db/serial
    default_md = sha256
    policy = anything
    unique_subject = no
    copy_extensions = copy
    [ anything ]
    commonName = supplied
    [ leaf ]
    basicConstraints = CA:FALSE

    """
    }
}
