import Foundation
import Pipeline
import Testing

@testable import Questions
@testable import Store

/// Batch files give each image's pixel coordinates from the size recorded when it was sampled.
@Suite struct BatchImageSizeTests {
    @Test func pixelsComeFromEachImagesRecordedSize() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("c.sqlite").path
        let corpus = try Corpus(path: path)
        // A dictionary build that kept no class: the batch names class 3 by its number.
        try corpus.database.execute("INSERT INTO settings(key, value) VALUES ('\(Settings.vocabulary)', 'complete')")
        let sizes = ["wide": ImageSize(width: 1024, height: 768), "tall": ImageSize(width: 3000, height: 4000)]
        let images = sizes.keys.sorted().map { id in
            ImagePoints(
                imageID: id, width: 1, height: 1,
                points: [PointCandidates(imageID: id, pointIndex: 0, x: 0.5, y: 0.25, ranked: [3], sources: [.mention])],
                candidates: [3], sources: [3: .mention], exemplarPositions: [])
        }
        _ = try corpus.storeFirstRound(images, sizes: sizes)
        #expect(try corpus.imageSizes() == sizes)
        let folder = dir.appendingPathComponent("batches").path
        let written = try BatchJob(options: .init(database: path, folder: folder, imageURL: "{id}.jpg")).run()
        let rows = try String(contentsOfFile: try #require(written.first).base + ".csv", encoding: .utf8)
            .split(separator: "\r\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        // Every replica of each image's question: x 0.5 and y 0.25 of its own size.
        #expect(rows.count == 6)
        #expect(Set(rows.map { [$0[2], $0[6], $0[7]] }) == [["wide", "512", "192"], ["tall", "1500", "1000"]])
    }
}
