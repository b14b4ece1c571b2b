import Dispatch
import Glibc
public import ScaleCore
import Synchronization

/// What an analysis produced: the statistics and how each input was read.
public struct AnalysisResult: @unchecked Sendable {
    public var statistics: LogStatistics
    /// Each input with the format found for it (`nginx: combined + $upstream_cache_status as field 10`).
    public var inputs: [(name: String, format: String)]
    /// Bytes of log text parsed (after decompression).
    public var bytes: UInt64
}

/// Reads inputs in large blocks cut at line ends and parses them on every core: the caller's
/// thread reads (and decompresses) while worker threads parse, each into statistics of its own,
/// merged at the end. Memory: `threads + 2` blocks plus the tables (bounded by `maxKeys`).
public enum LogAnalyzer {
    public static func analyze(_ inputs: [LogInput], options: AnalysisOptions) throws(ScaleError) -> AnalysisResult {
        let threads = options.threads > 0 ? options.threads : WorkerThread.cores
        let pipeline = Pipeline(threads: threads, options: options)
        var workers: [PosixThread] = []
        for index in 0..<threads {
            guard let worker = WorkerThread.start({ pipeline.work(index) }) else {
                throw ScaleError(.internal, "cannot start a worker thread: \(String(cString: strerror(errno)))")
            }
            workers.append(worker)
        }
        var described: [(String, String)] = []
        var failure: ScaleError?
        do throws(ScaleError) {
            for (index, input) in inputs.enumerated() {
                described.append((input.name, try pipeline.produce(input, index: index)))
            }
        } catch {
            failure = error
        }
        pipeline.finish()
        for worker in workers { worker.join() }
        if let failure {
            pipeline.release()
            throw failure
        }
        let statistics = pipeline.collect(inputNames: inputs.map(\.name))
        let bytes = pipeline.bytesParsed
        pipeline.release()
        pipeline.retireMergedWorkers()
        try statistics.checkTotals(inputs.map(\.name).joined(separator: ", "))
        return AnalysisResult(statistics: statistics, inputs: described, bytes: bytes)
    }
}

/// The shared state of one analysis: block buffers, the job queue, the workers' results.
private final class Pipeline: @unchecked Sendable {
    struct Job {
        var buffer: Int
        var length: Int
        var input: Int
        var seq: Int
        var parser: (any LineParser)?
        var format: String
    }

    struct BlockLines { var seq: Int; var input: Int; var lines: Int }
    struct Sample { var seq: Int; var lineInBlock: Int; var input: Int; var reason: String; var excerpt: String }

    let options: AnalysisOptions
    /// Bytes read before a block is handed out.
    let blockSize: Int
    /// What a block holds at most: the longest line parsed whole.
    let lineCapacity: Int
    let buffers: [UnsafeMutableRawPointer]
    private let free = Mutex<[Int]>([])
    private let freeCount: DispatchSemaphore
    private let queue = Mutex<(jobs: [Job], head: Int)>(([], 0))
    private let queued = DispatchSemaphore(value: 0)
    let threads: Int
    /// What worker i writes (only it), read after the workers are joined.
    final class WorkerState {
        let stats: LogStatistics
        var blockLines: [BlockLines] = []
        var samples: [Sample] = []
        init(_ stats: LogStatistics) { self.stats = stats }
    }
    private(set) var workers: [WorkerState]
    var producerBlocks: [BlockLines] = []
    var producerSamples: [Sample] = []
    /// What each input held, in input order (for refusing to count one twice when merging).
    private(set) var coverage: [InputCoverage] = []
    private var seq = 0
    private(set) var bytesParsed: UInt64 = 0

