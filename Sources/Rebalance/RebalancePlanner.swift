public import ScaleCore

/// Current assignment + target brokers → the plan that balances them with the fewest moves,
/// and the lower bound that shows how close to the optimum it is.
///
/// Order of work: (1) check the targets can hold every partition (replication factor against
/// brokers and racks); (2) for each scope — all partitions, or each topic with `--per-topic` —
/// fix rack spreads, then balance counts (or bytes) with the greedy, and when it is over the
/// bound make its moves minimal by an exact search (`MinimalMoves`); (3) balance
/// preferred leaders by reordering replica lists only; (4) report net moves per partition.
public enum RebalancePlanner {
    public static func plan(_ assignment: Assignment, cluster: ClusterSpec, options: PlanOptions = PlanOptions()) throws(ScaleError) -> RebalancePlan {
        try checkFeasible(assignment, cluster: cluster)
        if options.balance == .bytes {
            guard assignment.partitions.allSatisfy({ $0.sizeBytes != nil }) else {
                let missing = assignment.partitions.first { $0.sizeBytes == nil }!.id
                throw .usage("\(Parameter.balance) bytes needs every partition's size; \(missing) has none", about: .balance,
                             fix: "give \(Parameter.sizes) FILE (partition,bytes lines or kafka-log-dirs.sh --describe output), or a size column")
            }
            guard !options.perTopic else {
                throw .usage("\(Parameter.perTopic) balances replica counts, not bytes", about: .perTopic,
                             fix: "drop \(Parameter.perTopic) or use \(Parameter.balance) replicas")
            }
        }
        let state = PlannerState(assignment: assignment, cluster: cluster)
        let all = Array(assignment.partitions.indices)
        let scopes: [[Int]] = options.perTopic
            ? (0..<state.topicCount).map { t in all.filter { state.topicOf[$0] == t } }
            : [all]
        let before = state.replicas

        // The lower bound, from the assignment as it is.
        var bound = LowerBound(moves: 0, removedReplicas: 0, arrivals: 0, departures: 0, countMoves: 0,
                               rackViolations: 0, rackMoves: 0, bytes: nil, leaderChanges: 0)
        bound.removedReplicas = (0..<state.brokerCount).filter { !state.isTarget[$0] }.reduce(0) { $0 + state.counts[$1] }
        bound.rackViolations = all.reduce(0) { $0 + state.rackViolation($1) }
        var scopeBounds: [Int] = []
        for scope in scopes {
            var counts = Array(repeating: 0, count: state.brokerCount)
            for p in scope { for b in state.replicas[p] { counts[b] += 1 } }
            let targets = state.replicaTargets(scope)
            bound.arrivals += targets.deficit(counts)
            bound.departures += targets.excess(counts)
            bound.countMoves += targets.minimumMoves(counts)
            // The rack-aware bound is on replica counts; with --balance bytes it would not hold.
            let rackMoves = options.balance == .replicas ? state.rackAwareMoves(scope, targets: targets) : 0
            bound.rackMoves += rackMoves
            scopeBounds.append(max(targets.minimumMoves(counts), rackMoves))
        }

        var problems: [String] = []
        var binding: [String] = []
        var reached = true
        var minimal = false
        switch options.balance {
        case .replicas:
            // Scopes hold disjoint partitions, so their own bounds add up: with --per-topic one
            // topic's count bound and another's rack bound can both hold at once.
            bound.moves = max(bound.countMoves, bound.rackViolations, bound.removedReplicas, bound.rackMoves, scopeBounds.reduce(0, +))
            let globalTargets = state.replicaTargets(all)
            let topicTargets = (0..<state.topicCount).map { t in state.replicaTargets(all.filter { state.topicOf[$0] == t }) }
            minimal = true
            for (scope, scopeBound) in zip(scopes, scopeBounds) {
                var balancer = CountBalancer(state: state, partitions: scope, perTopic: options.perTopic,
                                             topicTargets: topicTargets, globalTargets: globalTargets)
                if !balancer.run().reached {
                    reached = false
                    minimal = false
                    let name = options.perTopic ? "topic \(assignment.partitions[scope[0]].id.topic)" : "the cluster"
                    problems.append("replica counts in \(name) could not all be brought within one of their targets: the placement rules (distinct brokers\(cluster.rackAware ? ", rack spread" : "")) leave no move that helps")
                    continue
                }
                // The greedy meets the bound almost always; when it does not, only an exact
                // search tells a greedy miss from a gap the rules force.
                let exact = MinimalMoves(state: state, partitions: scope, targets: balancer.targets, before: before)
                guard exact.moves > scopeBound else { continue }
                guard let graph = exact.run() else {
                    minimal = false
                    continue
                }
                if exact.moves > scopeBound {
                    let scopeName = options.perTopic ? "topic \(assignment.partitions[scope[0]].id.topic): " : ""
                    if let rule = exact.binding(graph) {
                        binding.append(scopeName + describe(rule, assignment: assignment, cluster: cluster, state: state, targets: balancer.targets))
                    } else {
                        binding.append(scopeName + "no single rule, relaxed once, lets the exact search save a move: the gap needs several at once")
                    }
                }
            }
        case .bytes:
            bound.moves = max(bound.rackViolations, bound.removedReplicas)
            let balancer = BytesBalancer(state: state)
            bound.bytes = balancer.lowerBound()
            if !balancer.run() {
                reached = false
                problems.append("bytes could not all be brought within one partition (\(SizeUnits.human(balancer.tolerance))) of their targets")
            }
        }
        let afterMoves = state.replicas
        for p in all where state.rackViolation(p) > 0 {
            reached = false
            problems.append("\(assignment.partitions[p].id) is still not spread evenly over racks")
            if problems.count > 20 { break }
        }

        for scope in scopes {
            var leaders = LeaderBalancer(state: state, partitions: scope)
            bound.leaderChanges += leaders.minimumChanges
            if !leaders.run() {
                problems.append("leaders could not all be balanced by reordering replicas: some brokers hold too few partitions to lead their share")
            }
        }

        return makePlan(assignment: assignment, cluster: cluster, options: options, state: state, before: before,
                        afterMoves: afterMoves, bound: bound, balanced: reached, minimal: minimal, problems: problems, binding: binding)
    }

