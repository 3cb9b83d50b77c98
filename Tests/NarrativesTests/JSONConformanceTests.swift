import Foundation
import Testing

@testable import Narratives

/// The scanner against JSONTestSuite's parsing corpus: every y_ file is accepted, every n_
/// file rejected, and i_ files get a definite verdict without crashing.
@Suite struct JSONConformanceTests {
    static let folder = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/JSONTestSuite")

    static func cases(_ prefix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".json") }.sorted()
    }

    static func verdict(_ name: String) throws -> Result<Void, JSONError> {
        let data = try Data(contentsOf: folder.appendingPathComponent(name))
        return data.withUnsafeBytes { raw in
            Result { () throws(JSONError) in try JSONScanner.validate(raw.bindMemory(to: UInt8.self)) }
        }
    }

    @Test func theSuiteIsComplete() {
        #expect(Self.cases("y_").count == 95)
        #expect(Self.cases("n_").count == 186)
        #expect(Self.cases("i_").count == 34)
    }

    @Test(arguments: cases("y_"))
    func acceptsValidJSON(_ name: String) throws {
        if case .failure(let error) = try Self.verdict(name) {
            Issue.record("\(name) rejected at byte \(error.offset): \(error.reason)")
        }
    }

    @Test(arguments: cases("n_"))
    func rejectsInvalidJSON(_ name: String) throws {
        if case .success = try Self.verdict(name) { Issue.record("\(name) accepted") }
    }

    /// What we decide where JSON leaves it to the implementation: unpaired surrogates,
    /// invalid UTF-8 and a byte-order mark are rejected; huge or tiny numbers are accepted
    /// by the validator (the decoder rejects those that overflow a double when it reads them).
    @Test(arguments: cases("i_"))
    func implementationDefinedCases(_ name: String) throws {
        let accepted = (try? Self.verdict(name).get()) != nil
        let expectRejected =
            name.contains("surrogate") || name.contains("UTF-8") || name.contains("utf16")
            || name.contains("UTF-16") || name.contains("BOM") || name.contains("not_in_unicode_range")
            || name.contains("overlong") || name.contains("truncated-utf-8") || name.contains("invalid_utf-8")
            || name.contains("iso_latin_1") || name.contains("lone_utf8") || name.contains("inverted_qm")
            || name.contains("UTF8")
        #expect(accepted != expectRejected, "\(name): accepted = \(accepted)")
    }

    @Test func deepNestingIsRejectedNotRecursed() {
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000)
        let result = deep.withUnsafeBufferPointer { b in Result { () throws(JSONError) in try JSONScanner.validate(b) } }
        guard case .failure(let error) = result else {
            Issue.record("accepted")
            return
        }
        #expect(error.reason.contains("nesting"))
    }
}

/// Random plain decimal texts from a seeded stream.
struct DecimalTexts {
    var state: UInt64

    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 17
    }

    /// A minus sign one time in four; a whole part below `wholeLimit` one time in three
    /// (0 or 1 otherwise); up to `maxDecimals` fraction digits (none when 0 is drawn).
    mutating func text(wholeLimit: UInt64, maxDecimals: Int) -> String {
        let whole = next() % 3 == 0 ? next() % wholeLimit : next() % 2
        let decimals = Int(next() % UInt64(maxDecimals + 1))
        var text = (next() % 4 == 0 ? "-" : "") + String(whole)
        if decimals > 0 {
            var fraction = String(next() % 10_000_000_000)
            fraction = String(repeating: "0", count: max(0, 10 - fraction.count)) + fraction
            text += "." + fraction.prefix(decimals)
        }
        return text
    }
}

