import Imaging
import Narratives
import Questions

extension PointModelBuilder {
    /// The mentions of every image, grouped by image id (ascending).
    public static func mentionsByImage(_ corpus: Corpus) throws -> [(imageID: String, mentions: Mentions)] {
        guard try corpus.vocabularyComplete() == true else {
            throw StoreError("no complete class dictionary: run `pointillist vocab build` first", doing: "reading \(corpus.path)")
        }
        var result: [(imageID: String, mentions: Mentions)] = []
        try corpus.forEachMention(orderedBy: "n.image_id, m.id") { image, mention in
            if result.last?.imageID == image {
                result[result.count - 1].mentions.append(mention)
            } else {
                result.append((image, [mention]))
            }
        }
        return result
    }

    /// Every image with mentions in the corpus, in image-id order (`run(_:loadImage:progress:)`).
    public func run(
        corpus: Corpus, loadImage: @escaping @Sendable (String) throws -> Image, progress: ((Int, Int) -> Void)? = nil
    ) throws -> (images: [ImagePoints], skipped: [SkippedImage]) {
        run(try Self.mentionsByImage(corpus), loadImage: loadImage, progress: progress)
    }
}

extension Corpus {
    /// The class and trace points of each mention of one image, in mention order.
    public func mentions(imageID: String) throws -> PointModelBuilder.Mentions {
        var result: PointModelBuilder.Mentions = []
        try forEachMention(imageID: imageID, orderedBy: "m.id") { result.append($1) }
        return result
    }

    /// Each stored mention (of one image, or of all) with its image id, class and trace points.
    func forEachMention(
        imageID: String? = nil, orderedBy order: String, _ body: (String, (classID: Int, points: [TracePoint])) throws -> Void
    ) throws {
        let select = try database.prepare(
            """
            SELECT n.image_id, m.class_id, m.points FROM mentions m JOIN narratives n ON n.id = m.narrative_id
            \(imageID == nil ? "" : "WHERE n.image_id = ?") ORDER BY \(order)
            """)
        if let imageID { try select.bind([.text(imageID)]) }
        while try select.step() {
            let traces = try select.withBlob(2) { (b) throws(Packing.Corrupt) in try Packing.unpackTraces(b) }
            try body(select.text(0), (classID: select.int(1), points: traces.points))
        }
    }
}
