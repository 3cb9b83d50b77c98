import Embedding
import Foundation
import Imaging
import Narratives
import Pipeline
import Support
import Testing

@testable import Store

/// Training data from stored mentions and images on disk.
@Suite(.serialized) struct EmbeddingDataTests {
    @Test func pointsComeFromMentionTracesOnTheirImagesAndMissingImagesAreReported() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("shard.jsonl")
        try Fixture.write(Fixture.lines(120), to: input)
        let corpus = try Corpus(path: dir.appendingPathComponent("corpus.sqlite").path)
        _ = try Ingester(corpus: corpus).run([try SourceFile(path: input.path)])
        var build = VocabularyBuild(
            extractor: RealVocabulary.extractor, options: .init(minimumMentions: 5, trainClasses: 6), openImages: nil)
        build.batchSize = 50
        _ = try build.run(corpus: corpus, previousIDs: [:])
        let classes = try corpus.trainingClasses()
        #expect(classes.count == 6)

        // Each image is a vertical colour ramp, so a point's colour encodes its y coordinate.
        let images = dir.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        let ids = try corpus.database.prepare("SELECT DISTINCT image_id FROM narratives ORDER BY image_id")
        var all: [String] = []
        while try ids.step() { all.append(ids.text(0)) }
        let missing = Set(all.prefix(3))
        for id in all where !missing.contains(id) {
            var image = Image(width: 40, height: 30, channels: 3)
            for y in 0..<30 {
                for x in 0..<40 { image.pixels[image.offset(x: x, y: y)] = UInt8(y * 8) }
            }
            let png = try PNGFile.encode(image)
            try FileSystem.writeAtomically(to: images.appendingPathComponent("\(id).png").path, durable: false) { try $0.write(png) }
        }
        let locator = try ImageLocator(root: images.path, pattern: "{id}.png")
        var sampling = TrainingSampling()
        sampling.pointsPerMention = 8
        let features = FeatureConfiguration(scales: [1], referenceSide: 40, position: true)
        let (points, report) = try TrainingData.labelledPoints(
            corpus: corpus,
            classes: classes, features: features, sampling: sampling, loadImage: { try locator.load($0) })
        let skipped = Set(report.skipped.map(\.imageID))
        #expect(skipped.isSubset(of: missing) && !skipped.isEmpty)
        #expect(report.skipped.allSatisfy { $0.reason.contains("not found") })
        #expect(report.points == points.count && points.count > 100)
        #expect(Set(points.labels).count == 6)
        // The position feature is the pixel's y, and the lightness of the ramp follows it:
        // features were taken at the trace points' own pixels.
        let d = features.dimension
        let ys = (0..<points.count).map { Double(points.features[$0 * d + d - 1]) }
        let ls = (0..<points.count).map { Double(points.features[$0 * d]) }
        #expect(ys.allSatisfy { $0 > 0 && $0 < 1 })
        let my = ys.reduce(0, +) / Double(ys.count), ml = ls.reduce(0, +) / Double(ls.count)
        let cov = zip(ys, ls).reduce(0) { $0 + ($1.0 - my) * ($1.1 - ml) }
        let vy = ys.reduce(0) { $0 + ($1 - my) * ($1 - my) }, vl = ls.reduce(0) { $0 + ($1 - ml) * ($1 - ml) }
        #expect(cov / (vy * vl).squareRoot() > 0.95)
        // The same inputs give the same points, whatever the worker count.
        let (again, _) = try TrainingData.labelledPoints(
            corpus: corpus,
            classes: classes, features: features, sampling: sampling, workers: 1, loadImage: { try locator.load($0) })
        #expect(again.features == points.features && again.labels == points.labels && again.images == points.images)
        // The points each class offers, as its sampling rate counts them, are the points a
        // full read keeps (every image present here; a mention of 9 points at 8 per mention
        // gives 5: every second one).
        let offered = try TrainingData.classPointCounts(corpus: corpus, sampling: sampling)
        let present = try #require(all.last)
        let (whole, wholeReport) = try TrainingData.labelledPoints(
            corpus: corpus, classes: classes, features: features, sampling: sampling,
            loadImage: { id in try locator.load(missing.contains(id) ? present : id) })
        #expect(wholeReport.skipped.isEmpty)
        for (label, c) in classes.enumerated() { #expect(whole.labels.filter { $0 == label }.count == offered[c.id], "\(c.name)") }
        // A per-class cap subsamples.
        sampling.pointsPerClass = 20
        let (capped, _) = try TrainingData.labelledPoints(
            corpus: corpus,
            classes: classes, features: features, sampling: sampling, loadImage: { try locator.load($0) })
        #expect(capped.count < points.count)
        for label in 0..<6 { #expect(capped.labels.filter { $0 == label }.count < 45) }
    }
}
