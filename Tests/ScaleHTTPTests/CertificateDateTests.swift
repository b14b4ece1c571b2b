import ScaleHTTP
import Testing

@Suite("Certificate dates as libcurl prints them")
struct CertificateDateTests {
    // Expected values from `date -u -d '<date> UTC' +%s`.
    @Test(arguments: [
        ("Jan  1 00:00:00 2030 GMT", Int64(1_893_456_000)),
        ("Feb 29 12:34:56 2024 GMT", 1_709_210_096),
        ("Dec 31 23:59:59 1999 GMT", 946_684_799),
        ("Jan 19 03:14:08 2038 GMT", 2_147_483_648),
        ("Jan  1 00:00:00.123 1970 GMT", 0),
        ("2030-01-01 00:00:00 GMT", 1_893_456_000),
    ])
    func parses(text: String, epoch: Int64) {
        #expect(CertificateInfo.epochSeconds(fromCertificateDate: text) == epoch)
    }

    @Test(arguments: ["", "Foo  1 00:00:00 2030 GMT", "Jan 32 00:00:00 2030 GMT", "Jan  1 24:00:00 2030 GMT",
                      "Jan  1 00:00:00 2030 PST", "Jan  1 2030"])
    func rejects(text: String) {
        #expect(CertificateInfo.epochSeconds(fromCertificateDate: text) == nil)
    }
}
