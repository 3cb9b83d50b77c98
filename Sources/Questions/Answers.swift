import Support

/// An annotator's answer to a question.
public enum AnswerValue: String, Sendable, Equatable, Hashable, CaseIterable {
    case yes, no, unsure

    /// The value of an answer cell: `yes`/`y`, `no`/`n`, `unsure`/`u`, any letter case,
    /// surrounding spaces ignored. Anything else (including `true`/`false`, `1`/`0`, empty) is
    /// nil: a tool exporting other spellings should be mapped explicitly, not guessed at.
    public init?(answerText: String) {
        switch answerText.trimmingSpaces().lowercased() {
        case "yes", "y": self = .yes
        case "no", "n": self = .no
        case "unsure", "u": self = .unsure
        default: return nil
        }
    }
}

/// One answer as imported.
public struct Answer: Sendable, Equatable, Hashable {
    public var questionID: String
    public var annotatorID: String
    public var value: AnswerValue
    /// Time the annotator took, when the tool reports it.
    public var durationSeconds: Double?
    /// 1-based line of the file it came from (the first line of a multi-line CSV record).
    public var line: Int

    public init(questionID: String, annotatorID: String, value: AnswerValue, durationSeconds: Double? = nil, line: Int = 0) {
        self.questionID = questionID
        self.annotatorID = annotatorID
        self.value = value
        self.durationSeconds = durationSeconds
        self.line = line
    }
}

/// Why an answer line was not accepted.
public enum RejectReason: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The line cannot be read as an answer; the text says what is wrong.
    case malformed(String)
    /// The question id is not one of the questions asked.
    case unknownQuestion
    /// The same annotator already gave the same answer to this question (in this file or an
    /// earlier import); kept aside so that it is not counted twice.
    case duplicate
    /// The same annotator already answered this question differently; the earlier answer
    /// stays and this one is kept aside.
    case conflicting(previous: AnswerValue)

    public var description: String {
        switch self {
        case .malformed(let text): return text
        case .unknownQuestion: return "unknown question"
        case .duplicate: return "duplicate answer"
        case .conflicting(let previous): return "conflicts with an earlier answer (\(previous.rawValue)) by the same annotator"
        }
    }
}

/// A line that was not accepted, with where it was and what it said.
public struct RejectedAnswer: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based line (the first line of a multi-line CSV record).
    public var line: Int
    /// The column or key at fault, when one is.
    public var field: String?
    public var reason: RejectReason
    /// The line's original text (a multi-line CSV record with its line breaks).
    public var raw: String

    public init(file: String, line: Int, field: String?, reason: RejectReason, raw: String) {
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
        self.raw = raw
    }

    public var description: String {
        "\(file):\(line): " + (field.map { "\($0): " } ?? "") + reason.description
    }
}

/// The outcome of reading one answer file.
public struct AnswerImportResult: Sendable, Equatable {
    /// New answers, in file order.
    public var accepted: [Answer] = []
    /// Every data line not accepted, in file order (lines already imported left out).
    public var rejected: [RejectedAnswer] = []
    /// Lines this file's earlier import already stored, as the same answer or the same
    /// rejected text on the same line (`PreviousImport`): neither accepted nor rejected again.
    public var alreadyImported = 0
    /// Empty or all-space lines (skipped; neither accepted nor rejected).
    public var blankLines = 0
    /// Lines that hold an answer or should: accepted + rejected + already imported, always.
    /// The CSV header is not a data line.
    public var dataLines = 0
    /// Set when the CSV header is missing or lacks a required column; every data line is
    /// then rejected as malformed with that column as the field.
    public var headerProblem: String?

    public init() {}
}

/// What an earlier import of the same file stored, so that importing the file again (a rerun
/// after an interruption, or by mistake) stores nothing more: a line is already imported when
/// the answer stored from this file's same line is the answer it holds, or when the same line
/// was rejected with the same text. An edited line is read afresh; a copy of the file under
/// another name is not this file (its answers are duplicates).
public struct PreviousImport: Sendable, Equatable {
    /// Line → (question id, annotator id) of each answer accepted from the file.
    public var answers: [Int: [AnswerKey]] = [:]
    /// Line → raw text of each line of the file rejected.
    public var rejects: [Int: [String]] = [:]

