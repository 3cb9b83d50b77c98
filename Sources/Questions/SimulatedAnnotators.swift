import Imaging
import Support

/// Annotators simulated from ground-truth class masks, for demos and quality checks on
/// generated scenes: each answers "is this point on a <class>?" by looking at the mask, and
/// gets it wrong with probability `errorRate` or says "unsure" with probability `unsureRate`.
/// Every answer is a function of (seed, question id, annotator), so a run is reproducible.
public struct SimulatedAnnotators: Sendable {
    public var errorRate: Double
    public var unsureRate: Double
    public var seed: UInt64

    public init(errorRate: Double = 0.05, unsureRate: Double = 0.02, seed: UInt64 = 1) {
        self.errorRate = errorRate
        self.unsureRate = unsureRate
        self.seed = seed
    }

    /// The answer of annotator `annotator` (0, 1, …) to `question`, whose true class at the
    /// point is `truth` (nil over void: the honest answer is no).
    public func answer(_ question: Question, annotator: Int, truth: Int?) -> AnswerValue {
        var h = StableHash.fnv1a(question.id, basis: seed ^ 0xA5A5_5A5A_1234_5678)
        h = (h ^ UInt64(annotator)) &* StableHash.golden
        h ^= h >> 31
        h = h &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 29
        let u = Double(h >> 11) / Double(1 << 53)
        if u < unsureRate { return .unsure }
        let correct = truth == question.classID
        let wrong = u < unsureRate + errorRate
        return correct != wrong ? .yes : .no
    }

    /// The true class (mask value mapped by `classOf`) under a normalised point of a mask.
    public static func truth(mask: Image, x: Double, y: Double, classOf: [Int: Int]) -> Int? {
        let (px, py) = mask.pixel(normalizedX: Float(x), y: Float(y))
        return classOf[Int(mask.pixels[mask.offset(x: px, y: py)])]
    }

    /// The answers of `annotators` simulated annotators (`sim-1`, `sim-2`, …) to each of
    /// `questions`, as an answers CSV (`question_id,annotator_id,answer`), and how many answers
    /// it holds. `mask` gives an image's mask; each is read once (questions come in id order,
    /// not image order, and generated scenes are small).
    public func answersCSV(
        to questions: [Question], annotators: Int, classOf: [Int: Int], mask: (String) throws -> Image
    ) rethrows -> (text: String, count: Int) {
        var text = CSV.line(["question_id", "annotator_id", "answer"], ending: "\n")
        var count = 0
        var masks: [String: Image] = [:]
        for q in questions {
            if masks[q.imageID] == nil { masks[q.imageID] = try mask(q.imageID) }
            let truth = SimulatedAnnotators.truth(mask: masks[q.imageID]!, x: q.x, y: q.y, classOf: classOf)
            for a in 0..<annotators {
                text += CSV.line([q.id, "sim-\(a + 1)", answer(q, annotator: a, truth: truth).rawValue], ending: "\n")
                count += 1
            }
        }
        return (text, count)
    }
}
