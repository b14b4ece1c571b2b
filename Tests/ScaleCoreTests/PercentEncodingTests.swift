import Testing
import ScaleCore

@Suite struct PercentEncodingTests {
    @Test("RFC 4648 §10's base64 vectors, and RFC 7617 §2's Basic credentials")
    func base64() {
        let vectors = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
                       ("Aladdin:open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
        for (text, encoded) in vectors { #expect(PercentEncoding.base64(Array(text.utf8)) == encoded) }
    }

    @Test("only RFC 3986's unreserved characters pass; a vhost's / and UTF-8 bytes are %XX")
    func encode() {
        #expect(PercentEncoding.encode("/") == "%2F")
        #expect(PercentEncoding.encode("a-Z_0.~") == "a-Z_0.~")
        #expect(PercentEncoding.encode("q 1?é") == "q%201%3F%C3%A9")
    }

    @Test("decoding: either case of hex, UTF-8 sequences; a % without two hex digits is kept")
    func decode() {
        #expect(PercentEncoding.decode("p%40ss%2fw") == "p@ss/w")
        #expect(PercentEncoding.decode("%C3%A9") == "é")
        #expect(PercentEncoding.decode("100%") == "100%")
        #expect(PercentEncoding.decode("%+f") == "%+f")
        #expect(PercentEncoding.decode("%4") == "%4")
    }
}
