/// The hashes and the random stream of the question stage.
///
/// Everything here is integer arithmetic on fixed-width words, so the same inputs give the
/// same bits on every machine, compiler and run (Swift's `Hasher` is seeded per process and
/// must not be used for anything stored or compared across runs).
public enum StableHash {
    /// FNV-1a offset basis for 64 bits.
    public static let fnvOffset: UInt64 = 0xCBF2_9CE4_8422_2325
    /// FNV-1a prime for 64 bits.
    public static let fnvPrime: UInt64 = 0x0000_0100_0000_01B3

    /// FNV-1a, 64 bits, over the UTF-8 bytes of `text`: start from the offset basis, then for
    /// each byte XOR it in and multiply by the prime (wrapping).
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash = fnvOffset
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* fnvPrime
        }
        return hash
    }

    /// The SplitMix64 finaliser (Steele, Lea & Flood 2014): a bijection of 64-bit words that
    /// scatters nearby inputs, used to turn hashes and seeds into unrelated stream states.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `value` as exactly 16 lower-case hexadecimal digits.
    public static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// A SplitMix64 stream: a whole-word state advanced by the golden-ratio increment and
/// finalised by `StableHash.mix`. Each (image, seed, purpose) gets its own stream, so the
/// points of one image do not depend on which other images were sampled or in what order.
struct StableRandom {
    private var state: UInt64

    /// The stream for `purpose` on `key` (an image id) under `seed`: the key's FNV-1a hash and
    /// the seed are mixed separately before combining, so neither a different key nor a
    /// different seed can give back the same state by cancellation.
    init(key: String, seed: UInt64, purpose: UInt64) {
        state = StableHash.mix(StableHash.fnv1a(key))
            &+ StableHash.mix(seed ^ 0x51_7E57_10E5)
            &+ StableHash.mix(purpose &* 0x9E37_79B9_7F4A_7C15)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return StableHash.mix(state)
    }

    /// Uniform in [0, 1): the top 53 bits scaled exactly, so the value is the same everywhere.
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform integer in [0, count) by rejection (no modulo bias); 0 when `count` < 2.
    mutating func index(_ count: Int) -> Int {
        guard count > 1 else { return 0 }
        let bound = UInt64(count)
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let value = next()
            if value < limit { return Int(value % bound) }
        }
    }
}
