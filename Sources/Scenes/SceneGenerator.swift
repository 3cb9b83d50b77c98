import Foundation
import Imaging
import Narratives
import Support

/// One generated image with everything known about it.
public struct GeneratedScene: Sendable {
    /// Position in the generated sequence (0-based).
    public var index: Int
    /// 16 lower-case hex digits, like an Open Images id.
    public var imageID: String
    public var setting: Setting
    /// RGB.
    public var image: Image
    /// Grey: each pixel's class value (see `classes.tsv`); 0 (void) is never drawn.
    public var mask: Image
    /// Each pixel's object number + 1.
    public var instances: [UInt16]
    /// Background regions first, then things from far to near (paint order).
    public var objects: [SceneObject]
    public var narratives: [GeneratedNarrative]
}

/// What `SceneGenerator.write` produced.
public struct GenerationSummary: Sendable, Equatable {
    public var images = 0
    public var narratives = 0
    public var objects = 0
    public var namedObjects = 0
    public var mentions = 0
    public var utterances = 0
    public var untimedUtterances = 0
    public var tracePoints = 0
    public var outOfImagePoints = 0
    public var bytesWritten: Int64 = 0
    /// Files in images/ and masks/ that are not this run's scenes (an earlier run's, with
    /// more scenes or other settings): left alone, and reported.
    public var staleFiles: [String] = []
    /// Image count per class value (index 0 unused).
    public var imagesPerClass: [Int] = []
    /// Image-level labels written: verified present, verified absent.
    public var presentLabels = 0
    public var absentLabels = 0
}

/// Seeded generator of scenes with Localized Narratives and class masks.
///
/// Everything is a function of the configuration and the image index: scene `i` is the
/// same whether 1 or 300 are generated, on any number of threads.
public struct SceneGenerator: Sendable {
    public let configuration: SceneConfiguration
    public let classes: [SceneClass]

    public init(configuration: SceneConfiguration) throws(PointillistError) {
        try configuration.validate()
        self.configuration = configuration
        classes = configuration.classes
    }

