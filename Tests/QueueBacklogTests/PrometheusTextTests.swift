import Testing
import QueueBacklog
import ScaleCore

@Suite struct PrometheusTextTests {
    /// The example of the exposition-format document (prometheus.io/docs/instrumenting/exposition_formats).
    static let specExample = #"""
    # HELP http_requests_total The total number of HTTP requests.
    # TYPE http_requests_total counter
    http_requests_total{method="post",code="200"} 1027 1395066363000
    http_requests_total{method="post",code="400"}    3 1395066363000

    # Escaping in label values:
    msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",error="Cannot find file:\n\"FILE.TXT\""} 1.458255915e9

    # Minimalistic line:
    metric_without_timestamp_and_labels 12.47

    # A weird metric from before the epoch:
    something_weird{problem="division by zero"} +Inf -3982045

    # A histogram, which has a pretty complex representation in the text format:
    # HELP http_request_duration_seconds A histogram of the request duration.
    # TYPE http_request_duration_seconds histogram
    http_request_duration_seconds_bucket{le="0.05"} 24054
    http_request_duration_seconds_bucket{le="+Inf"} 144320
    http_request_duration_seconds_sum 53423
    http_request_duration_seconds_count 144320

    # Finally a summary, which has a complex representation, too:
    rpc_duration_seconds{quantile="0.5"} 4773
    rpc_duration_seconds{quantile="0.99"} NaN
    """#

    @Test func readsTheSpecsExample() throws {
        let samples = try PrometheusText.parse(Array(Self.specExample.utf8), source: "spec")
        #expect(samples.count == 11)
        #expect(samples[0] == PrometheusText.Sample(name: "http_requests_total", labels: [("method", "post"), ("code", "200")],
                                                    value: 1027, timestampMilliseconds: 1_395_066_363_000))
        #expect(samples[1].value == 3)
        #expect(samples[2].labels[0] == ("path", #"C:\DIR\FILE.TXT"#))
        #expect(samples[2].labels[1] == ("error", "Cannot find file:\n\"FILE.TXT\""))
        #expect(samples[2].value == 1_458_255_915)
        #expect(samples[3] == PrometheusText.Sample(name: "metric_without_timestamp_and_labels", labels: [], value: 12.47))
        #expect(samples[4].value == .infinity && samples[4].timestampMilliseconds == -3_982_045)
        #expect(samples[10].value.isNaN)
    }

    @Test func selectorsMatchLabels() throws {
        let samples = try PrometheusText.parse(Array(Self.specExample.utf8), source: "spec")
        let post400 = try PrometheusText.Selector.parse(#"http_requests_total{code="400", method="post"}"#)
        #expect(samples.filter(post400.matches).map(\.value) == [3])
        let not200 = try PrometheusText.Selector.parse(#"http_requests_total{code!="200"}"#)
        #expect(samples.filter(not200.matches).map(\.value) == [3])
        #expect(samples.filter(try PrometheusText.Selector.parse("http_requests_total").matches).count == 2)
        #expect(throws: ScaleError.self) { try PrometheusText.Selector.parse(#"x{a=b}"#) }
        #expect(throws: ScaleError.self) { try PrometheusText.Selector.parse("{a=\"b\"}") }
    }

    @Test(arguments: ["name{a=\"b\" 1", "name 1 2 3", "name one", "name{a=\"unterminated} 1", "= 5", "name{a} 1"])
    func refusesBrokenLines(line: String) {
        #expect(throws: ScaleError.self) { try PrometheusText.parse(Array(line.utf8), source: "t") }
    }

    /// The Prometheus HTTP API's documented instant-query answer (prometheus.io/docs/prometheus/latest/querying/api).
    @Test func readsAnInstantQueryAnswer() throws {
        let body = #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"prometheus","instance":"localhost:9090"},"value":[1435781451.781,"1"]},{"metric":{"__name__":"up","job":"node","instance":"localhost:9100"},"value":[1435781451.781,"0"]}]}}"#
        let samples = try PrometheusQueryResult.parse(Array(body.utf8), source: "api")
        #expect(samples == [
            PrometheusText.Sample(name: "up", labels: [("job", "prometheus"), ("instance", "localhost:9090")], value: 1, timestampMilliseconds: 1_435_781_451_781),
            PrometheusText.Sample(name: "up", labels: [("job", "node"), ("instance", "localhost:9100")], value: 0, timestampMilliseconds: 1_435_781_451_781),
        ])
        let failed = #"{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected \"}\""}"#
        #expect(throws: ScaleError.input("the query failed: 1:5: parse error: unexpected \"}\"", at: "api", fix: "check \(Parameter("query")) in the Prometheus UI")) {
            try PrometheusQueryResult.parse(Array(failed.utf8), source: "api")
        }
    }
}
