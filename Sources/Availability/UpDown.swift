import Glibc

/// The probability that something is up and the probability that it is down, each kept to full
/// relative precision. `1 - 0.999999` in binary floating point keeps only about ten correct
/// digits, so every operation here computes the small side directly (products of
/// unavailabilities, sums of positive binomial terms, `log1p`/`expm1`) instead of subtracting
/// from one.
public struct UpDown: Sendable, Equatable, CustomStringConvertible {
    public var up: Double
    public var down: Double

    /// Keeps the smaller side as computed and derives the larger one from it with a single
    /// rounding, which is as close as a double can get (the small side carries the information).
    public init(up: Double, down: Double) {
        if down <= up {
            self.up = 1 - down
            self.down = down
        } else {
            self.up = up
            self.down = 1 - up
        }
    }

    /// From the availability alone, for values that are not close to one (tests, MTBF ratios).
    public init(availability: Double) {
        self.init(up: availability, down: 1 - availability)
    }

    /// From the unavailability alone, which is exact for the small values that matter.
    public init(unavailability: Double) {
        self.init(up: 1 - unavailability, down: unavailability)
    }

    public static let alwaysUp = UpDown(up: 1, down: 0)
    public static let alwaysDown = UpDown(up: 0, down: 1)

    /// MTBF / (MTBF + MTTR): the steady-state availability of something that works for MTBF on
    /// average and then takes MTTR to repair.
    public init(mtbf: Double, mttr: Double) {
        let total = mtbf + mttr
        self.init(up: mtbf / total, down: mttr / total)
    }

    /// -log10(unavailability): 99.9% is 3 nines, 99.95% is 3.30.
    public var nines: Double { -log10(down) }

    /// log(up), taken from whichever side is known more precisely.
    var logUp: Double { down < 0.5 ? log1p(-down) : log(up) }
    /// log(down), likewise.
    var logDown: Double { up < 0.5 ? log1p(-up) : log(down) }

    /// The same thing with its unavailability divided by ten: "one more nine".
    public var oneMoreNine: UpDown { UpDown(up: 1 - down / 10, down: down / 10) }

    public var description: String { "UpDown(up: \(up), down: \(down))" }

    /// All parts must be up: up = Π up, down = 1 − Π up = −expm1(Σ log up).
    public static func series(_ parts: [UpDown]) -> UpDown {
        guard !parts.isEmpty else { return .alwaysUp }
        if parts.count == 1 { return parts[0] }
        var logSum = 0.0
        var product = 1.0
        for part in parts {
            if part.up == 0 { return .alwaysDown }
            logSum += part.logUp
            product *= part.up
        }
        return UpDown(up: product, down: -expm1(logSum))
    }

    /// Any one part suffices: down = Π down, up = −expm1(Σ log down).
    public static func parallel(_ parts: [UpDown]) -> UpDown {
        guard !parts.isEmpty else { return .alwaysDown }
        if parts.count == 1 { return parts[0] }
        var logSum = 0.0
        var product = 1.0
        for part in parts {
            if part.down == 0 { return .alwaysUp }
            logSum += part.logDown
            product *= part.down
        }
        return UpDown(up: -expm1(logSum), down: product)
    }

    /// At least `k` of the parts must be up (a Poisson-binomial distribution). The probability
    /// of exactly j parts up is built one part at a time; every term is a sum of positive
    /// products, so both tails keep full relative precision.
    public static func atLeast(_ k: Int, of parts: [UpDown]) -> UpDown {
        precondition(k >= 1 && k <= parts.count, "1 <= k <= n")
        var exactly = [Double](repeating: 0, count: parts.count + 1)
        exactly[0] = 1
        for (index, part) in parts.enumerated() {
            var j = index + 1
            while j >= 1 {
                exactly[j] = exactly[j] * part.down + exactly[j - 1] * part.up
                j -= 1
            }
            exactly[0] *= part.down
        }
        var up = 0.0, down = 0.0
        for j in 0...parts.count {
            if j >= k { up += exactly[j] } else { down += exactly[j] }
        }
        return UpDown(up: up, down: down)
    }

    /// At least `k` of `n` identical copies up: the binomial sum Σ C(n,j) a^j u^(n−j), each tail
    /// summed separately.
    public static func atLeast(_ k: Int, ofCopies n: Int, _ part: UpDown) -> UpDown {
        precondition(k >= 1 && k <= n, "1 <= k <= n")
        var up = 0.0, down = 0.0
        for (j, term) in binomialTerms(n, part).enumerated() {
            if j >= k { up += term } else { down += term }
        }
        return UpDown(up: up, down: down)
    }

    /// The fractions of requests a pool of `n` identical copies serves and sheds with `j` members
    /// up, when it needs `k` up and carries `load` of its total capacity: nothing below k, else
    /// min(1, j/(n·load)). The shed side is (n·load − j)/(n·load), not 1 − served, to keep its digits.
    static func servedShare(_ j: Int, atLeast k: Int, ofCopies n: Int, load: Double) -> (served: Double, shed: Double) {
        let capacity = Double(n) * load
        if j < k { return (0, 1) }
        if Double(j) >= capacity { return (1, 0) }
        return (Double(j) / capacity, (capacity - Double(j)) / capacity)
    }

    /// The expected fraction of requests a pool of `n` identical copies serves when it needs
    /// `k` up and carries `load` of its total capacity (`servedShare` averaged over the number
    /// up). Both sides are sums of positive terms (served and shed share of each binomial term),
    /// so neither loses digits to a subtraction from one.
    public static func served(atLeast k: Int, ofCopies n: Int, _ part: UpDown, load: Double) -> UpDown {
        precondition(k >= 1 && k <= n && load > 0, "1 <= k <= n, load > 0")
        var up = 0.0, down = 0.0
        for (j, term) in binomialTerms(n, part).enumerated() where term > 0 {
            let share = servedShare(j, atLeast: k, ofCopies: n, load: load)
            up += term * share.served
            down += term * share.shed
        }
        return UpDown(up: up, down: down)
    }

    /// P(exactly j of n identical copies up) = C(n,j) a^j u^(n−j) for j = 0…n. Small pools use
    /// exact binomial coefficients and powers, the most precise route; past 60 copies the terms
    /// are formed in log space so the coefficient cannot overflow nor the powers underflow.
    static func binomialTerms(_ n: Int, _ part: UpDown) -> [Double] {
        var terms = [Double](repeating: 0, count: n + 1)
        if part.down == 0 { terms[n] = 1; return terms }
        if part.up == 0 { terms[0] = 1; return terms }
        if n <= 60 {
            var choose = 1.0
            for j in 0...n {
                terms[j] = choose * pow(part.up, Double(j)) * pow(part.down, Double(n - j))
                choose = choose * Double(n - j) / Double(j + 1)
            }
            return terms
        }
        let logA = part.logUp, logU = part.logDown
        var logChoose = 0.0
        for j in 0...n {
            terms[j] = exp(logChoose + Double(j) * logA + Double(n - j) * logU)
            logChoose += log(Double(n - j)) - log(Double(j + 1))
        }
        return terms
    }
}
