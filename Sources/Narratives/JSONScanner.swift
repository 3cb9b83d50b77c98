import Glibc

/// A JSON syntax, type or range error at a byte offset of the scanned text.
public struct JSONError: Error, Equatable, Sendable {
    /// Zero-based byte offset where the problem was found.
    public var offset: Int
    public var reason: String
    /// The record field it concerns (`traces[0][12].t`), when a schema-aware reader knows it.
    public var field: String?

    public init(offset: Int, reason: String, field: String? = nil) {
        self.offset = offset
        self.reason = reason
        self.field = field
    }
}

/// A strict, allocation-light JSON scanner over a byte buffer (RFC 8259).
///
/// The LN decoder pulls values from it field by field; nothing is materialised that the
/// caller does not ask for. Everything it accepts is valid JSON and is read as JSON defines
/// it: all string escapes including surrogate pairs, every number form. It rejects what JSON
/// does not allow (NaN, comments, trailing commas, control characters in strings, invalid
/// UTF-8) and, deliberately, two things JSON allows but a record cannot carry: unpaired
/// UTF-16 surrogates in `\u` escapes and numbers that overflow a Double.
public struct JSONScanner {
    /// Deepest nesting of arrays and objects accepted; deeper input is rejected, not recursed into.
    public static let maximumDepth = 256

    let base: UnsafePointer<UInt8>
    let end: Int
    /// Current byte offset.
    public internal(set) var position: Int

    public init(_ buffer: UnsafeBufferPointer<UInt8>) {
        // An empty buffer has no base address; point at a static byte so reads stay in bounds.
        self.base = buffer.baseAddress ?? JSONScanner.emptyByte
        self.end = buffer.count
        self.position = 0
    }

    nonisolated(unsafe) private static let emptyByte: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()

    /// Checks that `bytes` hold exactly one JSON value with optional surrounding whitespace.
    public static func validate(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) {
        var scanner = JSONScanner(bytes)
        try scanner.skipValue()
        try scanner.expectEnd()
    }

    // MARK: Structure

    func fail(_ reason: String) -> JSONError { JSONError(offset: position, reason: reason) }

    /// Skips JSON whitespace: space, tab, line feed and carriage return only.
    @inline(__always)
    public mutating func skipWhitespace() {
        while position < end {
            let c = base[position]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { position += 1 } else { return }
        }
    }