    /// The binding rule in words, with broker ids, rack names and up to four refused moves.
    static func describe(_ rule: BindingRule, assignment: Assignment, cluster: ClusterSpec, state: PlannerState,
                         targets: WeightedTargets) -> String {
        let ids = state.brokerIDs, racks = cluster.rackNames
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        let saves = "would save \(plural(rule.saving, "move"))"
        let anyOne = rule.moves.count == 1 ? "that move allowed" : "any one of these moves allowed"
        // The refused moves are changes to the plan as printed (its after state).
        let shown = rule.moves.prefix(4).map { "\(assignment.partitions[$0.partition].id) on from broker \(ids[$0.from]) to \(ids[$0.to])" }
        let list = shown.joined(separator: ", ") + (rule.moves.count > 4 ? " and \(rule.moves.count - 4) more" : "")
        switch rule.kind {
        case .rackFull(let rack, let high):
            return "the rack spread in rack \(racks[rack]): it may hold at most \(plural(high, "replica")) of each partition, so moving \(list) is refused; \(anyOne) \(saves)"
        case .rackShort(let rack, let low):
            return "the rack spread in rack \(racks[rack]): it must keep \(plural(low, "replica")) of each partition, so moving \(list) is refused; \(anyOne) \(saves)"
        case .oneReplicaPerBroker(let broker):
            var partitions: [Int] = []
            for move in rule.moves where !partitions.contains(move.partition) { partitions.append(move.partition) }
            let held = partitions.prefix(4).map { "\(assignment.partitions[$0].id)" }.joined(separator: ", ")
            let them = partitions.count == 1 ? "it" : "any of them"
            return "one replica per broker: broker \(ids[broker]) already holds \(held)\(partitions.count > 4 ? " and \(partitions.count - 4) more" : ""); a second copy of \(them) there \(saves)"
        case .brokerHigh(let broker, let high):
            return "broker \(ids[broker])'s share: it may hold at most \(plural(high, "replica")) (target \(Format.decimal(targets.share[broker], places: 2))); one more there \(saves)"
        case .brokerLow(let broker, let low):
            return "broker \(ids[broker])'s share: it must keep at least \(plural(low, "replica")) (target \(Format.decimal(targets.share[broker], places: 2))); one fewer there \(saves)"
        }
    }

    /// Every partition must fit on the target brokers: no more replicas than brokers and, with
    /// racks, an even spread must exist (each rack can hold its share).
    static func checkFeasible(_ assignment: Assignment, cluster: ClusterSpec) throws(ScaleError) {
        let brokerCount = cluster.brokers.count
        var checked = Set<Int>()
        let rackNames = cluster.rackNames
        let rackSizes = rackNames.map { name in cluster.brokers.filter { cluster.racks[$0] == name }.count }
        for partition in assignment.partitions where checked.insert(partition.replicas.count).inserted {
            let rf = partition.replicas.count
            guard rf <= brokerCount else {
                throw .input("\(partition.id) has \(rf) replicas but there are only \(brokerCount) target brokers (\(BrokerIDs.format(cluster.brokers)))",
                             fix: "keep at least \(rf) brokers, or lower the topic's replication factor first")
            }
            guard cluster.rackAware else { continue }
            let low = rf / rackNames.count, high = (rf + rackNames.count - 1) / rackNames.count
            let capacity = rackSizes.reduce(0) { $0 + min($1, high) }
            if let small = rackSizes.firstIndex(where: { $0 < low }) {
                throw .input("\(partition.id) has \(rf) replicas: an even spread over \(rackNames.count) racks puts at least \(low) in each, but rack \(rackNames[small]) has only \(rackSizes[small]) target broker\(rackSizes[small] == 1 ? "" : "s")",
                             fix: "add brokers to rack \(rackNames[small]), or lower the replication factor")
            }
            guard capacity >= rf else {
                throw .input("\(partition.id) has \(rf) replicas but an even spread over racks \(rackNames.joined(separator: ", ")) (at most \(high) per rack) fits only \(capacity)",
                             fix: "add brokers in more racks, or lower the replication factor")
            }
        }
    }

