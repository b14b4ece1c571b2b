import Dispatch
import Glibc
import ScaleCore
import Synchronization

/// Why a host name gave no address.
public struct ResolutionFailure: Error, Sendable, Equatable {
    /// The resolver's own words (`Name or service not known`), or that it ran out of time.
    public var message: String
    /// Seconds spent before giving up.
    public var elapsedSeconds: Double

    public init(message: String, elapsedSeconds: Double) {
        self.message = message
        self.elapsedSeconds = elapsedSeconds
    }
}

/// Turns host names into the addresses they resolve to. `SystemResolver` asks the system
/// (getaddrinfo: /etc/hosts, DNS, as libcurl does); tests pass a fixed table.
public protocol AddressResolver: Sendable {
    /// Every address of each host (`127.0.0.1`, `::1`), in the resolver's order and without
    /// repeats, only of the family `ipVersion` allows. A host that gives none is a failure;
    /// no answer within `timeout` seconds is a failure too.
    func resolve(_ hosts: [String], ipVersion: HTTPRequest.IPVersion, timeout: Double) -> [String: Result<[String], ResolutionFailure>]
}

/// getaddrinfo(3) on worker threads (at most `maxThreads`), bounded by a timeout: getaddrinfo
/// has none of its own and can block for as long as resolv.conf's retries allow. A lookup still
/// running at the timeout is abandoned (its thread finishes on its own and its answer is
/// dropped), and a name not yet looked up by then is not started.
public struct SystemResolver: AddressResolver {
    /// Lookups at once: enough for a large pool's names, never a thread per name.
    static let maxThreads = 32
    /// One name's lookup; getaddrinfo but in tests of the timeout.
    let lookUp: @Sendable (_ host: String, _ ipVersion: HTTPRequest.IPVersion, _ start: Double) -> Result<[String], ResolutionFailure>

    public init() { lookUp = Self.getAddresses }

    init(lookUp: @escaping @Sendable (_ host: String, _ ipVersion: HTTPRequest.IPVersion, _ start: Double) -> Result<[String], ResolutionFailure>) {
        self.lookUp = lookUp
    }

    public func resolve(_ hosts: [String], ipVersion: HTTPRequest.IPVersion, timeout: Double) -> [String: Result<[String], ResolutionFailure>] {
        // Repeats dropped in order, in linear time (a fleet file may hold 100,000 names).
        var seen = Set<String>()
        let unique = hosts.filter { seen.insert($0).inserted }
        let answers = Mutex<[String: Result<[String], ResolutionFailure>]>([:])
        let next = Mutex(0)
        let finished = DispatchSemaphore(value: 0)
        let start = MonotonicClock.seconds()
        let deadline = DispatchTime.now() + .nanoseconds(Int(max(timeout, 0.001) * 1e9))
        let end = start + max(timeout, 0.001)
        let lookUp = self.lookUp
        let names = unique
        let work: @Sendable () -> Void = {
            while MonotonicClock.seconds() < end {
                let index = next.withLock { value -> Int in
                    defer { value += 1 }
                    return value
                }
                guard index < names.count else { return }
                let answer = lookUp(names[index], ipVersion, start)
                answers.withLock { $0[names[index]] = answer }
                finished.signal()
            }
        }
        // Plain threads, not Dispatch's pool: a lookup that hangs must not hold a pool thread.
        var threads = 0
        for _ in 0..<min(Self.maxThreads, unique.count) where Self.spawn(work) { threads += 1 }
        if threads == 0 { work() }
        for _ in unique {
            if finished.wait(timeout: deadline) == .timedOut { break }
        }
        let elapsed = MonotonicClock.seconds() - start
        let words = "no answer within \(DurationUnits.human(timeout))"
        return answers.withLock { found in
            var all = found
            for host in unique where all[host] == nil {
                all[host] = .failure(ResolutionFailure(message: "resolving \(host): \(words)", elapsedSeconds: elapsed))
            }
            return all
        }
    }

    static func getAddresses(_ host: String, ipVersion: HTTPRequest.IPVersion, start: Double) -> Result<[String], ResolutionFailure> {
        var hints = addrinfo()
        hints.ai_family = switch ipVersion {
        case .any: AF_UNSPEC
        case .v4: AF_INET
        case .v6: AF_INET6
        }
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        defer { if let list { freeaddrinfo(list) } }
        let elapsed = MonotonicClock.seconds() - start
        guard status == 0 else {
            let reason = status == EAI_SYSTEM ? String(cString: strerror(errno)) : String(cString: gai_strerror(status))
            return .failure(ResolutionFailure(message: "could not resolve \(host): \(reason)", elapsedSeconds: elapsed))
        }
        var addresses: [String] = []
        var entry = list
        while let current = entry?.pointee {
            if let text = Self.text(of: current), !addresses.contains(text) { addresses.append(text) }
            entry = current.ai_next
        }
        guard !addresses.isEmpty else {
            return .failure(ResolutionFailure(message: "could not resolve \(host): no address of the family asked for", elapsedSeconds: elapsed))
        }
        return .success(addresses)
    }

    /// The numeric form of one entry's address.
    static func text(of entry: addrinfo) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch entry.ai_family {
        case AF_INET:
            return entry.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                var raw = address.pointee.sin_addr
                return inet_ntop(AF_INET, &raw, &buffer, socklen_t(buffer.count)).map { _ in Self.string(buffer) }
            }
        case AF_INET6:
            return entry.ai_addr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                var raw = address.pointee.sin6_addr
                return inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count)).map { _ in Self.string(buffer) }
            }
        default:
            return nil
        }
    }

    /// The text of a NUL-terminated buffer.
    static func string(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Runs `body` on a detached thread; false when no thread could be made.
    static func spawn(_ body: @escaping @Sendable () -> Void) -> Bool {
        PosixThread(detached: true, body) != nil
    }
}

/// IP address literals, which need no resolving.
public enum IPAddressText {
    /// Whether `text` is an IPv4 (`10.0.0.7`) or IPv6 (`::1`, without brackets) address.
    public static func isLiteral(_ text: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