    /// The next non-whitespace byte, not consumed; nil at the end of input.
    @inline(__always)
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < end ? base[position] : nil
    }

    /// Requires that only whitespace remains.
    public mutating func expectEnd() throws(JSONError) {
        skipWhitespace()
        if position < end { throw fail("unexpected data after the JSON value") }
    }

    @inline(__always)
    mutating func consume(_ byte: UInt8, _ what: @autoclosure () -> String) throws(JSONError) {
        skipWhitespace()
        guard position < end else { throw fail("unexpected end of input, expected \(what())") }
        guard base[position] == byte else { throw fail("expected \(what())") }
        position += 1
    }

    /// Consumes `{`; returns false, having consumed `}` too, when the object is empty.
    @inline(__always)
    public mutating func enterObject() throws(JSONError) -> Bool {
        try enter(UInt8(ascii: "{"), closing: UInt8(ascii: "}"))
    }

    /// Consumes `[`; returns false, having consumed `]` too, when the array is empty.
    @inline(__always)
    public mutating func enterArray() throws(JSONError) -> Bool {
        try enter(UInt8(ascii: "["), closing: UInt8(ascii: "]"))
    }

    /// Reads a member's key and the `:` after it.
    @inline(__always)
    public mutating func memberKey() throws(JSONError) -> JSONKey {
        skipWhitespace()
        let key = try scanKey()
        try consume(UInt8(ascii: ":"), "':' after object key")
        return key
    }

    /// After a member's value: consumes `,` (returns true, more members follow) or `}` (false).
    @inline(__always)
    public mutating func afterMember() throws(JSONError) -> Bool {
        try separatorOrEnd(closing: UInt8(ascii: "}"), inside: "an object")
    }

    /// After an element: consumes `,` (returns true, another element follows) or `]` (false).
    @inline(__always)
    public mutating func afterElement() throws(JSONError) -> Bool {
        try separatorOrEnd(closing: UInt8(ascii: "]"), inside: "an array")
    }

    @inline(__always)
    mutating func enter(_ opening: UInt8, closing: UInt8) throws(JSONError) -> Bool {
        try consume(opening, "'\(Character(Unicode.Scalar(opening)))'")
        skipWhitespace()
        if position < end, base[position] == closing {
            position += 1
            return false
        }
        return true
    }

    @inline(__always)
    mutating func separatorOrEnd(closing: UInt8, inside container: String) throws(JSONError) -> Bool {
        skipWhitespace()
        guard position < end else { throw fail("unexpected end of input inside \(container)") }
        let c = base[position]
        if c == UInt8(ascii: ",") || c == closing {
            position += 1
            return c == UInt8(ascii: ",")
        }
        throw fail("expected ',' or '\(Character(Unicode.Scalar(closing)))'")
    }

    /// Iterates an object's members: `body` receives each key and must consume its value.
    public mutating func forEachMember(
        _ body: (inout JSONScanner, JSONKey) throws(JSONError) -> Void
    ) throws(JSONError) {
        guard try enterObject() else { return }
        repeat {
            let key = try memberKey()
            try body(&self, key)
        } while try afterMember()
    }

    /// Iterates an array's elements: `body` receives the element index and must consume it.
    public mutating func forEachElement(
        _ body: (inout JSONScanner, Int) throws(JSONError) -> Void
    ) throws(JSONError) {
        guard try enterArray() else { return }
        var index = 0
        repeat {
            try body(&self, index)
            index += 1
        } while try afterElement()
    }

    /// Consumes `null` if it is next and reports whether it was.
    public mutating func consumeNull() throws(JSONError) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// Consumes the `count` (at most 8) bytes of `word`, a little-endian word with the bytes
    /// beyond `count` zero, if the input continues with exactly them: one load and compare
    /// (at least 8 bytes must remain).
    @inline(__always)
    mutating func consume(word: UInt64, count: Int) -> Bool {
        let mask: UInt64 = count >= 8 ? ~0 : (1 << (8 * UInt64(count))) &- 1
        guard end - position >= 8, UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self) & mask == word else {
            return false
        }
        position += count
        return true
    }

    /// Consumes `text` if the input continues with exactly it.
    @inline(__always)
    mutating func consume(_ text: StaticString) -> Bool {
        let n = text.utf8CodeUnitCount
        guard end - position >= n, memcmp(base + position, text.utf8Start, n) == 0 else { return false }
        position += n
        return true
    }

    mutating func literal(_ text: StaticString) throws(JSONError) {
        let n = text.utf8CodeUnitCount
        guard end - position >= n else { throw fail("invalid literal") }
        let p = text.utf8Start
        for i in 0..<n where base[position + i] != p[i] {
            throw fail("invalid literal")
        }
        position += n
    }

    // MARK: Skipping

    /// Consumes and validates one value of any kind.
    public mutating func skipValue() throws(JSONError) {
        try skipValue(depth: 0)
    }

    mutating func skipValue(depth: Int) throws(JSONError) {
        skipWhitespace()
        guard position < end else { throw fail("unexpected end of input, expected a value") }
        switch base[position] {
        case UInt8(ascii: "{"):
            guard depth < JSONScanner.maximumDepth else { throw fail("nesting deeper than \(JSONScanner.maximumDepth)") }
            try forEachMember { (s: inout JSONScanner, _: JSONKey) throws(JSONError) in try s.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            guard depth < JSONScanner.maximumDepth else { throw fail("nesting deeper than \(JSONScanner.maximumDepth)") }
            try forEachElement { (s: inout JSONScanner, _: Int) throws(JSONError) in try s.skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""):
            _ = try scanString(decode: false)
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try scanNumber(needValue: false)
        default:
            throw fail("expected a value")
        }
    }

    /// The kind of the next value, without consuming it.
    public mutating func nextKind() -> JSONKind? {
        guard let c = peek() else { return nil }
        switch c {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: return .invalid
        }
    }

    // MARK: Strings

    /// Reads a string value and decodes it.
    public mutating func readString() throws(JSONError) -> String {
        skipWhitespace()
        guard position < end, base[position] == UInt8(ascii: "\"") else { throw fail("expected a string") }
        return try scanString(decode: true) ?? ""
    }

    mutating func scanKey() throws(JSONError) -> JSONKey {
        guard position < end, base[position] == UInt8(ascii: "\"") else { throw fail("expected an object key (a string)") }
        let start = position + 1
        _ = try scanString(decode: false)
        return JSONKey(scanner: self, start: start, end: position - 1, escaped: scannedEscape)
    }

    /// Set by `scanString(decode: false)`: whether the last string held a backslash escape.
    private(set) var scannedEscape = false

    /// Scans a string starting at the opening quote. With `decode`, returns its value;
    /// otherwise validates it and returns nil.
    mutating func scanString(decode: Bool) throws(JSONError) -> String? {
        position += 1  // opening quote
        let start = position
        var decoded: [UInt8] = []
        var runStart = start
        scannedEscape = false
        while true {
            // Fast path over plain ASCII.
            while position < end {
                let c = base[position]
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 || c >= 0x80 { break }
                position += 1
            }
            guard position < end else { throw fail("unterminated string") }
            let c = base[position]
            if c == UInt8(ascii: "\"") {
                let value: String?
                if !decode {
                    value = nil
                } else if !scannedEscape {
                    value = String(decoding: UnsafeBufferPointer(start: base + start, count: position - start), as: UTF8.self)
                } else {
                    decoded.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: position - runStart))
                    value = String(decoding: decoded, as: UTF8.self)
                }
                position += 1
                return value
            } else if c == UInt8(ascii: "\\") {
                if decode {
                    if !scannedEscape { decoded.reserveCapacity(position - start + 16) }
                    decoded.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: position - runStart))
                }
                scannedEscape = true
                try scanEscape(decode: decode, into: &decoded)
                runStart = position
            } else if c < 0x20 {
                throw fail("unescaped control character in string")
            } else {
                try skipUTF8Sequence()
            }
        }
    }

    private mutating func scanEscape(decode: Bool, into output: inout [UInt8]) throws(JSONError) {
        position += 1
        guard position < end else { throw fail("unterminated escape") }
        let c = base[position]
        position += 1
        let simple: UInt8
        switch c {
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        case UInt8(ascii: "/"): simple = 0x2F
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800...0xDBFF).contains(scalar) {
                guard end - position >= 6, base[position] == UInt8(ascii: "\\"), base[position + 1] == UInt8(ascii: "u") else {
                    throw fail("unpaired UTF-16 surrogate in \\u escape")
                }
                position += 2
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw fail("unpaired UTF-16 surrogate in \\u escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw fail("unpaired UTF-16 surrogate in \\u escape")
            }
            if decode { appendUTF8(scalar, to: &output) }
            return
        default:
            position -= 1
            throw fail("invalid escape sequence")
        }
        if decode { output.append(simple) }
    }

    private mutating func hex4() throws(JSONError) -> UInt32 {
        guard end - position >= 4 else { throw fail("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = base[position]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw fail("invalid hex digit in \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Validates one multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
    private mutating func skipUTF8Sequence() throws(JSONError) {
        let c = base[position]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch c {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            upper = 0x9F
        case 0xF0:
            length = 4
            lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            upper = 0x8F
        default: throw fail("invalid UTF-8 byte in string")
        }
        guard end - position >= length else { throw fail("truncated UTF-8 sequence in string") }
        let second = base[position + 1]
        guard second >= lower, second <= upper else { throw fail("invalid UTF-8 sequence in string") }
        for i in 2..<max(length, 2) where base[position + i] & 0xC0 != 0x80 {
            throw fail("invalid UTF-8 sequence in string")
        }
        position += length
    }

    // MARK: Numbers

    /// Reads a number as a finite Double.
    public mutating func readDouble() throws(JSONError) -> Double {
        skipWhitespace()
        guard position < end else { throw fail("unexpected end of input, expected a number") }
        let c = base[position]
        guard c == UInt8(ascii: "-") || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) else {
            throw fail("expected a number")
        }
        return try scanNumber(needValue: true)
    }

    /// Reads a plain decimal number (`-`? digits, optionally `.` digits, no exponent) of at
    /// most 19 digits whose digits form an integer below 2^53 and with at most 22 after
    /// the point, the form of nearly every number in LN files. Returns nil, with the position
    /// unchanged, for anything else (other forms, invalid text, the end of input): the caller
    /// then reads it with `readDouble`, which also reports errors. The result is exact for
    /// the same reason as `scanNumber`'s fast path, and equal to what `readDouble` returns.
    @inline(__always)
    public mutating func readPlainDecimal() -> Double? {
        guard let d = scanPlainDecimal() else { return nil }
        var value = Double(d.mantissa)
        if d.fraction > 0 { value /= JSONScanner.powerOfTen(d.fraction) }
        position = d.end
        return d.negative ? -value : value
    }

    /// A plain decimal's parts: `mantissa` × 10^-`fraction`, negated when `negative`, ending
    /// before byte `end`.
    struct PlainDecimal {
        var mantissa: UInt64
        var fraction: Int
        var negative: Bool
        var end: Int
    }

    /// The plain decimal at the position (the forms `readPlainDecimal` describes), without
    /// moving the position; nil for anything else.
    @inline(__always)
    func scanPlainDecimal() -> PlainDecimal? {
        var p = position
        let stop = end
        guard p < stop else { return nil }
        let negative = base[p] == UInt8(ascii: "-")
        if negative { p += 1 }
        guard p < stop else { return nil }
        var mantissa: UInt64 = 0
        var digits = 0
        var c = base[p]
        if c == UInt8(ascii: "0") {
            p += 1
        } else if c &- 0x31 < 9 {
            repeat {
                mantissa = mantissa &* 10 &+ UInt64(c &- 0x30)
                digits += 1
                p += 1
                guard p < stop else { break }
                c = base[p]
            } while c &- 0x30 < 10 && digits < 19
        } else {
            return nil
        }
        var fraction = 0
        if p < stop, base[p] == UInt8(ascii: ".") {
            p += 1
            // A 20th digit would wrap the mantissa: the general reader takes those.
            guard p < stop, base[p] &- 0x30 < 10, digits < 19 else { return nil }
            // Up to 7 fraction digits with at least 8 bytes left: all at once.
            if stop - p >= 8, digits <= 11, case let (count, v) = JSONScanner.leadingDigits(base + p), count < 8 {
                mantissa = mantissa &* JSONScanner.integerPowerOfTen(count) &+ v
                fraction = count
                p += count
            } else {
                repeat {
                    mantissa = mantissa &* 10 &+ UInt64(base[p] &- 0x30)
                    digits += 1
                    fraction += 1
                    p += 1
                } while p < stop && base[p] &- 0x30 < 10 && digits < 19
            }
        }
        // A digit here is a leading zero's successor or a 20th digit; an exponent is another form.
        if p < stop, JSONScanner.continuesNumber(base[p]) { return nil }
        guard mantissa < (1 << 53), fraction <= 22 else { return nil }
        return PlainDecimal(mantissa: mantissa, fraction: fraction, negative: negative, end: p)
    }

    /// How many of the eight bytes at `at` are decimal digits before the first that is not
    /// (8: all are), and, when fewer than 8, the integer they spell. The bytes are read as
    /// one little-endian word (the first digit in the lowest byte) and converted together.
    @inline(__always)
    static func leadingDigits(_ at: UnsafePointer<UInt8>) -> (count: Int, value: UInt64) {
        let values = UnsafeRawPointer(at).loadUnaligned(as: UInt64.self) ^ 0x3030_3030_3030_3030  // digits → 0...9
        let count = nonDigits(values).trailingZeroBitCount >> 3
        guard count < 8 else { return (8, 0) }
        // Digits moved to the top bytes, zeros (leading zeros) below them; then pairs, fours, eight.
        var v = values << (64 - 8 * UInt64(count))
        v = (v &* 10) &+ (v >> 8)
        let pairs: UInt64 = 0x0000_00FF_0000_00FF
        let high: UInt64 = (v & pairs) &* 0x000F_4240_0000_0064  // × (100 + 10^6 << 32)
        let low: UInt64 = ((v >> 16) & pairs) &* 0x0000_2710_0000_0001  // × (1 + 10^4 << 32)
        return (count, (high &+ low) >> 32)
    }

    /// The high bit of each byte of `values` (eight input bytes XOR 0x30 each) that was not a
    /// decimal digit: its value is above 9.
    @inline(__always)
    static func nonDigits(_ values: UInt64) -> UInt64 {
        ((values & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7676_7676_7676_7676 | values) & 0x8080_8080_8080_8080
    }

    /// Whether a number would go on with `byte` (a digit, `.`, `e`, `E`): a reader that stops
    /// before it has not read a whole number in the form it reads.
    @inline(__always)
    static func continuesNumber(_ byte: UInt8) -> Bool {
        byte &- 0x30 < 10 || byte | 0x20 == UInt8(ascii: "e") || byte == UInt8(ascii: ".")
    }

    /// 10^e for 0 ≤ e ≤ 7: a lookup, not a switch (whose jump table mispredicts as fraction
    /// lengths vary from number to number).
    @inline(__always)
    static func integerPowerOfTen(_ e: Int) -> UInt64 {
        SIMD8<UInt64>(1, 10, 100, 1000, 10000, 100_000, 1_000_000, 10_000_000)[e & 7]
    }

    /// `readPlainDecimal` narrowed to a finite Float, the value the general path gives
    /// (`Float(readDouble())`): the mantissa m divided by 10^k in double precision, then
    /// rounded to Float. For the usual trace value (m below 2^24, k ≤ 7 fraction digits) both
    /// operands are exact and the rounding twice is harmless: a Float rounding midpoint has a
    /// 25-bit odd significand, m/10^k never equals one (when it is dyadic its significand has
    /// fewer than 25 bits, and it is a Float itself), and for k ≤ 7 it lies at least
    /// 1/(10^k · 2^25) ≈ 3·10^-15 (relative) from every one, while the double quotient is
    /// within 2^-53 of it.
    ///
    /// The usual short forms (`readFourDecimalFloat`, `readShortDecimalFloat`) are read inline;
    /// anything else out of line.
    @inline(__always)
    public mutating func readPlainFloat() -> Float? {
        if let value = readFourDecimalFloat() { return value }
        if let value = readShortDecimalFloat() { return value }
        return readLongerPlainFloat()
    }

    /// `readPlainFloat` for the commonest trace value of all, one digit, `.`, four digits
    /// (`0.4893`, LN's coordinates and most of its times), checked and converted in one
    /// eight-byte word; nil, with the position unchanged, for anything else.
    @inline(__always)
    mutating func readFourDecimalFloat() -> Float? {
        guard end - position >= 8 else { return nil }
        let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
        let values = word ^ 0x3030_3030_3030_3030  // digits → 0...9
        // Bytes 0 and 2-5 digits, byte 1 the point, byte 6 not part of a number.
        guard JSONScanner.nonDigits(values) & 0x0000_8080_8080_0080 == 0, UInt8(truncatingIfNeeded: word >> 8) == UInt8(ascii: "."),
            !JSONScanner.continuesNumber(UInt8(truncatingIfNeeded: word >> 48))
        else { return nil }
        // Bytes 2-5 hold the four fraction digits, the first in the lowest: pairs, then the pairs.
        let fraction = (values >> 16) & 0xFFFF_FFFF
        let pairs = (fraction &* 10 &+ (fraction >> 8)) & 0x00FF_00FF
        let mantissa = (values & 0xFF) &* 10_000 &+ (pairs & 0xFF) &* 100 &+ (pairs >> 16)
        position += 6
        return Float(Double(mantissa) / 10_000)
    }

    /// `readPlainFloat` for the forms the short reader leaves.
    @inline(never)
    mutating func readLongerPlainFloat() -> Float? {
        guard let d = scanPlainDecimal() else { return nil }
        let value = Float(Double(d.mantissa) / JSONScanner.powerOfTen(d.fraction))
        guard value.isFinite else { return nil }
        position = d.end
        return d.negative ? -value : value
    }

    /// `readPlainFloat` for the usual trace value, `-`? then 1–7 integer digits, `.`, 1–7
    /// fraction digits, together below 2^24 (`0.4893`, `12.345`), read with two eight-byte
    /// loads and no loop; nil, with the position unchanged, for anything else (including
    /// fewer than 17 bytes left), which `readLongerPlainFloat` then reads.
    @inline(__always)
    mutating func readShortDecimalFloat() -> Float? {
        var p = position
        guard end - p >= 17 else { return nil }
        let negative = base[p] == UInt8(ascii: "-")
        if negative { p += 1 }
        let (integerDigits, integer) = JSONScanner.leadingDigits(base + p)
        // 1–7 digits, no leading zero before another digit, then the point.
        guard UInt(bitPattern: integerDigits &- 1) < 7, integerDigits == 1 || base[p] != UInt8(ascii: "0"),
            base[p + integerDigits] == UInt8(ascii: ".")
        else { return nil }
        p += integerDigits + 1
        let (fractionDigits, fraction) = JSONScanner.leadingDigits(base + p)
        let scale = JSONScanner.integerPowerOfTen(fractionDigits)
        let mantissa = integer &* scale &+ fraction
        p += fractionDigits
        // An exponent or a second point after the digits is another form.
        guard UInt(bitPattern: fractionDigits &- 1) < 7, mantissa < (1 << 24), !JSONScanner.continuesNumber(base[p])
        else { return nil }
        let value = Float(Double(mantissa) / Double(scale))
        position = p
        return negative ? -value : value
    }

    /// Reads a number written as an integer in the range of Int64: digits with an optional
    /// minus sign, and a fraction of zeros at most (`93` and `93.0` qualify; `9.3e1`,
    /// `1e-999999` and `0.5` do not, whatever value they round to).
    public mutating func readInteger() throws(JSONError) -> Int64 {
        skipWhitespace()
        let start = position
        _ = try readDouble()  // a valid JSON number, or its error
        var p = start
        let negative = base[p] == UInt8(ascii: "-")
        if negative { p += 1 }
        var magnitude: UInt64 = 0
        var exact = true
        while p < position, base[p] >= UInt8(ascii: "0"), base[p] <= UInt8(ascii: "9") {
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(base[p] - UInt8(ascii: "0")))
            exact = exact && !o1 && !o2
            magnitude = sum
            p += 1
        }
        if p < position, base[p] == UInt8(ascii: ".") {
            p += 1
            while p < position, base[p] == UInt8(ascii: "0") { p += 1 }
        }
        let limit = negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
        guard p == position, exact, magnitude <= limit else {
            let text = String(decoding: UnsafeBufferPointer(start: base + start, count: min(position - start, 40)), as: UTF8.self)
            let reason = p == position ? "integer \(text) is out of range" : "expected an integer, found \(text)"
            position = start
            throw fail(reason)
        }
        return negative ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude)
    }

    /// 10^e for 0 ≤ e ≤ 22, all exact doubles (a switch: no lazy global on the hot path).
    @inline(__always)
    static func powerOfTen(_ e: Int) -> Double {
        switch e {
        case 0: 1e0
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        default: 1e22
        }
    }

    /// Scans a number by JSON's grammar; with `needValue`, converts it (exactly, as strtod would).
    mutating func scanNumber(needValue: Bool) throws(JSONError) -> Double {
        let start = position
        var negative = false
        if base[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0  // significant digits accumulated into mantissa
        var dropped = false  // digits beyond what mantissa can hold
        var exponent = 0
        @inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

        guard position < end, isDigit(base[position]) else { throw fail("invalid number") }
        if base[position] == UInt8(ascii: "0") {
            position += 1
            if position < end, isDigit(base[position]) { throw fail("invalid number: leading zero") }
        } else {
            while position < end, isDigit(base[position]) {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(base[position] - 0x30)
                    if mantissa != 0 { digits += 1 }
                } else {
                    exponent += 1
                    dropped = true
                }
                position += 1
            }
        }
        if position < end, base[position] == UInt8(ascii: ".") {
            position += 1
            guard position < end, isDigit(base[position]) else { throw fail("invalid number: no digit after '.'") }
            while position < end, isDigit(base[position]) {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(base[position] - 0x30)
                    if mantissa != 0 { digits += 1 }
                    exponent -= 1
                } else {
                    dropped = true
                }
                position += 1
            }
        }
        if position < end, base[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            var expNegative = false
            if position < end, base[position] == UInt8(ascii: "+") || base[position] == UInt8(ascii: "-") {
                expNegative = base[position] == UInt8(ascii: "-")
                position += 1
            }
            guard position < end, isDigit(base[position]) else { throw fail("invalid number: no digit in exponent") }
            var e = 0
            while position < end, isDigit(base[position]) {
                if e < 100_000 { e = e * 10 + Int(base[position] - 0x30) }
                position += 1
            }
            exponent += expNegative ? -e : e
        }
        guard needValue else { return 0 }

        // Exact fast path: the mantissa and the power of ten are both exact doubles,
        // so one IEEE multiplication or division rounds correctly.
        if !dropped, mantissa < (1 << 53), exponent >= -22, exponent <= 22 {
            var value = Double(mantissa)
            value = exponent < 0 ? value / JSONScanner.powerOfTen(-exponent) : value * JSONScanner.powerOfTen(exponent)
            return negative ? -value : value
        }
        let value = slowConvert(start: start, end: position)
        guard value.isFinite else {
            position = start
            throw fail("number out of range for a double")
        }
        return value
    }

    private func slowConvert(start: Int, end stop: Int) -> Double {
        let count = stop - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
            for i in 0..<count { buffer[i] = CChar(bitPattern: base[start + i]) }
            buffer[count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }
}

