import Glibc
@testable import ScaleCLI
import ScaleCore
import ScaleHTTP
import Testing
import TestSupport

/// A strict reading of the Monitoring Plugins development guidelines' output: the first line
/// `TEXT | perfdata`, perfdata items `'label'=value[UOM];[warn];[crit];[min];[max]` separated
/// by one space, value `[-0-9.]+` or `U`, UOM one of the guidelines' units, warn/crit in the
/// range syntax, min/max numbers; no `|` anywhere in the long output.
enum PluginOutput {
    struct Item: Equatable {
        var label: String
        var value: String
        var unit: String
        var warning: String
        var critical: String
        var min: String
        var max: String
    }

    struct Parsed {
        var service: String
        var state: String
        var headline: String
        var perfdata: [Item]
        var long: [String]
    }

    static let units: Set<String> = ["", "s", "ms", "us", "%", "B", "KB", "MB", "TB", "c"]
    static var number: Regex<AnyRegexOutput> { try! Regex("^-?[0-9]+(\\.[0-9]+)?$") }
    static var range: Regex<AnyRegexOutput> { try! Regex("^@?(~|-?[0-9]+(\\.[0-9]+)?)?(:(-?[0-9]+(\\.[0-9]+)?)?)?$") }
    static var first: Regex<AnyRegexOutput> { try! Regex("^SCALECTL ([A-Z][A-Z -]*[A-Z]) (OK|WARNING|CRITICAL|UNKNOWN) - ([^|]+?)(?: \\| (.+))?$") }

    enum Failure: Error, CustomStringConvertible {
        case bad(String)
        var description: String { if case .bad(let text) = self { return text }; return "" }
    }

    static func parse(_ output: String) throws -> Parsed {
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.last == "" else { throw Failure.bad("output does not end in a line feed") }
        lines.removeLast()
        guard let head = lines.first, let match = try first.wholeMatch(in: head) else { throw Failure.bad("first line: \(lines.first ?? "")") }
        let service = String(match.output[1].substring!)
        let state = String(match.output[2].substring!)
        let headline = String(match.output[3].substring!)
        var items: [Item] = []
        if let perf = match.output[4].substring { items = try perfdata(String(perf)) }
        let long = Array(lines.dropFirst())
        if let bad = long.first(where: { $0.contains("|") }) { throw Failure.bad("long output holds |: \(bad)") }
        return Parsed(service: service, state: state, headline: headline, perfdata: items, long: long)
    }

    /// Items one space apart; a label quoted (`''` for a quote) or bare (no space, `'` or `=`).
    static func perfdata(_ text: String) throws -> [Item] {
        var items: [Item] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            var label = ""
            if rest.first == "'" {
                rest = rest.dropFirst()
                while true {
                    guard let c = rest.first else { throw Failure.bad("unterminated label in \(text)") }
                    rest = rest.dropFirst()
                    if c == "'" {
                        if rest.first == "'" { label.append("'"); rest = rest.dropFirst() } else { break }
                    } else {
                        guard c != "=" else { throw Failure.bad("= in a label: \(text)") }
                        label.append(c)
                    }
                }
            } else {
                while let c = rest.first, c != "=" {
                    guard c != " ", c != "'" else { throw Failure.bad("bare label with space or quote: \(text)") }
                    label.append(c)
                    rest = rest.dropFirst()
                }
            }
            guard !label.isEmpty, rest.first == "=" else { throw Failure.bad("no = after label \(label)") }
            rest = rest.dropFirst()
            let end = rest.firstIndex(of: " ") ?? rest.endIndex
            let body = rest[..<end]
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
            guard !body.isEmpty, rest.first != " " else { throw Failure.bad("empty value or double space after \(label)") }
            let columns = body.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            guard columns.count <= 5 else { throw Failure.bad("more than 5 columns: \(body)") }
            let valueText = columns[0]
            var value = valueText
            var unit = ""
            if valueText != "U" {
                let digits = valueText.prefix { "-0123456789.".contains($0) }
                value = String(digits)
                unit = String(valueText.dropFirst(digits.count))
                guard (try number.wholeMatch(in: value)) != nil, units.contains(unit) else { throw Failure.bad("value \(valueText) of \(label)") }
            }
            let padded = columns + Array(repeating: "", count: 5 - columns.count)
            for threshold in padded[1...2] where (try range.wholeMatch(in: threshold)) == nil {
                throw Failure.bad("threshold \(threshold) of \(label)")
            }
            for bound in padded[3...4] where !bound.isEmpty {
                guard (try number.wholeMatch(in: bound)) != nil else { throw Failure.bad("min/max \(bound) of \(label)") }
            }
            items.append(Item(label: label, value: value, unit: unit, warning: padded[1], critical: padded[2], min: padded[3], max: padded[4]))
        }
        return items
    }

    static func stateName(_ status: ExitCode) -> String {
        ["OK", "WARNING", "CRITICAL", "UNKNOWN"][Int(status.rawValue)]
    }
}

