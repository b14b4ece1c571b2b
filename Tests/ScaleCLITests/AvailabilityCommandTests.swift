import Testing
import ScaleCore
import ScaleCLI
import TestSupport

/// Golden tests of `scalectl availability`: exact stdout, stderr and exit status for each
/// sub-command in each output format. The numbers in them are checked against independent
/// references (closed forms by hand, uptime.is, the SRE Workbook) in AvailabilityTests; here
/// the point is that the command prints them, in every format, exactly so.
@Suite struct AvailabilityCommandTests {
    func expectGolden(_ arguments: [String], status: ExitCode, out: String, err: String = "",
                      sourceLocation: SourceLocation = #_sourceLocation) {
        let result = run(arguments)
        #expect(result.out == out, "stdout of \(arguments)", sourceLocation: sourceLocation)
        #expect(result.err == err, "stderr of \(arguments)", sourceLocation: sourceLocation)
        #expect(result.status == status, "exit status of \(arguments)", sourceLocation: sourceLocation)
    }

    @Test func composeJSON() {
        expectGolden(["availability", "compose", "lb=99.99% * 2of3(app=99.5%) * (db=99.95% | replica=99.95%)", "-o", "json"], status: .ok, out: """
        {
          "schema_version": 1,
          "command": "availability compose",
          "results": [
            {"component": "lb", "copies": 1, "component_availability_ratio": 0.9999, "unavailability_share_ratio": 0.571410264320072, "availability_if_one_more_nine_ratio": 0.9999150007686873, "nines_if_one_more_nine": 4.07058500179357},
            {"component": "app", "copies": 3, "component_availability_ratio": 0.995, "unavailability_share_ratio": 0.427118386761406, "availability_if_one_more_nine_ratio": 0.9998990003501624, "nines_if_one_more_nine": 3.99568013189924},
            {"component": "db", "copies": 1, "component_availability_ratio": 0.9995, "unavailability_share_ratio": 0.00142838316532973, "availability_if_one_more_nine_ratio": 0.9998252324793686, "nines_if_one_more_nine": 3.75753927491202},
            {"component": "replica", "copies": 1, "component_availability_ratio": 0.9995, "unavailability_share_ratio": 0.00142838316532973, "availability_if_one_more_nine_ratio": 0.9998252324793686, "nines_if_one_more_nine": 3.75753927491202}
          ],
          "summary": {"availability_ratio": 0.9998250075186856, "unavailability_ratio": 0.00017499248131436874, "nines": 3.75698061070701, "downtime_per_day_seconds": 15.1193503855615, "downtime_per_week_seconds": 105.83545269893, "downtime_per_month_seconds": 460.185777766536, "downtime_per_quarter_seconds": 1380.55733329961, "downtime_per_year_seconds": 5522.22933319843},
          "notes": ["weakest link: lb (one more nine there gives 99.9915001%)"]
        }

        """)
    }

    @Test func composeNDJSON() {
        expectGolden(["availability", "compose", "lb=99.99% * 2of3(app=99.5%) * (db=99.95% | replica=99.95%)", "-o", "ndjson"], status: .ok, out: """
        {"type": "result", "component": "lb", "copies": 1, "component_availability_ratio": 0.9999, "unavailability_share_ratio": 0.571410264320072, "availability_if_one_more_nine_ratio": 0.9999150007686873, "nines_if_one_more_nine": 4.07058500179357}
        {"type": "result", "component": "app", "copies": 3, "component_availability_ratio": 0.995, "unavailability_share_ratio": 0.427118386761406, "availability_if_one_more_nine_ratio": 0.9998990003501624, "nines_if_one_more_nine": 3.99568013189924}
        {"type": "result", "component": "db", "copies": 1, "component_availability_ratio": 0.9995, "unavailability_share_ratio": 0.00142838316532973, "availability_if_one_more_nine_ratio": 0.9998252324793686, "nines_if_one_more_nine": 3.75753927491202}
        {"type": "result", "component": "replica", "copies": 1, "component_availability_ratio": 0.9995, "unavailability_share_ratio": 0.00142838316532973, "availability_if_one_more_nine_ratio": 0.9998252324793686, "nines_if_one_more_nine": 3.75753927491202}
        {"type": "summary", "schema_version": 1, "command": "availability compose", "notes": ["weakest link: lb (one more nine there gives 99.9915001%)"], "availability_ratio": 0.9998250075186856, "unavailability_ratio": 0.00017499248131436874, "nines": 3.75698061070701, "downtime_per_day_seconds": 15.1193503855615, "downtime_per_week_seconds": 105.83545269893, "downtime_per_month_seconds": 460.185777766536, "downtime_per_quarter_seconds": 1380.55733329961, "downtime_per_year_seconds": 5522.22933319843}

        """)
    }

    /// CSV carries the contribution table; the headline figures are in the other formats.
    @Test func composeCSV() {
        expectGolden(["availability", "compose", "lb=99.99% * 2of3(app=99.5%) * (db=99.95% | replica=99.95%)", "-o", "csv"], status: .ok, out: """
        component,copies,component_availability_ratio,unavailability_share_ratio,availability_if_one_more_nine_ratio,nines_if_one_more_nine\r
        lb,1,0.9999,0.571410264320072,0.9999150007686873,4.07058500179357\r
        app,3,0.995,0.427118386761406,0.9998990003501624,3.99568013189924\r
        db,1,0.9995,0.00142838316532973,0.9998252324793686,3.75753927491202\r
        replica,1,0.9995,0.00142838316532973,0.9998252324793686,3.75753927491202\r

        """, err: "scalectl: note: weakest link: lb (one more nine there gives 99.9915001%)\n")
    }

