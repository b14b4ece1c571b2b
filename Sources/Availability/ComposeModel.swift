public import ScaleCore

/// The caveats that change the answer (`compose --common-cause/--detection-delay/--needs`).
public struct ComposeOptions: Sendable, Equatable {
    /// β of the beta-factor model: the fraction of a redundant group's failures that take all
    /// of its members down at once.
    public var commonCause: Double
    /// Seconds before a failed member is taken out of its pool; requests sent to it meanwhile fail.
    public var detectionDelay: Double
    /// Repair time assumed for components given only as a ratio, so that a failure rate can be
    /// derived for `detectionDelay`.
    public var assumedMTTR: Double?
    /// Seconds a repaired member of a redundant group stays out of rotation until its health
    /// checks pass again (rise): it serves nothing meanwhile, though it is up.
    public var recoveryDelay: Double
    /// Every pool of identical copies must keep this many members up to carry the load.
    public var needs: Int?
    /// The offered load as a fraction of a pool's total capacity (every member up). A pool with
    /// j of its n members up serves min(1, j/(n·load)) of the requests, the rest is shed.
    public var load: Double?

    public init(commonCause: Double = 0, detectionDelay: Double = 0, recoveryDelay: Double = 0, assumedMTTR: Double? = nil,
                needs: Int? = nil, load: Double? = nil) {
        self.commonCause = commonCause
        self.detectionDelay = detectionDelay
        self.recoveryDelay = recoveryDelay
        self.assumedMTTR = assumedMTTR
        self.needs = needs
        self.load = load
    }
}

/// What one component costs: its share of the system's unavailability and what the system
/// would be if that component alone gained one nine.
public struct Contribution: Sendable, Equatable {
    public var label: String
    public var component: UpDown
    /// How many instances of it the topology holds (pools multiply).
    public var copies: Int
    /// Fussell–Vesely importance: (U − U with this component never failing) / U.
    public var share: Double
    /// The system with this component's unavailability divided by ten.
    public var improved: UpDown
}

/// A topology evaluated analytically with the options applied. Formulas (also in the man page):
///
/// - series: A = Π Aᵢ; parallel: U = Π Uᵢ; k of n: the binomial (or Poisson-binomial) tail.
/// - common cause (beta factor), per redundant group: q = β·min Uᵢ is the probability of an
///   event that takes every member down; the members' independent unavailabilities become
///   Uᵢ' = (Uᵢ − q)/(1 − q), so each member alone is still down Uᵢ of the time, and
///   U = q + (1 − q)·U_group(Uᵢ').
/// - detection delay d, per redundant group of n members sharing traffic evenly: a failed
///   member still receives 1/n of the requests for min(d, its down time); with failure rate fᵢ
///   that is a fraction D = (1/n)·Σ min(fᵢ·d, Uᵢ) of requests, and A' = A·(1 − D).
///   fᵢ = 1/(MTBF + MTTR) for a component, Σ fⱼ·Iⱼ (Birnbaum importance Iⱼ) for a sub-topology.
/// - recovery delay r, per member of a redundant group: a repaired member stays out of rotation
///   r longer, so per failure it is out for its repair plus r: U' = U + f·r (the held-out time
///   comes out of its up time, so the cycle MTBF + MTTR is unchanged).
/// - needs N: every pool of identical copies becomes max(k, N) of n.
/// - load L (a fraction of a pool's total capacity): a pool of n identical copies with j up
///   (j ≥ k) serves min(1, j/(n·L)) of the requests; its figure is the expected served fraction
///   Σⱼ P(j up)·served(j) and composes with the rest like an availability. Pools inside pools
///   are refused (the inner pool's shedding would be counted again by the outer one), and so is
///   a topology with no pool. With a detection delay the pool's failure rate weighs each
///   member's failure by what it costs: Iᵢ = Σⱼ P(j of the others up)·(served(j+1) − served(j)).
public struct ComposeModel: Sendable {
    public let topology: Topology
    public let options: ComposeOptions
    public let components: [Component]
    public let labels: [String]
    let root: Block