@Suite struct NagiosOutputTests {
    /// A Perl module is read, not run: `.requires` (which looks for an executable) would skip it everywhere.
    static let perlLibrary = ConditionTrait.enabled(
        if: access("/usr/share/perl5/Monitoring/Plugin/Performance.pm", R_OK) == 0 || ServerRequirement.isCI,
        "Monitoring::Plugin is not installed (Debian package libmonitoring-plugin-perl); skipped — under CI=true this fails")

    /// One run of every command that offers `-o nagios`, and the state it must end in.
    static let runs: [(command: String, arguments: [String], status: ExitCode)] = [
        ("probe", ["probe", "tcp://127.0.0.1:1", "tcp://127.0.0.1:2"], .critical),
        ("probe", ["probe", "--watch", "--count", "2", "--interval", "50ms", "tcp://127.0.0.1:1"], .unknown),
        ("backlog", ["backlog", "redis://127.0.0.1:1/0/jobs"], .unknown),
        ("backlog watch", ["backlog", "watch", "redis://127.0.0.1:1/0/jobs", "--count", "1", "--interval", "100ms"], .unknown),
        ("backlog samples", ["backlog", "samples", "demo/backlog-orders.csv", "--warning", "drain=20m"], .warning),
        ("backlog kafka-lag", ["backlog", "kafka-lag", "demo/kafka-lag.txt"], .critical),
        ("cache audit", ["cache", "audit", "--headers", "demo/cache-headers.txt", "--fail-on", "warn"], .critical),
        ("cdn hits", ["cdn", "hits", "demo/cdn/nginx-access.log", "--warning", "90%", "--critical", "50%"], .warning),
        ("availability burn", ["availability", "burn", "--slo", "99.9%", "--window", "30d", "--error-rate", "0.5%"], .warning),
        // No rate given: nothing measured, so the check is UNKNOWN, never OK.
        ("availability burn", ["availability", "burn", "--slo", "99.9%", "--window", "30d"], .unknown),
        ("rebalance check", ["rebalance", "check", "demo/kafka-current.json", "--brokers", "1-5", "--warning", "10%", "--critical", "50%"], .critical),
    ]

    static func commandsOffering(_ format: OutputFormat, _ spec: CommandSpec, path: [String]) -> [String] {
        let here = !path.isEmpty && spec.handler != nil && spec.formats.contains(format) ? [path.joined(separator: " ")] : []
        return here + spec.subcommands.flatMap { commandsOffering(format, $0, path: path + [$0.name]) }
    }

    @Test("every command that offers -o nagios is run here, and only those")
    func everyCommandCovered() {
        let offered = Set(Self.commandsOffering(.nagios, CommandTable.root, path: []))
        #expect(offered == Set(Self.runs.map(\.command)))
    }

    @Test("each command's nagios output keeps the guidelines' grammar; its state is its exit status",
          arguments: runs.indices)
    func grammar(_ index: Int) throws {
        let (command, arguments, expected) = Self.runs[index]
        let result = run(arguments + ["-o", "nagios"])
        #expect(result.status == expected, "\(result.out)\(result.err)")
        let parsed = try PluginOutput.parse(result.out)
        #expect(parsed.service == command.uppercased())
        #expect(parsed.state == PluginOutput.stateName(result.status))
        #expect(!parsed.perfdata.isEmpty)
        #expect(!parsed.long.isEmpty, "the table follows as long output")
        #expect(Set(parsed.perfdata.map(\.label)).count == parsed.perfdata.count, "labels are unique")
    }

