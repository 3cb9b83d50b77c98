/// SplitMix64 (Steele, Lea & Flood 2014): a seeded generator whose whole state is one 64-bit
/// word, advanced by the golden-ratio increment and finalised by `StableHash.mix`. Every
/// stage that draws numbers uses it, each item with a stream of its own derived from a seed,
/// so results never depend on thread count or processing order, and never on the system RNG.
public struct SplitMix64: Sendable {
    @usableFromInline var state: UInt64

    public init(seed: UInt64) { state = seed }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= StableHash.golden
        return StableHash.mix(state)
    }

    /// Uniform in [0, 1): the top 53 bits scaled exactly.
    @inlinable
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [0, 1) in single precision: the top 24 bits scaled exactly.
    @inlinable
    public mutating func unitFloat() -> Float { Float(next() >> 40) / Float(1 << 24) }

    /// Uniform in [low, high).
    @inlinable
    public mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

    /// An integer in [0, count) by a modulo (its bias, below count / 2^64, is negligible for
    /// the small counts of shuffles and picks); 0 when count < 1.
    @inlinable
    public mutating func below(_ count: Int) -> Int { Int(next() % UInt64(max(count, 1))) }

    /// An integer in [0, count) exactly uniform, by rejection; 0 when count < 2.
    public mutating func unbiasedBelow(_ count: Int) -> Int {
        guard count > 1 else { return 0 }
        let bound = UInt64(count)
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let value = next()
            if value < limit { return Int(value % bound) }
        }
    }
}
