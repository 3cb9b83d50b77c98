import Embedding
import Imaging
import Narratives
import Testing

@testable import Questions

/// M on an image reduced to the working resolution ranks as M on the full image.
@Suite struct WorkingResolutionPointModelTests {
    @Test func mAtWorkingResolutionRanksLikeAtFullResolution() {
        let model = PointModelTests.model()
        let mentions = [
            (classID: PointModelTests.sand, points: PointModelTests.trace(40, x: 0.05...0.45, y: 0.1...0.9, seed: 1)),
            (classID: PointModelTests.grass, points: PointModelTests.trace(40, x: 0.55...0.95, y: 0.1...0.9, seed: 3)),
        ]
        // The generated 96 × 64 scene enlarged 8× (768 × 512, "the photo"), and that photo
        // box-reduced by 4 (192 × 128), as a PNG is at a working side of 192.
        let photo = PointModelTests.image(seed: 7).upscaled(by: 8)
        let working = photo.boxReduced(by: 4)
        var options = PointModelOptions()
        options.sampling.pointsPerImage = 60
        let builder = PointModelBuilder(model: model, options: options)
        let full = builder.points(imageID: "scene", image: photo, mentions: mentions)
        let reduced = builder.points(imageID: "scene", image: working, mentions: mentions)
        #expect(full.points.count == reduced.points.count)
        var agree = 0
        for (a, b) in zip(full.points, reduced.points) {
            #expect(abs(a.x - b.x) < 0.02 && abs(a.y - b.y) < 0.02)
            if a.ranked.first == b.ranked.first { agree += 1 }
        }
        // Stated agreement: at least 95% of the points get the same first class.
        #expect(Double(agree) >= 0.95 * Double(full.points.count), "\(agree) of \(full.points.count)")
    }
}
