import Foundation
import Support

/// The scenes' draws, on `SplitMix64`: every image gets its own streams derived from (seed,
/// purpose, index), so the output does not depend on how many threads render.
extension SplitMix64 {
    /// A generator for one purpose (`stream`) of one item (`index`) under `seed`: streams that
    /// differ in any of the three are unrelated.
    public init(seed: UInt64, stream: UInt64, index: UInt64) {
        self.init(seed: StableHash.mix(StableHash.mix(seed ^ 0x5CE1_E5EE_D000_0000) &+ StableHash.mix(stream &* StableHash.golden &+ index)))
    }

    /// Uniform integer in `range` (modulo bias is negligible for the small ranges used here).
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
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
        items.isEmpty ? nil : items[below(items.count)]
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
            items.swapAt(i, below(i + 1))
        }
    }
}

/// Stateless per-pixel randomness: a hash of (key, x, y), so textures need no stored noise.
@inlinable func pixelHash(_ key: UInt64, _ x: Int, _ y: Int) -> UInt64 {
    StableHash.mix(key ^ (UInt64(truncatingIfNeeded: x) &* StableHash.golden) ^ (UInt64(truncatingIfNeeded: y) &* 0xC2B2_AE3D_27D4_EB4F))
}

/// A hash mapped to [-1, 1).
@inlinable func signedUnit(_ h: UInt64) -> Float {
    Float(h >> 40) * (2.0 / 16_777_216.0) - 1
}
