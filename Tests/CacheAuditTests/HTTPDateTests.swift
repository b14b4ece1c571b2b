import Testing
@testable import CacheAudit

/// RFC 9110 §5.6.7 gives one instant in all three forms.
@Suite struct HTTPDateTests {
    @Test(arguments: [
        ("Sun, 06 Nov 1994 08:49:37 GMT", HTTPDate.Form.imfFixdate),
        ("Sunday, 06-Nov-94 08:49:37 GMT", .rfc850),
        ("Sun Nov  6 08:49:37 1994", .asctime),
    ])
    func theRFCsExampleInEveryForm(text: String, form: HTTPDate.Form) {
        #expect(HTTPDate.parse(text) == HTTPDate(seconds: 784_111_777, form: form))
    }

    @Test func knownInstants() {
        // date -u -d @0 / @2147483647 / @951782400 (a leap day).
        #expect(HTTPDate.parse("Thu, 01 Jan 1970 00:00:00 GMT")?.seconds == 0)
        #expect(HTTPDate.parse("Tue, 19 Jan 2038 03:14:07 GMT")?.seconds == 2_147_483_647)
        #expect(HTTPDate.parse("Tue, 29 Feb 2000 00:00:00 GMT")?.seconds == 951_782_400)
        #expect(D == 784_111_777)
    }

    @Test func formatsIMFFixdate() {
        #expect(HTTPDate(seconds: 784_111_777).imfFixdate == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate(seconds: 951_782_400).imfFixdate == "Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(HTTPDate(seconds: 0).imfFixdate == "Thu, 01 Jan 1970 00:00:00 GMT")
    }

    @Test(arguments: ["0", "-1", "", "Sun, 06 Nov 1994 08:49:37", "Sun, 31 Feb 1994 08:49:37 GMT",
                      "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT", "garbage garbage garbage garbage garbage garbage garbage garbage garbage"])
    func rejectsWhatIsNotAnHTTPDate(text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }
}
