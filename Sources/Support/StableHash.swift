/// Hashes whose bits are the same on every machine, compiler and run, for anything stored or
/// compared across runs (Swift's `Hasher` is seeded per process): file fingerprints, word
/// hashes, stable ids, validation splits, seeds of random streams.
public enum StableHash {
    /// FNV-1a offset basis for 64 bits.
    public static let fnvOffset: UInt64 = 0xCBF2_9CE4_8422_2325
    /// FNV-1a prime for 64 bits.
    public static let fnvPrime: UInt64 = 0x0000_0100_0000_01B3

    /// FNV-1a, 64 bits: from `basis` (the offset basis unless a caller folds a seed into it),
    /// for each byte XOR it in and multiply by the prime (wrapping).
    @inlinable
    public static func fnv1a(_ bytes: some Sequence<UInt8>, basis: UInt64 = fnvOffset) -> UInt64 {
        var hash = basis
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* fnvPrime }
        return hash
    }

    /// FNV-1a over the UTF-8 bytes of `text`.
    @inlinable
    public static func fnv1a(_ text: String, basis: UInt64 = fnvOffset) -> UInt64 {
        fnv1a(text.utf8, basis: basis)
    }

    /// The SplitMix64 finaliser (Steele, Lea & Flood 2014): a bijection of 64-bit words that
    /// scatters nearby inputs, used to turn hashes and seeds into unrelated stream states.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The golden-ratio increment of SplitMix64, also used to spread small integers apart.
    public static let golden: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// `value` as exactly 16 lower-case hexadecimal digits.
    public static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