    init(threads: Int, options: AnalysisOptions) {
        self.threads = threads
        self.options = options
        blockSize = max(min(options.blockSize, options.maxLineBytes), 4096)
        lineCapacity = max(options.maxLineBytes, blockSize)
        let count = threads + 2
        // Left uninitialised: a block is read into before it is parsed, and the pages a block
        // only grows into for a long line are never touched otherwise.
        buffers = (0..<count).map { [lineCapacity] _ in
            UnsafeMutableRawPointer.allocate(byteCount: lineCapacity + ParseContext.padding, alignment: 64)
        }
        free.withLock { $0 = Array(0..<count) }
        freeCount = DispatchSemaphore(value: count)
        let hashKey = options.hashKey ?? .random()
        workers = (0..<threads).map { _ in WorkerState(LogStatistics(options: options, hashKey: hashKey)) }
    }

    func release() { for b in buffers { b.deallocate() } }

    /// Drops the statistics merged into the first worker's on a thread of its own: freeing
    /// their tables (tens of MB of pages on a big log) is then off the way to the report.
    func retireMergedWorkers() {
        struct Retired: @unchecked Sendable { var states: [WorkerState] }
        let retired = Retired(states: Array(workers.dropFirst()))
        workers.removeSubrange(1...)
        // Without a thread to spare, they are freed here, when `retired` goes.
        _ = PosixThread(detached: true) { _ = retired }
    }

    private func acquire() -> Int {
        freeCount.wait()
        return free.withLock { $0.removeLast() }
    }

    private func giveBack(_ buffer: Int) {
        free.withLock { $0.append(buffer) }
        freeCount.signal()
    }

    private func push(_ job: Job) {
        queue.withLock { $0.jobs.append(job) }
        queued.signal()
    }

    private func pop() -> Job {
        queued.wait()
        return queue.withLock { q in
            let job = q.jobs[q.head]
            q.head += 1
            if q.head > 1024, q.head * 2 > q.jobs.count {
                q.jobs.removeFirst(q.head)
                q.head = 0
            }
            return job
        }
    }

    func finish() {
        for _ in 0..<threads { push(Job(buffer: -1, length: 0, input: -1, seq: -1, parser: nil, format: "")) }
    }

    // MARK: - The producer (the caller's thread)

    /// Reads one input to its end, handing out blocks; returns how its format was understood.
    func produce(_ input: LogInput, index: Int) throws(ScaleError) -> String {
        let source = FingerprintedSource(try input.open())
        defer { coverage.append(source.coverage(name: input.name)) }
        var buffer = acquire()
        var filled = 0
        var detected: DetectedFormat?
        var skippingLongLine = false
        // Bytes to read before handing the block out: more while it holds a line's start only.
        var target = blockSize
        while true {
            let room = UnsafeMutableRawBufferPointer(start: buffers[buffer] + filled, count: target - filled)
            let n: Int
            do throws(ScaleError) { n = try source.read(into: room) } catch {
                giveBack(buffer)
                throw error.location.isEmpty ? error.at(input.name) : error
            }
            filled += n
            if n > 0, filled < target { continue }
            let atEnd = n == 0
            let base = buffers[buffer].assumingMemoryBound(to: UInt8.self)
            if skippingLongLine {
                // Drop the rest of an overlong line, up to its newline.
                if let newline = memchr(base, 0x0A, filled) {
                    let after = UnsafeMutablePointer(newline.assumingMemoryBound(to: UInt8.self)) + 1 - base
                    memmove(base, base + after, filled - after)
                    filled -= after
                    skippingLongLine = false
                    // Fill the block again before cutting it at a line end.
                    if !atEnd { continue }
                } else {
                    filled = 0
                    if atEnd { break }
                    continue
                }
            }
            let lastNewline = atEnd ? nil : lastIndex(of: 0x0A, base, filled)
            if !atEnd, lastNewline == nil, target < lineCapacity {
                // One line so far: read more of it into the same block.
                target = min(lineCapacity, target * 2)
                continue
            }
            // Detected from whole lines: not from the start of one too long to keep.
            if detected == nil, atEnd || lastNewline != nil {
                do throws(DetectionError) {
                    detected = try FormatDetection.detect(sampleLines(base, filled, complete: atEnd), options: options)
                } catch {
                    giveBack(buffer)
                    var what = "no known log format matches"
                    if let closest = error.closest { what += "; the closest is \(closest.rawValue)" }
                    what += ": line \(error.line): \(error.reason)"
                    if !error.excerpt.isEmpty { what += ": " + error.excerpt.debugDescription }
                    throw .input(what, at: input.name,
                                 fix: "give the format with \(Parameter.logFormat) NAME (see 'scalectl cdn formats'), or the layout with \(Parameter.nginxLogFormat) / \(Parameter.apacheLogFormat)")
                }
            }
            if filled == 0 {
                if atEnd { break }
                continue
            }
            if atEnd {
                dispatch(buffer, filled, index, detected!)
                buffer = -1
                break
            }
            guard let lastNewline else {
                // A line longer than a block can hold: count it as malformed and skip it.
                let excerpt = String(decoding: UnsafeBufferPointer(start: base, count: min(200, filled)), as: UTF8.self)
                producerBlocks.append(BlockLines(seq: seq, input: index, lines: 1))
                if producerSamples.count < options.malformedExamples {
                    producerSamples.append(Sample(seq: seq, lineInBlock: 1, input: index,
                                                  reason: "the line is longer than \(SizeUnits.human(Double(lineCapacity)))", excerpt: excerpt))
                }
                seq += 1
                longLines += 1
                skippingLongLine = true
                filled = 0
                target = blockSize
                continue
            }
            let next = acquire()
            let carry = filled - (lastNewline + 1)
            if carry > 0 { buffers[next].copyMemory(from: buffers[buffer] + lastNewline + 1, byteCount: carry) }
            dispatch(buffer, lastNewline + 1, index, detected!)
            buffer = next
            filled = carry
            target = blockSize
            while target <= carry, target < lineCapacity { target = min(lineCapacity, target * 2) }
        }
        if buffer >= 0 { giveBack(buffer) }
        return detected?.description ?? "empty"
    }

