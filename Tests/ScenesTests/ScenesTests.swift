import Foundation
import Imaging
import Narratives
import Support
import Testing
import Text

@testable import Scenes

/// A small configuration shared by the tests (few, small images keep the debug build fast).
private func configuration(seed: UInt64 = 7) -> SceneConfiguration {
    var c = SceneConfiguration()
    c.seed = seed
    c.width = 160
    c.height = 120
    return c
}

private func temporaryDirectory(_ name: String) -> String {
    let path = NSTemporaryDirectory() + "scenes-tests-\(name)-\(getpid())"
    try? FileManager.default.removeItem(atPath: path)
    return path
}

private func bytes(_ path: String) -> Data {
    FileManager.default.contents(atPath: path) ?? Data()
}

/// Every file under `directory`, relative path → contents.
private func files(under directory: String) -> [String: Data] {
    var result: [String: Data] = [:]
    for sub in ["", "images/", "masks/"] {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + sub)) ?? [] where name.contains(".") {
            result[sub + name] = bytes(directory + "/" + sub + name)
        }
    }
    return result
}

@Suite struct ReproducibilityTests {
    @Test func sameSeedGivesIdenticalFiles() throws {
        let a = temporaryDirectory("a")
        let b = temporaryDirectory("b")
        defer {
            try? FileManager.default.removeItem(atPath: a)
            try? FileManager.default.removeItem(atPath: b)
        }
        let generator = try SceneGenerator(configuration: configuration())
        let written = try generator.write(count: 6, into: a)
        try generator.write(count: 6, into: b)
        let first = files(under: a)
        let second = files(under: b)
        #expect(first.count == 2 + 6 * 2)
        #expect(first == second)
        #expect(written.staleFiles.isEmpty)
        // Fewer scenes into the same folder: the earlier run's other files are left and listed.
        let fewer = try generator.write(count: 4, into: a)
        #expect(fewer.staleFiles.count == 4 && fewer.staleFiles.allSatisfy { $0.hasPrefix(a) && $0.hasSuffix(".png") })
    }

    @Test func differentSeedGivesDifferentScenes() throws {
        let one = try SceneGenerator(configuration: configuration(seed: 1)).scene(0)
        let two = try SceneGenerator(configuration: configuration(seed: 2)).scene(0)
        #expect(one.imageID != two.imageID)
        #expect(one.image.pixels != two.image.pixels)
        #expect(one.narratives.map(\.caption) != two.narratives.map(\.caption))
    }

    @Test func sceneDoesNotDependOnBatching() throws {
        let generator = try SceneGenerator(configuration: configuration())
        var batched: [GeneratedScene] = []
        try generator.forEachScene(count: 5, parallelism: 3) { batched.append($0) }
        for scene in batched {
            let alone = generator.scene(scene.index)
            #expect(alone.image == scene.image && alone.mask == scene.mask && alone.narratives == scene.narratives)
        }
    }

    @Test func imageIDsLookLikeOpenImages() throws {
        let generator = try SceneGenerator(configuration: configuration())
        let ids = (0..<200).map(generator.imageID)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.count == 16 && $0.allSatisfy(\.isHexDigit) })
    }
}

