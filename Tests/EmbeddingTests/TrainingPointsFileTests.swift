import Foundation
import Support
import Testing

@testable import Embedding

/// Training points files (`embed points`) and their merge (`embed fit`).
@Suite struct TrainingPointsFileTests {
    static let header = TrainingPointsFile.Header(
        features: .standard, classes: [.init(id: 3, name: "dog"), .init(id: 9, name: "sky")], pointsPerMention: 48,
        pointsPerClass: 8000, seed: 1, images: 3, mentions: 4, skipped: [["gone", "not found"]])

    /// Points of `images` (in that order), `perImage` each, with features that tell them apart.
    static func points(_ images: [String], perImage: Int, first: Float) -> LabelledPoints {
        let d = FeatureConfiguration.standard.dimension
        var p = LabelledPoints(dimension: d)
        p.imageIDs = images
        var value = first
        for (i, _) in images.enumerated() {
            for k in 0..<perImage {
                p.append(features: (0..<d).map { Float($0) + value }, label: Int32(k % 2), image: Int32(i), mention: Int32(k), x: value, y: -value)
                value += 1
            }
        }
        return p
    }

    static func rows(_ p: LabelledPoints) -> [[Float]] {
        (0..<p.count).map { i in
            [Float(p.labels[i]), Float(p.mentions[i])] + p.positions[(2 * i)..<(2 * i + 2)] + p.features[(i * p.dimension)..<((i + 1) * p.dimension)]
        }
    }

    @Test func roundTripsAndRefusesDamage() throws {
        let p = Self.points(["a", "b", "ünïcode"], perImage: 3, first: 0.5)
        let bytes = try TrainingPointsFile.encode(Self.header, p)
        let (header, back) = try TrainingPointsFile.decode(bytes, path: "p")
        #expect(header == Self.header)
        #expect(back.imageIDs == p.imageIDs && back.images == p.images && Self.rows(back) == Self.rows(p))

        var flipped = bytes
        flipped[bytes.count / 2] ^= 1
        #expect(throws: PointillistError(file: "p", reason: "corrupt or truncated: checksum mismatch")) {
            try TrainingPointsFile.decode(flipped, path: "p")
        }
        #expect(throws: PointillistError.self) { try TrainingPointsFile.decode(Array(bytes.prefix(bytes.count - 20)), path: "p") }
        #expect(throws: PointillistError(file: "p", reason: "not a Pointillist training points file (bad magic)")) {
            try TrainingPointsFile.decode(Array("PTLEMBED".utf8) + bytes.dropFirst(8), path: "p")
        }
    }

    @Test func shardsMergeInImageOrderAsOneExtractionGives() throws {
        // One extraction over all images, in image-id order (UTF-8 bytes, as SQLite orders them:
        // "Z" before "a", and "é" after both).
        let ids = ["Z1", "a1", "a2", "b1", "é1"]
        var whole = LabelledPoints(dimension: FeatureConfiguration.standard.dimension)
        whole.imageIDs = ids
        var parts = [Self.points([], perImage: 0, first: 0), Self.points([], perImage: 0, first: 0)]
        parts[0].imageIDs = ["a1", "é1"]
        parts[1].imageIDs = ["Z1", "a2", "b1"]
        // The same point for an image, whichever side holds it.
        let d = whole.dimension
        for (n, id) in ids.enumerated() {
            for k in 0..<(n + 1) {
                let value = Float(10 * n + k)
                let row = (0..<d).map { Float($0) * value }
                whole.append(features: row, label: Int32(k % 2), image: Int32(n), mention: Int32(k), x: value, y: 0)
                let side = parts[0].imageIDs.contains(id) ? 0 : 1
                let image = Int32(parts[side].imageIDs.firstIndex(of: id)!)
                parts[side].append(features: row, label: Int32(k % 2), image: image, mention: Int32(k), x: value, y: 0)
            }
        }
        for order in [[0, 1], [1, 0]] {
            let merged = try LabelledPoints.merged(order.map { parts[$0] })
            #expect(merged.imageIDs == ids)
            #expect(merged.images == whole.images)
            #expect(Self.rows(merged) == Self.rows(whole))
        }
        // The same image in two parts is refused.
        #expect(throws: PointillistError("image a1 is in two training sets: shards must hold different images")) {
            try LabelledPoints.merged([parts[0], parts[0]])
        }
    }
}