    private(set) var longLines: UInt64 = 0

    private func dispatch(_ buffer: Int, _ length: Int, _ input: Int, _ detected: DetectedFormat) {
        // The parsers may read a word past a line's end: make those bytes defined.
        (buffers[buffer] + length).initializeMemory(as: UInt8.self, repeating: 0, count: ParseContext.padding)
        bytesParsed &+= UInt64(length)
        push(Job(buffer: buffer, length: length, input: input, seq: seq, parser: detected.parser, format: detected.format.rawValue))
        seq += 1
    }

    private func lastIndex(of byte: UInt8, _ base: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int? {
        var i = count - 1
        while i >= 0 {
            if base[i] == byte { return i }
            i -= 1
        }
        return nil
    }

    /// The first lines of a block, for format detection.
    private func sampleLines(_ base: UnsafeMutablePointer<UInt8>, _ count: Int, complete: Bool) -> [ByteSlice] {
        var lines: [ByteSlice] = []
        var p = UnsafePointer(base)
        let end = UnsafePointer(base) + count
        while p < end, lines.count < FormatDetection.sampleLines {
            guard let newline = memchr(p, 0x0A, end - p) else {
                if complete { lines.append(ByteSlice(p, end)) }
                break
            }
            var lineEnd = UnsafePointer(newline.assumingMemoryBound(to: UInt8.self))
            let next = lineEnd + 1
            if lineEnd > p, (lineEnd - 1).pointee == 0x0D { lineEnd -= 1 }
            lines.append(ByteSlice(p, lineEnd))
            p = next
        }
        return lines
    }

    // MARK: - Workers

    func work(_ index: Int) {
        let state = workers[index]
        let stats = state.stats
        var accumulator = Accumulator(stats: stats, options: options)
        var context = ParseContext()
        defer {
            accumulator.finish()
            accumulator.release()
            context.release()
        }
        while true {
            let job = pop()
            guard job.buffer >= 0, let parser = job.parser else { break }
            let before = stats.totals.totalRequests
            accumulator.use(parser.vocabulary)
            // The template parser reads nearly every line format: called as itself, not through
            // the protocol, its per-line calls are direct.
            let lines = if let template = parser as? TemplateParser {
                parse(job, template, &accumulator, &context, state)
            } else {
                parse(job, parser, &accumulator, &context, state)
            }
            state.blockLines.append(BlockLines(seq: job.seq, input: job.input, lines: lines))
            let added = stats.totals.totalRequests - before
            if added > 0 { stats.formats[job.format, default: 0] &+= added }
            giveBack(job.buffer)
        }
    }

    /// Parses every line of a block; returns how many lines it had.
    private func parse<P: LineParser>(_ job: Job, _ parser: P, _ accumulator: inout Accumulator,
                                      _ context: inout ParseContext, _ state: WorkerState) -> Int {
        let stats = accumulator.stats
        let start = UnsafePointer(buffers[job.buffer].assumingMemoryBound(to: UInt8.self))
        let end = start + job.length
        var p = start
        var lineNumber = 0
        let keepSamples = options.malformedExamples
        while p < end {
            let newline = memchr(p, 0x0A, end - p).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) } ?? end
            var lineEnd = newline
            if lineEnd > p, (lineEnd - 1).pointee == 0x0D { lineEnd -= 1 }
            lineNumber += 1
            let length = lineEnd - p
            // Blank lines (whitespace only) are neither requests nor malformed.
            if length > 0, p.pointee != 0x20 && p.pointee != 0x09 || !Self.isBlank(p, length) {
                let line = ByteSlice(base: p, count: length)
                stats.lines &+= 1
                if parser.isComment(line) {
                    stats.commentLines &+= 1
                } else {
                    if !context.hasRoom(forLineOf: length) {
                        // The batch's views into scratch are counted before scratch is reused.
                        accumulator.flush()
                        context.reset(forLineOf: length)
                    }
                    let record = accumulator.nextRecord()
                    if let failure = parser.parse(line, into: &record.pointee, context: &context) ?? record.pointee.rangeFailure() {
                        stats.malformedLines &+= 1
                        if state.samples.count < keepSamples {
                            let excerpt = String(decoding: UnsafeBufferPointer(start: p, count: min(200, length)), as: UTF8.self)
                                + (length > 200 ? "…" : "")
                            state.samples.append(Sample(seq: job.seq, lineInBlock: lineNumber, input: job.input,
                                                          reason: failure.text, excerpt: excerpt))
                        }
                    } else {
                        accumulator.commit()
                    }
                }
            }
            p = newline + 1
        }
        // The records point into this block, which goes back to the producer next.
        accumulator.flush()
        context.reset(forLineOf: 0)
        return lineNumber
    }

    private static func isBlank(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        for i in 0..<n where p[i] != 0x20 && p[i] != 0x09 { return false }
        return true
    }

    // MARK: - Merging

    func collect(inputNames: [String]) -> LogStatistics {
        let merged = workers[0].stats
        for other in workers.dropFirst() { merged.merge(other.stats, threads: threads) }
        merged.malformedLines &+= longLines
        merged.lines &+= longLines
        merged.inputs = coverage
        // Line numbers: blocks of one input are numbered in order; add up their line counts.
        let blocks = (workers.flatMap(\.blockLines) + producerBlocks).sorted { $0.seq < $1.seq }
        var firstLine: [Int: Int] = [:]
        var running: [Int: Int] = [:]
        for block in blocks {
            firstLine[block.seq] = running[block.input, default: 0]
            running[block.input, default: 0] += block.lines
        }
        let all = (workers.flatMap(\.samples) + producerSamples).sorted { ($0.seq, $0.lineInBlock) < ($1.seq, $1.lineInBlock) }
        merged.malformedSamples = all.prefix(options.malformedExamples).map { s in
            MalformedLine(input: inputNames[s.input], line: UInt64((firstLine[s.seq] ?? 0) + s.lineInBlock),
                          reason: s.reason, excerpt: s.excerpt)
        }
        return merged
    }
}
