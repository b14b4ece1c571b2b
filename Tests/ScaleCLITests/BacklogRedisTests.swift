import Glibc
import Testing
import QueueBacklog
import ScaleCore
@testable import QueueSources
@testable import ScaleCLI
import TestSupport

/// A clock whose sleep runs the test's producers and consumers, then lets a little real time
/// pass (Redis's TIME dates the samples, so the window is real).
final class FeedingClock: BacklogClock {
    let feed: () -> Void
    init(feed: @escaping () -> Void) { self.feed = feed }
    func now() -> Double { Double(time(nil)) }
    func sleep(_ seconds: Double) {
        feed()
        usleep(300_000)
    }
}

func runBacklog(_ arguments: [String], environment: [String: String] = [:], clock: any BacklogClock)
    -> (out: String, err: String, status: ExitCode) {
    let console = CapturingConsole(environment: environment)
    let context = CommandContext(console: console, renderOptions: RenderOptions(), errorColor: false, services: .live)
    do {
        let invocation = try ArgumentParser(root: CommandTable.root).parse(arguments)
        let status = try BacklogCommand.runSources(invocation, context, clock: clock)
        return (console.output, console.errors, status)
    } catch {
        return (console.output, console.errors + "scalectl: error: \(error)\n", error.exitCode)
    }
}

/// Backlog sources against a real Debian redis-server, fed with redis-cli.
@Suite(.serialized) struct BacklogRedisTests {
    static func epoch() -> Int { Int(time(nil)) }

    /// Sidekiq pushes JSON jobs with a float `enqueued_at` onto the left of `queue:NAME`; the
    /// oldest is at the right. Jobs enqueued 300, 200 and 100 s ago: oldest 300 s, over 4m.
    @Test(.requires(RedisServerFixture.executable, package: "redis-server"))
    func sidekiqQueueDepthAndOldestJob() throws {
        let redis = try RedisServerFixture()
        defer { redis.stop() }
        let now = Self.epoch()
        for ago in [300, 200, 100] {
            redis.cli(["LPUSH", "queue:default", "{\"class\":\"HardWorker\",\"args\":[1],\"jid\":\"b4a577edbccf1d805744efa9\",\"enqueued_at\":\(now - ago).25}"])
        }
        let result = run(["backlog", "redis+unix://\(redis.socketPath)/default", "--layout", "sidekiq", "-o", "csv", "--critical", "age=4m"])
        let row = result.out.split(separator: "\r\n")[1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(row[0] == "default" && row[2] == "OK" && row[3] == "CRITICAL" && row[4] == "3")
        let age = try #require(Double(String(row[11])))
        #expect(abs(age - 299.75) < 3, "oldest job's age \(age)")
        #expect(row[12] == "false")
        #expect(result.status == .critical)
    }

    /// Sidekiq's dead set is a sorted set scored by the time each job died: 3 jobs, the first
    /// dead 600 s ago. As a --dlq beside its queue, with the set growing between the two reads.
    @Test(.requires(RedisServerFixture.executable, package: "redis-server"))
    func sidekiqDeadSetAsADeadLetterQueue() throws {
        let redis = try RedisServerFixture()
        defer { redis.stop() }
        let now = Self.epoch()
        redis.cli(["LPUSH", "queue:default", "{\"enqueued_at\":\(now)}"])
        redis.cli(["ZADD", "dead", String(now - 600), "{\"jid\":\"a\"}", String(now - 300), "{\"jid\":\"b\"}"])
        let clock = FeedingClock { redis.cli(["ZADD", "dead", String(now), "{\"jid\":\"c\"}"]) }
        let result = runBacklog(["backlog", "redis+unix://\(redis.socketPath)/default", "--layout", "sidekiq",
                                 "--dlq", "redis+unix://\(redis.socketPath)/dead", "-o", "csv"], clock: clock)
        let rows = result.out.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.map { "\($0[0]),\($0[1]),\($0[3]),\($0[4])" } == ["default,queue,OK,1", "dead,dlq,WARNING,3"])
        let age = try #require(Double(String(rows[1][11])))
        #expect(abs(age - 600) < 3, "oldest dead job's age \(age)")
        #expect(result.status == .warning)
    }

