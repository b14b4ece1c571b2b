public import ScaleCore

/// One part of a system, as written: a ratio, or a mean time between failures and a mean time
/// to repair.
public struct Component: Sendable, Equatable {
    public enum Figure: Sendable, Equatable {
        case ratio(UpDown)
        /// Seconds.
        case repair(mtbf: Double, mttr: Double)
    }

    /// The name the user gave (`lb` in `lb=99.99%`), if any.
    public var name: String?
    public var figure: Figure
    /// The figure as typed (`99.99%`, `mtbf=720h,mttr=30m`), for labels and messages.
    public var source: String
    /// Where it was written (`column 7`, `$.series[1]`), to tell unnamed parts apart.
    public var origin: String

    public init(name: String?, figure: Figure, source: String, origin: String) {
        self.name = name
        self.figure = figure
        self.source = source
        self.origin = origin
    }

    public var upDown: UpDown {
        switch figure {
        case .ratio(let value): return value
        case .repair(let mtbf, let mttr): return UpDown(mtbf: mtbf, mttr: mttr)
        }
    }

    /// Failures per second in steady state, 1/(MTBF+MTTR), when the figure has a repair time:
    /// directly, or from `assumedMTTR` for a bare ratio (MTBF = MTTR·A/U, so the rate is U/MTTR).
    public func failureRate(assumedMTTR: Double?) -> Double? {
        switch figure {
        case .repair(let mtbf, let mttr): return 1 / (mtbf + mttr)
        case .ratio(let value):
            guard let mttr = assumedMTTR, mttr > 0 else { return nil }
            return value.down / mttr
        }
    }
}

/// A reliability block diagram. Parts are independent unless `--common-cause` says otherwise.
public indirect enum Topology: Sendable, Equatable {
    case component(Component)
    /// Every part must be up (`a * b`).
    case series([Topology])
    /// Any one part suffices (`a | b`).
    case parallel([Topology])
    /// At least k of these different parts must be up (`kofn(2, a, b, c)`).
    case quorum(k: Int, [Topology])
    /// At least k of n identical copies must be up (`3x a` is 1 of 3, `2of3(a)` is 2 of 3).
    case pool(k: Int, n: Int, Topology)

    /// Limits that keep hostile input from taking unbounded time or stack.
    public static let maxDepth = 64
    public static let maxCopies = 1000
    /// Enough for any real diagram; keeps the contribution table (two evaluations per
    /// component) and kofn's O(n²) recursion fast on hostile input.
    public static let maxComponents = 256

    /// Every component, depth first, in the order written.
    public var components: [Component] {
        switch self {
        case .component(let c): return [c]
        case .series(let parts), .parallel(let parts), .quorum(_, let parts): return parts.flatMap(\.components)
        case .pool(_, _, let part): return part.components
        }
    }

    /// How many component instances one draw of the topology involves (pools multiply),
    /// saturating at Int.max: 64 nested `2x` are legal and hold 2⁶⁴ instances.
    public var instances: Int {
        switch self {
        case .component: return 1
        case .series(let parts), .parallel(let parts), .quorum(_, let parts):
            return parts.reduce(0) { sum, part in
                let (total, overflow) = sum.addingReportingOverflow(part.instances)
                return overflow ? Int.max : total
            }
        case .pool(_, let n, let part):
            let (total, overflow) = n.multipliedReportingOverflow(by: part.instances)
            return overflow ? Int.max : total
        }
    }

    /// Checks what the grammar cannot: unique names and the size limits.
    public func validate() throws(ScaleError) {
        let all = components
        guard all.count <= Topology.maxComponents else {
            throw .usage("the topology has \(all.count) components", fix: "use at most \(Topology.maxComponents); model identical copies as a pool, e.g. 3x app=99.9%")
        }
        var seen: [String: String] = [:]
        for component in all {
            guard let name = component.name else { continue }
            if let first = seen[name] {
                throw .usage("the name '\(name)' is used twice (\(first) and \(component.origin))",
                             fix: "give each part its own name; for identical copies write a pool such as 3x \(name)=…")
            }
            seen[name] = component.origin
        }
    }

    /// Labels for the contribution table: the name, or the figure as typed; two unnamed parts
    /// with the same figure are told apart by where they were written.
    public static func labels(_ components: [Component]) -> [String] {
        var counts: [String: Int] = [:]
        for c in components where c.name == nil { counts[c.source, default: 0] += 1 }
        return components.map { c in
            if let name = c.name { return name }
            return counts[c.source, default: 0] > 1 ? "\(c.source) (\(c.origin))" : c.source
        }
    }
}
