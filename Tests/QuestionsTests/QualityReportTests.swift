import Imaging
import Testing

@testable import Questions

/// The quality report on a hand-made image: left half class 1 (mask value 10), right half class
/// 2 (mask value 20), bottom row void.
@Suite struct QualityReportTests {
    static func mask() -> Image {
        var mask = Image(width: 4, height: 4, channels: 1)
        for y in 0..<4 {
            for x in 0..<4 { mask.pixels[mask.offset(x: x, y: y)] = y == 3 ? 0 : x < 2 ? 10 : 20 }
        }
        return mask
    }

    @Test func firstQuestionsAreCountedBySourceAndReachabilityIsThePointsWithACandidateClass() {
        func point(_ index: Int, x: Double, y: Double, ranked: [Int], sources: [CandidateSource]) -> PointCandidates {
            PointCandidates(imageID: "a", pointIndex: index, x: x, y: y, ranked: ranked, sources: sources)
        }
        let points = [
            point(0, x: 0.1, y: 0.1, ranked: [1, 2], sources: [.mention, .label]),  // class 1: first is a Yes (mention)
            point(1, x: 0.9, y: 0.1, ranked: [1, 2], sources: [.mention, .label]),  // class 2: No, then Yes
            point(2, x: 0.9, y: 0.5, ranked: [2, 1], sources: [.label, .mention]),  // class 2: Yes (label)
            point(3, x: 0.6, y: 0.6, ranked: [2, 1], sources: [.label, .mention]),  // class 2: Yes (label)
            point(4, x: 0.1, y: 0.6, ranked: [2, 1], sources: [.label, .mention]),  // class 1: No (label), then Yes
            point(5, x: 0.5, y: 0.9, ranked: [1, 2], sources: [.mention, .label]),  // void: not scored
        ]
        let image = ImagePoints(
            imageID: "a", width: 4, height: 4, points: points, candidates: [1, 2], sources: [1: .mention, 2: .label],
            exemplarPositions: [(0.1, 0.1, 1)])
        let report = QuestionQuality.report([image], seed: 1, mask: { _ in Self.mask() }, classOf: [10: 1, 20: 2])
        #expect(report.points == 6 && report.unlabelled == 1 && report.scored == 5)
        #expect(report.firstQuestions[.mention]?.asked == 2 && report.firstQuestions[.mention]?.yes == 1)
        #expect(report.firstQuestions[.label]?.asked == 3 && report.firstQuestions[.label]?.yes == 2)
        #expect(report.model.firstYes == 3.0 / 5.0)
        #expect(report.model.meanQuestionsToYes == 7.0 / 5.0)
        #expect(report.mentionedShare == 1)
        #expect(report.firstYesAmongReachable == 3.0 / 5.0)

        // Without class 2 among the candidates, its three points are unreachable.
        var fewer = image
        fewer.candidates = [1]
        fewer.points = points.map { p in
            var p = p
            (p.ranked, p.sources) = ([1], [.mention])
            return p
        }
        let narrow = QuestionQuality.report([fewer], seed: 1, mask: { _ in Self.mask() }, classOf: [10: 1, 20: 2])
        #expect(narrow.unmentioned == [2: 3])
        #expect(narrow.mentionedShare == 2.0 / 5.0)
        #expect(narrow.model.firstYes == 2.0 / 5.0)
        #expect(narrow.firstYesAmongReachable == 1)

        // An image whose mask cannot be read is counted and named, not dropped unseen.
        var other = image
        other.imageID = "b"
        struct Missing: Error, CustomStringConvertible { var description: String { "b.png: missing" } }
        let partial = QuestionQuality.report(
            [image, other], seed: 1, mask: { id in if id == "b" { throw Missing() } else { return Self.mask() } }, classOf: [10: 1, 20: 2])
        #expect(partial.images == 1 && partial.withoutMask == 1 && partial.maskErrors == ["b.png: missing"])
        #expect(partial.points == report.points)
    }
}
