/// Reads decimal numbers from bytes without making a string: the point-label files hold
/// millions of them.
enum DecimalText {
    /// Powers of ten exactly representable as `Double`.
    static let powers: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { a, _ in a * 10 } }

    /// The number `bytes` spell: `[-]digits[.digits]` with at most 18 digits, divided exactly
    /// (so correctly rounded, as `Double(String)` is); other shapes (exponents, longer
    /// mantissas) through `Double(String)`. Nil when it is not a finite number.
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
                if digits > 18 { return slow(bytes) }
            } else if b == 0x2E && !seenPoint {
                seenPoint = true
            } else {
                return slow(bytes)
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        let value = Double(mantissa) / powers[fraction]
        return negative ? -value : value
    }

    static func slow(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite else { return nil }
        return value
    }
}
