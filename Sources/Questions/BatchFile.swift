import Imaging
import Support

/// An image's width and height in pixels, as stored in its file.
public struct ImageSize: Sendable, Equatable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// "1024x768"; nil unless both are positive integers.
    public init?(parsing text: String) {
        let parts = text.split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 2, let w = parts[0], let h = parts[1], w > 0, h > 0 else { return nil }
        self.init(width: w, height: h)
    }
}

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
/// `question`, `source` (where the class came from: mention, label, model or unrecorded, see
/// `CandidateSource`). CSV follows RFC 4180: CRLF line ends, a field is quoted when it holds a comma,
/// a double quote, CR or LF (or begins or ends with a space, which some readers trim), and
/// quotes inside are doubled. JSONL is one object per line, `\n`-terminated; integers and
/// coordinates are JSON numbers, everything else strings.
public enum BatchFile {
    public static let columns = [
        "question_id", "replica", "image_id", "image", "x", "y", "x_px", "y_px", "class_id", "class_name", "gloss", "question", "source",
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

    /// The pixel column or row of a normalised coordinate: `Image.pixelIndex`, the one place
    /// coordinates become pixels, so that the file, the embedding and the renderer agree.
    public static func pixel(_ value: Double, size: Int) -> Int {
        size > 0 ? Image.pixelIndex(Float(value), size: size) : 0
    }

    /// The fields of one assignment, in `columns` order, as text.
    public static func fields(_ assignment: Assignment, text: QuestionText) -> [String] {
        let q = assignment.question
        return [
            q.id, String(assignment.replica), q.imageID, text.imageURL, number(q.x), number(q.y),
            String(pixel(q.x, size: text.widthPixels)), String(pixel(q.y, size: text.heightPixels)),
            String(q.classID), text.className, text.gloss, text.text, q.source.rawValue,
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