    /// The image id of scene `index`: distinct for distinct indices under one seed (the
    /// SplitMix64 finaliser is a bijection).
    public func imageID(_ index: Int) -> String {
        let value = StableHash.mix(StableHash.mix(configuration.seed) &+ UInt64(index))
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Generates scene `index` in memory.
    public func scene(_ index: Int) -> GeneratedScene {
        let composition = Composer(configuration: configuration, classes: classes).compose(index: index)
        var random = SplitMix64(seed: configuration.seed, stream: 99, index: UInt64(index))
        let count = configuration.annotatorsPerImage + (random.chance(configuration.extraAnnotatorProbability) ? 1 : 0)
        var annotatorIDs: [Int] = []
        while annotatorIDs.count < count {
            let id = random.below(140)
            if !annotatorIDs.contains(id) { annotatorIDs.append(id) }
        }
        let narrator = Narrator(configuration: configuration, classes: classes)
        let narratives = annotatorIDs.enumerated().map { n, id in
            narrator.narrate(composition, imageIndex: index, annotator: n, annotatorID: id)
        }
        let w = configuration.width
        let h = configuration.height
        return GeneratedScene(
            index: index, imageID: imageID(index), setting: composition.setting,
            image: Image(width: w, height: h, channels: 3, pixels: composition.canvas.rgb),
            mask: Image(width: w, height: h, channels: 1, pixels: composition.canvas.label),
            instances: composition.canvas.instance, objects: composition.objects, narratives: narratives)
    }

    /// Generates scenes `0..<count` in order, computing up to `parallelism` at a time, and
    /// hands each to `body` in index order.
    public func forEachScene(
        count: Int, parallelism: Int = ProcessInfo.processInfo.activeProcessorCount, _ body: (GeneratedScene) throws(PointillistError) -> Void
    ) throws(PointillistError) {
        let batch = max(1, parallelism) * 2
        var start = 0
        while start < count {
            let n = min(batch, count - start)
            let slots = Slots<GeneratedScene>(count: n)
            let first = start
            DispatchQueue.concurrentPerform(iterations: n) { i in
                slots.set(i, scene(first + i))
            }
            for i in 0..<n {
                guard let scene = slots.get(i) else { throw PointillistError("scene \(first + i) was not generated") }
                try body(scene)
            }
            start += n
        }
    }

    /// Writes `count` scenes into `directory`: `images/<id>.png`, `masks/<id>.png`,
    /// narratives.jsonl, classes.tsv, and with `labels` image-labels.csv (`SceneImageLabels`).
    /// `progress` is called after each image. Other files already in images/ and masks/ are
    /// left alone and listed in the summary.
    @discardableResult
    public func write(
        count: Int, into directory: String, labels: SceneImageLabels? = nil, progress: (Int) -> Void = { _ in }
    ) throws(PointillistError) -> GenerationSummary {
        let images = directory + "/images"
        let masks = directory + "/masks"
        do {
            try FileManager.default.createDirectory(atPath: images, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: masks, withIntermediateDirectories: true)
        } catch {
            throw PointillistError("cannot create \(images) and \(masks): \(error.localizedDescription)")
        }
        var summary = GenerationSummary()
        summary.imagesPerClass = [Int](repeating: 0, count: classes.count + 1)
        let classesText = ClassTable.text(classes)
        try Self.writeFile(Array(classesText.utf8), to: directory + "/classes.tsv")
        summary.bytesWritten += Int64(classesText.utf8.count)

        var jsonl: [UInt8] = []
        var written: Set<String> = []
        var labelRows = [SceneImageLabels.header + "\n"]
        try forEachScene(count: count) { (scene: GeneratedScene) throws(PointillistError) in
            let image: [UInt8]
            let mask: [UInt8]
            do {
                image = try PNGFile.encode(scene.image)
                mask = try PNGFile.encode(scene.mask)
            } catch {
                throw PointillistError("scene \(scene.imageID): \(error)")
            }
            try Self.writeFile(image, to: "\(images)/\(scene.imageID).png")
            try Self.writeFile(mask, to: "\(masks)/\(scene.imageID).png")
            summary.bytesWritten += Int64(image.count + mask.count)
            written.insert(scene.imageID + ".png")
            for narrative in scene.narratives {
                NarrativeLine.append(narrative, imageID: scene.imageID, datasetID: configuration.datasetID, to: &jsonl)
            }
            summary.add(scene)
            if let labels {
                let (present, absent) = labels.rows(scene, classes: classes)
                summary.presentLabels += present.count
                summary.absentLabels += absent.count
                labelRows += present + absent
            }
            progress(scene.index + 1)
        }
        try Self.writeFile(jsonl, to: directory + "/narratives.jsonl")
        summary.bytesWritten += Int64(jsonl.count)
        if labels != nil {
            let text = Array(labelRows.joined().utf8)
            try Self.writeFile(text, to: directory + "/image-labels.csv")
            summary.bytesWritten += Int64(text.count)
        }
        for name in [images, masks] {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: name)) ?? []
            summary.staleFiles += files.filter { !written.contains($0) }.sorted().map { name + "/" + $0 }
        }
        return summary
    }

    /// Writes through `FileSystem.writeAtomically`, not durably: generated scenes are bulk
    /// output made again from the seed, and a sync per image would dominate the run.
    static func writeFile(_ bytes: [UInt8], to path: String) throws(PointillistError) {
        do {
            try FileSystem.writeAtomically(to: path, durable: false) { try $0.write(bytes) }
        } catch let error as PointillistError {
            throw error
        } catch {
            throw PointillistError(file: path, reason: "cannot write: \(error)")
        }
    }
}

extension GenerationSummary {
    mutating func add(_ scene: GeneratedScene) {
        images += 1
        objects += scene.objects.count
        var named = Set<Int>()
        var present = Set<Int>()
        for object in scene.objects where object.pixelCount > 0 { present.insert(object.classValue) }
        for value in present where value < imagesPerClass.count { imagesPerClass[value] += 1 }
        for narrative in scene.narratives {
            narratives += 1
            mentions += narrative.mentions.count
            for mention in narrative.mentions { named.formUnion(mention.objects) }
            utterances += narrative.utterances.count
            untimedUtterances += narrative.utterances.filter { !$0.isTimed }.count
            for segment in narrative.traces {
                tracePoints += segment.count
                outOfImagePoints += segment.filter { !$0.isOnImage }.count
            }
        }
        namedObjects += named.count
    }
}

/// Results written by concurrent workers into distinct slots.
private final class Slots<T>: @unchecked Sendable {
    private var items: [T?]
    private let lock = NSLock()

    init(count: Int) {
        items = [T?](repeating: nil, count: count)
    }

    func set(_ i: Int, _ value: T) {
        lock.lock()
        items[i] = value
        lock.unlock()
    }

    func get(_ i: Int) -> T? {
        lock.lock()
        defer { lock.unlock() }
        return items[i]
    }
}