@Suite struct NarrativeTests {
    @Test func linesDecodeWithTheProjectDecoder() throws {
        let directory = temporaryDirectory("jsonl")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let generator = try SceneGenerator(configuration: configuration())
        var scenes: [GeneratedScene] = []
        try generator.forEachScene(count: 8) { scenes.append($0) }
        try generator.write(count: 8, into: directory)
        let text = String(decoding: bytes(directory + "/narratives.jsonl"), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let expected = scenes.flatMap { s in s.narratives.map { (s, $0) } }
        #expect(lines.count == expected.count)
        for (line, (scene, narrative)) in zip(lines, expected) {
            let decoded = try Array(line.utf8).withUnsafeBufferPointer { try NarrativeDecoder.decode($0) }
            #expect(decoded.key.datasetID == "generated_scenes")
            #expect(decoded.key.imageID == scene.imageID)
            #expect(decoded.key.annotatorID == Int64(narrative.annotatorID))
            #expect(decoded.caption == narrative.caption)
            #expect(decoded.utterances == narrative.utterances)
            #expect(decoded.hasTraces)
            #expect(decoded.traces.segmentLengths == narrative.traces.map(\.count))
            for (p, q) in zip(decoded.traces.points, narrative.traces.joined()) {
                #expect(abs(p.x - q.x) < 1e-6 && abs(p.y - q.y) < 1e-6 && abs(p.t - q.t) < 1e-6)
            }
            #expect(decoded.voiceRecording == "generated_scenes/generated_scenes_\(scene.imageID)_\(narrative.annotatorID).ogg")
            // Utterance words cover the caption words in order.
            let captionWords = Tokenizer.tokens(in: narrative.caption).map(\.normalized)
            let spokenWords = narrative.utterances.flatMap { Tokenizer.tokens(in: $0.text).map(\.normalized) }
            #expect(captionWords == spokenWords)
            // Mentions point at the caption word they name.
            let tokens = Tokenizer.tokens(in: narrative.caption)
            for m in narrative.mentions {
                #expect(tokens[m.wordIndex].normalized == m.word)
            }
        }
    }

    @Test func traceSamplingIsAboutEveryFiftyMilliseconds() throws {
        let scene = try SceneGenerator(configuration: configuration()).scene(3)
        var gaps: [Float] = []
        for narrative in scene.narratives {
            for segment in narrative.traces {
                for (a, b) in zip(segment, segment.dropFirst()) { gaps.append(b.t - a.t) }
            }
        }
        #expect(!gaps.isEmpty)
        let mean = gaps.reduce(0, +) / Float(gaps.count)
        #expect(mean > 0.045 && mean < 0.065)
        #expect(gaps.allSatisfy { $0 > 0 })
    }
}

/// Ground-truth statistics over a set of scenes.
private struct Measurements {
    var onObject = 0
    var duringWords = 0
    var outside = 0
    var points = 0
    var untimed = 0
    var utterances = 0
    var namedMissing = 0
    var mentions = 0
    var maskMismatches = 0

    init(_ scenes: [GeneratedScene]) {
        for scene in scenes {
            let w = scene.image.width
            // The mask and instance map agree with the objects' classes.
            for (i, tag) in scene.instances.enumerated() {
                if tag == 0 || scene.objects[Int(tag) - 1].classValue != Int(scene.mask.pixels[i]) { maskMismatches += 1 }
            }
            let present = Set(scene.mask.pixels.map(Int.init))
            for narrative in scene.narratives {
                utterances += narrative.utterances.count
                untimed += narrative.utterances.filter { !$0.isTimed }.count
                let points = narrative.traces.joined()
                self.points += points.count
                outside += points.filter { !$0.isOnImage }.count
                for m in narrative.mentions {
                    mentions += 1
                    if !present.contains(m.classValue) { namedMissing += 1 }
                    for p in points where Double(p.t) >= m.start && Double(p.t) <= m.end {
                        duringWords += 1
                        guard p.isOnImage else { continue }
                        let (x, y) = scene.image.pixel(normalizedX: p.x, y: p.y)
                        if Int(scene.mask.pixels[y * w + x]) == m.classValue { onObject += 1 }
                    }
                }
            }
        }
    }
}

@Suite struct GroundTruthTests {
    static let scenes: [GeneratedScene] = {
        guard let generator = try? SceneGenerator(configuration: configuration(seed: 11)) else { return [] }
        return (0..<60).map(generator.scene)
    }()

    @Test func masksMatchObjectsAndNamedClassesArePresent() {
        let m = Measurements(Self.scenes)
        #expect(Self.scenes.count == 60)
        #expect(m.maskMismatches == 0)
        #expect(m.mentions > 200)
        #expect(m.namedMissing == 0)
    }

    /// The documented band: trace points during a named word fall on that class's pixels
    /// 50–85 % of the time (lag, jitter, drift, spill, untraced and misplaced mentions).
    @Test func tracesFallMostlyButNotAlwaysOnTheNamedObject() {
        let m = Measurements(Self.scenes)
        let fraction = Double(m.onObject) / Double(max(m.duringWords, 1))
        print("trace-on-object fraction during named words: \(fraction) (\(m.duringWords) points)")
        #expect(fraction > 0.5 && fraction < 0.85)
    }

    @Test func fewButSomePointsLieOutsideTheImage() {
        let m = Measurements(Self.scenes)
        let fraction = Double(m.outside) / Double(max(m.points, 1))
        print("out-of-image fraction: \(fraction)")
        #expect(fraction > 0.005 && fraction < 0.05)
    }

