import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, fast generator whose whole state is one
/// 64-bit word, so every image can get its own stream derived from (seed, index) and the
/// output does not depend on how many threads render.
public struct SceneRandom: Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// A generator for one purpose (`stream`) of one item (`index`) under `seed`: streams that
    /// differ in any of the three are unrelated.
    public init(seed: UInt64, stream: UInt64, index: UInt64) {
        state = SceneRandom.mix(SceneRandom.mix(seed ^ 0x5CE1_E5EE_D000_0000) &+ SceneRandom.mix(stream &* 0x9E37_79B9_7F4A_7C15 &+ index))
    }

    /// The SplitMix64 finaliser: a bijection of 64-bit words that scatters nearby inputs.
    @inlinable public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SceneRandom.mix(state)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * unit()
    }

    /// Uniform integer in `range` (modulo bias is negligible for the small ranges used here).
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// Uniform integer in [0, count).
    public mutating func index(_ count: Int) -> Int {
        Int(next() % UInt64(max(count, 1)))
    }

    public mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// Standard normal (Box–Muller; one of the pair is dropped to keep the state simple).
    public mutating func normal() -> Double {
        let u = max(unit(), 1e-300)
        let v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    public mutating func normal(mean: Double, std: Double) -> Double {
        mean + std * normal()
    }

    public mutating func pick<T>(_ items: [T]) -> T? {
        items.isEmpty ? nil : items[index(items.count)]
    }

    /// An index drawn with probability proportional to `weights`.
    public mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var r = unit() * total
        for (i, w) in weights.enumerated() {
            if r < w { return i }
            r -= w
        }
        return weights.count - 1
    }

    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, index(i + 1))
        }
    }
}

/// Stateless per-pixel randomness: a hash of (key, x, y), so textures need no stored noise.
@inlinable func pixelHash(_ key: UInt64, _ x: Int, _ y: Int) -> UInt64 {
    SceneRandom.mix(key ^ (UInt64(truncatingIfNeeded: x) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(truncatingIfNeeded: y) &* 0xC2B2_AE3D_27D4_EB4F))
}

/// A hash mapped to [-1, 1).
@inlinable func signedUnit(_ h: UInt64) -> Float {
    Float(h >> 40) * (2.0 / 16_777_216.0) - 1
}