    @Test func composePrometheus() {
        expectGolden(["availability", "compose", "lb=99.99% * 2of3(app=99.5%) * (db=99.95% | replica=99.95%)", "-o", "prometheus"], status: .ok, out: """
        # HELP scalectl_availability_compose_copies How many instances of the component the topology holds (pools multiply).
        # TYPE scalectl_availability_compose_copies gauge
        scalectl_availability_compose_copies{component="lb"} 1
        scalectl_availability_compose_copies{component="app"} 3
        scalectl_availability_compose_copies{component="db"} 1
        scalectl_availability_compose_copies{component="replica"} 1
        # HELP scalectl_availability_compose_component_availability_ratio The component's own availability.
        # TYPE scalectl_availability_compose_component_availability_ratio gauge
        scalectl_availability_compose_component_availability_ratio{component="lb"} 0.9999
        scalectl_availability_compose_component_availability_ratio{component="app"} 0.995
        scalectl_availability_compose_component_availability_ratio{component="db"} 0.9995
        scalectl_availability_compose_component_availability_ratio{component="replica"} 0.9995
        # HELP scalectl_availability_compose_unavailability_share_ratio Fussell-Vesely importance: the fraction of the system's unavailability that would go if this component never failed.
        # TYPE scalectl_availability_compose_unavailability_share_ratio gauge
        scalectl_availability_compose_unavailability_share_ratio{component="lb"} 0.571410264320072
        scalectl_availability_compose_unavailability_share_ratio{component="app"} 0.427118386761406
        scalectl_availability_compose_unavailability_share_ratio{component="db"} 0.00142838316532973
        scalectl_availability_compose_unavailability_share_ratio{component="replica"} 0.00142838316532973
        # HELP scalectl_availability_compose_availability_if_one_more_nine_ratio The system's availability if this component's unavailability were divided by ten.
        # TYPE scalectl_availability_compose_availability_if_one_more_nine_ratio gauge
        scalectl_availability_compose_availability_if_one_more_nine_ratio{component="lb"} 0.9999150007686873
        scalectl_availability_compose_availability_if_one_more_nine_ratio{component="app"} 0.9998990003501624
        scalectl_availability_compose_availability_if_one_more_nine_ratio{component="db"} 0.9998252324793686
        scalectl_availability_compose_availability_if_one_more_nine_ratio{component="replica"} 0.9998252324793686
        # HELP scalectl_availability_compose_nines_if_one_more_nine The system's nines if this component gained one nine.
        # TYPE scalectl_availability_compose_nines_if_one_more_nine gauge
        scalectl_availability_compose_nines_if_one_more_nine{component="lb"} 4.07058500179357
        scalectl_availability_compose_nines_if_one_more_nine{component="app"} 3.99568013189924
        scalectl_availability_compose_nines_if_one_more_nine{component="db"} 3.75753927491202
        scalectl_availability_compose_nines_if_one_more_nine{component="replica"} 3.75753927491202
        # HELP scalectl_availability_compose_availability_ratio The system's availability.
        # TYPE scalectl_availability_compose_availability_ratio gauge
        scalectl_availability_compose_availability_ratio 0.9998250075186856
        # HELP scalectl_availability_compose_unavailability_ratio The system's unavailability, 1 - availability, computed directly.
        # TYPE scalectl_availability_compose_unavailability_ratio gauge
        scalectl_availability_compose_unavailability_ratio 0.00017499248131436874
        # HELP scalectl_availability_compose_nines -log10 of the unavailability.
        # TYPE scalectl_availability_compose_nines gauge
        scalectl_availability_compose_nines 3.75698061070701
        # HELP scalectl_availability_compose_downtime_per_day_seconds Expected downtime per day in seconds.
        # TYPE scalectl_availability_compose_downtime_per_day_seconds gauge
        scalectl_availability_compose_downtime_per_day_seconds 15.1193503855615
        # HELP scalectl_availability_compose_downtime_per_week_seconds Expected downtime per week in seconds.
        # TYPE scalectl_availability_compose_downtime_per_week_seconds gauge
        scalectl_availability_compose_downtime_per_week_seconds 105.83545269893
        # HELP scalectl_availability_compose_downtime_per_month_seconds Expected downtime per month in seconds.
        # TYPE scalectl_availability_compose_downtime_per_month_seconds gauge
        scalectl_availability_compose_downtime_per_month_seconds 460.185777766536
        # HELP scalectl_availability_compose_downtime_per_quarter_seconds Expected downtime per quarter in seconds.
        # TYPE scalectl_availability_compose_downtime_per_quarter_seconds gauge
        scalectl_availability_compose_downtime_per_quarter_seconds 1380.55733329961
        # HELP scalectl_availability_compose_downtime_per_year_seconds Expected downtime per year in seconds.
        # TYPE scalectl_availability_compose_downtime_per_year_seconds gauge
        scalectl_availability_compose_downtime_per_year_seconds 5522.22933319843

        """, err: "scalectl: note: weakest link: lb (one more nine there gives 99.9915001%)\n")
    }

    /// (1e-6)^2 = 1e-12: the unavailability prints as exactly 0.0000000001%.
    @Test func composeHighAvailability() {
        expectGolden(["availability", "compose", "2x 99.9999%"], status: .ok, out: """
        COMPONENT  COPIES  AVAILABILITY  SHARE OF DOWNTIME  IF ONE MORE NINE  NINES THEN
        99.9999%        2      99.9999%             100.0%  99.999999999999%       14.00

        AVAILABILITY:         99.9999999999%
        UNAVAILABILITY:       0.0000000001%
        NINES:                12.00
        DOWNTIME PER DAY:     0µs
        DOWNTIME PER WEEK:    1µs
        DOWNTIME PER MONTH:   3µs
        DOWNTIME PER QUARTER: 8µs
        DOWNTIME PER YEAR:    32µs

        """)
    }

