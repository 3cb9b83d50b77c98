import ArgumentParser
import Foundation
import Imaging
import Narratives
import Questions
import Store
import Support

extension Pointillist {
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "render",
            abstract: "Draw an image with its mentions' trace segments and its sampled points, coloured by class.",
            discussion: """
                Trace segments are coloured by the class of their mention; each sampled point by the \
                class of its latest question, marked with its aggregated answer (tick Yes, cross No, \
                ring Unresolved) when answers exist. A legend names the classes.
                """)

        @OptionGroup var corpus: CorpusOption
        @OptionGroup var imageOptions: ImageOptions

        @Argument(help: "The image id.")
        var imageID: String

        @Option(help: ArgumentHelp("Output PNG (default <image id>.png; path separators in the id become _).", valueName: "path"))
        var out: String?

        @Option(name: .customLong("max-side"), help: "Longer side of the drawn photo at most.")
        var maxSide = 800

        func run() throws {
            guard FileManager.default.fileExists(atPath: corpus.db) else { throw ValidationError("no corpus at \(corpus.db)") }
            let store = try Corpus(path: corpus.db)
            let image = try imageOptions.locator().load(imageID)
            let figure = try OverlayFigure.make(store: store, imageID: imageID, image: image, maxSide: maxSide)
            let path = out ?? imageID.replacingOccurrences(of: "/", with: "_") + ".png"
            try FileSystem.writeAtomically(to: path) { try $0.write(PNGFile.encode(figure.image)) }
            print("wrote \(path): \(figure.traces) trace segments, \(figure.points) points, \(figure.classes) classes")
        }
    }
}

/// The overlay of one image, from the corpus.
enum OverlayFigure {
    static func make(store: Corpus, imageID: String, image: Image, maxSide: Int) throws -> (image: Image, traces: Int, points: Int, classes: Int) {
        let dictionary = try store.storedDictionary().classes
        let nameOf = Dictionary(uniqueKeysWithValues: dictionary.map { ($0.id, $0.name) })
        var order: [Int] = []  // class ids in order of first appearance → legend index
        func index(_ classID: Int) -> Int {
            if let i = order.firstIndex(of: classID) { return i }
            order.append(classID)
            return order.count - 1
        }
        var traces: [OverlayTrace] = []
        for mention in try store.mentions(imageID: imageID) where !mention.points.isEmpty {
            traces.append(OverlayTrace(classIndex: index(mention.classID), points: mention.points.map { (x: $0.x, y: $0.y) }))
        }
        let narratives = try store.narratives(imageID: imageID)
        guard !traces.isEmpty || !narratives.isEmpty else {
            throw ValidationError("image \(imageID) has no narrative in \(store.path)")
        }
        // Each point's latest question, with its aggregated label.
        let labels = Aggregation.aggregate(try store.answers(), rule: AggregationRule())
        var latest: [Int: Question] = [:]
        for q in try store.questions(imageID: imageID) {
            if let seen = latest[q.pointIndex], seen.round >= q.round { continue }
            latest[q.pointIndex] = q
        }
        let points = latest.keys.sorted().compactMap { i -> OverlayPoint? in
            guard let q = latest[i] else { return nil }
            return OverlayPoint(x: q.x, y: q.y, classIndex: index(q.classID), label: labels[q.id]?.label.rawValue)
        }
        // Small images are enlarged first so traces, points and legend text stay legible.
        let factor = max(1, min(4, 640 / max(image.width, image.height)))
        let figure = Overlay.render(
            image: image.upscaled(by: factor), traces: traces, points: points, classNames: order.map { nameOf[$0] ?? "class \($0)" },
            title: "\(imageID): traces and point questions", maxSide: maxSide)
        return (figure, traces.count, points.count, order.count)
    }
}