    /// Celery's Redis transport keeps a list named after the queue; its messages carry no enqueue time.
    @Test(.requires(RedisServerFixture.executable, package: "redis-server"))
    func celeryQueueOverTCP() throws {
        let redis = try RedisServerFixture()
        defer { redis.stop() }
        redis.cli(["LPUSH", "celery", "a", "b", "c", "d", "e"])
        let result = run(["backlog", "redis://127.0.0.1:\(redis.port)/0/celery", "--layout", "celery", "--warning", "depth=4", "-o", "json"])
        #expect(result.out.contains("{\"queue\": \"celery\", \"role\": \"queue\", \"status\": \"OK\", \"check\": \"WARNING\", \"depth\": 5, \"arrival_per_second\": null"))
        #expect(result.out.contains("\"oldest_age_seconds\": null"))
        #expect(result.status == .warning)
    }

    /// A stream fed faster than its group consumes: 10 entries added and 4 acknowledged between
    /// the two polls, so λ·Δt = 10, μ·Δt = 4 (Δt measured by Redis's TIME), GROWING, and
    /// depth = lag + pending = (30 − 12) + 3 = 21 with 3 read but not acknowledged — the 30
    /// added less the 9 acknowledged.
    @Test(.requires(RedisServerFixture.executable, package: "redis-server"))
    func streamGroupFedFasterThanConsumed() throws {
        let redis = try RedisServerFixture()
        defer { redis.stop() }
        redis.cli(["XGROUP", "CREATE", "events", "workers", "$", "MKSTREAM"])
        func add(_ n: Int) { for i in 0..<n { redis.cli(["XADD", "events", "*", "n", String(i)]) } }
        func consume(_ n: Int, ack: Bool) {
            let ids = redis.cli(["XREADGROUP", "GROUP", "workers", "w1", "COUNT", String(n), "STREAMS", "events", ">"]).output
                .split(separator: "\n").map(String.init).filter { $0.contains("-") && $0.first?.isNumber == true }
            if ack { redis.cli(["XACK", "events", "workers"] + ids) }
        }
        add(20); consume(5, ack: true)
        let clock = FeedingClock { add(10); consume(4, ack: true) }
        let options = BacklogSourceOptions()
        let source = try RedisQueueSource(try BacklogSourceURL.parse("redis+unix://\(redis.socketPath)/events", passwordVariable: "REDISCLI_AUTH"), options: options)
        let poller = BacklogPoller([.init(source: source, role: "queue")])
        poller.poll(now: clock.now())
        #expect(source.hasCounters)
        clock.sleep(1)
        consume(3, ack: false)
        poller.poll(now: clock.now())
        let results = poller.results(window: nil, checks: BacklogChecks())
        let a = try #require(results.first?.analysis)
        #expect(results.first?.queue == "events/workers")
        // Between the polls: 10 added; acked 4 (the 3 read later are pending, not deleted).
        #expect(abs(a.arrivalRate! * a.windowSeconds - 10) < 1e-6)
        #expect(abs(a.deletionRate! * a.windowSeconds - 4) < 1e-6)
        #expect(a.depth == 21)
        #expect(a.consumers == 1)
        #expect(a.status == .growing)
        #expect(a.drainSeconds == nil)
        #expect(a.oldestAgeSeconds! >= 0 && a.oldestAgeSeconds! < 5)
    }