    /// Checked by hand in the test comment.
    @Test func composeCaveats() {
        expectGolden(["availability", "compose", "lb=99.99% * 4x web=mtbf=720h,mttr=1h * (db=99.95% | replica=99.95%)", "--common-cause", "10%", "--detection-delay", "10s", "--mttr", "30m", "--needs", "3"], status: .ok, out: """
        COMPONENT  COPIES  AVAILABILITY  SHARE OF DOWNTIME  IF ONE MORE NINE  NINES THEN
        web             4      99.8613%              49.8%        99.983268%        3.78
        lb              1      99.9900%              32.8%        99.978515%        3.67
        db              1      99.9500%              16.9%        99.974158%        3.59
        replica         1      99.9500%              16.9%        99.974158%        3.59

        AVAILABILITY:         99.969517%
        UNAVAILABILITY:       0.030483%
        NINES:                3.52
        DOWNTIME PER DAY:     26s
        DOWNTIME PER WEEK:    3m 4s
        DOWNTIME PER MONTH:   13m 22s
        DOWNTIME PER QUARTER: 40m 5s
        DOWNTIME PER YEAR:    2h 40m 20s
        note: weakest link: web (one more nine there gives 99.983268%)
        note: common cause: 10% of each redundant group's failures hit all its members at once
        note: detection delay: failed members keep their share of requests for 10s
        note: every pool of identical copies needs 3 members up

        """)
    }

    /// Reproducibility of a seeded run; the analytic U = 0.001088 is worked by hand in ClosedFormTests.
    @Test func composeSimulation() {
        expectGolden(["availability", "compose", "kofn(2, a=99%, b=98%, c=97%)", "--simulate", "20000", "--seed", "7", "-o", "json"], status: .ok, out: """
        {
          "schema_version": 1,
          "command": "availability compose",
          "results": [
            {"component": "c", "copies": 1, "component_availability_ratio": 0.97, "unavailability_share_ratio": 0.816176470588235, "availability_if_one_more_nine_ratio": 0.9997112, "nines_if_one_more_nine": 3.5394028111024},
            {"component": "b", "copies": 1, "component_availability_ratio": 0.98, "unavailability_share_ratio": 0.724264705882353, "availability_if_one_more_nine_ratio": 0.9996212, "nines_if_one_more_nine": 3.42159002966876},
            {"component": "a", "copies": 1, "component_availability_ratio": 0.99, "unavailability_share_ratio": 0.448529411764706, "availability_if_one_more_nine_ratio": 0.9993512, "nines_if_one_more_nine": 3.1878891587969}
          ],
          "summary": {"availability_ratio": 0.998912, "unavailability_ratio": 0.001088, "nines": 2.96337110463784, "downtime_per_day_seconds": 94.0032, "downtime_per_week_seconds": 658.0224, "downtime_per_month_seconds": 2861.163648, "downtime_per_quarter_seconds": 8583.490944, "downtime_per_year_seconds": 34333.963776, "simulated_availability_ratio": 0.99915, "simulated_availability_low_ratio": 0.9986390788900333, "simulated_availability_high_ratio": 0.9994692115151574, "simulation_trials": 20000, "simulation_seed": 7, "simulation_agrees": true},
          "notes": ["weakest link: c (one more nine there gives 99.97112%)"]
        }

        """)
    }

    /// uptime.is: 1m 26s, 10m 5s, 43m 50s, 2h 11m 29s, 8h 45m 57s; 0.1% of 30 days is 2592 s = 43m 12s.
    @Test func budgetTable() {
        expectGolden(["availability", "budget", "99.9%"], status: .ok, out: """
        WINDOW            LENGTH  ALLOWED DOWNTIME
        day                   1d            1m 26s
        week                  7d            10m 5s
        30d                  30d           43m 12s
        month     30d 10h 29m 6s           43m 50s
        quarter   91d 7h 27m 18s        2h 11m 29s
        year     365d 5h 49m 12s        8h 45m 57s

        AVAILABILITY: 99.9%
        ERROR BUDGET: 0.1%
        NINES:        3.00
        note: year = 365.2425 days, month = year/12, quarter = year/4 (as uptime.is)

        """)
    }

    /// uptime.is for 99%: 864 s a day, 26297.46 s a month, 315569.52 s a year.
    @Test func budgetJSON() {
        expectGolden(["availability", "budget", "99%", "-o", "json"], status: .ok, out: """
        {
          "schema_version": 1,
          "command": "availability budget",
          "results": [
            {"window": "day", "window_seconds": 86400, "allowed_downtime_seconds": 864},
            {"window": "week", "window_seconds": 604800, "allowed_downtime_seconds": 6048},
            {"window": "30d", "window_seconds": 2592000, "allowed_downtime_seconds": 25920},
            {"window": "month", "window_seconds": 2629746, "allowed_downtime_seconds": 26297.46},
            {"window": "quarter", "window_seconds": 7889238, "allowed_downtime_seconds": 78892.38},
            {"window": "year", "window_seconds": 31556952, "allowed_downtime_seconds": 315569.52}
          ],
          "summary": {"availability_ratio": 0.99, "error_budget_ratio": 0.01, "nines": 2},
          "notes": ["year = 365.2425 days, month = year/12, quarter = year/4 (as uptime.is)"]
        }

        """)
    }

    @Test func budgetNDJSON() {
        expectGolden(["availability", "budget", "99%", "-o", "ndjson"], status: .ok, out: """
        {"type": "result", "window": "day", "window_seconds": 86400, "allowed_downtime_seconds": 864}
        {"type": "result", "window": "week", "window_seconds": 604800, "allowed_downtime_seconds": 6048}
        {"type": "result", "window": "30d", "window_seconds": 2592000, "allowed_downtime_seconds": 25920}
        {"type": "result", "window": "month", "window_seconds": 2629746, "allowed_downtime_seconds": 26297.46}
        {"type": "result", "window": "quarter", "window_seconds": 7889238, "allowed_downtime_seconds": 78892.38}
        {"type": "result", "window": "year", "window_seconds": 31556952, "allowed_downtime_seconds": 315569.52}
        {"type": "summary", "schema_version": 1, "command": "availability budget", "notes": ["year = 365.2425 days, month = year/12, quarter = year/4 (as uptime.is)"], "availability_ratio": 0.99, "error_budget_ratio": 0.01, "nines": 2}

        """)
    }

    @Test func budgetCSV() {
        expectGolden(["availability", "budget", "99%", "-o", "csv"], status: .ok, out: """
        window,window_seconds,allowed_downtime_seconds\r
        day,86400,864\r
        week,604800,6048\r
        30d,2592000,25920\r
        month,2629746,26297.46\r
        quarter,7889238,78892.38\r
        year,31556952,315569.52\r

        """, err: "scalectl: note: year = 365.2425 days, month = year/12, quarter = year/4 (as uptime.is)\n")
    }

