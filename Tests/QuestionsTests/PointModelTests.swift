import Embedding
import Imaging
import Narratives
import Support
import Testing

@testable import Questions

/// M on one image whose left half is sand and right half grass, where the sand mention's
/// trace strayed over the grass.
@Suite struct PointModelTests {
    static let sand = 3, grass = 7

    /// 96 × 64 pixels, sand colour left of the middle, grass colour right of it, with pixel noise.
    static func image(seed: UInt64) -> Image {
        var rng = SplitMix64(seed: seed)
        var image = Image(width: 96, height: 64, channels: 3)
        for y in 0..<image.height {
            for x in 0..<image.width {
                let base: [Double] = x < image.width / 2 ? [196, 178, 128] : [86, 140, 62]
                for c in 0..<3 {
                    image.pixels[image.offset(x: x, y: y) + c] = UInt8(max(0, min(255, base[c] + Double(rng.unitFloat() - 0.5) * 30)))
                }
            }
        }
        return image
    }

    /// A classifier trained on clean labels (the true half) of other images of the same kind.
    static func model() -> EmbeddingModel {
        let features = FeatureConfiguration(scales: [1.5, 4], referenceSide: 96, position: false)
        var points = LabelledPoints(dimension: features.dimension)
        var rng = SplitMix64(seed: 11)
        var row = [Float](repeating: 0, count: features.dimension)
        for i in 0..<12 {
            points.imageIDs.append("train\(i)")
            let pixels = PixelFeatures(image: image(seed: UInt64(100 + i)), configuration: features)
            for _ in 0..<80 {
                let x = rng.below(96), y = rng.below(64)
                row.withUnsafeMutableBufferPointer { pixels.features(x: x, y: y, into: $0) }
                points.append(features: row, label: x < 48 ? 0 : 1, image: Int32(i), mention: Int32(2 * i + (x < 48 ? 0 : 1)))
            }
        }
        var options = TrainingOptions()
        options.hidden = [16]
        options.embedding = 8
        options.epochs = 12
        options.cleaningRounds = 0
        let classes = [EmbeddingModel.ClassLabel(id: sand, name: "sand"), EmbeddingModel.ClassLabel(id: grass, name: "grass")]
        return Trainer.train(points: points, classes: classes, features: features, options: options)
    }

