import Glibc

/// Reads decimal numbers from bytes without making a string: the point-label files hold
/// millions of them.
enum DecimalText {
    /// Powers of ten exactly representable as `Double`.
    static let powers: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { a, _ in a * 10 } }

    /// The number `bytes` spell: `[-]digits[.digits]` with at most 15 digits (below 2^53, so
    /// the mantissa and the power of ten are exact and their quotient correctly rounded, as
    /// `Double(String)` is); longer mantissas and exponents through `Double(String)`. Nil when it
    /// is not a finite decimal number (hexadecimal, inf and nan are refused). Minus zero is zero.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        var seenPoint = false
        var i = 0
        let negative = bytes.first == 0x2D
        if negative { i = 1 }
        while i < bytes.count {
            let b = bytes[i]
            if b >= 0x30 && b <= 0x39 {
                mantissa = mantissa * 10 + UInt64(b - 0x30)
                digits += 1
                if seenPoint { fraction += 1 }
                if digits > 15 { return slow(bytes) }
            } else if b == 0x2E && !seenPoint {
                seenPoint = true
            } else {
                return slow(bytes)
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        let value = Double(mantissa) / powers[fraction]
        return negative && value != 0 ? -value : value
    }

    /// glibc's `strtod` (correctly rounded) on a NUL-terminated copy of the bytes, which must
    /// all be read.
    static func slow(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let decimal = bytes.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || $0 == 0x65 || $0 == 0x45 }
        guard decimal, !bytes.isEmpty, bytes.count < 512 else { return nil }
        let value = withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { text -> Double? in
            for (i, b) in bytes.enumerated() { text[i] = CChar(bitPattern: b) }
            text[bytes.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(text.baseAddress!, &end)
            return end == text.baseAddress! + bytes.count ? value : nil
        }
        guard let value, value.isFinite else { return nil }
        return value == 0 ? 0 : value
    }
}
