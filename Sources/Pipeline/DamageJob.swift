import Foundation
import Imaging
import Questions
import Scenes
import Support

/// `pointillist scenes damage`: a folder of class-index masks damaged into a stand-in for a
/// segmentation method's predictions (`MaskDamage`), with the class table beside them, so the
/// folder is a method `pointillist evaluate` reads.
public struct DamageJob {
    public struct Options: Sendable {
        public var masks: String
        public var out: String
        public var damage: MaskDamage
        public var seed: UInt64 = 1
        public var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)

        public init(masks: String, out: String, damage: MaskDamage) {
            self.masks = masks
            self.out = out
            self.damage = damage
        }
    }

    public var options: Options

    public init(options: Options) {
        self.options = options
    }

    /// Writes every damaged mask and the class table; returns the number of masks.
    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> Int {
        let truth = GroundTruthMasks(folder: options.masks)
        let values = try truth.names().keys.compactMap { UInt8(exactly: $0) }.sorted()
        let ids = ((try? FileManager.default.contentsOfDirectory(atPath: options.masks)) ?? [])
            .filter { $0.hasSuffix(".png") && !$0.hasPrefix(".") }.map { String($0.dropLast(4)) }.sorted()
        guard !ids.isEmpty else { throw PointillistError(file: options.masks, reason: "no masks ({image id}.png) in this folder") }
        try FileManager.default.createDirectory(atPath: options.out, withIntermediateDirectories: true)
        let table = try String(contentsOfFile: truth.classTable, encoding: .utf8)
        try FileSystem.writeAtomically(to: options.out + "/classes.tsv", durable: false) { try $0.write(table) }
        let o = options
        let failures = chunkedMap(ids.count, chunk: 32, workers: o.workers, progress: progress) { range -> [PointillistError] in
            var failed: [PointillistError] = []
            for id in ids[range] {
                do {
                    let mask = try ImageFile.readEightBitClassMask(o.masks + "/" + id + ".png")
                    let bytes = try PNGFile.encode(o.damage.applied(to: mask, imageID: id, values: values, seed: o.seed))
                    try FileSystem.writeAtomically(to: o.out + "/" + id + ".png", durable: false) { try $0.write(bytes) }
                } catch {
                    failed.append(error as? PointillistError ?? PointillistError(file: o.masks + "/" + id + ".png", reason: "\(error)"))
                }
            }
            return failed
        }
        if let first = failures.flatMap({ $0 }).first { throw first }
        return ids.count
    }
}
