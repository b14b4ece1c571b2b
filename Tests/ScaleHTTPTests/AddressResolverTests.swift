import Glibc
@testable import ScaleHTTP
import Synchronization
import Testing

@Suite struct AddressResolverTests {
    @Test("getaddrinfo: localhost is 127.0.0.1 over IPv4, without repeats; the family asked for is honoured")
    func localhost() throws {
        let answers = SystemResolver().resolve(["localhost"], ipVersion: .v4, timeout: 5)
        let v4 = try #require(try answers["localhost"]?.get())
        #expect(v4.contains("127.0.0.1"))
        #expect(Set(v4).count == v4.count)
        #expect(v4.allSatisfy { !$0.contains(":") })
        // Whatever localhost gives over IPv6 (nothing on some machines), it is IPv6 only.
        if case .success(let v6)? = SystemResolver().resolve(["localhost"], ipVersion: .v6, timeout: 5)["localhost"] {
            #expect(v6.allSatisfy { $0.contains(":") })
        }
    }

    @Test("a name under .invalid (RFC 6761) never resolves: a failure with the resolver's words")
    func invalidName() {
        let answer = SystemResolver().resolve(["no-such-host.invalid"], ipVersion: .any, timeout: 5)["no-such-host.invalid"]
        guard case .failure(let failure)? = answer else { Issue.record("resolved: \(String(describing: answer))"); return }
        #expect(failure.message.hasPrefix("resolving no-such-host.invalid: no answer within") || failure.message.hasPrefix("could not resolve no-such-host.invalid: "))
    }

    @Test("a lookup that hangs is given up at the timeout, while the others answer")
    func timeout() throws {
        let resolver = SystemResolver { host, _, _ in
            if host == "slow.test" { usleep(3_000_000) }
            return .success(["192.0.2.1"])
        }
        var started = timespec(), ended = timespec()
        clock_gettime(CLOCK_MONOTONIC, &started)
        let answers = resolver.resolve(["slow.test", "fast.test"], ipVersion: .any, timeout: 0.2)
        clock_gettime(CLOCK_MONOTONIC, &ended)
        let seconds = Double(ended.tv_sec - started.tv_sec) + Double(ended.tv_nsec - started.tv_nsec) / 1e9
        #expect(seconds < 1.5, "\(seconds)")
        #expect(try answers["fast.test"]?.get() == ["192.0.2.1"])
        guard case .failure(let failure)? = answers["slow.test"] else { Issue.record("slow.test answered"); return }
        #expect(failure.message == "resolving slow.test: no answer within 200ms")
        #expect(failure.elapsedSeconds >= 0.2)
    }

    @Test("many names share a few threads and all answer; repeats are looked up once")
    func manyNames() throws {
        let asked = Mutex<[String]>([])
        let resolver = SystemResolver { host, _, _ in
            asked.withLock { $0.append(host) }
            usleep(2_000)
            return .success(["192.0.2.\(host.count)"])
        }
        let names = (0..<200).map { "n\($0).test" }
        let answers = resolver.resolve(names + names, ipVersion: .any, timeout: 5)
        #expect(answers.count == 200)
        #expect(try answers["n7.test"]?.get() == ["192.0.2.7"])
        #expect(asked.withLock { $0.count } == 200)
    }

    @Test(arguments: [("10.0.0.7", true), ("::1", true), ("2001:db8::7", true), ("[::1]", false), ("api.example", false), ("10.0.0", false)])
    func literals(_ text: String, _ literal: Bool) {
        #expect(IPAddressText.isLiteral(text) == literal)
    }
}