    @Test func budgetPrometheus() {
        expectGolden(["availability", "budget", "99%", "-o", "prometheus"], status: .ok, out: """
        # HELP scalectl_availability_budget_window_seconds Length of the window in seconds.
        # TYPE scalectl_availability_budget_window_seconds gauge
        scalectl_availability_budget_window_seconds{window="day"} 86400
        scalectl_availability_budget_window_seconds{window="week"} 604800
        scalectl_availability_budget_window_seconds{window="30d"} 2592000
        scalectl_availability_budget_window_seconds{window="month"} 2629746
        scalectl_availability_budget_window_seconds{window="quarter"} 7889238
        scalectl_availability_budget_window_seconds{window="year"} 31556952
        # HELP scalectl_availability_budget_allowed_downtime_seconds Downtime the availability allows in the window, in seconds.
        # TYPE scalectl_availability_budget_allowed_downtime_seconds gauge
        scalectl_availability_budget_allowed_downtime_seconds{window="day"} 864
        scalectl_availability_budget_allowed_downtime_seconds{window="week"} 6048
        scalectl_availability_budget_allowed_downtime_seconds{window="30d"} 25920
        scalectl_availability_budget_allowed_downtime_seconds{window="month"} 26297.46
        scalectl_availability_budget_allowed_downtime_seconds{window="quarter"} 78892.38
        scalectl_availability_budget_allowed_downtime_seconds{window="year"} 315569.52
        # HELP scalectl_availability_budget_availability_ratio The availability target, or the availability achieved.
        # TYPE scalectl_availability_budget_availability_ratio gauge
        scalectl_availability_budget_availability_ratio 0.99
        # HELP scalectl_availability_budget_error_budget_ratio 1 - availability.
        # TYPE scalectl_availability_budget_error_budget_ratio gauge
        scalectl_availability_budget_error_budget_ratio 0.01
        # HELP scalectl_availability_budget_nines -log10 of the error budget.
        # TYPE scalectl_availability_budget_nines gauge
        scalectl_availability_budget_nines 2

        """, err: "scalectl: note: year = 365.2425 days, month = year/12, quarter = year/4 (as uptime.is)\n")
    }

    /// 4h of 31556952 s: U = 14400/31556952 = 0.045632%; a month allows 4h/12 = 20m.
    @Test func budgetReverse() {
        expectGolden(["availability", "budget", "--downtime", "4h", "--window", "1y"], status: .ok, out: """
        WINDOW            LENGTH  ALLOWED DOWNTIME
        day                   1d               39s
        week                  7d            4m 36s
        month     30d 10h 29m 6s               20m
        quarter   91d 7h 27m 18s                1h
        year     365d 5h 49m 12s                4h

        DOWNTIME:     4h
        IN WINDOW:    365d 5h 49m 12s
        AVAILABILITY: 99.954368%
        ERROR BUDGET: 0.045632%
        NINES:        3.34
        note: year = 365.2425 days, month = year/12, quarter = year/4 (as uptime.is)

        """)
    }

    /// The SRE Workbook's table 5-8: 14.4, 6, 1; 1.44%, 0.6%, 0.1%.
    @Test func burnTable() {
        expectGolden(["availability", "burn", "--slo", "99.9%", "--window", "30d"], status: .ok, out: """
        SEVERITY  LONG WINDOW  SHORT WINDOW  BURN RATE  BUDGET SPENT  ERROR RATE ABOVE  BUDGET LASTS
        page      1h           5m                 14.4            2%             1.44%         2d 2h
        page      6h           30m                 6.0            5%             0.60%            5d
        ticket    3d           6h                  1.0           10%             0.10%           30d

        SLO:          99.9%
        WINDOW:       30d
        ERROR BUDGET: 43m 12s

        """)
    }

    @Test func burnJSON() {
        expectGolden(["availability", "burn", "--slo", "99.9%", "-o", "json"], status: .ok, out: """
        {
          "schema_version": 1,
          "command": "availability burn",
          "results": [
            {"severity": "page", "long_window": "1h", "short_window": "5m", "burn_rate": 14.4, "budget_spent_ratio": 0.02, "error_rate_threshold_ratio": 0.0144, "budget_lasts_seconds": 180000},
            {"severity": "page", "long_window": "6h", "short_window": "30m", "burn_rate": 6, "budget_spent_ratio": 0.05, "error_rate_threshold_ratio": 0.006, "budget_lasts_seconds": 432000},
            {"severity": "ticket", "long_window": "3d", "short_window": "6h", "burn_rate": 1, "budget_spent_ratio": 0.1, "error_rate_threshold_ratio": 0.001, "budget_lasts_seconds": 2592000}
          ],
          "summary": {"slo_ratio": 0.999, "window_seconds": 2592000, "error_budget_seconds": 2592},
          "notes": []
        }

        """)
    }

    @Test func burnNDJSON() {
        expectGolden(["availability", "burn", "--slo", "99.9%", "-o", "ndjson"], status: .ok, out: """
        {"type": "result", "severity": "page", "long_window": "1h", "short_window": "5m", "burn_rate": 14.4, "budget_spent_ratio": 0.02, "error_rate_threshold_ratio": 0.0144, "budget_lasts_seconds": 180000}
        {"type": "result", "severity": "page", "long_window": "6h", "short_window": "30m", "burn_rate": 6, "budget_spent_ratio": 0.05, "error_rate_threshold_ratio": 0.006, "budget_lasts_seconds": 432000}
        {"type": "result", "severity": "ticket", "long_window": "3d", "short_window": "6h", "burn_rate": 1, "budget_spent_ratio": 0.1, "error_rate_threshold_ratio": 0.001, "budget_lasts_seconds": 2592000}
        {"type": "summary", "schema_version": 1, "command": "availability burn", "slo_ratio": 0.999, "window_seconds": 2592000, "error_budget_seconds": 2592}

        """)
    }

