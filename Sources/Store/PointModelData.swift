import Imaging
import Narratives
import Questions

extension PointModelBuilder {
    /// The mentions of every image, grouped by image id (ascending).
    public static func mentionsByImage(_ corpus: Corpus) throws -> [(imageID: String, mentions: Mentions)] {
        guard try corpus.vocabularyComplete() == true else {
            throw StoreError("no complete class dictionary: run `pointillist vocab build` first", doing: "reading \(corpus.database.path)")
        }
        let select = try corpus.database.prepare(
            """
            SELECT n.image_id, m.class_id, m.points FROM mentions m JOIN narratives n ON n.id = m.narrative_id
            ORDER BY n.image_id, m.id
            """)
        var result: [(imageID: String, mentions: Mentions)] = []
        while try select.step() {
            let traces = try select.withBlob(2) { (b) throws(Packing.Corrupt) in try Packing.unpackTraces(b) }
            let image = select.text(0)
            let mention = (classID: select.int(1), points: traces.points)
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
        let select = try database.prepare(
            """
            SELECT m.class_id, m.points FROM mentions m JOIN narratives n ON n.id = m.narrative_id
            WHERE n.image_id = ? ORDER BY m.id
            """)
        try select.bind([.text(imageID)])
        var result: PointModelBuilder.Mentions = []
        while try select.step() {
            let traces = try select.withBlob(1) { (b) throws(Packing.Corrupt) in try Packing.unpackTraces(b) }
            result.append((classID: select.int(0), points: traces.points))
        }
        return result
    }
}
