import Availability
import ScaleCore

/// `scalectl availability compose|budget|burn`: how available a topology is, what downtime an
/// SLO allows, and when burn-rate alerts fire. The numbers come from the Availability library;
/// each sub-command's file parses its options, calls the library and renders.
enum AvailabilityCommand {
    static let spec = CommandSpec(
        "availability",
        summary: "compose topologies, downtime budgets and burn-rate alerts",
        discussion: """
        How available is this, really? compose works out a topology's availability and which \
        part costs the most nines, budget turns an SLO into allowed downtime (and back), and burn \
        prints the SRE Workbook's multiwindow burn-rate alerts for an SLO.
        """,
        subcommands: [compose, budget, burn]
    )

    static let tableFormats: [OutputFormat] = [.table, .json, .ndjson, .csv, .prometheus]
}
