import CDNLogs
import ScaleCore

/// `scalectl cdn sql`: the query `cdn hits` would answer, for logs already in a data lake.
extension CDNCommand {
    enum SQLOption {
        static let engine = OptionSpec("engine", value: "ENGINE", allowed: SQLEngine.allCases.map(\.rawValue),
                                       help: "the SQL engine to write for: " + SQLEngine.allCases.map(\.rawValue).joined(separator: ", "))
        static let logFormat = OptionSpec("log-format", value: "NAME", allowed: LogFormat.allCases.map(\.rawValue),
                                          help: "the format of the logs in the table: " + SQLQuery.supportedFormats.map(\.rawValue).joined(separator: ", "))
        static let ddl = OptionSpec("ddl", help: "print the CREATE TABLE the query expects (over --location) instead of the query")
        static let location = OptionSpec("location", value: "PATH", completion: .file,
                                         help: "where the log files are, for --ddl: a path, a glob or an object-store prefix such as s3://bucket/prefix/")
        static let table = OptionSpec("table", value: "NAME", default: "logs", help: "the table the query reads and --ddl creates")
    }

    static let sql = CommandSpec(
        "sql",
        summary: "the SQL query giving cdn hits' rows and summary over logs in a data lake",
        discussion: """
        Prints a query for Athena, Trino, Spark SQL, BigQuery, ClickHouse or DuckDB that returns \
        what cdn hits prints for the same logs: one row per key of each --by breakdown and a last \
        row with dimension summary, with cdn hits' JSON field names. --ddl prints the CREATE TABLE \
        (or view) the query reads, over the files at --location; the query reads --table (default \
        logs). CloudFront standard logs use the table AWS documents for Athena; nginx and Varnish \
        logs (combined format with the cache status as the last field) are read as one line \
        column with regular expressions; any other line layout is given as cdn hits takes it \
        (--nginx-log-format, --apache-log-format for Apache, varnishncsa and Fastly format \
        strings), and the expressions are built from it: the cache status may be anywhere, the \
        time $time_local/%t or $msec. A layout with measured origin bytes \
        ($upstream_bytes_received) is refused: SQL would sum them differently.

        The cache classes (each vendor value, prefix and suffix rule, case folding, stripped \
        suffixes, CloudFront's second result field) and the --ratio definitions are written from \
        the same tables cdn hits counts with. --since, --until, --host and --path-prefix become \
        WHERE clauses (a duration such as 1h counts back from when the query is written). Rows \
        come in cdn hits' order: classes in their order, then unknown values, statuses 1xx to 5xx; \
        extensions, prefixes (--depth), hosts and POPs by requests, then bytes; url (the top \
        misses) by origin bytes, then misses; uncacheable by PASS requests, then their bytes; \
        ties by key; time buckets (--bucket, or chosen from the span as cdn hits chooses) in \
        time order; values (--by value, the raw cache-status values with their class) by \
        requests. --by type is not written in SQL.

        The query leaves out what SQL does not see: latency percentiles, line counts, malformed \
        lines and the threshold status. Logs too large for one machine but not in a lake: \
        cdn hits --partial on each machine, then cdn merge.
        """,
        options: [SQLOption.engine, SQLOption.logFormat, InputOption.nginxLogFormat, InputOption.apacheLogFormat, InputOption.since, InputOption.until, InputOption.host, InputOption.pathPrefix,
                  ReportOption.by, ReportOption.ratio, ReportOption.top, CountingOption.depth, CountingOption.bucket, SQLOption.ddl, SQLOption.location, SQLOption.table],
        examples: [
            Example("The CloudFront table for Athena, over the distribution's log bucket",
                    ["cdn", "sql", "--engine", "athena", "--log-format", "cloudfront", "--ddl", "--location", "s3://my-cf-logs/E2ABCDEF/"]),
            Example("Athena's query for the hit ratio by edge location, with CloudFront's definition",
                    ["cdn", "sql", "--engine", "athena", "--log-format", "cloudfront", "--ratio", "cloudfront", "--by", "class", "--by", "pop"]),
            Example("A DuckDB query over nginx logs on disk",
                    ["cdn", "sql", "--engine", "duckdb", "--log-format", "nginx", "--since", "2026-11-23T08:00"]),
        ],
        handler: runSQL
    )