    private static func makePlan(assignment: Assignment, cluster: ClusterSpec, options: PlanOptions, state: PlannerState,
                                 before: [[Int]], afterMoves: [[Int]], bound: LowerBound, balanced: Bool,
                                 minimal: Bool, problems: [String], binding: [String]) -> RebalancePlan {
        let ids = state.brokerIDs
        var after = assignment
        var moves: [ReplicaMove] = []
        var leaderChanges = 0, leadersMoved = 0
        for p in assignment.partitions.indices {
            let partition = assignment.partitions[p]
            // Net moves: brokers that left the list paired with brokers that joined it, by list
            // position where they line up (a replica that hopped a→d while another went b→a is
            // one move, b→d).
            let left = before[p].filter { !afterMoves[p].contains($0) }
            var joined = afterMoves[p].filter { !before[p].contains($0) }
            var unpaired: [Int] = []
            for old in left {
                let position = before[p].firstIndex(of: old)!
                if let index = joined.firstIndex(of: afterMoves[p][position]) {
                    moves.append(ReplicaMove(partition: partition.id, from: ids[old], to: ids[joined.remove(at: index)],
                                             bytes: partition.sizeBytes, copySource: ids[before[p][0]]))
                } else {
                    unpaired.append(old)
                }
            }
            for (old, new) in zip(unpaired, joined) {
                moves.append(ReplicaMove(partition: partition.id, from: ids[old], to: ids[new], bytes: partition.sizeBytes, copySource: ids[before[p][0]]))
            }
            if state.replicas[p][0] != afterMoves[p][0] { leaderChanges += 1 }
            if state.replicas[p][0] != before[p][0] { leadersMoved += 1 }
            after.partitions[p].replicas = state.replicas[p].map { ids[$0] }
            if after.partitions[p].replicas != partition.replicas { after.partitions[p].logDirs = nil }
        }
        moves.sort { $0.partition != $1.partition ? $0.partition < $1.partition : $0.to < $1.to }

        let share: [Double]
        if options.balance == .bytes {
            share = BytesBalancer(state: state).share
        } else {
            share = state.replicaTargets(Array(assignment.partitions.indices)).share
        }
        var outcomes: [BrokerOutcome] = []
        let rackNames = cluster.rackNames
        for b in 0..<state.brokerCount {
            let id = ids[b]
            var outcome = BrokerOutcome(broker: id, rack: cluster.racks[id] ?? (state.rack[b] >= 0 ? rackNames[state.rack[b]] : nil),
                                        weight: state.weights[b], targetReplicas: share[b],
                                        replicasBefore: 0, replicasAfter: 0, leadersBefore: 0, leadersAfter: 0,
                                        bytesBefore: 0, bytesAfter: 0, bytesIn: 0, bytesOut: 0, replicasIn: 0, replicasOut: 0)
            for p in state.holdings[b] {
                outcome.replicasAfter += 1
                outcome.bytesAfter += state.sizes[p]
                if state.replicas[p][0] == b { outcome.leadersAfter += 1 }
            }
            outcomes.append(outcome)
        }
        for (p, list) in before.enumerated() {
            outcomes[list[0]].leadersBefore += 1
            for b in list {
                outcomes[b].replicasBefore += 1
                outcomes[b].bytesBefore += state.sizes[p]
            }
        }
        var index: [Int: Int] = [:]
        for (b, id) in ids.enumerated() { index[id] = b }
        for move in moves {
            let size = move.bytes ?? 0
            outcomes[index[move.to]!].replicasIn += 1
            outcomes[index[move.to]!].bytesIn += size
            outcomes[index[move.from]!].replicasOut += 1
            outcomes[index[move.copySource]!].bytesOut += size
        }
        return RebalancePlan(before: assignment, after: after, moves: moves, leaderChanges: leaderChanges,
                             leadersMoved: leadersMoved, bound: bound, brokers: outcomes, balanced: balanced,
                             minimal: minimal, problems: problems, binding: binding, options: options)
    }
}