    /// After XDEL past the group's position Redis reports lag as nil; the undelivered entries
    /// are then counted: 5 added, 2 delivered and acked, 1 of the other 3 deleted: 2 wait.
    @Test(.requires(RedisServerFixture.executable, package: "redis-server"))
    func nilLagAfterXDELIsCounted() throws {
        let redis = try RedisServerFixture()
        defer { redis.stop() }
        redis.cli(["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"])
        var ids: [String] = []
        for i in 1...5 { ids.append(redis.cli(["XADD", "s", "\(1_714_550_400_000 + i)-0", "n", String(i)]).output.trimmingSpaces.split(separator: "\n").first.map(String.init) ?? "") }
        redis.cli(["XREADGROUP", "GROUP", "g", "c", "COUNT", "2", "STREAMS", "s", ">"])
        redis.cli(["XACK", "s", "g", ids[0], ids[1]])
        redis.cli(["XDEL", "s", ids[3]])
        let groups = redis.cli(["XINFO", "GROUPS", "s"]).output
        let lines = groups.split(separator: "\n", omittingEmptySubsequences: false)
        let lagLine = try #require(lines.firstIndex(of: "lag"))
        #expect(lines[lagLine + 1] == "", "redis reports a nil lag: \(groups)")
        let result = run(["backlog", "redis+unix://\(redis.socketPath)/s", "-o", "csv", "--rate-interval", "0s"])
        let row = result.out.split(separator: "\r\n")[1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(row[0] == "s/g" && row[4] == "2")
        // The first undelivered entry is 1714550400003-0: its age is now − 1714550400.003 s.
        let age = try #require(Double(String(row[11])))
        #expect(abs(age - (Double(Self.epoch()) - 1_714_550_400.003)) < 3)
    }

    /// A stream whose group took entry 1 long ago and never acked it, with entries 2 and 3 not
    /// yet delivered: the oldest waiting entry (the backlog's head) and the oldest unacknowledged
    /// one are reported apart, named for what they are; age alerts judge the waiting one.
    @Test(.requires(RedisServerFixture.executable, package: "redis-server"))
    func streamAgesOfWaitingAndUnackedEntriesAreApart() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let redis = try RedisServerFixture()
        defer { redis.stop() }
        let now = Int64(Self.epoch()) * 1000
        redis.cli(["XGROUP", "CREATE", "jobs", "g", "0", "MKSTREAM"])
        redis.cli(["XADD", "jobs", "\(now - 600_000)-0", "n", "1"])
        redis.cli(["XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "jobs", ">"])
        redis.cli(["XADD", "jobs", "\(now - 60_000)-0", "n", "2"])
        redis.cli(["XADD", "jobs", "\(now - 30_000)-0", "n", "3"])
        let result = Subprocess.run([bin, "backlog", "redis+unix://\(redis.socketPath)/jobs", "-o", "json", "--rate-interval", "0s",
                                     "--critical", "age=5m"])
        // Entry 1 pending for 600 s; entry 2 the oldest undelivered, 60 s: under the 5m limit.
        #expect(result.status == 0, "\(result.output)\(result.errors)")
        let row = try #require(result.output.split(separator: "\n").first { $0.contains("\"queue\": \"jobs/g\"") })
        func field(_ name: String) -> Double? {
            guard let range = row.firstRange(of: "\"\(name)\": ") else { return nil }
            return Double(String(row[range.upperBound...].prefix { $0 != "," }))
        }
        #expect(field("depth") == 3)
        #expect(abs((field("oldest_age_seconds") ?? 0) - 60) < 3, "\(row)")
        #expect(abs((field("oldest_unacked_age_seconds") ?? 0) - 600) < 3, "\(row)")
    }

    /// Redis deletes a list when it empties: a missing key is an empty queue or a typo. With a
    /// list of a near name it is UNKNOWN, naming it; with none, depth 0 and a note saying so.
    @Test(.requires(RedisServerFixture.executable, package: "redis-server"))
    func aMissingKeyIsExplained() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let redis = try RedisServerFixture()
        defer { redis.stop() }
        redis.cli(["RPUSH", "orders", "a", "b"])
        redis.cli(["SET", "ordrs-config", "x"])
        let typo = Subprocess.run([bin, "backlog", "redis+unix://\(redis.socketPath)/ordrs"])
        #expect(typo.status == 3, "\(typo.output)\(typo.errors)")
        #expect(typo.errors.contains("key 'ordrs' does not exist; did you mean 'orders' (a list)?"), "\(typo.errors)")
        let drained = Subprocess.run([bin, "backlog", "redis+unix://\(redis.socketPath)/payments", "-o", "json"])
        #expect(drained.status == 0, "\(drained.output)\(drained.errors)")
        #expect(drained.output.contains("key 'payments' does not exist: Redis deletes a list when it empties, so this is an empty queue or a wrong name"),
                "\(drained.output)")
    }

    @Test(.requires(RedisServerFixture.executable, package: "redis-server"))
    func passwordFromTheEnvironmentOrAFileAndNeverEchoed() throws {
        let redis = try RedisServerFixture(password: "hunter2-secret")
        defer { redis.stop() }
        redis.cli(["RPUSH", "q", "x"])
        let url = "redis://127.0.0.1:\(redis.port)/0/q"
        let fromEnv = runBacklog(["backlog", url, "-o", "csv"], environment: ["REDISCLI_AUTH": "hunter2-secret"], clock: ServicesClock(SystemTime()))
        #expect(fromEnv.status == .ok && fromEnv.out.contains("\r\nq,queue,OK,OK,1,"))

        let dir = try TemporaryDirectory(prefix: "scalectl-creds")
        defer { dir.remove() }
        try dir.write("creds", Array("# redis\nexport REDISCLI_AUTH='hunter2-secret'\n".utf8))
        let fromFile = run(["backlog", url, "--credentials-file", dir.path + "/creds", "-o", "csv"])
        #expect(fromFile.status == .ok && fromFile.out.contains("\r\nq,queue,OK,OK,1,"))

        let wrong = runBacklog(["backlog", url, "-o", "json"], environment: ["REDISCLI_AUTH": "not-the-password"], clock: ServicesClock(SystemTime()))
        #expect(wrong.status == .unknown)
        #expect(wrong.err == "scalectl: error: \(url): 127.0.0.1:\(redis.port): authentication failed (WRONGPASS); check REDISCLI_AUTH (and the user name in the URL)\n")
        let missing = run(["backlog", url])
        #expect(missing.err.contains("NOAUTH"))
        #expect(missing.status == .unknown)
        for output in [fromEnv.out, fromEnv.err, fromFile.out, fromFile.err, wrong.out, wrong.err, missing.out, missing.err] {
            #expect(!output.contains("hunter2") && !output.contains("not-the-password"))
        }
        let inURL = run(["backlog", "redis://:hunter2-secret@127.0.0.1:\(redis.port)/0/q"])
        #expect(inURL.status == .usage && !inURL.err.contains("hunter2"))
    }

