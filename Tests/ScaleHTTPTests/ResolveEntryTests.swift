import ScaleHTTP
import Testing

/// `--resolve` entries as libcurl writes them (CURLOPT_RESOLVE): `[+]HOST:PORT:ADDRESS[,ADDRESS…]`.
@Suite struct ResolveEntryTests {
    @Test func readsNamePortAndAddresses() {
        let entry = ResolveEntry("+API.example:443:10.0.0.7,[2001:db8::1],10.0.0.7")
        #expect(entry?.host == "API.example" && entry?.port == 443)
        #expect(entry?.addresses == ["10.0.0.7", "2001:db8::1"])
        #expect(entry?.answers(host: "api.example", port: 443) == true)
        #expect(entry?.answers(host: "api.example", port: 80) == false)
    }

    @Test(arguments: ["api.example:443", "api.example::10.0.0.7", ":443:10.0.0.7", "+:443:10.0.0.7", "api.example:0:10.0.0.7",
                      "api.example:65536:10.0.0.7", "api.example:443:"])
    func refusesWhatLibcurlWouldSkip(entry: String) {
        #expect(ResolveEntry(entry) == nil)
    }
}