    public struct AnswerKey: Sendable, Hashable {
        public var questionID: String
        public var annotatorID: String

        public init(questionID: String, annotatorID: String) {
            self.questionID = questionID
            self.annotatorID = annotatorID
        }
    }

    public init() {}

    public mutating func addAnswer(line: Int, questionID: String, annotatorID: String) {
        answers[line, default: []].append(AnswerKey(questionID: questionID, annotatorID: annotatorID))
    }

    public mutating func addReject(line: Int, raw: String) {
        rejects[line, default: []].append(raw)
    }
}

/// The format of an answer file.
public enum AnswerFormat: String, Sendable, Equatable {
    case csv, jsonl

    /// By extension: `.csv` → CSV; `.jsonl`, `.ndjson`, `.json` → JSON Lines; nil otherwise.
    public static func detect(file: String) -> AnswerFormat? {
        let lower = file.lowercased()
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") { return .jsonl }
        return nil
    }
}

/// Reads answers exported by an annotation tool, keeping every line accounted for.
///
/// **CSV**: a header row is required, naming `question_id`, `annotator_id`, `answer` and
/// optionally `duration_seconds`, in any order and any letter case (surrounding spaces
/// ignored); other columns are ignored. A record with a different number of fields than the
/// header is malformed (a short record names the first missing column as its field).
/// **JSONL**: one object per line with string `question_id`, `annotator_id` and `answer`, and
/// optionally `duration_seconds` (a number or null); other keys are ignored; a repeated key
/// is malformed.
///
/// Per line, in order: malformed (unreadable; a required field missing or, after trimming
/// spaces, empty; an answer other than those `AnswerValue(answerText:)` reads; a duration
/// that is not a finite number ≥ 0 — an empty CSV cell means none) → unknown question (not
/// in `knownQuestions`) → duplicate (same question, annotator and value already accepted,
/// earlier in this file or in `existing`) → conflicting (same question and annotator, other
/// value; the earlier answer stays). Ids are compared after trimming spaces, case-sensitively.
/// Blank lines are counted in `blankLines`, never rejected; every other line after the CSV
/// header is accepted, rejected or (given `previous`, what an earlier import of this file
/// stored) already imported, so accepted + rejected + already imported = `dataLines`.
public enum AnswerImport {
    static let required = ["question_id", "annotator_id", "answer"]

    /// Reads `text` (the contents of `file`, named in rejections) as `format`, or by the
    /// file's extension when nil, or as JSONL when the first non-blank character is `{` and
    /// CSV otherwise.
    public static func parse(
        file: String, text: String, format: AnswerFormat? = nil, knownQuestions: Set<String>, existing: [Answer],
        previous: PreviousImport = PreviousImport()
    ) -> AnswerImportResult {
        let resolved =
            format ?? AnswerFormat.detect(file: file)
            ?? (text.unicodeScalars.first(where: { !" \t\r\n\u{FEFF}".unicodeScalars.contains($0) }) == "{" ? .jsonl : .csv)
        var checker = Checker(file: file, known: knownQuestions, existing: existing, imported: previous)
        switch resolved {
        case .csv: parseCSV(text, into: &checker)
        case .jsonl: parseJSONL(text, into: &checker)
        }
        return checker.result
    }

    /// The per-line rules shared by both formats.
    struct Checker {
        let file: String
        let known: Set<String>
        /// First accepted value per (question, annotator), existing answers included.
        var previous: [Pair: AnswerValue] = [:]
        var result = AnswerImportResult()

        struct Pair: Hashable {
            var question: String
            var annotator: String
        }

        /// What an earlier import of this file stored.
        let imported: PreviousImport

