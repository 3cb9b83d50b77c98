import Foundation
import Support
import Testing

@testable import Questions

@Suite struct BatchFileTests {
    let tricky = Question(imageID: "img,1", pointIndex: 2, x: 0.25, y: 0.999_999, classID: 12, round: 1, source: .label)

    private func describe(_ q: Question) -> QuestionText {
        QuestionText(
            imageURL: "images/\(q.imageID).jpg", className: "crème brûlée, \"fancy\"",
            gloss: "a rich custard\nwith a caramel top — 焦糖", widthPixels: 640, heightPixels: 480)
    }

    @Test func questionTextUsesTheRightArticle() {
        #expect(BatchFile.questionText(className: "dog") == "Is this point on a dog?")
        #expect(BatchFile.questionText(className: "umbrella") == "Is this point on an umbrella?")
        #expect(BatchFile.questionText(className: "Apple") == "Is this point on an Apple?")
        #expect(BatchFile.article(for: "unicycle") == "a")
        #expect(BatchFile.article(for: "hourglass") == "an")
        #expect(BatchFile.article(for: "house") == "a")
        #expect(BatchFile.article(for: "one-piece") == "a")
        #expect(BatchFile.article(for: "") == "a")
    }

    @Test func pixelsAreFloorClampedAsImagingComputesThem() {
        #expect(BatchFile.pixel(0, size: 640) == 0)
        #expect(BatchFile.pixel(0.25, size: 640) == 160)
        #expect(BatchFile.pixel(0.999_999_9, size: 480) == 479)
        #expect(BatchFile.pixel(1, size: 480) == 479)
        #expect(BatchFile.pixel(-0.1, size: 480) == 0)
    }

    @Test func csvQuotesCommasQuotesAndNewlines() throws {
        let batch = [Assignment(question: tricky, replica: 0), Assignment(question: tricky, replica: 1)]
        let text = BatchFile.csv(batch, describe: describe)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines[0] == "question_id,replica,image_id,image,x,y,x_px,y_px,class_id,class_name,gloss,question,source")
        let expectedRow =
            tricky.id + ",0,\"img,1\",\"images/img,1.jpg\",0.25,0.999999,160,479,12,"
            + "\"crème brûlée, \"\"fancy\"\"\",\"a rich custard\nwith a caramel top — 焦糖\","
            + "\"Is this point on a crème brûlée, \"\"fancy\"\"?\",label"
        #expect(lines[1] == expectedRow)
        // Reading it back with the module's RFC 4180 reader gives the fields unchanged.
        let (records, failure) = CSV.records(text)
        #expect(failure == nil)
        #expect(records.count == 3)
        #expect(records[1].fields == BatchFile.fields(batch[0], text: describe(tricky)))
        #expect(records[2].fields[1] == "1")
        #expect(records[2].line == 4)  // the first row spans lines 2 and 3 (the gloss has a line break)
        // A quote followed by a combining mark is one Character but still a quote to a reader.
        let combining = "a\"\u{301}b"
        #expect(CSV.field(combining) == "\"a\"\"\u{301}b\"")
        #expect(CSV.records(CSV.line([combining, "x"], ending: "\n")).records.first?.fields == [combining, "x"])
    }

    @Test func jsonlEscapesStringsAndKeepsNumbersBare() {
        let text = BatchFile.jsonl([Assignment(question: tricky, replica: 2)]) { q in
            QuestionText(
                imageURL: "a\\b.jpg", className: "tab\there", gloss: "line\nbreak \u{01} \u{2028} \"q\" é",
                widthPixels: 10, heightPixels: 10, text: "custom?")
        }
        let expected =
            "{\"question_id\":\"\(tricky.id)\",\"replica\":2,\"image_id\":\"img,1\",\"image\":\"a\\\\b.jpg\","
            + "\"x\":0.25,\"y\":0.999999,\"x_px\":2,\"y_px\":9,\"class_id\":12,\"class_name\":\"tab\\there\","
            + "\"gloss\":\"line\\nbreak \\u0001 \\u2028 \\\"q\\\" é\",\"question\":\"custom?\",\"source\":\"label\"}\n"
        #expect(text == expected)
        // And it parses back with the module's JSON reader.
        let value = try? JSONParser.parse(String(text.dropLast()))
        guard case .object(let members)? = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.first { $0.0 == "gloss" }?.1 == .string("line\nbreak \u{01} \u{2028} \"q\" é"))
    }
}
