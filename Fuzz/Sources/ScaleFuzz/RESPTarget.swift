import ScaleNet

/// Redis replies as they arrive from the socket, parsed reply after reply as RedisClient does.
extension FuzzTargets {
    static let resp = FuzzTarget(name: "resp", input: "byte 0 picks tight or default limits; the rest is a stream of RESP replies") { bytes in
        guard let mode = bytes.first else { return }
        var rest = Array(bytes.dropFirst())
        let limits = mode & 1 == 0 ? RESPLimits() : RESPLimits(maxBulkBytes: 64, maxArrayCount: 8, maxDepth: 3, maxReplyBytes: 256)
        while !rest.isEmpty {
            guard let parsed = try? RESPParser.parse(rest, limits: limits) else { return }
            let (value, used) = parsed
            precondition(used > 0 && used <= rest.count, "RESPParser consumed \(used) of \(rest.count) bytes")
            _ = value.text
            _ = value.integerValue
            _ = value.items
            rest.removeFirst(used)
        }
    }
}