    @Test func someUtterancesAreUntimed() {
        let m = Measurements(Self.scenes)
        #expect(m.untimed > 0 && m.untimed * 20 < m.utterances)
    }

    @Test func someObjectsAreNeverNamed() {
        var visible = 0
        var named = 0
        for scene in Self.scenes {
            let namedHere = Set(scene.narratives.flatMap { $0.mentions.flatMap(\.objects) })
            for object in scene.objects where !object.isStuff && object.pixelCount > 300 {
                visible += 1
                if namedHere.contains(object.number) { named += 1 }
            }
        }
        #expect(named < visible && named * 2 > visible)
    }

    /// Colours overlap: a nearest-mean-colour classifier (means from the first half of the
    /// scenes, tested on the second half) is far from perfect but well above chance.
    @Test func nearestMeanColourClassifierIsImperfect() {
        let classCount = configuration().classCount + 1
        var sums = [SIMD3<Double>](repeating: .zero, count: classCount)
        var counts = [Int](repeating: 0, count: classCount)
        let half = Self.scenes.count / 2
        for scene in Self.scenes[..<half] {
            for i in 0..<scene.mask.pixels.count {
                let c = Int(scene.mask.pixels[i])
                sums[c] += SIMD3(Double(scene.image.pixels[3 * i]), Double(scene.image.pixels[3 * i + 1]), Double(scene.image.pixels[3 * i + 2]))
                counts[c] += 1
            }
        }
        let means = (0..<classCount).compactMap { c in counts[c] > 0 ? (c, sums[c] / Double(counts[c])) : nil }
        var correct = 0
        var total = 0
        var perClass = [Int](repeating: 0, count: classCount)
        for scene in Self.scenes[half...] {
            for i in stride(from: 0, to: scene.mask.pixels.count, by: 3) {
                let v = SIMD3(Double(scene.image.pixels[3 * i]), Double(scene.image.pixels[3 * i + 1]), Double(scene.image.pixels[3 * i + 2]))
                let best = means.min { a, b in ((a.1 - v) * (a.1 - v)).sum() < ((b.1 - v) * (b.1 - v)).sum() }
                let truth = Int(scene.mask.pixels[i])
                perClass[truth] += 1
                if best?.0 == truth { correct += 1 }
                total += 1
            }
        }
        let accuracy = Double(correct) / Double(max(total, 1))
        let majority = Double(perClass.max() ?? 0) / Double(max(total, 1))
        print("nearest-mean-colour accuracy: \(accuracy), majority class: \(majority), classes seen: \(means.count)")
        #expect(accuracy < 0.75)
        #expect(accuracy > 1.0 / Double(means.count) * 3)
    }
}

@Suite struct CatalogueTests {
    @Test func catalogueHasDistinctNamesAndEnoughClasses() {
        let names = Catalogue.classes.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.count >= 60)
        for n in [20, 40, 60] {
            let prefix = Catalogue.classes.prefix(n)
            for zone in [Zone.top, .bottom] {
                #expect(prefix.contains { $0.placement == .stuff(zone) && $0.setting == .outdoor })
                #expect(prefix.contains { $0.placement == .stuff(zone) && $0.setting == .indoor })
            }
        }
    }

    @Test func classesTableListsEveryClass() {
        let text = ClassTable.text(configuration().classes)
        let rows = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(rows.count == 1 + 1 + 40)
        #expect(rows.allSatisfy { $0.split(separator: "\t", omittingEmptySubsequences: false).count == ClassTable.header.count })
    }

    @Test func invalidConfigurationsAreRejected() {
        var c = configuration()
        c.classCount = 5
        #expect(throws: PointillistError.self) { try SceneGenerator(configuration: c) }
        c = configuration()
        c.spillProbability = 2
        #expect(throws: PointillistError.self) { try SceneGenerator(configuration: c) }
    }

    @Test func numbersAreWrittenLikePython() {
        func n(_ v: Double, _ d: Int) -> String {
            var out: [UInt8] = []
            NarrativeLine.number(v, decimals: d, &out)
            return String(decoding: out, as: UTF8.self)
        }
        #expect(n(0.5, 4) == "0.5")
        #expect(n(1, 1) == "1.0")
        #expect(n(-0.01234, 4) == "-0.0123")
        #expect(n(12.3456, 3) == "12.346")
        #expect(n(0, 3) == "0.0")
    }
}

