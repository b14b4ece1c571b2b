import Testing
import ScaleCore

/// RFC 3986: a URI holds unreserved and reserved characters, anything else percent-encoded
/// (§2.1, §2.2); a relative reference's first segment has no ":" (§4.2); RFC 8089: an absolute
/// path is `file://` + the path.
@Suite struct ArtifactURITests {
    @Test(arguments: [
        ("demo/cache-headers.txt", "demo/cache-headers.txt"),
        ("demo/cache headers #1.txt", "demo/cache%20headers%20%231.txt"),
        ("/tmp/a b/ü.txt", "file:///tmp/a%20b/%C3%BC.txt"),
        ("100%.txt", "100%25.txt"),
        ("Cache-Control: max-age=60", "Cache-Control%3A%20max-age=60"),
        ("https://example.com/a b?q=1 2#frag ment", "https://example.com/a%20b?q=1%202#frag%20ment"),
        ("https://example.com/already%20escaped/[x]", "https://example.com/already%20escaped/%5Bx%5D"),
        ("http://user:***@[::1]:8080/a", "http://user:***@[::1]:8080/a"),
    ])
    func artifactNamesBecomeURIReferences(name: String, uri: String) {
        #expect(ArtifactURI.reference(name) == uri)
    }

    @Test(arguments: ["<stdin>", "<argument>", ""])
    func namesInAngleBracketsAreNoArtifact(name: String) {
        #expect(ArtifactURI.reference(name) == nil)
    }
}
