import Glibc
import Testing
import ScaleCore
@testable import ScaleCLI
import TestSupport

/// `-o sarif` against the official SARIF 2.1.0 JSON schema (Tests/Fixtures/README.md says where
/// it comes from), checked by Python's jsonschema with format checking on, so every
/// artifactLocation.uri must be an RFC 3986 URI reference (SARIF 2.1.0 §3.10.1, §3.4.3) — not our
/// own reader. `make test` installs jsonschema and rfc3986-validator; elsewhere the tests are
/// skipped with a message when they are missing, and fail under CI=true.
enum SARIFValidator {
    static let installed = Subprocess.run(["python3", "-c", "import jsonschema, rfc3986_validator"]).status == 0

    static let script = """
    import json, sys
    from urllib.parse import unquote, urlsplit
    from jsonschema import Draft4Validator, FormatChecker
    schema = json.load(open(sys.argv[1]))
    log = json.load(open(sys.argv[2]))
    checker = FormatChecker()
    assert checker.conforms("a b", "uri-reference") is False, "uri-reference is not checked"
    errors = sorted(Draft4Validator(schema, format_checker=checker).iter_errors(log), key=str)
    for e in errors:
        print("/".join(map(str, e.absolute_path)) + ": " + e.message)
    # Each location, decoded, names what scalectl was given.
    for run in log["runs"]:
        places = [r.get("locations", []) for r in run["results"]]
        places += [n.get("locations", []) for i in run["invocations"] for n in i.get("toolExecutionNotifications", [])]
        for locations in places:
            for loc in locations:
                uri = loc["physicalLocation"]["artifactLocation"]["uri"]
                print("uri " + (unquote(urlsplit(uri).path) if uri.startswith("file://") else unquote(uri)))
        print("located %d of %d" % (sum(1 for r in run["results"] if r.get("locations")), len(run["results"])))
    sys.exit(1 if errors else 0)
    """
}

@Suite(.enabled(if: SARIFValidator.installed || ServerRequirement.isCI,
                "python3 lacks jsonschema or rfc3986-validator (pip install jsonschema rfc3986-validator); skipped — under CI=true this fails"))
struct SARIFSchemaTests {
    /// The validator's lines: schema errors, then `uri ...` per location (decoded, so it names
    /// what scalectl was given), then `located N of M` results.
    func validate(_ sarif: String) throws -> (errors: [String], uris: Set<String>, located: String) {
        let dir = try TemporaryDirectory(prefix: "scalectl-sarif-schema")
        defer { dir.remove() }
        try dir.write("check.py", Array(SARIFValidator.script.utf8))
        try dir.write("out.sarif", Array(sarif.utf8))
        let python = Subprocess.run(["python3", dir.path + "/check.py", RepositoryRoot.file("Tests/Fixtures/sarif-schema-2.1.0.json"), dir.path + "/out.sarif"])
        #expect(python.errors.isEmpty, "\(python.errors)")
        let lines = python.output.split(separator: "\n").map(String.init)
        let uris = Set(lines.filter { $0.hasPrefix("uri ") }.map { String($0.dropFirst(4)) })
        let errors = lines.filter { !$0.hasPrefix("uri ") && !$0.hasPrefix("located ") }
        return (errors, uris, lines.last { $0.hasPrefix("located ") } ?? "")
    }

    @Test func aSavedHeadersFileWithSpacesInItsNameIsAFileURI() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl sarif ü")
        defer { dir.remove() }
        let bytes = try #require(readBinaryFile(RepositoryRoot.file("demo/cache-headers.txt")))
        try dir.write("cache headers #1 100%.txt", bytes)
        let path = dir.path + "/cache headers #1 100%.txt"
        let result = run(["cache", "audit", "--headers", path, "-o", "sarif", "--fail-on", "none"])
        let checked = try validate(result.out)
        #expect(checked.errors == [])
        #expect(checked.uris == [path], "the file: URI decodes to the path given")
        #expect(checked.located == "located 14 of 14")
    }

    @Test func aRelativePathStaysRelative() throws {
        let checked = try validate(run(["cache", "audit", "--headers", "demo/cache-headers.txt", "-o", "sarif", "--fail-on", "none"]).out)
        #expect(checked.errors == [])
        #expect(checked.uris == ["demo/cache-headers.txt"])
    }

    @Test func standardInputAndExplainHaveNoLocation() throws {
        let text = String(decoding: try #require(readBinaryFile(RepositoryRoot.file("demo/cache-headers.txt"))), as: UTF8.self)
        let stdin = try validate(run(["cache", "audit", "--headers", "-", "-o", "sarif", "--fail-on", "none"], stdin: text).out)
        #expect(stdin.errors == [])
        #expect(stdin.uris.isEmpty)
        #expect(stdin.located == "located 0 of 14")
        let explain = try validate(run(["cache", "explain", "max-age=60, s-maxage=300", "-o", "sarif"]).out)
        #expect(explain.errors == [])
        #expect(explain.uris.isEmpty)
    }

    @Test func aURLThatCouldNotBeFetchedIsAValidNotification() throws {
        let port = try RefusedPort()
        let url = "http://127.0.0.1:\(port.port)/a b?q=ü"
        let checked = try validate(run(["cache", "audit", url, "-o", "sarif", "--timeout", "2s"]).out)
        #expect(checked.errors == [])
        #expect(checked.uris == ["http://127.0.0.1:\(port.port)/a b?q=ü"])
    }
}