        init(file: String, known: Set<String>, existing: [Answer], imported: PreviousImport) {
            self.file = file
            self.known = known
            self.imported = imported
            for answer in existing {
                let pair = Pair(question: answer.questionID.trimmingSpaces(), annotator: answer.annotatorID.trimmingSpaces())
                if previous[pair] == nil { previous[pair] = answer.value }
            }
        }

        mutating func blank() {
            result.blankLines += 1
        }

        mutating func reject(line: Int, field: String?, reason: RejectReason, raw: String) {
            result.dataLines += 1
            if imported.rejects[line]?.contains(raw) == true {
                result.alreadyImported += 1
                return
            }
            result.rejected.append(RejectedAnswer(file: file, line: line, field: field, reason: reason, raw: raw))
        }

        /// Checks the cells of one line (nil = absent) and accepts or rejects it.
        mutating func check(line: Int, raw: String, question: String?, annotator: String?, answer: String?, duration: Double??) {
            let questionID = question?.trimmingSpaces() ?? ""
            let annotatorID = annotator?.trimmingSpaces() ?? ""
            guard question != nil else {
                return reject(line: line, field: "question_id", reason: .malformed("missing question_id"), raw: raw)
            }
            guard !questionID.isEmpty else {
                return reject(line: line, field: "question_id", reason: .malformed("empty question_id"), raw: raw)
            }
            guard annotator != nil else {
                return reject(line: line, field: "annotator_id", reason: .malformed("missing annotator_id"), raw: raw)
            }
            guard !annotatorID.isEmpty else {
                return reject(line: line, field: "annotator_id", reason: .malformed("empty annotator_id"), raw: raw)
            }
            guard let answer else {
                return reject(line: line, field: "answer", reason: .malformed("missing answer"), raw: raw)
            }
            guard let value = AnswerValue(answerText: answer) else {
                return reject(
                    line: line, field: "answer",
                    reason: .malformed("answer \"\(answer)\" is not yes, no or unsure (or y, n, u)"), raw: raw)
            }
            // duration: nil = the line is malformed there (already reported by the caller),
            // .some(nil) = absent, .some(value) = given.
            guard let duration else {
                return reject(
                    line: line, field: "duration_seconds",
                    reason: .malformed("duration_seconds is not a finite number of seconds ≥ 0"), raw: raw)
            }
            guard known.contains(questionID) else {
                return reject(line: line, field: "question_id", reason: .unknownQuestion, raw: raw)
            }
            let pair = Pair(question: questionID, annotator: annotatorID)
            if let earlier = previous[pair] {
                // The answer this very line gave when the file was imported before.
                if earlier == value,
                    imported.answers[line]?.contains(.init(questionID: questionID, annotatorID: annotatorID)) == true
                {
                    result.dataLines += 1
                    result.alreadyImported += 1
                    return
                }
                let reason: RejectReason = earlier == value ? .duplicate : .conflicting(previous: earlier)
                return reject(line: line, field: earlier == value ? nil : "answer", reason: reason, raw: raw)
            }
            previous[pair] = value
            result.dataLines += 1
            result.accepted.append(
                Answer(questionID: questionID, annotatorID: annotatorID, value: value, durationSeconds: duration, line: line))
        }
    }

    /// A duration cell: empty → absent; otherwise a finite number ≥ 0, else nil (malformed).
    static func duration(_ text: String?) -> Double?? {
        guard let text else { return .some(nil) }
        let trimmed = text.trimmingSpaces()
        if trimmed.isEmpty { return .some(nil) }
        guard let value = Double(trimmed), value.isFinite, value >= 0 else { return nil }
        return .some(value)
    }