/// The kind of a JSON value, for type checks and error messages.
public enum JSONKind: String, Sendable {
    case object, array, string, number, bool, null, invalid

    /// How an error message names it ("a string", "an object", ...).
    public var described: String {
        switch self {
        case .object, .array: return "an \(rawValue)"
        case .invalid: return "text that is not JSON (NaN, Infinity, a bare word…)"
        case .null: return "null"
        default: return "a \(rawValue)"
        }
    }
}

/// An object key as scanned: compared without allocating unless it holds escapes.
public struct JSONKey {
    let base: UnsafePointer<UInt8>
    let start: Int
    let end: Int
    let escaped: Bool

    init(scanner: JSONScanner, start: Int, end: Int, escaped: Bool) {
        self.base = scanner.base
        self.start = start
        self.end = end
        self.escaped = escaped
    }

    /// Whether the key's decoded value equals `name` (an ASCII literal).
    @inline(__always)
    public func equals(_ name: StaticString) -> Bool {
        if escaped { return decoded == String(describing: name) }
        let n = name.utf8CodeUnitCount
        guard end - start == n else { return false }
        return memcmp(base + start, name.utf8Start, n) == 0
    }

    /// Whether the key is the single ASCII byte `c` (the trace-point keys `x`, `y`, `t`).
    @inline(__always)
    public func isByte(_ c: UInt8) -> Bool {
        if escaped { return decoded.utf8.count == 1 && decoded.utf8.first == c }
        return end - start == 1 && base[start] == c
    }

    /// The decoded key.
    public var decoded: String {
        var scanner = JSONScanner(UnsafeBufferPointer(start: base + start - 1, count: end - start + 2))
        return (try? scanner.readString()) ?? ""
    }
}