    public init(_ topology: Topology, options: ComposeOptions = ComposeOptions()) throws(ScaleError) {
        guard options.commonCause >= 0, options.commonCause <= 1 else {
            throw .usage("the common-cause fraction must be from 0 to 1", about: .commonCause, fix: "write a ratio such as 0.1 or 10%")
        }
        guard options.detectionDelay >= 0, options.detectionDelay.isFinite else {
            throw .usage("the detection delay cannot be negative", about: .detectionDelay)
        }
        guard options.recoveryDelay >= 0, options.recoveryDelay.isFinite else {
            throw .usage("the recovery delay cannot be negative", about: .rise)
        }
        if let load = options.load {
            guard load > 0, load <= 1 else {
                throw .usage("the load must be more than 0% and at most 100% of a pool's capacity", about: .load,
                             fix: "write the share of the pool's total capacity in use, e.g. 70%")
            }
            guard options.needs == nil else {
                throw .usage("give either a load or the members needed, not both", about: .load,
                             fix: "\(Parameter.load) grades a pool by the capacity left; \(Parameter.needs) counts it down below N members")
            }
        }
        let needed = try Self.applyNeeds(options.needs, to: topology)
        if options.load != nil { try Self.checkLoadPools(needed, insidePool: false) }
        self.topology = needed
        self.options = options
        components = needed.components
        labels = Topology.labels(components)
        var next = 0
        root = Block(needed, next: &next)
        if needsRates {
            try Self.checkFailureRates(root, inGroup: false, components: components, labels: labels, assumedMTTR: options.assumedMTTR)
        }
    }

    /// The system's availability.
    public var result: UpDown { evaluate(root, overrides: [:], wantRate: false).value }

    /// One entry per component, in the order written.
    public func contributions() -> [Contribution] {
        let system = result
        var copies = [Int](repeating: 0, count: components.count)
        root.countCopies(multiplier: 1, into: &copies)
        return components.indices.map { index in
            let own = components[index].upDown
            let perfect = evaluate(root, overrides: [index: .alwaysUp], wantRate: false).value
            let improved = evaluate(root, overrides: [index: own.oneMoreNine], wantRate: false).value
            let share = system.down > 0 ? max(0, (system.down - perfect.down) / system.down) : 0
            return Contribution(label: labels[index], component: own, copies: copies[index], share: share, improved: improved)
        }
    }

    // MARK: - needs

    static func applyNeeds(_ needs: Int?, to topology: Topology) throws(ScaleError) -> Topology {
        guard let needs else { return topology }
        guard needs >= 1 else { throw .usage("\(Parameter.needs) must be at least 1", about: .needs) }
        switch topology {
        case .component: return topology
        case .series(let parts): return .series(try parts.map { (p) throws(ScaleError) in try applyNeeds(needs, to: p) })
        case .parallel(let parts): return .parallel(try parts.map { (p) throws(ScaleError) in try applyNeeds(needs, to: p) })
        case .quorum(let k, let parts): return .quorum(k: k, try parts.map { (p) throws(ScaleError) in try applyNeeds(needs, to: p) })
        case .pool(let k, let n, let part):
            guard n >= needs else {
                let names = Topology.labels(part.components).joined(separator: ", ")
                throw .usage("the pool of \(n) × \(names) cannot keep \(needs) members up", about: .needs,
                             fix: "give the pool at least \(needs) copies, or lower \(Parameter.needs)")
            }
            return .pool(k: max(k, needs), n: n, try applyNeeds(needs, to: part))
        }
    }

    // MARK: - load

    /// `--load` grades pools of identical copies one level deep: a topology without a pool
    /// would ignore it, and a pool inside a pool would shed twice (its served fraction counted
    /// as the outer pool's member availability, then shed again by the outer pool's load).
    static func checkLoadPools(_ topology: Topology, insidePool: Bool) throws(ScaleError) {
        func pools(_ t: Topology) -> Int {
            switch t {
            case .component: return 0
            case .series(let parts), .parallel(let parts), .quorum(_, let parts): return parts.reduce(0) { $0 + pools($1) }
            case .pool(_, _, let part): return 1 + pools(part)
            }
        }
        func nested(_ t: Topology) -> Topology? {
            switch t {
            case .component: return nil
            case .series(let parts), .parallel(let parts), .quorum(_, let parts):
                for p in parts { if let found = nested(p) { return found } }
                return nil
            case .pool(_, _, let part): return pools(part) > 0 ? t : nested(part)
            }
        }
        guard pools(topology) > 0 else {
            throw .usage("grades only pools of identical copies, and this topology has none", about: .load,
                         fix: "write the redundant part as a pool (3x app=99.9%, 2of3(app=99.9%)), or drop \(Parameter.load)")
        }
        if case .pool(_, let n, let part)? = nested(topology) {
            let names = Topology.labels(part.components).joined(separator: ", ")
            throw .usage("cannot grade the pool of \(n) × (\(names)): it holds another pool, whose shedding the outer pool would count again",
                         about: .load, fix: "write the copies as one flat pool (e.g. 6x app instead of 2x (3x app)), or drop \(Parameter.load)")
        }
    }

    // MARK: - evaluation

