/// A parsed JSON value: just enough JSON for one answer object per line.
enum JSONValue: Equatable {
    case string(String)
    /// The number with its original text (so "1e400" can be reported, not silently inf).
    case number(Double, text: String)
    case bool(Bool)
    case null
    case array([JSONValue])
    /// Members in file order; a repeated key is an error at parse time.
    case object([(String, JSONValue)])

    static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.string(x), .string(y)): return x == y
        case let (.number(x, _), .number(y, _)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// A short name of the value's type, for messages.
    var typeName: String {
        switch self {
        case .string: return "string"
        case .number: return "number"
        case .bool: return "boolean"
        case .null: return "null"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

/// A strict RFC 8259 parser over Unicode scalars: one value, surrounding white space allowed,
/// nothing after it. Nesting is limited to 64 levels (an answer line needs 1).
struct JSONParser {
    struct Failure: Error {
        var offset: Int
        var reason: String
    }

    private let scalars: [Unicode.Scalar]
    private var position = 0

    static func parse(_ text: String) throws(Failure) -> JSONValue {
        var parser = JSONParser(scalars: Array(text.unicodeScalars))
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.position == parser.scalars.count else { throw parser.failure("unexpected text after the value") }
        return value
    }

    private init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    private func failure(_ reason: String) -> Failure {
        Failure(offset: position + 1, reason: reason)
    }

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private mutating func skipSpace() {
        while let c = current, c == " " || c == "\t" || c == "\n" || c == "\r" { position += 1 }
    }

    private mutating func expect(_ literal: String) throws(Failure) {
        for scalar in literal.unicodeScalars {
            guard current == scalar else { throw failure("invalid literal (expected \(literal))") }
            position += 1
        }
    }

    private mutating func value(depth: Int) throws(Failure) -> JSONValue {
        guard depth < 64 else { throw failure("nesting deeper than 64") }
        guard let c = current else { throw failure("unexpected end of text") }
        switch c {
        case "{": return try object(depth: depth)
        case "[": return try array(depth: depth)
        case "\"": return .string(try string())
        case "t":
            try expect("true")
            return .bool(true)
        case "f":
            try expect("false")
            return .bool(false)
        case "n":
            try expect("null")
            return .null
        case "-", "0"..."9": return try number()
        default: throw failure("unexpected character '\(c)'")
        }
    }

    private mutating func object(depth: Int) throws(Failure) -> JSONValue {
        position += 1
        var members: [(String, JSONValue)] = []
        var keys = Set<String>()
        skipSpace()
        if current == "}" {
            position += 1
            return .object(members)
        }
        while true {
            skipSpace()
            guard current == "\"" else { throw failure("expected a key string") }
            let key = try string()
            guard keys.insert(key).inserted else { throw failure("repeated key \"\(key)\"") }
            skipSpace()
            guard current == ":" else { throw failure("expected ':' after a key") }
            position += 1
            skipSpace()
            members.append((key, try value(depth: depth + 1)))
            skipSpace()
            if current == "," {
                position += 1
                continue
            }
            guard current == "}" else { throw failure("expected ',' or '}' in an object") }
            position += 1
            return .object(members)
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> JSONValue {
        position += 1
        var items: [JSONValue] = []
        skipSpace()
        if current == "]" {
            position += 1
            return .array(items)
        }
        while true {
            skipSpace()
            items.append(try value(depth: depth + 1))
            skipSpace()
            if current == "," {
                position += 1
                continue
            }
            guard current == "]" else { throw failure("expected ',' or ']' in an array") }
            position += 1
            return .array(items)
        }
    }

    private mutating func hexQuad() throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let c = current, let digit = Int(String(c), radix: 16) else { throw failure("invalid \\u escape") }
            value = value * 16 + UInt32(digit)
            position += 1
        }
        return value
    }

    private mutating func string() throws(Failure) -> String {
        position += 1
        var out = String.UnicodeScalarView()
        while true {
            guard let c = current else { throw failure("unterminated string") }
            position += 1
            switch c {
            case "\"":
                return String(out)
            case "\\":
                guard let e = current else { throw failure("unterminated string") }
                position += 1
                switch e {
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                case "/": out.append("/")
                case "b": out.append("\u{08}")
                case "f": out.append("\u{0C}")
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "t": out.append("\t")
                case "u":
                    var code = try hexQuad()
                    if (0xD800...0xDBFF).contains(code) {
                        guard current == "\\", position + 1 < scalars.count, scalars[position + 1] == "u" else {
                            throw failure("unpaired surrogate in \\u escape")
                        }
                        position += 2
                        let low = try hexQuad()
                        guard (0xDC00...0xDFFF).contains(low) else { throw failure("unpaired surrogate in \\u escape") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw failure("unpaired surrogate in \\u escape") }
                    out.append(scalar)
                default:
                    throw failure("invalid escape \\\(e)")
                }
            default:
                guard c.value >= 0x20 else { throw failure("control character in a string") }
                out.append(c)
            }
        }
    }

    private mutating func number() throws(Failure) -> JSONValue {
        let start = position
        if current == "-" { position += 1 }
        guard let first = current, ("0"..."9").contains(first) else { throw failure("invalid number") }
        if first == "0" {
            position += 1
        } else {
            while let c = current, ("0"..."9").contains(c) { position += 1 }
        }
        if current == "." {
            position += 1
            guard let c = current, ("0"..."9").contains(c) else { throw failure("invalid number") }
            while let c = current, ("0"..."9").contains(c) { position += 1 }
        }
        if current == "e" || current == "E" {
            position += 1
            if current == "+" || current == "-" { position += 1 }
            guard let c = current, ("0"..."9").contains(c) else { throw failure("invalid number") }
            while let c = current, ("0"..."9").contains(c) { position += 1 }
        }
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars[start..<position])
        guard let value = Double(text) else { throw failure("invalid number") }
        return .number(value, text: text)
    }
}