    @Test func burnCSV() {
        expectGolden(["availability", "burn", "--slo", "99.9%", "-o", "csv"], status: .ok, out: """
        severity,long_window,short_window,burn_rate,budget_spent_ratio,error_rate_threshold_ratio,budget_lasts_seconds\r
        page,1h,5m,14.4,0.02,0.0144,180000\r
        page,6h,30m,6,0.05,0.006,432000\r
        ticket,3d,6h,1,0.1,0.001,2592000\r

        """)
    }

    @Test func burnPrometheus() {
        expectGolden(["availability", "burn", "--slo", "99.9%", "-o", "prometheus"], status: .ok, out: """
        # HELP scalectl_availability_burn_burn_rate How many times faster than the SLO allows the budget is spent.
        # TYPE scalectl_availability_burn_burn_rate gauge
        scalectl_availability_burn_burn_rate{severity="page",long_window="1h",short_window="5m"} 14.4
        scalectl_availability_burn_burn_rate{severity="page",long_window="6h",short_window="30m"} 6
        scalectl_availability_burn_burn_rate{severity="ticket",long_window="3d",short_window="6h"} 1
        # HELP scalectl_availability_burn_budget_spent_ratio Share of the window's error budget spent when the alert fires.
        # TYPE scalectl_availability_burn_budget_spent_ratio gauge
        scalectl_availability_burn_budget_spent_ratio{severity="page",long_window="1h",short_window="5m"} 0.02
        scalectl_availability_burn_budget_spent_ratio{severity="page",long_window="6h",short_window="30m"} 0.05
        scalectl_availability_burn_budget_spent_ratio{severity="ticket",long_window="3d",short_window="6h"} 0.1
        # HELP scalectl_availability_burn_error_rate_threshold_ratio The error ratio above which the alert fires.
        # TYPE scalectl_availability_burn_error_rate_threshold_ratio gauge
        scalectl_availability_burn_error_rate_threshold_ratio{severity="page",long_window="1h",short_window="5m"} 0.0144
        scalectl_availability_burn_error_rate_threshold_ratio{severity="page",long_window="6h",short_window="30m"} 0.006
        scalectl_availability_burn_error_rate_threshold_ratio{severity="ticket",long_window="3d",short_window="6h"} 0.001
        # HELP scalectl_availability_burn_budget_lasts_seconds How long the whole error budget lasts at this burn rate.
        # TYPE scalectl_availability_burn_budget_lasts_seconds gauge
        scalectl_availability_burn_budget_lasts_seconds{severity="page",long_window="1h",short_window="5m"} 180000
        scalectl_availability_burn_budget_lasts_seconds{severity="page",long_window="6h",short_window="30m"} 432000
        scalectl_availability_burn_budget_lasts_seconds{severity="ticket",long_window="3d",short_window="6h"} 2592000
        # HELP scalectl_availability_burn_slo_ratio The availability target.
        # TYPE scalectl_availability_burn_slo_ratio gauge
        scalectl_availability_burn_slo_ratio 0.999
        # HELP scalectl_availability_burn_window_seconds The SLO window in seconds.
        # TYPE scalectl_availability_burn_window_seconds gauge
        scalectl_availability_burn_window_seconds 2592000
        # HELP scalectl_availability_burn_error_budget_seconds The error budget as seconds of full outage in the window.
        # TYPE scalectl_availability_burn_error_budget_seconds gauge
        scalectl_availability_burn_error_budget_seconds 2592

        """)
    }

    /// 0.5% is above the ticket's 0.1% but below the pages' 0.6% and 1.44%: WARNING, exit 1.
    @Test func burnTicket() {
        expectGolden(["availability", "burn", "--slo", "99.9%", "--error-rate", "0.5%"], status: .warning, out: """
        SEVERITY  LONG WINDOW  SHORT WINDOW  BURN RATE  BUDGET SPENT  ERROR RATE ABOVE  BUDGET LASTS  FIRING
        page      1h           5m                 14.4            2%             1.44%         2d 2h  no
        page      6h           30m                 6.0            5%             0.60%            5d  no
        ticket    3d           6h                  1.0           10%             0.10%           30d  yes

        SLO:          99.9%
        WINDOW:       30d
        ERROR BUDGET: 43m 12s
        ERROR RATE:   0.50%
        BURN RATE:    5.00
        BUDGET LASTS: 6d
        STATUS:       WARNING

        """)
    }

    /// 150/10000 = 1.5% is above 1.44%: CRITICAL, exit 2.
    @Test func burnPage() {
        expectGolden(["availability", "burn", "--slo", "99.9%", "--errors", "150", "--total", "10000", "-o", "csv"], status: .critical, out: """
        severity,long_window,short_window,burn_rate,budget_spent_ratio,error_rate_threshold_ratio,budget_lasts_seconds,firing\r
        page,1h,5m,14.4,0.02,0.0144,180000,true\r
        page,6h,30m,6,0.05,0.006,432000,true\r
        ticket,3d,6h,1,0.1,0.001,2592000,true\r

        """)
    }