    /// The topology with component indices, so overrides can replace one component everywhere.
    indirect enum Block: Sendable {
        case leaf(Int)
        case series([Block])
        case group(k: Int, [Block])
        case pool(k: Int, n: Int, Block)

        init(_ topology: Topology, next: inout Int) {
            switch topology {
            case .component: self = .leaf(next); next += 1
            case .series(let parts): self = .series(parts.map { Block($0, next: &next) })
            case .parallel(let parts): self = .group(k: 1, parts.map { Block($0, next: &next) })
            case .quorum(let k, let parts): self = .group(k: k, parts.map { Block($0, next: &next) })
            case .pool(let k, let n, let part): self = .pool(k: k, n: n, Block(part, next: &next))
            }
        }

        func countCopies(multiplier: Int, into copies: inout [Int]) {
            switch self {
            case .leaf(let index):
                let (sum, overflow) = copies[index].addingReportingOverflow(multiplier)
                copies[index] = overflow ? Int.max : sum
            case .series(let parts), .group(_, let parts): for p in parts { p.countCopies(multiplier: multiplier, into: &copies) }
            case .pool(_, let n, let part):
                let (product, overflow) = multiplier.multipliedReportingOverflow(by: n)
                part.countCopies(multiplier: overflow ? Int.max : product, into: &copies)
            }
        }
    }

    static func checkFailureRates(_ block: Block, inGroup: Bool, components: [Component], labels: [String],
                                  assumedMTTR: Double?) throws(ScaleError) {
        switch block {
        case .leaf(let index):
            guard inGroup, components[index].failureRate(assumedMTTR: assumedMTTR) == nil else { return }
            throw .usage("needs the failure rate of '\(labels[index])', which is given only as a ratio",
                         about: .detectionDelay,
                         fix: "write it as mtbf=…,mttr=… (e.g. \(components[index].name.map { "\($0)=" } ?? "")mtbf=720h,mttr=30m), or give \(Parameter.mttr) to assume a repair time")
        case .series(let parts):
            for p in parts { try checkFailureRates(p, inGroup: inGroup, components: components, labels: labels, assumedMTTR: assumedMTTR) }
        case .group(_, let parts):
            for p in parts { try checkFailureRates(p, inGroup: true, components: components, labels: labels, assumedMTTR: assumedMTTR) }
        case .pool(_, _, let part):
            try checkFailureRates(part, inGroup: true, components: components, labels: labels, assumedMTTR: assumedMTTR)
        }
    }

    /// Whether groups need their members' failure rates: for the detection or the recovery delay.
    var needsRates: Bool { options.detectionDelay > 0 || options.recoveryDelay > 0 }

    struct Evaluation {
        var value: UpDown
        /// Failures per second, when asked for (detection delay in an enclosing group).
        var rate: Double
    }

    func evaluate(_ block: Block, overrides: [Int: UpDown], wantRate: Bool) -> Evaluation {
        let detecting = needsRates
        switch block {
        case .leaf(let index):
            let component = components[index]
            let own = component.upDown
            let value = overrides[index] ?? own
            var rate = 0.0
            if wantRate, let base = component.failureRate(assumedMTTR: options.assumedMTTR) {
                // A better component fails proportionally less often (same repair time).
                rate = own.down > 0 ? base * value.down / own.down : 0
            }
            return Evaluation(value: value, rate: rate)
        case .series(let parts):
            let members = parts.map { evaluate($0, overrides: overrides, wantRate: wantRate) }
            let value = UpDown.series(members.map(\.value))
            var rate = 0.0
            if wantRate {
                // Birnbaum importance of part i in a series: the product of the others' availability.
                for (i, m) in members.enumerated() where m.rate > 0 {
                    var others = 1.0
                    for (j, o) in members.enumerated() where j != i { others *= o.value.up }
                    rate += m.rate * others
                }
            }
            return Evaluation(value: value, rate: rate)
        case .group(let k, let parts):
            let members = parts.map { evaluate($0, overrides: overrides, wantRate: detecting) }
            return group(k: k, members: members, wantRate: wantRate)
        case .pool(let k, let n, let part):
            let member = evaluate(part, overrides: overrides, wantRate: detecting)
            return group(k: k, members: [Evaluation](repeating: member, count: n), wantRate: wantRate, identical: true)
        }
    }

    /// Parameters of one redundant group, shared by the analytic model and the simulation.
    struct GroupParameters {
        /// Probability of a common-cause event that takes every member down.
        var commonCause: Double
        /// Each member's independent unavailability after the common-cause part is taken out.
        var independent: [UpDown]
        /// Per member: the fraction of time it is failed but still receiving traffic.
        var undetected: [Double]
    }

    func parameters(members: [Evaluation]) -> GroupParameters {
        let beta = options.commonCause
        var q = 0.0
        var independent = members.map(\.value)
        if beta > 0, let smallest = members.map(\.value.down).min() {
            q = beta * smallest
            if q > 0 {
                independent = members.map { m in
                    UpDown(up: m.value.up / (1 - q), down: (m.value.down - q) / (1 - q))
                }
            }
        }
        let d = options.detectionDelay
        let undetected = members.map { d > 0 ? min($0.rate * d, $0.value.down) : 0 }
        return GroupParameters(commonCause: q, independent: independent, undetected: undetected)
    }