    @Test("the headline names what is down and why")
    func probeHeadline() throws {
        let result = run(["probe", "tcp://127.0.0.1:1", "-o", "nagios"])
        let parsed = try PluginOutput.parse(result.out)
        #expect(parsed.headline == "1 of 1 down: tcp://127.0.0.1:1 refused")
        // Not measured is U, never 0: nothing answered, so there are no percentiles.
        #expect(parsed.perfdata.first { $0.label == "p50_seconds" }?.value == "U")
        #expect(parsed.perfdata.first { $0.label == "down" } == PluginOutput.Item(label: "down", value: "1", unit: "", warning: "", critical: "0", min: "", max: ""))
    }

    @Test("labels are quoted with quotes doubled, = is not kept, numbers never use exponents, ratios are %")
    func renderer() throws {
        let fields = [Field("tiny_seconds", .latency), Field("share_ratio", .ratio(places: 1)), Field("size_bytes", .bytes)]
        let datum = PerfDatum("it's a=b", 0.00001, unit: "s", thresholds: .above(warning: 0.5, critical: 1), min: 0)
        #expect(datum.text == "'it''s a_b'=0.00001s;0.5;1;0")
        #expect(PerfDatum(fields[1], .number(0.25)).text == "'share_ratio'=25%;;;0;100")
        #expect(PerfDatum(fields[2], .null).text == "'size_bytes'=U;;;0")
        #expect(PerfDatum(fields[0], .number(.nan)).text == "'tiny_seconds'=U;;;0")
        let items = try PluginOutput.perfdata(datum.text + " " + PerfDatum(fields[1], .number(0.25)).text)
        #expect(items.map(\.label) == ["it's a_b", "share_ratio"])
        #expect(NagiosRenderer.number(-1e-7) == "-0.0000001")
        #expect(NagiosRenderer.number(1e20) == "100000000000000000000")
        #expect(NagiosRenderer.number(-1.5e19) == "-15000000000000000000")
    }