    @Test func burnRules() {
        expectGolden(["availability", "burn", "--slo", "99.9%", "--metric", "http_requests_total{job=\"api\"}"], status: .ok, out: """
        # Prometheus alerting rules generated by scalectl availability burn.
        # Multiwindow, multi-burn-rate alerts (Google SRE Workbook, chapter 5) for an SLO of 99.9%
        # over 30d: each fires when the error ratio is above its threshold over both the
        # long and the short window.
        groups:
          - name: "scalectl-error-budget-ErrorBudgetBurn"
            rules:
              - alert: ErrorBudgetBurn
                expr: |
                  (
                    sum(rate(http_requests_total{job="api",code=~"5.."}[1h]))
                      /
                    sum(rate(http_requests_total{job="api"}[1h]))
                  ) > (14.4 * 0.001)
                  and
                  (
                    sum(rate(http_requests_total{job="api",code=~"5.."}[5m]))
                      /
                    sum(rate(http_requests_total{job="api"}[5m]))
                  ) > (14.4 * 0.001)
                labels:
                  severity: "page"
                  long_window: "1h"
                  short_window: "5m"
                annotations:
                  summary: "Error budget burning at 14.4x over 1h and 5m (2% of the 30d budget)"
                  description: "The error ratio is above 1.44% (SLO 99.9%); at that rate the error budget lasts 2d 2h."
              - alert: ErrorBudgetBurn
                expr: |
                  (
                    sum(rate(http_requests_total{job="api",code=~"5.."}[6h]))
                      /
                    sum(rate(http_requests_total{job="api"}[6h]))
                  ) > (6 * 0.001)
                  and
                  (
                    sum(rate(http_requests_total{job="api",code=~"5.."}[30m]))
                      /
                    sum(rate(http_requests_total{job="api"}[30m]))
                  ) > (6 * 0.001)
                labels:
                  severity: "page"
                  long_window: "6h"
                  short_window: "30m"
                annotations:
                  summary: "Error budget burning at 6x over 6h and 30m (5% of the 30d budget)"
                  description: "The error ratio is above 0.6% (SLO 99.9%); at that rate the error budget lasts 5d."
              - alert: ErrorBudgetBurn
                expr: |
                  (
                    sum(rate(http_requests_total{job="api",code=~"5.."}[3d]))
                      /
                    sum(rate(http_requests_total{job="api"}[3d]))
                  ) > (1 * 0.001)
                  and
                  (
                    sum(rate(http_requests_total{job="api",code=~"5.."}[6h]))
                      /
                    sum(rate(http_requests_total{job="api"}[6h]))
                  ) > (1 * 0.001)
                labels:
                  severity: "ticket"
                  long_window: "3d"
                  short_window: "6h"
                annotations:
                  summary: "Error budget burning at 1x over 3d and 6h (10% of the 30d budget)"
                  description: "The error ratio is above 0.1% (SLO 99.9%); at that rate the error budget lasts 30d."

        """)
    }

    /// Hand check of composeCaveats: web is 3 of 4 at U = 1/721 with q = 0.1/721 and a
    /// detection loss of 10 s / 721 h; db | replica uses q = 0.00005 and f = 0.0005/30 min.
    /// Worked with exact fractions: U_web = 0.000151883, U_db = 0.0000529801, and
    /// A = 0.9999 × (1 − U_web) × (1 − U_db) = 0.999695165 (99.969517%).

    // MARK: - errors

    @Test(arguments: [
        (["availability", "compose", "99.9% *"],
         "scalectl: error: expression column 8: expected a component after '*'; a component is a ratio (99.95%), name=ratio (db=99.95%) or mtbf=…,mttr=… (mtbf=720h,mttr=30m); join parts with * (all needed) or | (any one suffices)\n"),
        (["availability", "compose", ""],
         "scalectl: error: expression column 1: empty expression; write a topology such as 'lb=99.99% * (a=99.9% | b=99.9%)'\n"),
        (["availability", "compose", "kofn(0, a)"],
         "scalectl: error: expression column 6: k must be at least 1 in kofn(0, …); 0 parts needed would always be up\n"),
        (["availability", "compose", "(99% | (98%)"],
         "scalectl: error: expression column 13: expected ')' to close the '(' at column 1, found the end of the expression\n"),
        (["availability", "compose", "99% & 98%"],
         "scalectl: error: expression column 5: expected '*' or '|' between parts, found '&'; write * for parts that are all needed, | for parts of which any one suffices\n"),
        (["availability", "compose", "a=99.9% * b=-1%"],
         "scalectl: error: expression column 13: expected a component after 'b=', found '-'; a component is a ratio (99.95%), name=ratio (db=99.95%) or mtbf=…,mttr=… (mtbf=720h,mttr=30m); join parts with * (all needed) or | (any one suffices)\n"),
        (["availability", "compose", "db=mtbf=720h,mttr=-5m"],
         "scalectl: error: expression column 19: MTTR cannot be negative ('-5m'); write a duration such as 30m\n"),
        (["availability", "compose", "3of2(99%)"],
         "scalectl: error: expression column 1: 3of2(…) needs 3 of only 2 copies; k must be at most n\n"),
        (["availability", "compose", "1e308%"],
         "scalectl: error: expression column 2: expected '*' or '|' between parts, found 'e'; write * for parts that are all needed, | for parts of which any one suffices\n"),
        (["availability", "compose", "99999999999999999999999999%"],
         "scalectl: error: expression column 1: '99999999999999999999999999%' is outside 0–100%; write a percentage such as 99.95% or a fraction such as 0.9995\n"),
        (["availability", "compose", "2x 99.9%", "--detection-delay", "10s"],
         "scalectl: error: --detection-delay: needs the failure rate of '99.9%', which is given only as a ratio; write it as mtbf=…,mttr=… (e.g. mtbf=720h,mttr=30m), or give --mttr to assume a repair time\n"),
        (["availability", "compose", "2x 99%", "--needs", "3"],
         "scalectl: error: --needs: the pool of 2 × 99% cannot keep 3 members up; give the pool at least 3 copies, or lower --needs\n"),
        (["availability", "compose", "2x 99%", "--common-cause", "1.5"],
         "scalectl: error: --common-cause: '1.5' is outside 0–100%; write a percentage such as 99.9% or a fraction such as 0.999 (a fraction is at most 1; for percent add %)\n"),
        (["availability", "compose", String(repeating: "2x ", count: 64) + "99%", "--simulate", "10"],
         "scalectl: error: --simulate: 10 trials of 9223372036854775807 component instances is too much to simulate; keep trials x instances under 2e9: fewer trials or a smaller topology\n"),
        (["availability", "budget", "99.9% "],
         "scalectl: error: SLO: '99.9% ' is not a ratio; write a percentage such as 99.95% or a fraction such as 0.9995\n"),
        (["availability", "budget", "--downtime", "2d", "--window", "day"],
         "scalectl: error: --downtime: 2d of downtime is more than the day window (1d); give a longer --window or a shorter --downtime\n"),
        (["availability", "burn"], "scalectl: error: missing --slo; write e.g. --slo 99.9%\n"),
        (["availability", "burn", "--slo", "99.9%", "--errors", "5", "--total", "2"],
         "scalectl: error: --errors: 5 errors is more than the 2 requests; --errors counts failed requests among --total\n"),
        (["availability", "burn", "--slo", "99.9%", "--metric", "rate(x[5m])"],
         "scalectl: error: --metric: 'rate(x[5m])' is not a series selector; write a metric name with optional label matchers, such as http_requests_total{job=\"api\"}\n"),
        (["availability", "burn", "--slo", "99.9%", "--metric", "x", "-o", "json"],
         "scalectl: error: --format: --metric prints YAML rules; -o/--format does not apply; drop --format, or drop --metric for the table\n"),
    ])
    func usageErrorsExit64NamingWhereAndWhat(arguments: [String], message: String) {
        expectGolden(arguments, status: .usage, out: "", err: message)
    }

