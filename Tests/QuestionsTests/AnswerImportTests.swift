import Testing

@testable import Questions

@Suite struct AnswerImportTests {
    let known: Set<String> = ["q1", "q2", "q3"]

    private func reconcile(_ r: AnswerImportResult, dataLines: Int, blank: Int = 0) {
        #expect(r.accepted.count + r.rejected.count + r.alreadyImported == r.dataLines)
        #expect(r.dataLines == dataLines)
        #expect(r.blankLines == blank)
    }

    @Test func csvAcceptsAnyColumnOrderCaseAndExtraColumns() {
        let text = """
            Annotator_ID,comment,answer,question_id,duration_seconds\r
            ann1,"hello, world",YES,q1,2.5\r
            ann1,,n,q2,\r
            ann2,x, Unsure ,q1,0\r

            """
        let r = AnswerImport.parse(file: "a.csv", text: text, knownQuestions: known, existing: [])
        #expect(r.rejected.isEmpty)
        #expect(
            r.accepted == [
                Answer(questionID: "q1", annotatorID: "ann1", value: .yes, durationSeconds: 2.5, line: 2),
                Answer(questionID: "q2", annotatorID: "ann1", value: .no, durationSeconds: nil, line: 3),
                Answer(questionID: "q1", annotatorID: "ann2", value: .unsure, durationSeconds: 0, line: 4),
            ])
        reconcile(r, dataLines: 3)
    }

    @Test func everyCSVRejectionHasItsLineFieldAndReason() {
        let text = """
            question_id,annotator_id,answer,duration_seconds
            q1,ann1,yes,1
            q1,ann1
            q1,ann1,maybe,1

            q1,,yes,1
            ,ann1,yes,1
            q2,ann1,no,-3
            q2,ann1,no,soon
            q9,ann1,yes,
            q1,ann1,yes,4
            q1,ann1,no,4
            "q2","ann1
            continued",yes,1
            q3,ann1,no,1
            """
        let r = AnswerImport.parse(file: "b.csv", text: text, knownQuestions: known, existing: [])
        #expect(r.rejected.map(\.line) == [3, 4, 6, 7, 8, 9, 10, 11, 12])
        #expect(
            r.rejected.map(\.field) == [
                "answer", "answer", "annotator_id", "question_id", "duration_seconds", "duration_seconds", "question_id", nil, "answer",
            ])
        #expect(r.rejected[0].reason == .malformed("2 fields where the header has 4"))
        #expect(r.rejected[0].raw == "q1,ann1")
        #expect(r.rejected[1].reason == .malformed("answer \"maybe\" is not yes, no or unsure (or y, n, u)"))
        #expect(r.rejected[2].reason == .malformed("empty annotator_id"))
        #expect(r.rejected[3].reason == .malformed("empty question_id"))
        #expect(r.rejected[6].reason == .unknownQuestion)
        #expect(r.rejected[7].reason == .duplicate)
        #expect(r.rejected[8].reason == .conflicting(previous: .yes))
        #expect(r.rejected[8].description == "b.csv:12: answer: conflicts with an earlier answer (yes) by the same annotator")
        // The quoted annotator id with a line break is a legal (if odd) id: accepted, line 13;
        // the next record starts on line 15.
        #expect(r.accepted.map(\.line) == [2, 13, 15])
        #expect(r.accepted[1].annotatorID == "ann1\ncontinued")
        reconcile(r, dataLines: 12, blank: 1)
    }

    @Test func duplicatesAndConflictsAgainstExistingAnswers() {
        let existing = [Answer(questionID: "q1", annotatorID: "ann1", value: .yes, line: 5)]
        let text = """
            {"question_id":"q1","annotator_id":"ann1","answer":"yes"}
            {"question_id":"q1","annotator_id":"ann1","answer":"no"}
            {"question_id":"q1","annotator_id":"ann2","answer":"no","duration_seconds":null}

            """
        let r = AnswerImport.parse(file: "c.jsonl", text: text, knownQuestions: known, existing: existing)
        #expect(r.rejected.map(\.reason) == [.duplicate, .conflicting(previous: .yes)])
        #expect(r.rejected.map(\.line) == [1, 2])
        #expect(r.accepted == [Answer(questionID: "q1", annotatorID: "ann2", value: .no, line: 3)])
        reconcile(r, dataLines: 3)
    }

    /// A file imported again (a rerun after `kill -9` between the commit and the exit, or a
    /// second run) stores nothing more; an edited line is read afresh; a copy under another
    /// name is another file, all duplicates.
    @Test func importingTheSameFileAgainStoresNothingMore() {
        let text = """
            question_id,annotator_id,answer
            q1,ann1,yes
            q1,ann2,maybe
            q2,ann1,no
            q1,ann1,yes
            q9,ann1,yes

            """
        let first = AnswerImport.parse(file: "a.csv", text: text, knownQuestions: known, existing: [])
        #expect(first.accepted.map(\.line) == [2, 4])
        #expect(first.rejected.map(\.line) == [3, 5, 6])
        var previous = PreviousImport()
        for a in first.accepted { previous.addAnswer(line: a.line, questionID: a.questionID, annotatorID: a.annotatorID) }
        for r in first.rejected { previous.addReject(line: r.line, raw: r.raw) }

        let again = AnswerImport.parse(file: "a.csv", text: text, knownQuestions: known, existing: first.accepted, previous: previous)
        #expect(again.accepted.isEmpty && again.rejected.isEmpty)
        #expect(again.alreadyImported == 5)
        reconcile(again, dataLines: 5)

        // Line 3 fixed, line 4 changed to a conflicting answer: both read afresh.
        let edited = text.replacingOccurrences(of: "q1,ann2,maybe", with: "q1,ann2,no").replacingOccurrences(of: "q2,ann1,no", with: "q2,ann1,yes")
        let fixed = AnswerImport.parse(file: "a.csv", text: edited, knownQuestions: known, existing: first.accepted, previous: previous)
        #expect(fixed.accepted == [Answer(questionID: "q1", annotatorID: "ann2", value: .no, line: 3)])
        #expect(fixed.rejected.map(\.reason) == [.conflicting(previous: .no)])
        #expect(fixed.alreadyImported == 3)
        reconcile(fixed, dataLines: 5)

        let copy = AnswerImport.parse(file: "copy.csv", text: text, knownQuestions: known, existing: first.accepted)
        #expect(copy.accepted.isEmpty)
        #expect(
            copy.rejected.map(\.reason) == [
                .duplicate, .malformed("answer \"maybe\" is not yes, no or unsure (or y, n, u)"), .duplicate, .duplicate, .unknownQuestion,
            ])
    }

    @Test func everyJSONLRejection() {
        let text = """
            {"question_id":"q1","annotator_id":"a","answer":"Y","duration_seconds":1.5}
            {"question_id":"q1","annotator_id":"a","answer":
            [1,2]
            {"annotator_id":"b","answer":"yes"}
            {"question_id":"q2","annotator_id":7,"answer":"yes"}
            {"question_id":"q2","annotator_id":"b","answer":"nope"}
            {"question_id":"q2","annotator_id":"b","answer":"no","duration_seconds":"3"}
            {"question_id":"q2","annotator_id":"b","answer":"no","duration_seconds":-1}
            {"question_id":"q2","question_id":"q3","annotator_id":"b","answer":"no"}
               \t
            {"question_id":"zz","annotator_id":"b","answer":"no"}
            {"question_id":" q2 ","annotator_id":"b","answer":"no","extra":{"nested":[true]}}
            {"question_id":"q2","annotator_id":"b","answer":"NO"}
            """
        let r = AnswerImport.parse(file: "d.jsonl", text: text, knownQuestions: known, existing: [])
        #expect(r.rejected.map(\.line) == [2, 3, 4, 5, 6, 7, 8, 9, 11, 13])
        #expect(
            r.rejected.map(\.field) == [
                nil, nil, "question_id", "annotator_id", "answer", "duration_seconds", "duration_seconds", nil, "question_id", nil,
            ])
        #expect(r.rejected[2].reason == .malformed("missing question_id"))
        #expect(r.rejected[3].reason == .malformed("annotator_id is a number, not a string"))
        #expect(r.rejected[1].reason == .malformed("expected an object, found array"))
        if case .malformed(let text) = r.rejected[7].reason {
            #expect(text.contains("repeated key"))
        } else {
            Issue.record("repeated key not malformed")
        }
        #expect(r.rejected[8].reason == .unknownQuestion)
        #expect(r.rejected[9].reason == .duplicate)
        #expect(r.accepted.map(\.questionID) == ["q1", "q2"])
        #expect(r.accepted[0].durationSeconds == 1.5)
        #expect(r.accepted[0].value == .yes)
        reconcile(r, dataLines: 12, blank: 1)
    }

    @Test func missingHeaderColumnRejectsEveryLine() {
        let text = "question_id,worker,answer\nq1,a,yes\n\nq2,b,no\n"
        let r = AnswerImport.parse(file: "e.csv", text: text, knownQuestions: known, existing: [])
        #expect(r.headerProblem == "the header on line 1 has no annotator_id column")
        #expect(r.accepted.isEmpty)
        #expect(r.rejected.map(\.line) == [2, 4])
        #expect(r.rejected.allSatisfy { $0.field == "annotator_id" })
        reconcile(r, dataLines: 2, blank: 1)
        // A tab-separated file is told so.
        let tsv = AnswerImport.parse(file: "e.csv", text: "question_id\tannotator_id\tanswer\nq1\ta\tyes\n", knownQuestions: known, existing: [])
        #expect(
            tsv.headerProblem == "the header on line 1 has no question_id column (its columns are tab-separated; answers are read as CSV or JSONL)")
    }

    @Test func unterminatedQuoteIsOneRejectedRecord() {
        let text = "question_id,annotator_id,answer\nq1,a,yes\nq2,\"b,no\nq3,c,yes\n"
        let r = AnswerImport.parse(file: "f.csv", text: text, knownQuestions: known, existing: [])
        #expect(r.accepted.count == 1)
        #expect(r.rejected.map(\.line) == [3])
        #expect(r.rejected.first?.reason == .malformed("unterminated quoted field"))
        reconcile(r, dataLines: 2)
    }

    @Test func formatFromExtensionOrContent() {
        #expect(AnswerFormat.detect(file: "x/answers.CSV") == .csv)
        #expect(AnswerFormat.detect(file: "answers.jsonl") == .jsonl)
        #expect(AnswerFormat.detect(file: "answers.txt") == nil)
        let json = AnswerImport.parse(
            file: "answers.txt", text: "\u{FEFF}{\"question_id\":\"q1\",\"annotator_id\":\"a\",\"answer\":\"u\"}\n",
            knownQuestions: known, existing: [])
        #expect(json.accepted.first?.value == .unsure)
        let csv = AnswerImport.parse(
            file: "answers.txt", text: "\u{FEFF}question_id,annotator_id,answer\nq1,a,n\n", knownQuestions: known, existing: [])
        #expect(csv.accepted.first?.value == .no)
    }
}