    @Test(.requires(RedisServerFixture.executable, package: "redis-server"))
    func aHashIsNotAQueueAndAGrowingDeadLetterQueueWarns() throws {
        let redis = try RedisServerFixture()
        defer { redis.stop() }
        redis.cli(["HSET", "h", "f", "v"])
        let wrong = run(["backlog", "redis+unix://\(redis.socketPath)/h"])
        #expect(wrong.err == "scalectl: error: redis+unix://\(redis.socketPath)/h: h is a hash: backlog reads lists, streams and sorted sets; name a list (LLEN), a stream with consumer groups or a sorted set (ZCARD)\n")
        #expect(wrong.status == .unknown)

        redis.cli(["RPUSH", "jobs", "1"])
        redis.cli(["RPUSH", "dead", "1"])
        let clock = FeedingClock { redis.cli(["RPUSH", "dead", "2"]) }
        let result = runBacklog(["backlog", "redis+unix://\(redis.socketPath)/jobs", "--dlq", "redis+unix://\(redis.socketPath)/dead", "-o", "csv"], clock: clock)
        let lines = result.out.split(separator: "\r\n")
        #expect(lines[1].hasPrefix("jobs,queue,STALLED,OK,1,"))
        #expect(lines[2].hasPrefix("dead,dlq,GROWING,WARNING,2,"))
        #expect(result.status == .warning)
    }
}

/// Replies a real redis-server never gives, from a scripted server: a stream whose XINFO lacks
/// the figure the depth rests on is UNKNOWN with the reason, never depth 0 (a false OK).
@Suite(.serialized) struct BacklogRedisMissingFieldTests {
    static let time = "*2\r\n$10\r\n1765000000\r\n$1\r\n0\r\n"

    @Test("XINFO STREAM without a length is UNKNOWN, naming the missing field")
    func streamWithoutLength() throws {
        let server = try ScriptedRESPServer(["TIME": Self.time, "TYPE": "+stream\r\n", "SELECT": "+OK\r\n",
                                             "XINFO STREAM": "*2\r\n$13\r\nentries-added\r\n:5\r\n", "XINFO GROUPS": "*0\r\n"])
        defer { server.stop() }
        let result = runBacklog(["backlog", "redis://127.0.0.1:\(server.port)/0/events", "--timeout", "2s"], clock: FeedingClock(feed: {}))
        #expect(result.status == .unknown, "\(result.out)\(result.err)")
        #expect(result.err.contains("XINFO STREAM gave no length"), "\(result.err)")
        #expect(!result.out.contains(" OK"), "\(result.out)")
    }

    @Test("XINFO GROUPS without a pending count is UNKNOWN, naming the group")
    func groupWithoutPending() throws {
        let group = "*1\r\n*4\r\n$4\r\nname\r\n$7\r\nworkers\r\n$9\r\nconsumers\r\n:1\r\n"
        let server = try ScriptedRESPServer(["TIME": Self.time, "TYPE": "+stream\r\n", "SELECT": "+OK\r\n",
                                             "XINFO STREAM": "*2\r\n$6\r\nlength\r\n:9\r\n", "XINFO GROUPS": group])
        defer { server.stop() }
        let result = runBacklog(["backlog", "redis://127.0.0.1:\(server.port)/0/events", "--timeout", "2s"], clock: FeedingClock(feed: {}))
        #expect(result.status == .unknown, "\(result.out)\(result.err)")
        #expect(result.err.contains("no pending count for group 'workers'"), "\(result.err)")
    }
}