    /// Monitoring::Plugin::Performance (Debian libmonitoring-plugin-perl), the Perl library many
    /// plugins and graphers use, reads the same items from every command's perfdata. Its parser
    /// predates `U`, so unmeasured items are compared by our parser alone.
    @Test("a real perfdata parser reads the same labels, values and units",
          Self.perlLibrary)
    func perlParser() throws {
        for (_, arguments, _) in Self.runs {
            let result = run(arguments + ["-o", "nagios"])
            let ours = try PluginOutput.parse(result.out).perfdata.filter { $0.value != "U" }
            let perf = String(result.out.prefix { $0 != "\n" }.split(separator: "|", maxSplits: 1)[1].dropFirst())
            let perl = Subprocess.run(["perl", "-MMonitoring::Plugin::Performance", "-e", """
                for my $p (Monitoring::Plugin::Performance->parse_perfstring($ARGV[0])) {
                    print join("\\t", $p->label, $p->value, $p->uom, $p->min // "", $p->max // ""), "\\n";
                }
                """, perf])
            #expect(perl.status == 0, "\(perl.errors)")
            // Perl prints its numbers its own way (7.9e-05): compare them as numbers.
            func key(_ fields: [String]) -> String {
                fields.enumerated().map { i, f in i == 1 || i >= 3 ? (Double(f).map { "\($0)" } ?? f) : f }.joined(separator: "\t")
            }
            let theirs = perl.output.split(separator: "\n").map { key($0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)) }
            let expected = ours.map { key([$0.label, $0.value, $0.unit, $0.min, $0.max]) }
            #expect(theirs == expected, "\(arguments)")
        }
    }

    /// What Monitoring::Plugin::Threshold (the Perl library plugins use) makes of the `down`
    /// item's own ranges must be the state on the status line: with --min-up M of T targets,
    /// down targets are WARNING while at least M are up and CRITICAL below that.
    @Test("probe: the state a plugin library derives from the down perfdata is the status line's, with and without --min-up",
          Self.perlLibrary)
    func probeDownThresholdsAgreeWithTheState() throws {
        let urls = (1...4).map { "http://10.0.0.\($0)/" }
        for down in 0...4 {
            for minUp in [nil, "0", "2", "3", "5", "50%"] as [String?] {
                var script: [String: [ScriptedTransport.Outcome]] = [:]
                for (i, url) in urls.enumerated() {
                    script[url] = [i < down ? Canned.failure(.refused, "Couldn't connect to server", url: url) : Canned.ok()]
                }
                let result = runProbe(["-o", "nagios"] + (minUp.map { ["--min-up", $0] } ?? []) + urls, transport: ScriptedTransport(script))
                let parsed = try PluginOutput.parse(result.out)
                let perf = String(result.out.prefix { $0 != "\n" }.split(separator: "|", maxSplits: 1)[1].dropFirst())
                let perl = Subprocess.run(["perl", "-MMonitoring::Plugin::Performance", "-e", """
                    for my $p (Monitoring::Plugin::Performance->parse_perfstring($ARGV[0])) {
                        print $p->threshold->get_status($p->value), "\\n" if $p->label eq "down";
                    }
                    """, perf])
                let derived = perl.output.split(separator: "\n").first.flatMap { Int32($0) }
                #expect(derived == Int32(result.status.rawValue), "down \(down), --min-up \(minUp ?? "none"): \(perf) \(perl.errors)")
                #expect(parsed.state == PluginOutput.stateName(result.status))
            }
        }
    }

    /// The error rate in burn's headline is the one given, every digit: 0.0001% is not "0.000%".
    @Test("burn's headline keeps the error rate's digits", arguments: [("0.5%", "error rate 0.5%,"), ("0.0001%", "error rate 0.0001%,")])
    func burnHeadlineErrorRate(rate: String, expected: String) {
        let console = CapturingConsole()
        _ = ScaleCLI.run(arguments: ["availability", "burn", "--slo", "99.9%", "--error-rate", rate, "-o", "nagios"], console: console)
        #expect(console.output.split(separator: "\n").first?.contains(expected) == true, "\(console.output)")
    }

    /// CheckHeadline itself: a report whose rows all read OK, judged CRITICAL (by a round or
    /// note it does not see), does not say "1 queues OK" but names the state. (The backlog
    /// watch's own headline, which names the worst round, is BacklogWatchTests'.)
    @Test("a headline never reads OK under a state that is not")
    func headlineNeverContradictsTheState() throws {
        let report = Report(command: "backlog", columns: [Column<Int>("queue", .text) { _ in "orders" }, Column<Int>("check", .status) { _ in "OK" }],
                            rows: [1], notes: [])
        #expect(CheckHeadline.rows(report, status: .ok, noun: "queues", state: "check", names: ["queue"]) == "1 queues OK")
        let critical = CheckHeadline.rows(report, status: .critical, noun: "queues", state: "check", names: ["queue"])
        #expect(!critical.contains(" OK") && critical.contains("CRITICAL"), "\(critical)")
    }

    /// The headline and the perfdata range come from HitRatioPolicy's one judgement: a ratio
    /// below --warning (but not --critical) is WARNING, and `90:` alerts below 90%.
    @Test("cdn hits: the ratio's state, its 'below' headline and its N: ranges agree")
    func cdnBelowRanges() throws {
        let warning = try PluginOutput.parse(run(["cdn", "hits", "demo/cdn/nginx-access.log", "--warning", "90%", "--critical", "50%", "-o", "nagios"]).out)
        #expect(warning.state == "WARNING")
        #expect(warning.headline.contains(", below --warning 90"), "\(warning.headline)")
        let item = try #require(warning.perfdata.first { $0.label == "overall_hit_ratio" })
        #expect([item.warning, item.critical, item.min, item.max] == ["90:", "50:", "0", "100"])
        let critical = try PluginOutput.parse(run(["cdn", "hits", "demo/cdn/nginx-access.log", "--warning", "99%", "--critical", "90%", "-o", "nagios"]).out)
        #expect(critical.state == "CRITICAL")
        #expect(critical.headline.contains(", below --critical 90"), "\(critical.headline)")
        let ok = try PluginOutput.parse(run(["cdn", "hits", "demo/cdn/nginx-access.log", "--warning", "10%", "-o", "nagios"]).out)
        #expect(ok.state == "OK" && !ok.headline.contains("below"), "\(ok.headline)")
        #expect(PerfThresholds.below(warning: 99.5, critical: nil) == PerfThresholds(warning: "99.5:", critical: nil))
    }
}
