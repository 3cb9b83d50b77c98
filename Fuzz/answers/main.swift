// libFuzzer target: an answers file through AnswerImport.parse, as `pointillist questions
// answers` reads it (the file as UTF-8 text; CSV, JSONL, or told apart by content), against
// a few known questions, one earlier answer and what an earlier import of the file stored.
// Besides crashes it checks what the importer promises: accepted + rejected + already
// imported = data lines, accepted answers are new, known and well-formed, and CRLF line ends
// read like LF ones. Built by script/fuzz with Fuzz/Shared/Check.swift.
import Questions

let known: Set<String> = ["q1", "q2", "q3"]
let existing = [Answer(questionID: "q1", annotatorID: "ann1", value: .yes, line: 2)]
/// As QuestionStore.previousImport gives it: line 2's answer stored, line 3 rejected.
let previous: PreviousImport = {
    var p = PreviousImport()
    p.addAnswer(line: 2, questionID: "q1", annotatorID: "ann1")
    p.addReject(line: 3, raw: "q1,ann1")
    return p
}()
/// By extension (CSV, JSON Lines) and by content.
let fileNames = ["answers.csv", "answers.jsonl", "answers.txt"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAnswerFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // The CLI reads the file with String(contentsOfFile:encoding: .utf8): invalid UTF-8 is refused.
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    let lineCount = text.unicodeScalars.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
    for file in fileNames {
        let result = AnswerImport.parse(file: file, text: text, knownQuestions: known, existing: existing, previous: previous)
        checkReconciles(result, lineCount: lineCount, file: file)
        // CRLF line ends must read like LF ones (quoted CSV fields aside, whose text keeps them).
        if !text.unicodeScalars.contains("\r") && text.unicodeScalars.contains("\n") {
            var crlf = String.UnicodeScalarView()
            for scalar in text.unicodeScalars {
                if scalar == "\n" { crlf.append("\r") }
                crlf.append(scalar)
            }
            let other = AnswerImport.parse(file: file, text: String(crlf), knownQuestions: known, existing: existing, previous: previous)
            check(summary(other) == summary(result), "\(file): CRLF reads differently:\n  LF   \(summary(result))\n  CRLF \(summary(other))")
        }
    }
    return 0
}

func checkReconciles(_ r: AnswerImportResult, lineCount: Int, file: String) {
    check(r.accepted.count + r.rejected.count + r.alreadyImported == r.dataLines, "\(file): accepted + rejected + already imported != data lines")
    if r.headerProblem != nil { check(r.accepted.isEmpty, "\(file): accepted answers despite a header problem") }
    var pairs = Set(existing.map { [$0.questionID, $0.annotatorID] })
    var last = 0
    for a in r.accepted {
        check(known.contains(a.questionID), "\(file): accepted an unknown question \(a.questionID)")
        check(!a.annotatorID.isEmpty && a.annotatorID.first != " " && a.annotatorID.last != " ", "\(file): untrimmed or empty annotator id")
        check(pairs.insert([a.questionID, a.annotatorID]).inserted, "\(file): a second answer by one annotator accepted")
        if let d = a.durationSeconds { check(d.isFinite && d >= 0, "\(file): bad duration accepted") }
        check(a.line > last && a.line <= lineCount, "\(file): accepted line \(a.line) out of order or range")
        last = a.line
    }
    for j in r.rejected { check(j.line >= 1 && j.line <= lineCount, "\(file): rejected line \(j.line) out of range") }
}

/// What must not depend on the line ends: counts, lines, fields and kinds of rejection.
func summary(_ r: AnswerImportResult) -> String {
    func kind(_ reason: RejectReason) -> String {
        switch reason {
        case .malformed: return "malformed"
        case .unknownQuestion: return "unknown"
        case .duplicate: return "duplicate"
        case .conflicting(let previous): return "conflicting(\(previous))"
        }
    }
    let accepted = r.accepted.map { "\($0.line):\($0.value)" }.joined(separator: " ")
    // A field named by a quoted header cell keeps the line ends inside its quotes.
    let rejected = r.rejected.map { "\($0.line):\(($0.field ?? "-").replacing("\r\n", with: "\n")):\(kind($0.reason))" }
        .joined(separator: " ")
    return
        "data \(r.dataLines) blank \(r.blankLines) imported \(r.alreadyImported) header \(r.headerProblem != nil) accepted [\(accepted)] rejected [\(rejected)]"
}
