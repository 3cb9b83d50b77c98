import Foundation
import Narratives
import Support

@testable import Store

/// Realistic Localized Narratives lines in the official schema, generated from a seed.
enum Fixture {
    static let objects = [
        "woman", "man", "umbrella", "dog", "car", "tree", "building", "bicycle", "bench", "sky",
        "grass", "road", "pole", "traffic light", "window", "person", "bag", "table", "chair", "plate",
    ]
    static let openers = [
        "In this image we can see", "In this picture I can see", "This is an image of",
        "In the center of the image there is", "Here we can see",
    ]

    /// One narrative line for image `index` by `annotator`.
    static func line(index: Int, annotator: Int = 7, rng: inout SplitMix64) -> String {
        var sentence: [String] = openers[rng.below(openers.count)].split(separator: " ").map(String.init)
        for k in 0..<(3 + rng.below(4)) {
            if k > 0 { sentence += k % 2 == 0 ? ["and"] : ["there", "is"] }
            sentence += ["a"] + objects[rng.below(objects.count)].split(separator: " ").map(String.init)
        }
        sentence += ["in", "the", "background."]
        let caption = sentence.joined(separator: " ").replacingOccurrences(of: "background. ", with: "background.")
        var utterances: [String] = []
        var traces: [[String]] = [[]]
        var t = 0.5 + rng.unit()
        var i = 0
        while i < sentence.count {
            let n = min(1 + rng.below(3), sentence.count - i)
            let text = sentence[i..<i + n].joined(separator: " ").lowercased().replacingOccurrences(of: ".", with: "")
            let duration = 0.35 * Double(n)
            let untimed = rng.below(30) == 0
            utterances.append(
                String(
                    format: #"{"utterance": "%@", "start_time": %.3f, "end_time": %.3f}"#,
                    text, untimed ? 0 : t, untimed ? 0 : t + duration))
            var pt = t
            while pt < t + duration {
                let x = -0.03 + 1.06 * rng.unit(), y = -0.03 + 1.06 * rng.unit()
                traces[traces.count - 1].append(String(format: #"{"x": %.4f, "y": %.4f, "t": %.3f}"#, x, y, pt))
                pt += 0.05
            }
            if rng.below(12) == 0 { traces.append([]) }
            t += duration + 0.05
            i += n
        }
        let traceText = traces.filter { !$0.isEmpty }.map { "[" + $0.joined(separator: ", ") + "]" }.joined(separator: ", ")
        let imageID = String(format: "%016llx", UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        return
            #"{"dataset_id": "open_images_train_v6", "image_id": "\#(imageID)", "annotator_id": \#(annotator), "caption": "\#(caption)", "timed_caption": [\#(utterances.joined(separator: ", "))], "traces": [\#(traceText)], "voice_recording": "open_images_train_v6/open_images_train_v6_\#(imageID)_\#(annotator).ogg"}"#
    }

    static func lines(_ count: Int, seed: UInt64 = 1, from first: Int = 0) -> [String] {
        var rng = SplitMix64(seed: seed)
        return (first..<first + count).map { line(index: $0, rng: &rng) }
    }

    /// A fresh temporary directory, removed by the caller with `cleanUp`.
    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pointillist-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ lines: [String], to url: URL) throws {
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    /// Every row of every table, in rowid order: two corpora with equal dumps hold the same data.
    static func dump(_ path: String) throws -> [String: [[SQLValue]]] {
        let db = try Database(path: path, readOnly: true)
        let tables = try db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
        var names: [(String, Bool)] = []
        while try tables.step() { names.append((tables.text(0), tables.text(1).contains("WITHOUT ROWID"))) }
        var result: [String: [[SQLValue]]] = [:]
        for (name, withoutRowID) in names {
            // Tables without a rowid are read in primary-key order.
            let order = name == "settings" ? "key" : withoutRowID ? "1, 2" : "rowid"
            let rows = try db.prepare("SELECT * FROM \(name) ORDER BY \(order)")
            var all: [[SQLValue]] = []
            while try rows.step() { all.append((0..<rows.columnCount).map { rows.value($0) }) }
            result[name] = all
        }
        return result
    }

    /// The built `pointillist` executable (a test dependency, so it is built with the tests):
    /// the one beside the running test bundle, whatever `--scratch-path` the build used, else
    /// one under `.build/`.
    static var executable: URL? { executable(named: "pointillist") }

    /// The built executable `name` (a test dependency), found as `executable` is.
    static func executable(named name: String) -> URL? {
        var bundle = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        while bundle.pathComponents.count > 1, !bundle.lastPathComponent.hasSuffix(".xctest") { bundle.deleteLastPathComponent() }
        let beside = bundle.deletingLastPathComponent().appendingPathComponent(name)
        if bundle.lastPathComponent.hasSuffix(".xctest"), FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for configuration in ["debug", "release"] {
            let candidate = here.appendingPathComponent(".build/\(configuration)/\(name)")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs the executable and returns (exit status, stdout, stderr).
    @discardableResult
    static func run(
        _ arguments: [String], in directory: URL, executable name: String = "pointillist"
    ) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = executable(named: name)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}