    /// Members as their group sees them: a member out of rotation for `recoveryDelay` after each
    /// repair is unavailable f·r more of the time.
    func heldOut(_ members: [Evaluation]) -> [Evaluation] {
        let r = options.recoveryDelay
        guard r > 0 else { return members }
        return members.map { m in
            let extra = min(m.rate * r, m.value.up)
            return Evaluation(value: UpDown(up: m.value.up - extra, down: m.value.down + extra), rate: m.rate)
        }
    }

    func group(k: Int, members given: [Evaluation], wantRate: Bool, identical: Bool = false) -> Evaluation {
        let members = heldOut(given)
        let p = parameters(members: members)
        let n = members.count
        let core: UpDown
        if identical, let load = options.load {
            core = UpDown.served(atLeast: k, ofCopies: n, p.independent[0], load: load)
        } else if identical {
            core = UpDown.atLeast(k, ofCopies: n, p.independent[0])
        } else if k == 1 {
            core = UpDown.parallel(p.independent)
        } else {
            core = UpDown.atLeast(k, of: p.independent)
        }
        var value = core
        if p.commonCause > 0 {
            value = UpDown(up: (1 - p.commonCause) * core.up, down: p.commonCause + (1 - p.commonCause) * core.down)
        }
        let lost = p.undetected.reduce(0, +) / Double(n)
        if lost > 0 {
            value = UpDown(up: value.up * (1 - lost), down: value.down + lost * value.up)
        }
        var rate = 0.0
        if wantRate {
            // f = Σ fᵢ·Iᵢ, where Iᵢ = P(exactly k−1 of the other members up) is member i's
            // Birnbaum importance in a k-of-n group.
            let plain = members.map(\.value)
            if identical, let load = options.load {
                // A member's failure costs served(j+1) − served(j) with j of the others up.
                let others = UpDown.binomialTerms(n - 1, plain[0])
                var importance = 0.0
                for (j, term) in others.enumerated() where term > 0 {
                    let gain = UpDown.servedShare(j + 1, atLeast: k, ofCopies: n, load: load).served
                        - UpDown.servedShare(j, atLeast: k, ofCopies: n, load: load).served
                    importance += term * gain
                }
                rate = Double(n) * members[0].rate * importance
            } else if identical {
                let others = [UpDown](repeating: plain[0], count: n - 1)
                rate = Double(n) * members[0].rate * Self.exactly(k - 1, of: others)
            } else {
                let importance = Self.exactlyOfOthers(k - 1, plain)
                for i in 0..<n where members[i].rate > 0 { rate += members[i].rate * importance[i] }
            }
        }
        return Evaluation(value: value, rate: rate)
    }

    /// For each part i, P(exactly j of the other parts are up), from the distributions of the
    /// parts before i and after i: O(n²) in all, where removing each part in turn would be O(n³).
    static func exactlyOfOthers(_ j: Int, _ parts: [UpDown]) -> [Double] {
        let n = parts.count
        guard j >= 0, j < n else { return [Double](repeating: 0, count: n) }
        // prefix[i]: distribution of the number up among parts[0..<i]; suffix likewise from i on.
        var prefix: [[Double]] = [[1]]
        for part in parts { prefix.append(Self.adding(part, to: prefix[prefix.count - 1])) }
        var suffix = [[Double]](repeating: [1], count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) { suffix[i] = Self.adding(parts[i], to: suffix[i + 1]) }
        return (0..<n).map { i in
            var total = 0.0
            for left in 0...min(j, prefix[i].count - 1) {
                let right = j - left
                if right < suffix[i + 1].count { total += prefix[i][left] * suffix[i + 1][right] }
            }
            return total
        }
    }

    static func adding(_ part: UpDown, to distribution: [Double]) -> [Double] {
        var next = [Double](repeating: 0, count: distribution.count + 1)
        for (m, p) in distribution.enumerated() {
            next[m] += p * part.down
            next[m + 1] += p * part.up
        }
        return next
    }

    /// P(exactly j of these parts are up).
    static func exactly(_ j: Int, of parts: [UpDown]) -> Double {
        var dist = [Double](repeating: 0, count: parts.count + 1)
        dist[0] = 1
        for (index, part) in parts.enumerated() {
            var m = index + 1
            while m >= 1 { dist[m] = dist[m] * part.down + dist[m - 1] * part.up; m -= 1 }
            dist[0] *= part.down
        }
        return j >= 0 && j < dist.count ? dist[j] : 0
    }
}