    static func parseCSV(_ text: String, into checker: inout Checker) {
        let (records, failure) = CSV.records(text)
        var header: [String: Int]?
        var width = 0
        var names: [String] = []
        for record in records {
            if record.isBlank {
                checker.blank()
                continue
            }
            guard let columns = header else {
                names = record.fields.map { $0.trimmingSpaces().lowercased() }
                width = names.count
                var map: [String: Int] = [:]
                for (index, name) in names.enumerated() where map[name] == nil { map[name] = index }
                header = map
                if let missing = required.first(where: { map[$0] == nil }) {
                    let tabs = record.raw.contains("\t") ? " (its columns are tab-separated; answers are read as CSV or JSONL)" : ""
                    checker.result.headerProblem = "the header on line \(record.line) has no \(missing) column\(tabs)"
                }
                continue
            }
            if let problem = checker.result.headerProblem {
                let missing = required.first(where: { columns[$0] == nil })
                checker.reject(line: record.line, field: missing, reason: .malformed(problem), raw: record.raw)
                continue
            }
            if record.fields.count != width {
                let firstMissing = record.fields.count < width ? names[record.fields.count] : nil
                let reason = "\(record.fields.count) fields where the header has \(width)"
                checker.reject(line: record.line, field: firstMissing, reason: .malformed(reason), raw: record.raw)
                continue
            }
            func cell(_ name: String) -> String? {
                columns[name].map { record.fields[$0] }
            }
            checker.check(
                line: record.line, raw: record.raw, question: cell("question_id"), annotator: cell("annotator_id"),
                answer: cell("answer"), duration: duration(cell("duration_seconds")))
        }
        if header == nil && failure == nil {
            checker.result.headerProblem = "no header row"
        }
        if let failure {
            // The rest of the file from the open quote is one unreadable record.
            var raw = ""
            let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isLineEnd)
            if failure.line - 1 < lines.count {
                raw = lines[(failure.line - 1)...].joined(separator: "\n")
            }
            checker.reject(line: failure.line, field: nil, reason: .malformed(failure.reason), raw: raw)
        }
    }

    static func parseJSONL(_ text: String, into checker: inout Checker) {
        var body = Substring(text)
        if body.unicodeScalars.first == "\u{FEFF}" { body = Substring(body.unicodeScalars.dropFirst()) }
        // "\r\n" is one Character: splitting at "\n" alone would leave a CRLF file one line.
        let lines = body.split(omittingEmptySubsequences: false, whereSeparator: \.isLineEnd)
        for (offset, slice) in lines.enumerated() {
            var line = String(slice)
            if line.hasSuffix("\r") { line.removeLast() }
            let number = offset + 1
            // A final newline does not start another line.
            if offset == lines.count - 1 && line.isEmpty { break }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                checker.blank()
                continue
            }
            let value: JSONValue
            do {
                value = try JSONParser.parse(line)
            } catch {
                checker.reject(
                    line: number, field: nil, reason: .malformed("invalid JSON at column \(error.offset): \(error.reason)"), raw: line)
                continue
            }
            guard case .object(let members) = value else {
                checker.reject(line: number, field: nil, reason: .malformed("expected an object, found \(value.typeName)"), raw: line)
                continue
            }
            var map: [String: JSONValue] = [:]
            for (key, member) in members { map[key] = member }
            var wrongType: String?
            func text(_ key: String) -> String? {
                guard let member = map[key] else { return nil }
                if case .string(let string) = member { return string }
                if wrongType == nil { wrongType = key }
                return nil
            }
            let question = text("question_id")
            let annotator = text("annotator_id")
            let answer = text("answer")
            if let key = wrongType, let member = map[key] {
                checker.reject(line: number, field: key, reason: .malformed("\(key) is a \(member.typeName), not a string"), raw: line)
                continue
            }
            var duration: Double?? = .some(nil)
            switch map["duration_seconds"] {
            case nil, .null?: break
            case .number(let seconds, _)?:
                duration = seconds.isFinite && seconds >= 0 ? .some(seconds) : nil
            default:
                duration = nil
            }
            checker.check(line: number, raw: line, question: question, annotator: annotator, answer: answer, duration: duration)
        }
    }
}

extension Character {
    /// LF or CRLF (one Character in Swift), the line ends of answer files.
    var isLineEnd: Bool { self == "\n" || self == "\r\n" }
}

extension String {
    /// Without leading and trailing spaces and tabs (Foundation-free).
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        guard let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(scalars[first...last])
    }
}