/// `image-labels.csv`: about 85% of the visible classes verified present, a few classes that
/// fit the scene but are not in it verified absent, the same rows whatever the count.
@Suite struct SceneImageLabelsTests {
    @Test func labelsAreIncompleteVerificationsOfWhatTheScenesShow() throws {
        let generator = try SceneGenerator(configuration: configuration())
        let labels = SceneImageLabels(
            mids: Dictionary(uniqueKeysWithValues: generator.classes.dropFirst().map { ($0.name, "/m/" + $0.name) }), seed: 7)
        let directory = temporaryDirectory("labels")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let summary = try generator.write(count: 60, into: directory, labels: labels)
        let text = String(decoding: bytes(directory + "/image-labels.csv"), as: UTF8.self)
        let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(rows.count == summary.presentLabels + summary.absentLabels)

        var visiblePairs = 0
        var presentPairs = 0
        try generator.forEachScene(count: 60) { (scene: GeneratedScene) throws(PointillistError) in
            let visible = Set(scene.objects.filter { $0.pixelCount > 0 }.map { "/m/" + $0.className })
            let mine = rows.filter { $0[0] == scene.imageID }
            let present = Set(mine.filter { $0[3] == "1" }.map { $0[2] })
            let absent = Set(mine.filter { $0[3] == "0" }.map { $0[2] })
            #expect(present.isSubset(of: visible))
            #expect(absent.isDisjoint(with: visible) && absent.count <= 2)
            #expect(!present.contains("/m/" + generator.classes[0].name), "a class without a MID gets no label")
            visiblePairs += visible.subtracting(["/m/" + generator.classes[0].name]).count
            presentPairs += present.count
        }
        let share = Double(presentPairs) / Double(visiblePairs)
        #expect(share > 0.78 && share < 0.92, "\(share)")
        #expect(summary.absentLabels > 60)

        // The first 30 scenes alone get the same labels.
        let fewer = temporaryDirectory("labels-30")
        defer { try? FileManager.default.removeItem(atPath: fewer) }
        _ = try generator.write(count: 30, into: fewer, labels: labels)
        let first = String(decoding: bytes(fewer + "/image-labels.csv"), as: UTF8.self).split(separator: "\n")
        #expect(Array(text.split(separator: "\n").prefix(first.count)) == first)
    }
}

/// The damage `scenes damage` does to masks, on a mask small enough to check by hand.
@Suite struct MaskDamageTests {
    // Two regions, class 1 left of class 2: columns 0-3 and 4-7, 8 × 3.
    static let mask = Image(width: 8, height: 3, channels: 1, pixels: (0..<24).map { $0 % 8 < 4 ? 1 : 2 })

    func columns(_ image: Image) -> [UInt8] { Array(image.pixels[0..<8]) }

    @Test func eachKindByHand() {
        let d = { (damage: MaskDamage) in damage.applied(to: Self.mask, imageID: "a", values: [1, 2, 3], seed: 1) }
        #expect(columns(d(.erode(1))) == [1, 1, 1, 0, 0, 2, 2, 2])
        #expect(columns(d(.dilate(2))) == [1, 1, 2, 2, 2, 2, 2, 2])
        #expect(d(.blur(1)) == Self.mask, "straight edges survive a majority window")
        #expect(d(.swap(0)) == Self.mask)
        let swapped = d(.swap(1))
        #expect(swapped.pixels.allSatisfy { $0 != 0 } && columns(swapped)[0] != 1 && columns(swapped)[7] != 2)
        let noisy = d(.noise(2))
        #expect(
            noisy.pixels.enumerated().allSatisfy { i, v in (2...5).contains(i % 8) || v == Self.mask.pixels[i] }, "only pixels near the edge change")
        #expect(d(.noise(2)) == noisy, "seeded")
        #expect(MaskDamage("erode:3") == .erode(3) && MaskDamage("swap:0.25") == .swap(0.25))
        #expect(MaskDamage("erode:0") == nil && MaskDamage("swap:2") == nil && MaskDamage("melt:1") == nil && MaskDamage("blur") == nil)
    }
}
