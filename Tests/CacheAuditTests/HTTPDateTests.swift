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

    @Test func rfc850TwoDigitYearsUseAFixedPivot() {
        // A deliberate departure from RFC 9110 §5.6.7 (HTTPDate.parse says why): 70-99 are 19xx,
        // 00-69 are 20xx, whenever the audit runs. date -u -d 1970-01-01 / 2069-12-31 +%s.
        #expect(HTTPDate.parse("Thursday, 01-Jan-70 00:00:00 GMT")?.seconds == 0)
        #expect(HTTPDate.parse("Tuesday, 31-Dec-69 00:00:00 GMT")?.seconds == 3_155_673_600)
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
