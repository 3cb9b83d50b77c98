/// What a batch file says about a question besides its position: filled in by the caller
/// from the class dictionary and the image store.
public struct QuestionText: Sendable, Equatable {
    /// Path or URL of the image, as the annotation tool should load it.
    public var imageURL: String
    /// Class display name.
    public var className: String
    /// The class's WordNet gloss, to disambiguate the name for annotators.
    public var gloss: String
    /// Image size, for the pixel coordinates.
    public var widthPixels: Int
    public var heightPixels: Int
    /// The question as shown; `BatchFile.questionText(className:)` by default.
    public var text: String

    public init(imageURL: String, className: String, gloss: String, widthPixels: Int, heightPixels: Int, text: String? = nil) {
        self.imageURL = imageURL
        self.className = className
        self.gloss = gloss
        self.widthPixels = widthPixels
        self.heightPixels = heightPixels
        self.text = text ?? BatchFile.questionText(className: className)
    }
}

/// Writes batches of assignments as CSV or JSON Lines for an annotation tool.
///
/// Columns (CSV header, JSON keys, in this order): `question_id`, `replica`, `image_id`,
/// `image` (path/URL), `x`, `y` (normalised, shortest text that reads back to the same
/// `Double`), `x_px`, `y_px` (pixels, see `pixel`), `class_id`, `class_name`, `gloss`,
/// `question`. CSV follows RFC 4180: CRLF line ends, a field is quoted when it holds a comma,
/// a double quote, CR or LF (or begins or ends with a space, which some readers trim), and
/// quotes inside are doubled. JSONL is one object per line, `\n`-terminated; integers and
/// coordinates are JSON numbers, everything else strings.
public enum BatchFile {
    public static let columns = [
        "question_id", "replica", "image_id", "image", "x", "y", "x_px", "y_px", "class_id", "class_name", "gloss", "question",
    ]

    /// "Is this point on a <class>?" with "an" before a vowel sound (see `article(for:)`).
    public static func questionText(className: String) -> String {
        "Is this point on \(article(for: className)) \(className)?"
    }

    /// "an" when the name starts with a vowel sound, else "a". Spelling decides, with the
    /// usual English exceptions: "u" read as "you" (unit, uniform, use, utensil, ukulele…),
    /// "eu", "one"/"once" take "a"; a silent "h" (hour, honest, honour, heir, herb) takes "an".
    public static func article(for name: String) -> String {
        let word = name.lowercased().trimmingLeadingSpaces()
        let aPrefixes = ["uni", "use", "usu", "ute", "uten", "uku", "ura", "ure", "uri", "uro", "eu", "ewe", "one", "once"]
        let anPrefixes = ["hour", "honest", "honor", "honour", "heir", "herb"]
        if anPrefixes.contains(where: { word.hasPrefix($0) }) { return "an" }
        if aPrefixes.contains(where: { word.hasPrefix($0) }) { return "a" }
        guard let first = word.unicodeScalars.first else { return "a" }
        return "aeiou".unicodeScalars.contains(first) ? "an" : "a"
    }

    /// The pixel column or row of a normalised coordinate: floor(value · size) clamped to
    /// 0..<size, computed in `Float` exactly as `Imaging.Image.pixel(normalizedX:y:)` does so
    /// that the file, the embedding and the renderer agree on the pixel.
    public static func pixel(_ value: Double, size: Int) -> Int {
        guard size > 0 else { return 0 }
        let scaled = (Float(value) * Float(size)).rounded(.down)
        guard scaled.isFinite else { return scaled > 0 ? size - 1 : 0 }
        if scaled <= 0 { return 0 }
        if scaled >= Float(size - 1) { return size - 1 }
        return Int(scaled)
    }

    /// The fields of one assignment, in `columns` order, as text.
    public static func fields(_ assignment: Assignment, text: QuestionText) -> [String] {
        let q = assignment.question
        return [
            q.id, String(assignment.replica), q.imageID, text.imageURL, number(q.x), number(q.y),
            String(pixel(q.x, size: text.widthPixels)), String(pixel(q.y, size: text.heightPixels)),
            String(q.classID), text.className, text.gloss, text.text,
        ]
    }

    /// The batch as RFC 4180 CSV with a header row.
    public static func csv(_ batch: [Assignment], describe: (Question) -> QuestionText) -> String {
        var out = CSV.line(columns, ending: "\r\n")
        for assignment in batch {
            out += CSV.line(fields(assignment, text: describe(assignment.question)), ending: "\r\n")
        }
        return out
    }

    /// The batch as JSON Lines, one object per assignment.
    public static func jsonl(_ batch: [Assignment], describe: (Question) -> QuestionText) -> String {
        let numeric: Set<String> = ["replica", "x", "y", "x_px", "y_px", "class_id"]
        var out = ""
        for assignment in batch {
            let values = fields(assignment, text: describe(assignment.question))
            var parts: [String] = []
            for (name, value) in zip(columns, values) {
                parts.append(JSONText.string(name) + ":" + (numeric.contains(name) ? value : JSONText.string(value)))
            }
            out += "{" + parts.joined(separator: ",") + "}\n"
        }
        return out
    }

    /// A finite `Double` as the shortest decimal that reads back to it (Swift's description,
    /// which may use an exponent: "1e-05"); valid in CSV and as a JSON number.
    static func number(_ value: Double) -> String {
        value.isFinite ? String(value) : "0"
    }
}

extension String {
    fileprivate func trimmingLeadingSpaces() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }))
    }
}

/// RFC 4180 writing and reading, shared by batch files, answer imports and the export.
enum CSV {
    /// One record: fields joined by commas, quoted where needed, then `ending`.
    static func line(_ fields: [String], ending: String) -> String {
        fields.map(field).joined(separator: ",") + ending
    }

    /// A field, quoted when it holds a comma, quote, CR or LF, or starts or ends with a space.
    static func field(_ value: String) -> String {
        let needsQuotes =
            value.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            || value.utf8.first == 0x20 || value.utf8.last == 0x20
        guard needsQuotes else { return value }
        return "\"" + value.replacingQuotes() + "\""
    }

    /// A parsed record: its fields, the 1-based line it starts on, and its original text
    /// (without the line end).
    struct Record {
        var fields: [String]
        var line: Int
        var raw: String
        /// True for an empty or all-space line, which readers skip and count apart.
        var isBlank: Bool
    }

    /// A problem that makes the rest of the text unreadable (an unterminated quote).
    struct Failure: Error {
        var line: Int
        var reason: String
    }

    /// Splits `text` into records. Quoted fields may hold commas, doubled quotes and line
    /// breaks; CRLF and LF both end a record; a UTF-8 byte order mark at the start is skipped.
    /// A quote inside an unquoted field is kept as text; text after a closing quote up to the
    /// next comma is appended (lenient, as spreadsheet exports do).
    static func records(_ text: String) -> (records: [Record], failure: Failure?) {
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
    fileprivate func replacingQuotes() -> String {
        var out = ""
        for character in self {
            if character == "\"" { out += "\"\"" } else { out.append(character) }
        }
        return out
    }
}

/// JSON string escaping.
enum JSONText {
    /// `value` as a JSON string literal: `"` and `\` escaped, control characters as `\n`,
    /// `\r`, `\t`, `\b`, `\f` or `\u00XX`, and U+2028/U+2029 as `\u2028`/`\u2029` (legal in
    /// JSON but line breaks to JavaScript and to some line-based readers); other characters
    /// stay as UTF-8.
    static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