    /// Trace points spread over a rectangle of the image (normalised coordinates).
    static func trace(_ count: Int, x: ClosedRange<Float>, y: ClosedRange<Float>, seed: UInt64) -> [TracePoint] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { i in
            TracePoint(
                x: x.lowerBound + Float(rng.unitFloat()) * (x.upperBound - x.lowerBound),
                y: y.lowerBound + Float(rng.unitFloat()) * (y.upperBound - y.lowerBound), t: Float(i) * 0.05)
        }
    }

    @Test func exemplarsThatStrayedOntoANeighbourAreLeftOut() {
        let model = Self.model()
        // Sand: 30 points on the sand, then 40 that strayed over the grass; grass: 15 on the grass.
        let mentions = [
            (
                classID: Self.sand,
                points: Self.trace(30, x: 0.05...0.45, y: 0.1...0.9, seed: 1) + Self.trace(40, x: 0.55...0.95, y: 0.1...0.9, seed: 2)
            ),
            (classID: Self.grass, points: Self.trace(15, x: 0.55...0.95, y: 0.1...0.9, seed: 3)),
        ]
        let image = Self.image(seed: 7)
        func wrongPoints(threshold: Double) -> (wrong: Int, points: Int) {
            var options = PointModelOptions()
            options.prior = 0  // the neighbours alone, so only the exemplars decide
            options.exemplarsPerMention = 100
            options.sampling.pointsPerImage = 60
            options.exemplarThreshold = threshold
            let result = PointModelBuilder(model: model, options: options).points(imageID: "test", image: image, mentions: mentions)
            #expect(result.candidates == [Self.sand, Self.grass])
            // The baseline's exemplar positions are every trace point, cleaned or not.
            #expect(result.exemplarPositions.count == 85)
            let wrong = result.points.filter { p in
                let truth = p.x < 0.5 ? Self.sand : Self.grass
                // Points within a pixel or two of the boundary are left out.
                return abs(p.x - 0.5) > 0.03 && p.ranked.first != truth
            }
            #expect(result.points.allSatisfy { Set($0.ranked) == [Self.sand, Self.grass] })
            return (wrong.count, result.points.count)
        }
        let kept = wrongPoints(threshold: 0)
        let cleaned = wrongPoints(threshold: 0.35)
        // With every exemplar, sand's 40 strays outvote grass's 15 on the grass.
        #expect(kept.wrong > kept.points / 4, "\(kept)")
        #expect(cleaned.wrong == 0, "\(cleaned)")
    }

    @Test func aClassOnlyAnImageLabelNamesIsRankedByTheClassifierAndAnAbsentOneNeverAsked() {
        let model = Self.model()
        let image = Self.image(seed: 7)
        // Only the sand is mentioned; the grass is verified present by an image-level label.
        let mentions = [(classID: Self.sand, points: Self.trace(30, x: 0.05...0.45, y: 0.1...0.9, seed: 1))]
        var options = PointModelOptions()
        options.sampling.pointsPerImage = 60
        options.modelCandidates = 0  // the mentions alone, then with labels
        var builder = PointModelBuilder(model: model, options: options)
        let plain = builder.points(imageID: "test", image: image, mentions: mentions)
        #expect(plain.candidates == [Self.sand])
        #expect(plain.points.allSatisfy { $0.ranked == [Self.sand] })

        builder.labels = ["test": ImageLabelSet(present: [Self.grass])]
        let labelled = builder.points(imageID: "test", image: image, mentions: mentions)
        #expect(labelled.candidates == [Self.sand, Self.grass])
        let wrong = labelled.points.filter { p in abs(p.x - 0.5) > 0.03 && p.ranked.first != (p.x < 0.5 ? Self.sand : Self.grass) }
        #expect(wrong.count <= 2, "\(wrong.count) of \(labelled.points.count)")
        #expect(labelled.points.allSatisfy { Set($0.ranked) == [Self.sand, Self.grass] })
        #expect(labelled.sources == [Self.sand: .mention, Self.grass: .label])
        #expect(labelled.points.allSatisfy { p in zip(p.ranked, p.sources).allSatisfy { $1 == ($0 == Self.sand ? .mention : .label) } })

        // The exemplar bank, weighted far above the classifier, tells grass from sand too.
        var banked = builder
        banked.options.bankWeight = 20
        let byBank = banked.points(imageID: "test", image: image, mentions: mentions)
        let bankWrong = byBank.points.filter { p in abs(p.x - 0.5) > 0.03 && p.ranked.first != (p.x < 0.5 ? Self.sand : Self.grass) }
        #expect(bankWrong.count <= 2, "\(bankWrong.count) of \(byBank.points.count)")

        // Without labels, the classifier proposes the grass (model candidates).
        var proposing = PointModelBuilder(model: model, options: options)
        proposing.options.modelCandidates = 0.5
        let proposed = proposing.points(imageID: "test", image: image, mentions: mentions)
        #expect(proposed.candidates == [Self.sand, Self.grass])
        let missed = proposed.points.filter { p in abs(p.x - 0.5) > 0.03 && p.ranked.first != (p.x < 0.5 ? Self.sand : Self.grass) }
        #expect(missed.count <= 2, "\(missed.count) of \(proposed.points.count)")
        #expect(proposed.sources == [Self.sand: .mention, Self.grass: .model])
        // A proposal stays when the classifier knows no other candidate of the image (a field
        // of grass whose only mention is of a class it was not trained on); without the prior,
        // none is made.
        var field = image
        for y in 0..<field.height {
            for x in 0..<(field.width / 2) {
                for c in 0..<3 { field.pixels[field.offset(x: x, y: y) + c] = image.pixels[image.offset(x: x + image.width / 2, y: y) + c] }
            }
        }
        let untrained = 99
        let alone = proposing.points(imageID: "test", image: field, mentions: [(classID: untrained, points: mentions[0].points)])
        #expect(alone.candidates == [Self.grass, untrained])
        #expect(alone.points.allSatisfy { Set($0.ranked) == [Self.grass, untrained] })
        #expect(alone.sources == [Self.grass: .model, untrained: .mention])
        var neighboursOnly = proposing
        neighboursOnly.options.prior = 0
        #expect(neighboursOnly.points(imageID: "test", image: image, mentions: mentions).candidates == [Self.sand])
        // A class both mentioned and labelled present is recorded as a mention.
        builder.labels = ["test": ImageLabelSet(present: [Self.sand, Self.grass])]
        #expect(builder.points(imageID: "test", image: image, mentions: mentions).sources == [Self.sand: .mention, Self.grass: .label])

        // A mentioned class verified absent is never asked.
        builder.labels = ["test": ImageLabelSet(present: [Self.grass], absent: [Self.sand])]
        let corrected = builder.points(imageID: "test", image: image, mentions: mentions)
        #expect(corrected.candidates == [Self.grass])
        #expect(corrected.points.allSatisfy { $0.ranked == [Self.grass] })
    }

    @Test func coherencePoolsOnlyTheRingPointsThatLookAlike() {
        let model = Self.model()
        let image = Self.image(seed: 7)
        let mentions = [
            (classID: Self.sand, points: Self.trace(30, x: 0.05...0.45, y: 0.1...0.9, seed: 1)),
            (classID: Self.grass, points: Self.trace(30, x: 0.55...0.95, y: 0.1...0.9, seed: 3)),
        ]
        // Wrong top classes among the points near the boundary, where a ring of radius 0.1
        // (about 10 pixels) reaches across it.
        func wrong(radius: Double, similarity: Double = 0.8) -> Int {
            var options = PointModelOptions()
            options.sampling.pointsPerImage = 400
            options.coherenceRadius = radius
            options.coherenceSimilarity = similarity
            let result = PointModelBuilder(model: model, options: options).points(imageID: "edge", image: image, mentions: mentions)
            return result.points.filter { p in
                abs(p.x - 0.5) > 0.02 && abs(p.x - 0.5) < 0.08 && p.ranked.first != (p.x < 0.5 ? Self.sand : Self.grass)
            }.count
        }
        let alone = wrong(radius: 0), alike = wrong(radius: 0.1), everything = wrong(radius: 0.1, similarity: -1)
        #expect(alike <= alone, "alone \(alone), alike \(alike), everything \(everything)")
        #expect(everything > alike + 3, "alone \(alone), alike \(alike), everything \(everything)")
    }

    @Test func aClassWhoseExemplarsWouldAllGoKeepsThem() {
        let model = Self.model()
        // Both mentions traced only over the grass: sand keeps its exemplars rather than none.
        let mentions = [
            (classID: Self.sand, points: Self.trace(20, x: 0.55...0.95, y: 0.1...0.9, seed: 4)),
            (classID: Self.grass, points: Self.trace(20, x: 0.55...0.95, y: 0.1...0.9, seed: 5)),
        ]
        var options = PointModelOptions()
        options.prior = 0
        options.sampling.pointsPerImage = 30
        let result = PointModelBuilder(model: model, options: options).points(imageID: "test", image: Self.image(seed: 8), mentions: mentions)
        // Had sand lost its exemplars, it would only follow grass as a class without traces;
        // with them it competes and comes first at some points.
        #expect(result.points.allSatisfy { $0.ranked.count == 2 })
        #expect(result.points.contains { $0.ranked.first == Self.sand })
    }
}
