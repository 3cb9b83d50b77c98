import Foundation
import Support

/// A training set as a file: what `embed points` writes for one corpus (a shard) and
/// `embed train --points` merges back (`LabelledPoints.merged`) into the training set one
/// extraction over the whole corpus gives, so a sharded corpus trains the same model.
///
/// Layout, little-endian: the magic `PTLPOINT`, the version (u32), the header's length (u32)
/// and the header as JSON (`Header`); the image ids (u32 count, then each as u32 length and
/// UTF-8); the point count (u32); per point its label, image index and mention (i32 each);
/// the positions (2 f32 per point); the features (`dimension` f32 per point); FNV-1a-64 of
/// everything before it.
public enum TrainingPointsFile {
    public static let magic = Array("PTLPOINT".utf8)
    public static let version: UInt32 = 1

    /// What the points were made with, and what went into them.
    public struct Header: Codable, Equatable, Sendable {
        public var features: FeatureConfiguration
        public var classes: [EmbeddingModel.ClassLabel]
        public var pointsPerMention: Int
        public var pointsPerClass: Int
        public var seed: UInt64
        /// Images with training mentions, the mentions read, and the images that could not be
        /// read (id, reason).
        public var images: Int
        public var mentions: Int
        public var skipped: [[String]]

        public init(
            features: FeatureConfiguration, classes: [EmbeddingModel.ClassLabel], pointsPerMention: Int, pointsPerClass: Int,
            seed: UInt64, images: Int, mentions: Int, skipped: [[String]]
        ) {
            self.features = features
            self.classes = classes
            self.pointsPerMention = pointsPerMention
            self.pointsPerClass = pointsPerClass
            self.seed = seed
            self.images = images
            self.mentions = mentions
            self.skipped = skipped
        }

        /// The same settings (what the points depend on), whatever went into them.
        public func sameSettings(as other: Header) -> Bool {
            (features, classes, pointsPerMention, pointsPerClass, seed)
                == (other.features, other.classes, other.pointsPerMention, other.pointsPerClass, other.seed)
        }
    }

    public static func encode(_ header: Header, _ points: LabelledPoints) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = Array(try encoder.encode(header))
        var bytes = magic
        ModelFile.append(&bytes, version)
        ModelFile.append(&bytes, UInt32(json.count))
        bytes += json
        ModelFile.append(&bytes, UInt32(points.imageIDs.count))
        for id in points.imageIDs {
            ModelFile.append(&bytes, UInt32(id.utf8.count))
            bytes += id.utf8
        }
        ModelFile.append(&bytes, UInt32(points.count))
        bytes.reserveCapacity(bytes.count + 4 * points.count * (5 + points.dimension) + 8)
        for list in [points.labels, points.images, points.mentions] {
            for v in list { ModelFile.append(&bytes, UInt32(bitPattern: v)) }
        }
        for v in points.positions + points.features { ModelFile.append(&bytes, v.bitPattern) }
        ModelFile.append(&bytes, StableHash.fnv1a(bytes))
        return bytes
    }

    public static func read(_ path: String) throws(PointillistError) -> (Header, LabelledPoints) {
        try decode(try FileSystem.readBytes(path), path: path)
    }

    public static func decode(_ bytes: [UInt8], path: String) throws(PointillistError) -> (Header, LabelledPoints) {
        func fail(_ reason: String) -> PointillistError { PointillistError(file: path, reason: reason) }
        guard bytes.count >= 16, Array(bytes[0..<8]) == magic else { throw fail("not a Pointillist training points file (bad magic)") }
        let fileVersion = ModelFile.u32(bytes, 8)
        guard fileVersion == version else { throw fail("training points format version \(fileVersion); this program reads version \(version)") }
        guard bytes.count >= 8, StableHash.fnv1a(bytes[0..<(bytes.count - 8)]) == ModelFile.u64(bytes, bytes.count - 8) else {
            throw fail("corrupt or truncated: checksum mismatch")
        }
        var offset = 12
        func u32() throws(PointillistError) -> Int {
            guard offset + 4 <= bytes.count - 8 else { throw fail("truncated") }
            defer { offset += 4 }
            return Int(ModelFile.u32(bytes, offset))
        }
        let headerLength = try u32()
        guard offset + headerLength <= bytes.count - 8 else { throw fail("truncated (header)") }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: Data(bytes[offset..<(offset + headerLength)])) } catch {
            throw fail("unreadable header: \(error)")
        }
        offset += headerLength
        var points = LabelledPoints(dimension: header.features.dimension)
        for _ in 0..<(try u32()) {
            let length = try u32()
            guard offset + length <= bytes.count - 8 else { throw fail("truncated (image ids)") }
            points.imageIDs.append(String(decoding: bytes[offset..<(offset + length)], as: UTF8.self))
            offset += length
        }
        let n = try u32()
        let d = points.dimension
        guard bytes.count - 8 - offset == 4 * n * (5 + d) else { throw fail("\(n) points of \(d) features do not fill the file") }
        func int32s() throws(PointillistError) -> [Int32] { try (0..<n).map { _ throws(PointillistError) in Int32(bitPattern: UInt32(try u32())) } }
        func floats(_ count: Int) throws(PointillistError) -> [Float] {
            try (0..<count).map { _ throws(PointillistError) in Float(bitPattern: UInt32(try u32())) }
        }
        (points.labels, points.images, points.mentions) = (try int32s(), try int32s(), try int32s())
        (points.positions, points.features) = (try floats(2 * n), try floats(d * n))
        guard points.images.allSatisfy({ $0 >= 0 && Int($0) < points.imageIDs.count }),
            points.labels.allSatisfy({ $0 >= 0 && Int($0) < header.classes.count })
        else { throw fail("a point names an image or class the file does not list") }
        return (header, points)
    }
}

extension LabelledPoints {
    /// Training sets of disjoint sets of images (a corpus's shards), each with its points in
    /// the order of its images (ids ascending), merged into one in that order: the training set
    /// one extraction over all their images gives.
    public static func merged(_ parts: [LabelledPoints]) throws(PointillistError) -> LabelledPoints {
        var result = LabelledPoints(dimension: parts.first?.dimension ?? 0)
        // Image ids ascending by their UTF-8 bytes, as the corpus (SQLite) orders them.
        func before(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
        result.imageIDs = parts.flatMap(\.imageIDs).sorted(by: before)
        var index: [String: Int32] = [:]
        for (i, id) in result.imageIDs.enumerated() {
            guard index.updateValue(Int32(i), forKey: id) == nil else {
                throw PointillistError("image \(id) is in two training sets: shards must hold different images")
            }
        }
        // Each part's rows come in runs of one image; the runs of all parts in image order.
        var runs: [(image: Int32, part: Int, rows: Range<Int>)] = []
        for (p, part) in parts.enumerated() {
            let merged = part.imageIDs.map { index[$0] ?? -1 }  // every id is in `index`
            var start = 0
            while start < part.count {
                var end = start + 1
                while end < part.count, part.images[end] == part.images[start] { end += 1 }
                runs.append((merged[Int(part.images[start])], p, start..<end))
                start = end
            }
        }
        runs.sort { $0.image < $1.image }
        let d = result.dimension
        for run in runs {
            let part = parts[run.part]
            result.features += part.features[(run.rows.lowerBound * d)..<(run.rows.upperBound * d)]
            result.labels += part.labels[run.rows]
            result.images += repeatElement(run.image, count: run.rows.count)
            result.mentions += part.mentions[run.rows]
            result.positions += part.positions[(2 * run.rows.lowerBound)..<(2 * run.rows.upperBound)]
        }
        return result
    }
}
