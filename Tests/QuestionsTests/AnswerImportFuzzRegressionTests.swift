import Testing

@testable import Questions

/// Inputs found by `script/fuzz answers`, kept so the fixes stay fixed.
@Suite struct AnswerImportFuzzRegressionTests {
    let known: Set<String> = ["q1", "q2", "q3"]

    func parse(_ text: String, as file: String) -> AnswerImportResult {
        AnswerImport.parse(file: file, text: text, knownQuestions: known, existing: [])
    }

    /// "\r\n" is one Character in Swift: a JSONL file with CRLF line ends was read as one line.
    @Test func jsonlWithCRLFLineEndsReadsLikeLF() {
        let lf = """
            {"question_id":"q1","annotator_id":"a","answer":"yes"}

            {"question_id":"q2","annotator_id":"a","answer":"no","duration_seconds":1.5}
            {"question_id":"q3","annotator_id":"a","answer":"maybe"}

            """
        let crlf = lf.replacing("\n", with: "\r\n")
        let r = parse(crlf, as: "answers.jsonl")
        #expect(r == parse(lf, as: "answers.jsonl"))
        #expect(r.accepted.map(\.questionID) == ["q1", "q2"])
        #expect(r.accepted.map(\.line) == [1, 3])
        #expect(r.rejected.map(\.line) == [4])
        #expect(r.rejected.first?.raw == #"{"question_id":"q3","annotator_id":"a","answer":"maybe"}"#)
        #expect(r.dataLines == 3 && r.blankLines == 1)
    }

    /// The fuzzer's input: a CSV file read as JSONL, with CRLF: still one rejection per line.
    @Test func fuzzInputCSVReadAsJSONLWithCRLF() {
        let lf = "question_id,worker,answer\nq1,a,yes\n\nq2,b,no\n"
        let r = parse(lf.replacing("\n", with: "\r\n"), as: "answers.jsonl")
        #expect(r.rejected.map(\.line) == [1, 2, 4])
        #expect(r.dataLines == 3 && r.blankLines == 1)
    }

    /// An unterminated quote in a CRLF file keeps the rest of the file as the rejected text.
    @Test func unterminatedQuoteInCRLFKeepsTheRestOfTheFile() {
        let text = "question_id,annotator_id,answer\r\nq1,a,yes\r\nq2,\"b,no\r\nq3,c,yes\r\n"
        let r = parse(text, as: "answers.csv")
        #expect(r.accepted.map(\.line) == [2])
        #expect(r.rejected.map(\.line) == [3])
        #expect(r.rejected.first?.raw == "q2,\"b,no\nq3,c,yes\n")
    }
}