/// The plain-decimal fast path gives exactly what the general number reader gives, and
/// leaves everything it does not handle (including invalid text) to it.
@Suite struct PlainDecimalTests {
    static func general(_ text: String) -> Double? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { b in
            var s = JSONScanner(UnsafeBufferPointer(b))
            guard let v = try? s.readDouble() else { return nil }
            return s.position == b.count ? v : nil
        }
    }

    /// The fast path's value and how many bytes it consumed, or nil.
    static func fast(_ text: String) -> (Double, Int)? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { b in
            var s = JSONScanner(UnsafeBufferPointer(b))
            guard let v = s.readPlainDecimal() else {
                #expect(s.position == 0, "\(text): position moved without a value")
                return nil
            }
            return (v, s.position)
        }
    }

    @Test(arguments: [
        "0", "-0", "0.4213", "12.345", "-0.0312", "1.05", "123456.789012", "0.000001", "9007199254740991",
        "9007199254740993", "0.9007199254740993", "1234567890123456789", "0.1234567890123456789",
        "0.00000000000000000000001", "0.0000000000000000000001", "17.976931348623157", "3.4028235",
        "1e5", "1.5E-3", "01", "-", "-a", ".5", "1.", "0.e1", "00", "-01.2", "1.2.3", "12345678901234567890",
        // 19 whole digits and a fraction: a 20th digit would wrap the 64-bit mantissa.
        "1844674407370955162.0", "1844674407370955161.6", "9999999999999999999.9",
    ])
    func agreesWithTheGeneralReader(_ text: String) {
        if let (value, consumed) = Self.fast(text) {
            #expect(consumed == text.utf8.count, "\(text)")
            let reference = Self.general(text)
            #expect(reference?.bitPattern == value.bitPattern, "\(text): \(value) vs \(String(describing: reference))")
        }
    }

    @Test func agreesOnManyShortDecimals() {
        var texts = DecimalTexts(state: 0x9E37_79B9_7F4A_7C15)
        var handled = 0
        for _ in 0..<200_000 {
            let text = texts.text(wholeLimit: 100_000, maxDecimals: 8)
            guard let (value, _) = Self.fast(text) else {
                Issue.record("\(text) not handled")
                continue
            }
            let reference = Self.general(text)
            #expect(reference?.bitPattern == value.bitPattern, "\(text)")
            #expect(Float(value) == Float(strtod(text, nil)), "\(text)")
            handled += 1
        }
        #expect(handled == 200_000)
    }

    /// Inside a line the fraction is read eight bytes at a time: numbers followed by JSON
    /// punctuation, by more digits (past the word, or a 20th digit), by an exponent or a
    /// second point. Whatever the fast path returns is what the general reader gives for the
    /// bytes it consumed, and it never stops before a digit, an exponent or a point.
    @Test func agreesInsideLongerInput() {
        var texts = DecimalTexts(state: 0x2545_F491_4F6C_DD1D)
        let suffixes = [", \"y\": 0.5}", "}, {\"x\"", "]]}", "        ", "0", "12345678901", "e5, 1", "E-3}", ".5, 1", "x"]
        var handled = 0
        for _ in 0..<100_000 {
            let text = texts.text(wholeLimit: 100_000, maxDecimals: 9)
            let suffix = suffixes[Int(texts.next() % UInt64(suffixes.count))]
            let full = text + suffix
            guard let (value, consumed) = Self.fast(full) else {
                let continues = suffix.first.map { $0.isNumber || $0 == "e" || $0 == "E" || $0 == "." } ?? false
                if !continues { Issue.record("\(full) not handled") }
                continue
            }
            let bytes = Array(full.utf8)
            let token = String(decoding: bytes[..<consumed], as: UTF8.self)
            #expect(Self.general(token)?.bitPattern == value.bitPattern, "\(full)")
            if consumed < bytes.count {
                let after = bytes[consumed]
                #expect(
                    !(after >= 0x30 && after <= 0x39) && after != UInt8(ascii: "e") && after != UInt8(ascii: "E")
                        && after != UInt8(ascii: "."), "\(full)")
            }
            if !(suffix.first.map { $0.isNumber || $0 == "e" || $0 == "E" || $0 == "." } ?? false) {
                #expect(token == text, "\(full)")
            }
            handled += 1
        }
        #expect(handled > 50_000)
    }

    /// What the Float reader relies on: for m < 2^24 and k ≤ 7, m / 10^k divided in double
    /// precision and then narrowed is the correctly rounded Float of the decimal m·10^-k (the
    /// C library's strtof, through `Float(String)`). Random mantissas for every k, and the
    /// dyadic quotients (m a multiple of 5^k), the ones that are Floats themselves.
    @Test func dividingInDoubleThenNarrowingRoundsCorrectly() {
        func decimal(_ m: UInt64, _ k: Int) -> String {
            guard k > 0 else { return String(m) }
            let digits = String(repeating: "0", count: max(0, k + 1 - String(m).count)) + String(m)
            return String(digits.dropLast(k)) + "." + String(digits.suffix(k))
        }
        var failures: [String] = []
        func check(_ m: UInt64, _ k: Int) {
            let text = decimal(m, k)
            if Float(Double(m) / JSONScanner.powerOfTen(k)) != Float(text) { failures.append(text) }
        }
        var state: UInt64 = 7
        for k in 0...7 {
            for _ in 0..<40_000 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                check((state >> 20) % (1 << 24), k)
            }
            let five = UInt64(pow(5.0, Double(k)))
            for m in stride(from: UInt64(0), to: 1 << 24, by: Int(five) * max(1, (1 << 24) / Int(five) / 20_000)) {
                check(m, k)
            }
        }
        #expect(decimal(45, 4) == "0.0045" && decimal(12345, 2) == "123.45" && decimal(7, 0) == "7")
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    /// The trace reader narrows to Float in one pass: always the general reader's value
    /// narrowed, bit for bit, whatever follows.
    @Test func floatReaderAgreesWithTheGeneralReaderNarrowed() {
        var texts = DecimalTexts(state: 0x1234_5678_9ABC_DEF1)
        let suffixes = [
            ", \"y\": 0.5, \"t\": 1.25}", "}, {\"x\": 0.1, \"y\"", "]]}, \"voice\": 1", "0, 1, 2, 3, 4, 5, 6",
            "e5, 1, 2, 3, 4, 5, 6", ".5, 1, 2, 3, 4, 5, 6", "                        ", "}",
        ]
        var fast = 0
        for _ in 0..<200_000 {
            let digits = [1, 1, 2, 3, 7, 8, 9][Int(texts.next() % 7)]
            let text = texts.text(wholeLimit: UInt64(pow(10.0, Double(digits))), maxDecimals: 9)
            let suffix = suffixes[Int(texts.next() % UInt64(suffixes.count))]
            var bytes = Array((text + suffix).utf8)
            let result: (Float, Int)? = bytes.withUnsafeMutableBufferPointer { b in
                var s = JSONScanner(UnsafeBufferPointer(b))
                guard let v = s.readPlainFloat() else {
                    #expect(s.position == 0)
                    return nil
                }
                return (v, s.position)
            }
            guard let (value, consumed) = result else { continue }
            let token = String(decoding: bytes[..<consumed], as: UTF8.self)
            guard let reference = Self.general(token) else {
                Issue.record("\(text + suffix): consumed \(token), which is not a number")
                continue
            }
            #expect(Float(reference).bitPattern == value.bitPattern, "\(text + suffix)")
            if suffix.first == "," || suffix.first == "}" || suffix.first == "]" || suffix.first == " " {
                #expect(token == text, "\(text + suffix)")
            }
            fast += 1
        }
        #expect(fast > 100_000)
    }

    /// `reader`'s value and end on `text`, and `readLongerPlainFloat`'s (the plain scan behind
    /// the inline readers), as bit patterns and positions; a refusal must leave the position.
    func againstThePlainReader(_ text: String, _ reader: (inout JSONScanner) -> Float?) -> (fast: (UInt32, Int)?, plain: (UInt32, Int)?) {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { b in
            var s = JSONScanner(UnsafeBufferPointer(b))
            let fast = reader(&s).map { ($0.bitPattern, s.position) }
            if fast == nil { #expect(s.position == 0, "\(text)") }
            var p = JSONScanner(UnsafeBufferPointer(b))
            let plain = p.readLongerPlainFloat().map { ($0.bitPattern, p.position) }
            return (fast, plain)
        }
    }

    /// Every value of the four-decimal form (0.0000 to 9.9999), before every byte that may
    /// follow a number in a point, reads as the plain reader reads it; every near miss is left
    /// to the other readers.
    @Test func fourDecimalReaderAgreesWithThePlainReader() {
        func read(_ text: String) -> (four: (UInt32, Int)?, plain: (UInt32, Int)?) {
            let r = againstThePlainReader(text) { $0.readFourDecimalFloat() }
            return (r.fast, r.plain)
        }
        var disagreements = 0
        let followers = [", \"y\": 0", "}, {\"x", " }     ", "]]}    "]
        for value in 0..<100_000 {
            let text = "\(value / 10_000)." + String(String(value % 10_000 + 10_000).dropFirst())
            let r = read(text + followers[value % followers.count])
            if r.four == nil || r.four?.0 != r.plain?.0 || r.four?.1 != r.plain?.1 || r.four?.1 != 6 { disagreements += 1 }
        }
        #expect(disagreements == 0)
        for text in [
            "0.12345, ", "0.123, \"y", "0.1234e5, ", "0.1234E5, ", "0.1234.5, ", "-0.1234, ", "10.1234, ",
            "0,1234, \"", "0.12a4, \"", ".12345, \"", "0.1234", "0.1234,",
        ] {
            #expect(read(text).four == nil, "\(text)")
        }
    }

    /// The short trace-value reader (two word loads, no loop) gives exactly what the plain
    /// scan behind it (`readLongerPlainFloat`) gives wherever it accepts, and leaves
    /// everything else untouched.
    @Test func shortDecimalReaderAgreesWithThePlainReader() {
        func both(_ text: String) -> (short: (UInt32, Int)?, plain: (UInt32, Int)?) {
            let r = againstThePlainReader(text) { $0.readShortDecimalFloat() }
            return (r.fast, r.plain)
        }
        let padding = ", \"y\": 0.5, \"t\": 1.25}"
        // Forms it takes, and forms it leaves to the other readers.
        for text in ["0.4893", "-0.0001", "12.345", "1234567.1", "0.1234567", "9.999999"] {
            let r = both(text + padding)
            #expect(r.short != nil && r.short?.0 == r.plain?.0 && r.short?.1 == r.plain?.1, "\(text)")
        }
        for text in [
            "00.5", "-", "1.", ".5", "12345678.1", "0.12345678", "1.5e3", "1.5E-3", "1.5.5", "2",
            "16777.216", "-01.5", "0.5",
        ] {
            let r = both(text + (text == "0.5" ? "" : padding))
            #expect(r.short == nil, "\(text)")
        }
        var texts = DecimalTexts(state: 0x0DDB_A11C_0FFE_E123)
        var accepted = 0
        for _ in 0..<200_000 {
            let digits = [1, 1, 2, 3, 7, 8][Int(texts.next() % 6)]
            let text = texts.text(wholeLimit: UInt64(pow(10.0, Double(digits))), maxDecimals: 9)
            let r = both(text + padding)
            guard let short = r.short else { continue }
            accepted += 1
            #expect(short.0 == r.plain?.0 && short.1 == r.plain?.1, "\(text)")
        }
        #expect(accepted > 50_000)
    }
}
