/// RFC 4180 writing and reading, the one CSV rule of the project: batch files, answer imports,
/// the point-label export, simulated answers and the Open Images class list.
public enum CSV {
    /// One record: fields joined by commas, quoted where needed, then `ending`.
    public static func line(_ fields: [String], ending: String) -> String {
        fields.map(field).joined(separator: ",") + ending
    }

    /// A field, quoted when it holds a comma, quote, CR or LF, or starts or ends with a space.
    public static func field(_ value: String) -> String {
        let needsQuotes =
            value.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            || value.utf8.first == 0x20 || value.utf8.last == 0x20
        guard needsQuotes else { return value }
        return "\"" + value.replacingQuotes() + "\""
    }

    /// A parsed record: its fields, the 1-based line it starts on, and its original text
    /// (without the line end).
    public struct Record {
        public var fields: [String]
        public var line: Int
        public var raw: String
        /// True for an empty or all-space line, which readers skip and count apart.
        public var isBlank: Bool
    }

    /// A problem that makes the rest of the text unreadable (an unterminated quote).
    public struct Failure: Error {
        public var line: Int
        public var reason: String
    }

    /// Splits `text` into records. Quoted fields may hold commas, doubled quotes and line
    /// breaks; CRLF and LF both end a record; a UTF-8 byte order mark at the start is skipped.
    /// A quote inside an unquoted field is kept as text; text after a closing quote up to the
    /// next comma is appended (lenient, as spreadsheet exports do).
    public static func records(_ text: String) -> (records: [Record], failure: Failure?) {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var raw = String.UnicodeScalarView()
        var line = 1
        var recordLine = 1
        var i = 0
        var inQuotes = false
        var sawQuote = false

        func finishRecord() {
            fields.append(String(field))
            let rawText = String(raw)
            let blank = fields.count == 1 && !sawQuote && rawText.allSatisfy { $0 == " " || $0 == "\t" }
            records.append(Record(fields: fields, line: recordLine, raw: rawText, isBlank: blank))
            fields = []
            field = String.UnicodeScalarView()
            raw = String.UnicodeScalarView()
            sawQuote = false
        }

        while i < scalars.count {
            let c = scalars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < scalars.count && scalars[i + 1] == "\"" {
                        field.append("\"")
                        raw.append(c)
                        raw.append(c)
                        i += 2
                        continue
                    }
                    inQuotes = false
                    raw.append(c)
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                    raw.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !sawQuote:
                inQuotes = true
                sawQuote = true
                raw.append(c)
            case ",":
                fields.append(String(field))
                field = String.UnicodeScalarView()
                sawQuote = false
                raw.append(c)
            case "\r" where i + 1 < scalars.count && scalars[i + 1] == "\n":
                i += 1
                finishRecord()
                line += 1
                recordLine = line
            case "\n":
                finishRecord()
                line += 1
                recordLine = line
            default:
                field.append(c)
                raw.append(c)
            }
            i += 1
        }
        if inQuotes {
            return (records, Failure(line: recordLine, reason: "unterminated quoted field"))
        }
        if !field.isEmpty || !fields.isEmpty || !raw.isEmpty {
            finishRecord()
        }
        return (records, nil)
    }
}

extension String {
    /// Every double quote doubled, scalar by scalar: a quote followed by a combining mark is
    /// one `Character` that is not `"`, but it is a quote byte a CSV reader sees.
    fileprivate func replacingQuotes() -> String {
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            if scalar == "\"" { out.append(scalar) }
            out.append(scalar)
        }
        return String(out)
    }
}
