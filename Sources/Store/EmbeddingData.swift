import Embedding
import Narratives

/// A stored mention with trace points, as training reads it.
public struct TrainingMention: Sendable {
    public var id: Int64
    public var classID: Int
    public var points: [TracePoint]
}

extension Corpus {
    /// The classes marked for training in the stored dictionary, in id order.
    public func trainingClasses() throws -> [EmbeddingModel.ClassLabel] {
        try storedDictionary().classes.filter(\.train).sorted { $0.id < $1.id }.map { .init(id: $0.id, name: $0.name) }
    }

    /// Per class, how many of its mentions have each number of trace points (point count →
    /// mentions; mentions without points left out).
    public func mentionPointCounts() throws -> [Int: [Int: Int]] {
        try requireCompleteDictionary()
        var perClass: [Int: [Int: Int]] = [:]
        let counts = try database.prepare(
            "SELECT class_id, point_count, count(*) AS n FROM mentions WHERE point_count > 0 GROUP BY class_id, point_count")
        while try counts.step() { perClass[counts.int("class_id"), default: [:]][counts.int("point_count")] = counts.int("n") }
        return perClass
    }

    /// Every stored mention with trace points whose class is in `classes`, grouped by image
    /// (image ids ascending, mentions by id).
    public func trainingMentions(classes: Set<Int>) throws -> [(imageID: String, mentions: [TrainingMention])] {
        try requireCompleteDictionary()
        var byImage: [(imageID: String, mentions: [TrainingMention])] = []
        let select = try database.prepare(
            """
            SELECT m.id, m.class_id, m.points, n.image_id FROM mentions m JOIN narratives n ON n.id = m.narrative_id
            WHERE m.point_count > 0 ORDER BY n.image_id, m.id
            """)
        let (id, classID, points, imageID) = (select.column("id"), select.column("class_id"), select.column("points"), select.column("image_id"))
        while try select.step() {
            guard classes.contains(select.int(classID)) else { continue }
            let traces = try select.unpacked(points, Packing.unpackTraces)
            let image = select.text(imageID)
            let mention = TrainingMention(id: select.int64(id), classID: select.int(classID), points: traces.points)
            if byImage.last?.imageID == image { byImage[byImage.count - 1].mentions.append(mention) } else { byImage.append((image, [mention])) }
        }
        return byImage
    }
}
