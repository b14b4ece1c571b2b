import Testing
import ScaleCore

@Test func exitCodesMatchTheMonitoringPluginConvention() {
    #expect(ExitCode.ok.rawValue == 0)
    #expect(ExitCode.warning.rawValue == 1)
    #expect(ExitCode.critical.rawValue == 2)
    #expect(ExitCode.unknown.rawValue == 3)
    #expect(ExitCode.usage.rawValue == 64)
    #expect(ExitCode.interrupted.rawValue == 130)
}

@Test(arguments: [
    (ExitCode.ok, ExitCode.warning, ExitCode.warning),
    (.warning, .critical, .critical),
    (.unknown, .warning, .warning),
    (.ok, .unknown, .unknown),
    (.critical, .unknown, .critical),
])
func worseFoldsStatesAsNagiosDoes(a: ExitCode, b: ExitCode, expected: ExitCode) {
    #expect(a.worse(b) == expected)
    #expect(b.worse(a) == expected)
}