    @Test func deeplyNestedParenthesesAreRefusedWithAClearError() {
        let expression = String(repeating: "(", count: 1000) + "99%" + String(repeating: ")", count: 1000)
        expectGolden(["availability", "compose", expression], status: .usage, out: "",
                     err: "scalectl: error: expression column 65: nesting deeper than 64 levels; flatten the expression; a * (b * c) is the same as a * b * c\n")
    }

    // MARK: - burn exit statuses

    @Test(arguments: [("0.05%", ExitCode.ok), ("0.1%", .ok), ("0.11%", .warning), ("0.6%", .warning), ("0.61%", .critical), ("100%", .critical)])
    func burnExitStatusSaysWhichAlertWouldFire(rate: String, status: ExitCode) {
        let result = run(["availability", "burn", "--slo", "99.9%", "--error-rate", rate, "-o", "json"])
        #expect(result.status == status, "\(rate)")
        #expect(result.err == "")
        #expect(result.out.contains("\"status\": \"\(status.description)\""))
    }

    // MARK: - --file

    static let topologyJSON = """
        {"series": [
          {"name": "lb", "availability": "99.99%"},
          {"quorum": 2, "copies": 3, "of": {"name": "app", "availability": "99.5%"}},
          {"parallel": ["db=99.95%", {"name": "replica", "mtbf": "1999h", "mttr": "1h"}]}
        ]}
        """