    static func runSQL(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        let settings = try Settings(invocation, now: now())
        guard let engineName = invocation.value(SQLOption.engine), let engine = SQLEngine(rawValue: engineName) else {
            throw .usage("which engine?", at: "--engine", fix: "add --engine " + SQLEngine.allCases.map(\.rawValue).joined(separator: "|"))
        }
        let supported = SQLQuery.supportedFormats.map(\.rawValue).joined(separator: ", ")
        let template = settings.analysis.template
        // The option the layout came from, to name in errors about it.
        let layoutFlag = invocation.has(InputOption.nginxLogFormat) ? "--nginx-log-format" : "--apache-log-format"
        if let template, let named = settings.analysis.format, named != template.format {
            throw .usage("--log-format \(named.rawValue) disagrees with the layout given, whose cache field is \(template.format.rawValue)'s",
                         at: "--log-format", fix: "drop --log-format: the layout says it")
        }
        guard let format = template?.format ?? settings.analysis.format else {
            throw .usage("which format are the logs in?", at: "--log-format",
                         fix: "add --log-format with one of: \(supported), or give the layout with --nginx-log-format or --apache-log-format")
        }
        var query = SQLQuery(engine: engine, format: format)
        query.template = template
        query.table = invocation.value(SQLOption.table) ?? "logs"
        guard query.table.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F || $0 == 0x2E }),
              !query.table.isEmpty else {
            throw .usage("'\(query.table)' is not a table name", at: "--table", fix: "use letters, digits, _ and . (schema.table)")
        }
        query.breakdowns = settings.breakdowns
        query.ratio = settings.ratio
        query.top = settings.top
        query.depth = settings.analysis.depth
        query.bucket = settings.displayBucket
        query.since = settings.analysis.since
        query.until = settings.analysis.until
        query.hosts = settings.analysis.hosts
        query.pathPrefixes = settings.analysis.pathPrefixes
        let ddl = invocation.flag(SQLOption.ddl)
        let location = invocation.value(SQLOption.location) ?? ""
        if ddl, location.isEmpty {
            throw .usage("--ddl needs the files' location", at: "--location", fix: "add --location s3://bucket/prefix/ or a path")
        }
        // The query reads a table, not files: a location without --ddl would be silently ignored.
        if !ddl, !location.isEmpty {
            throw .usage("--location is where --ddl's table reads the files; the query reads --table", at: "--location",
                         fix: "add --ddl to print the CREATE TABLE over it, or drop --location")
        }
        let text: String
        do throws(SQLError) {
            text = ddl ? try query.ddl(location: location) : try query.query()
        } catch {
            switch error {
            case .unsupportedFormat(let f):
                throw .usage("cdn sql does not read \(f.rawValue) logs", at: "--log-format", fix: "use one of: \(supported), or cdn hits on the files")
            case .unsupportedBreakdown(let b):
                throw .usage("--by \(b.rawValue) is not written in SQL", at: "--by",
                             fix: "use " + SQLQuery.supportedBreakdowns.map(\.rawValue).joined(separator: ", ") + ", or cdn hits --by \(b.rawValue) on the files")
            case .noColumn(let field, let f):
                throw .usage("the \(f.rawValue) table has no column for \(field)", at: "--log-format")
            case .templateLacks(let what):
                throw .usage("the layout given has no \(what)", at: layoutFlag,
                             fix: "give the whole format the logs were written with")
            case .templateHas(let field, let why):
                throw .usage("the layout has \(field): \(why)", at: layoutFlag,
                             fix: "use cdn hits on the files")
            }
        }
        context.console.write(text)
        return .ok
    }
}
