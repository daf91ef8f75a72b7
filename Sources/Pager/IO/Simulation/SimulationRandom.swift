/// The pseudo-random generator every simulated decision draws from: xoshiro256** seeded through
/// SplitMix64, so a 64-bit seed names a whole run.
///
/// Replays must hold across toolchains, so the helpers below (bounded integers, probabilities,
/// shuffles) are written out here instead of taken from the standard library, whose algorithms
/// for `random(in:using:)` and `shuffle(using:)` are not promised to stay the same.
package struct SimulationRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    package init(seed: UInt64) {
        var mixer = seed
        s0 = Self.splitMix(&mixer)
        s1 = Self.splitMix(&mixer)
        s2 = Self.splitMix(&mixer)
        s3 = Self.splitMix(&mixer)
        // SplitMix64 never yields four zeros in a row, the one state xoshiro cannot leave.
        assert(s0 | s1 | s2 | s3 != 0, "xoshiro256** state is all zeros")
    }

    /// SplitMix64: spreads a seed (or a counter) over 64 well-mixed bits.
    package static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A seed derived from `seed` and a stream number, so that several generators made from one
    /// seed (one per connection, one per crash) do not draw the same numbers.
    package static func derive(_ seed: UInt64, stream: UInt64) -> UInt64 {
        var state = seed ^ (stream &* 0xD605_BBB5_8C8A_BBA5)
        return splitMix(&state)
    }

    package mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A number in `0..<bound` (Lemire's multiply-and-reject, without bias).
    package mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "a random number below \(bound) does not exist")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// A number in `range`.
    package mutating func number(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `probability`. 0 never draws (so a plan without a fault leaves the
    /// stream of numbers the same as a plan that lacks the field), 1 always holds.
    package mutating func chance(_ probability: Double) -> Bool {
        guard probability > 0 else { return false }
        if probability >= 1 { return true }
        return Double(next() >> 11) * 0x1.0p-53 < probability
    }

    /// Shuffles `elements` in place (Fisher-Yates).
    package mutating func shuffle<T>(_ elements: inout [T]) {
        guard elements.count > 1 else { return }
        for i in stride(from: elements.count - 1, to: 0, by: -1) {
            let j = below(i + 1)
            if i != j { elements.swapAt(i, j) }
        }
    }
}
