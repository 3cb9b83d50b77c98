import Narratives
import Questions

extension Corpus {
    /// The mentions of every image, grouped by image id (ascending), as M reads them.
    public func mentionsByImage() throws -> [(imageID: String, mentions: PointModelBuilder.Mentions)] {
        try requireCompleteDictionary()
        var result: [(imageID: String, mentions: PointModelBuilder.Mentions)] = []
        try forEachMention(orderedBy: "n.image_id, m.id") { image, mention in
            if result.last?.imageID == image {
                result[result.count - 1].mentions.append(mention)
            } else {
                result.append((image, [mention]))
            }
        }
        return result
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
        let (imageColumn, classColumn, pointsColumn) = (select.column("image_id"), select.column("class_id"), select.column("points"))
        while try select.step() {
            let traces = try select.unpacked(pointsColumn, Packing.unpackTraces)
            try body(select.text(imageColumn), (classID: select.int(classColumn), points: traces.points))
        }
    }
}