    @Test func fileGivesTheSameAnswerAsTheExpression() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-topology")
        defer { dir.remove() }
        let path = dir.path + "/topology.json"
        try dir.write("topology.json", Array(Self.topologyJSON.utf8))
        let fromFile = run(["availability", "compose", "--file", path, "-o", "json"])
        // replica: 1999h / 2000h = 99.95%, so the figures equal the issue's expression.
        let fromExpression = run(["availability", "compose", "lb=99.99% * 2of3(app=99.5%) * (db=99.95% | replica=mtbf=1999h,mttr=1h)", "-o", "json"])
        #expect(fromFile.status == .ok && fromFile.err == "")
        #expect(fromFile.out == fromExpression.out)
        #expect(fromFile.out.contains("\"unavailability_ratio\": 0.00017499248131436"))
    }

    @Test func fileFromStandardInput() {
        let console = CapturingConsole(standardInput: Array(Self.topologyJSON.utf8))
        let status = ScaleCLI.run(arguments: ["availability", "compose", "-f", "-", "-o", "csv"], console: console)
        #expect(status == .ok)
        #expect(console.output.hasPrefix("component,copies,"))
        // CSV has no place for notes: they go to stderr, not away.
        #expect(console.errors.hasPrefix("scalectl: note: weakest link: "))
    }

    @Test func badFilesExit3NamingTheFileAndPath() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-topology")
        defer { dir.remove() }
        let path = dir.path + "/bad.json"
        try dir.write("bad.json", Array("{\"series\": [\"99%\", {\"quorum\": 3, \"of\": [\"a=1%\"]}]}".utf8))
        expectGolden(["availability", "compose", "--file", path], status: .unknown, out: "",
                     err: "scalectl: error: \(path) $.series[1].quorum: quorum 3 is more than the 1 parts; quorum must be at most the number of parts\n")
        expectGolden(["availability", "compose", "--file", dir.path + "/missing.json"], status: .unknown, out: "",
                     err: "scalectl: error: --file: cannot open \(dir.path)/missing.json: No such file or directory; check the path\n")
        try dir.write("bad.json", [0x7B, 0x0A, 0xFF, 0x00])
        expectGolden(["availability", "compose", "--file", path], status: .unknown, out: "",
                     err: "scalectl: error: \(path):2:1: expected a quoted key in an object\n")
    }

    @Test func rulesParseWithPythonYAML() {
        let rules = run(["availability", "burn", "--slo", "99.95%", "--window", "28d", "--metric", "http_requests_total{job=\"api\"}",
                         "--alert-name", "ApiErrorBudgetBurn"])
        #expect(rules.status == .ok)
        let script = "import sys, yaml; d = yaml.safe_load(sys.stdin); print([r['alert'] + ':' + r['labels']['severity'] for r in d['groups'][0]['rules']])"
        let parsed = Subprocess.run(["python3", "-c", script], input: rules.out)
        #expect(parsed.output == "['ApiErrorBudgetBurn:page', 'ApiErrorBudgetBurn:page', 'ApiErrorBudgetBurn:ticket']\n", "\(parsed.errors)")
    }

    /// Kubernetes readiness defaults with the period set to 5 s: refused 12.5 s mean (2.5 × 5),
    /// 15 s worst; hang 5/2 + 2 × 5 + 1 = 13.5 s mean, 16 s worst (HealthCheckTimingTests).
    /// 3 × api (MTBF 720h, MTTR 10m): the JSON carries the derivation exactly, and the model takes
    /// the refused mean, 12.5 s, and successThreshold 1's recovery delay, 5/2 = 2.5 s.
    @Test func composeDerivesTheDetectionDelayFromHealthChecks() {
        let result = run(["availability", "compose", "3x api=mtbf=720h,mttr=10m", "--checker", "kubernetes", "--interval", "5s",
                          "--failure-kind", "refused", "-o", "json"])
        #expect(result.status == .ok)
        #expect(result.out.contains(#""checker": "kubernetes", "check_interval_seconds": 5, "fall": 3, "rise": 1, "check_timeout_seconds": 1, "detection_refused_mean_seconds": 12.5, "detection_refused_worst_seconds": 15, "detection_hang_mean_seconds": 13.5, "detection_hang_worst_seconds": 16, "failure_kind": "refused", "detection_delay_seconds": 12.5, "recovery_worst_seconds": 5, "recovery_delay_seconds": 2.5"#), "\(result.out)")
        // A cycle is 720h + 10m = 2592600 s, f = 1/2592600 per second. Each member is out for its
        // 600 s repair plus 2.5 s: U' = 602.5/2592600; the pool of 3 is down U'³; the first 12.5 s
        // of a failure cost the member's third of the requests, 3 × (12.5/2592600)/3, so
        // A = (1 − U'³)(1 − 12.5/2592600). Python with fractions: 1 − A = 4.821427346500545e-06.
        #expect(result.out.contains(#""unavailability_ratio": 4.82142734650054"#), "\(result.out)")
        // Typing the detection delay leaves out the recovery delay: U = (600/2592600)³ + …, less.
        let typed = run(["availability", "compose", "3x api=mtbf=720h,mttr=10m", "--detection-delay", "12.5s", "-o", "csv"])
        let derived = run(["availability", "compose", "3x api=mtbf=720h,mttr=10m", "--checker", "kubernetes", "--interval", "5s",
                           "--failure-kind", "refused", "-o", "csv"])
        #expect(typed.out != derived.out)
        // --rise overrides the checker's default: 3 passing probes every 5 s are 12.5 s mean, 15 s worst.
        let rise = run(["availability", "compose", "3x api=mtbf=720h,mttr=10m", "--checker", "kubernetes", "--interval", "5s",
                        "--rise", "3", "-o", "json"])
        #expect(rise.out.contains(#""rise": 3"#) && rise.out.contains(#""recovery_worst_seconds": 15, "recovery_delay_seconds": 12.5"#), "\(rise.out)")
        // HAProxy: --interval alone also sets the check timeout (inter bounds the check).
        let haproxy = run(["availability", "compose", "3x api=mtbf=720h,mttr=10m", "--interval", "1s", "--fall", "2", "-o", "json"])
        #expect(haproxy.out.contains(#""checker": "haproxy", "check_interval_seconds": 1, "fall": 2, "rise": 2, "check_timeout_seconds": 1, "detection_refused_mean_seconds": 1.5, "detection_refused_worst_seconds": 2, "detection_hang_mean_seconds": 3.5, "detection_hang_worst_seconds": 4"#), "\(haproxy.out)")
    }

    @Test(arguments: [
        (["--detection-delay", "10s", "--checker", "haproxy"],
         "scalectl: error: --detection-delay: give either --detection-delay or health-check settings to derive it from, not both; drop --detection-delay, or drop --checker\n"),
        (["--failure-kind", "refused"],
         "scalectl: error: --failure-kind: is used only with health-check settings; add --checker haproxy|kubernetes or --interval/--fall/--rise/--timeout\n"),
        (["--fall", "0"], "scalectl: error: --fall: '0' is not a whole number from 1 to 1000\n"),
        (["--rise", "0"], "scalectl: error: --rise: '0' is not a whole number from 1 to 1000\n"),
        (["--interval", "0s"], "scalectl: error: --interval: the check interval must be longer than 0; write e.g. 2s\n"),
        (["--checker", "envoy"], nil),
        (["--fall", "2", "--timeout", "1s"],
         nil),
        (["--load", "0%"], "scalectl: error: --load: the load must be more than 0% and at most 100% of a pool's capacity; write the share of the pool's total capacity in use, e.g. 70%\n"),
        (["--load", "150%"], "scalectl: error: --load: '150%' is outside 0–100%; write a percentage such as 99.9% or a fraction such as 0.999\n"),
        (["--load", "70%", "--needs", "2"], "scalectl: error: --load: give either a load or the members needed, not both; --load grades a pool by the capacity left; --needs counts it down below N members\n"),
    ] as [([String], String?)])
    func badHealthCheckAndLoadFlagsAreUsageErrors(_ flags: [String], message: String?) {
        let topology = flags.first == "--fall" && message == nil ? "3x api=99.9%" : "3x api=mtbf=720h,mttr=10m"
        let result = run(["availability", "compose", topology] + flags)
        #expect(result.status == .usage)
        #expect(result.out == "")
        if let message {
            #expect(result.err == message)
        } else if flags.first == "--fall" {
            // A ratio-only member cannot give a failure rate: the error names the flag given.
            #expect(result.err.hasPrefix("scalectl: error: --fall: needs the failure rate of 'api'"), "\(result.err)")
        } else {
            #expect(result.err.contains("--checker"))
        }
    }

    /// uptime.is conventions for 99.999%: 0.864 s a day, 26.29746 s a month, 315.56952 s a year:
    /// csv keeps every digit. (The table's rounding is the help example "Five nines", which
    /// exampleRunsAsDocumented checks.)
    @Test func fiveNinesBudgetRounding() {
        expectGolden(["availability", "budget", "99.999%", "-o", "csv"], status: .ok, out: """
        window,window_seconds,allowed_downtime_seconds\r
        day,86400,0.864\r
        week,604800,6.048\r
        30d,2592000,25.92\r
        month,2629746,26.29746\r
        quarter,7889238,78.89238\r
        year,31556952,315.56952\r

        """, err: "scalectl: note: year = 365.2425 days, month = year/12, quarter = year/4 (as uptime.is)\n")
    }

    /// The served fraction under --load in every format: 11887/7000000 lost (LoadSheddingTests).
    @Test func composeLoadJSON() {
        let result = run(["availability", "compose", "2of3(app=99%)", "--load", "70%", "-o", "json"])
        #expect(result.status == .ok)
        #expect(result.out.contains(#""unavailability_ratio": 0.00169814285714285"#), "\(result.out)")
        #expect(result.out.contains("load 70%: a pool of n with j members up serves min(1, j/(n x 70%)) of the requests; below its quorum, none"))
    }
}
