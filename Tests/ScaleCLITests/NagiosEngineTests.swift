import Glibc
import ScaleCLI
import Testing
import TestSupport

/// `-o nagios` under a real monitoring engine: Debian's Nagios 4 core with a minimal
/// configuration in a temporary directory runs the built binary as a service check against
/// loopback nginx and a refused port, and its status file must hold the state, the first line,
/// the long output and the perfdata exactly as scalectl printed them.
@Suite("scalectl -o nagios under Nagios 4", .requires("/usr/sbin/nagios4", package: "nagios4-core"),
       .requires(NginxFixture.executable, package: "nginx-light"))
struct NagiosEngineTests {
    static func config(_ dir: String) -> String {
        """
        log_file=\(dir)/nagios.log
        cfg_file=\(dir)/objects.cfg
        status_file=\(dir)/status.dat
        status_update_interval=1
        object_cache_file=\(dir)/objects.cache
        precached_object_file=\(dir)/objects.precache
        temp_file=\(dir)/nagios.tmp
        temp_path=\(dir)
        lock_file=\(dir)/nagios.lock
        check_result_path=\(dir)/checkresults
        check_result_reaper_frequency=1
        state_retention_file=\(dir)/retention.dat
        retain_state_information=0
        check_external_commands=0
        nagios_user=\(String(cString: getpwuid(getuid()).pointee.pw_name))
        nagios_group=\(String(cString: getgrgid(getgid()).pointee.gr_name))
        service_inter_check_delay_method=n
        enable_notifications=0
        execute_host_checks=0
        enable_event_handlers=0
        enable_flap_detection=0
        service_check_timeout=20

        """
    }

    static func objects(_ checkCommand: String) -> String {
        let days = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"].map { "  \($0) 00:00-24:00" }
        return """
        define timeperiod {
          timeperiod_name always
          alias always
        \(days.joined(separator: "\n"))
        }
        define command {
          command_name noop
          command_line /bin/true
        }
        define command {
          command_name scalectl_probe
          command_line \(checkCommand)
        }
        define contact {
          contact_name nobody
          host_notifications_enabled 0
          service_notifications_enabled 0
          host_notification_period always
          service_notification_period always
          host_notification_options n
          service_notification_options n
          host_notification_commands noop
          service_notification_commands noop
        }
        define host {
          host_name loopback
          address 127.0.0.1
          check_command noop
          max_check_attempts 1
          check_period always
          contacts nobody
          notification_period always
        }
        define service {
          host_name loopback
          service_description scalectl probe
          check_command scalectl_probe
          max_check_attempts 1
          check_interval 1
          retry_interval 1
          check_period always
          contacts nobody
          notification_period always
        }

        """
    }

    /// The `servicestatus { … }` block of the status file as key=value pairs, once checked.
    static func serviceStatus(_ path: String) -> [String: String]? {
        guard let text = readTextFile(path) else { return nil }
        let lines = text.split(separator: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("servicestatus {") }) else { return nil }
        var fields: [String: String] = [:]
        for line in lines[lines.index(after: start)...] {
            let trimmed = line.drop { $0 == "\t" || $0 == " " }
            if trimmed.hasPrefix("}") { break }
            guard let eq = trimmed.firstIndex(of: "=") else { continue }
            fields[String(trimmed[..<eq])] = String(trimmed[trimmed.index(after: eq)...])
        }
        return fields["has_been_checked"] == "1" ? fields : nil
    }

    @Test("Nagios 4 runs scalectl probe -o nagios: CRITICAL, first line, long output and perfdata as printed",
          .enabled(if: BinaryTests.binary != nil || ServerRequirement.isCI, "build the binary first (swift build)"))
    func nagiosRunsTheCheck() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let nginx = try NginxFixture(files: ["health": Array("ok\n".utf8)])
        defer { nginx.stop() }
        let refused = try RefusedPort()
        let dir = try TemporaryDirectory(prefix: "scalectl-nagios")
        defer { dir.remove() }
        _ = mkdir("\(dir.path)/checkresults", 0o700)
        let arguments = [bin, "probe", "\(nginx.baseURL)/health", "tcp://127.0.0.1:\(refused.port)", "--warning", "1s", "--critical", "2s",
                         "--timeout", "5s", "-o", "nagios"]
        try dir.write("nagios.cfg", Array(Self.config(dir.path).utf8))
        try dir.write("objects.cfg", Array(Self.objects(arguments.joined(separator: " ")).utf8))
        let verify = Subprocess.run(["/usr/sbin/nagios4", "-v", "\(dir.path)/nagios.cfg"])
        #expect(verify.status == 0, "\(verify.output)")

        let nagios = Subprocess.start(["/usr/sbin/nagios4", "\(dir.path)/nagios.cfg"])
        var status: [String: String]?
        for _ in 0..<60 where status == nil {
            usleep(250_000)
            status = Self.serviceStatus("\(dir.path)/status.dat")
        }
        nagios.send(SIGTERM)
        _ = nagios.wait(timeout: 10)
        let checked = try #require(status, "Nagios did not check the service within 15 s; log: \(readTextFile("\(dir.path)/nagios.log") ?? "")")

        // The same run by hand, to compare with what Nagios stored.
        let direct = Subprocess.run(arguments)
        #expect(direct.status == 2)
        let parsed = try PluginOutput.parse(direct.output)
        #expect(checked["current_state"] == "2")
        #expect(checked["plugin_output"] == "SCALECTL PROBE CRITICAL - " + parsed.headline)
        #expect(checked["plugin_output"] == "SCALECTL PROBE CRITICAL - 1 of 2 down: tcp://127.0.0.1:\(refused.port) refused")
        // Nagios keeps the long output, its line ends written as \n.
        #expect(checked["long_plugin_output"]?.contains("\\nTARGETS:") == true)
        #expect(checked["long_plugin_output"]?.hasPrefix("TARGET ") == true)
        let stored = try PluginOutput.perfdata(try #require(checked["performance_data"]))
        #expect(stored.map(\.label) == parsed.perfdata.map(\.label))
        let health = try #require(stored.first { $0.label == "\(nginx.baseURL)/health total_seconds" })
        #expect(health.unit == "s" && health.warning == "1" && health.critical == "2" && health.min == "0")
        #expect(stored.first { $0.label == "up" }?.value == "1")
        #expect(stored.first { $0.label == "down" }?.value == "1")
    }
}
