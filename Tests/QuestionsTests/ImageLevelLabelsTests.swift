import Foundation
import Support
import Testing

@testable import Questions

/// Open Images image-level label files: verified present and absent, unverified fractions,
/// and every bad row rejected with its line and field.
@Suite struct ImageLevelLabelsTests {
    static let text =
        [
            "\u{FEFF}Source,ImageID,Confidence,LabelName",  // the columns in another order, after a byte-order mark
            "verification,img1,1,/m/01g317",
            "verification,img1,0,/m/0k4j",
            "machine,img1,0.7,/m/09j2d",  // not a verification
            "",
            "verification,img2,1,/m/0k4j\r",
            "verification,img2,yes,/m/0k4j",  // line 7: Confidence
            "verification,img2,1,Person",  // line 8: LabelName
            "verification,,1,/m/01g317",  // line 9: ImageID
            "\"verification, human\",img3,1,/m/01g317",  // a quoted field
            "verification,img1,1,/m/0k4j",  // contradicts line 3
            "verification,img4,1.5,/m/01g317",  // line 12: Confidence
            "verification,img5,\"1,/m/01g317",  // line 13: a quote left open
        ].joined(separator: "\n") + "\n"

    static func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "labels-\(UUID().uuidString).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func readsVerifiedLabelsAndRejectsBadRowsWithTheirLine() throws {
        let path = try Self.write(Self.text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let labels = try ImageLevelLabels.read([path])
        #expect(labels.rows == 11 && labels.presentRows == 4 && labels.absentRows == 1 && labels.unverifiedRows == 1)
        #expect(labels.rejected.map { [$0.line ?? 0] } == [[7], [8], [9], [12], [13]])
        #expect(labels.rejected.map(\.field) == ["Confidence", "LabelName", "ImageID", "Confidence", nil])
        #expect(labels.rejected.last?.reason == "unterminated quoted field")
        #expect(labels.rejected.allSatisfy { $0.file == path })
        #expect(labels.present == ["img1": ["/m/01g317", "/m/0k4j"], "img2": ["/m/0k4j"], "img3": ["/m/01g317"]])
        #expect(labels.absent == ["img1": []])
        #expect(labels.contradictions == 1)

        // The same file gzipped reads the same.
        let gz = path + ".gz"
        let zip = Process()
        zip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        zip.arguments = ["-k", path]
        try zip.run()
        zip.waitUntilExit()
        defer { try? FileManager.default.removeItem(atPath: gz) }
        let again = try ImageLevelLabels.read([gz])
        #expect(again.present == labels.present && again.rows == labels.rows && again.rejected.map(\.line) == labels.rejected.map(\.line))
    }

    @Test func aFileWithoutTheColumnsIsRefused() throws {
        let path = try Self.write("ImageID,Label,Confidence\nimg1,/m/01g317,1\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(
            throws: PointillistError(
                file: path, line: 1, field: "LabelName",
                reason: "the header names no LabelName column (expected ImageID,Source,LabelName,Confidence)")
        ) { try ImageLevelLabels.read([path]) }
    }
}
