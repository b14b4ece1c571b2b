/// The passive checks of the catalogue: each looks at one response and its verdicts. One rule
/// family a file in PassiveRules/.
enum PassiveChecks {
    /// Thresholds the catalogue leaves open (`cache audit --help` states them).
    static let day: Int64 = 86_400
    static let year: Int64 = 31_536_000

    /// Findings come out family by family in catalogue order, the order reports print them.
    static func run(_ audit: ResponseAudit) -> [Finding] {
        let context = PassiveContext(audit)
        let families = [
            StorabilityRules.findings, DirectiveConflictRules.findings, LifetimeRules.findings,
            DirectiveValueRules.findings, SharedLifetimeRules.findings, RevalidationRules.findings,
            LastModifiedRules.findings, AgeRules.findings, DateRules.findings, ValidatorRules.findings,
            VaryRules.findings, DirectiveSyntaxRules.findings, LegacyRules.findings,
            TargetedFieldRules.findings, CDNFieldRules.findings, AssetPolicyRules.findings,
        ]
        return families.flatMap { $0(context) }
    }
}
