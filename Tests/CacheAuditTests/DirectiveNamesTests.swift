import Testing
@testable import CacheAudit

@Suite struct DirectiveNamesTests {
    @Test func typosAreToldFromExtensions() {
        #expect(DirectiveNames.likelyTypo("maxage") == "max-age")
        #expect(DirectiveNames.likelyTypo("max_age") == "max-age")
        #expect(DirectiveNames.likelyTypo("s-max-age") == "s-maxage")
        #expect(DirectiveNames.likelyTypo("no_cache") == "no-cache")
        #expect(DirectiveNames.likelyTypo("max-age:60") == "max-age")
        #expect(DirectiveNames.likelyTypo("community") == nil)
    }
}
