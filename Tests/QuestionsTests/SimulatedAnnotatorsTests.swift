import Imaging
import Testing

@testable import Questions

/// Answers simulated from masks: right where the mask says, reproducible, each mask read once.
@Suite struct SimulatedAnnotatorsTests {
    /// A 4 × 2 mask: value 1 (dog) on the left half, 2 (grass) on the right.
    let mask: Image = {
        var m = Image(width: 4, height: 2, channels: 1)
        for y in 0..<2 { for x in 0..<4 { m.pixels[m.offset(x: x, y: y)] = x < 2 ? 1 : 2 } }
        return m
    }()
    let questions = [
        Question(imageID: "a", pointIndex: 0, x: 0.1, y: 0.5, classID: 7, round: 1),  // dog, asked dog
        Question(imageID: "a", pointIndex: 1, x: 0.9, y: 0.5, classID: 7, round: 1),  // grass, asked dog
        Question(imageID: "b", pointIndex: 0, x: 0.9, y: 0.1, classID: 9, round: 1),  // grass, asked grass
    ]

    @Test func honestAnnotatorsAnswerFromTheMaskAndEachMaskIsReadOnce() {
        var reads: [String] = []
        let honest = SimulatedAnnotators(errorRate: 0, unsureRate: 0, seed: 3)
        let (text, count) = honest.answersCSV(to: questions, annotators: 2, classOf: [1: 7, 2: 9]) { id in
            reads.append(id)
            return mask
        }
        #expect(reads == ["a", "b"])
        #expect(count == 6)
        let rows = text.split(separator: "\n").map(String.init)
        #expect(rows.first == "question_id,annotator_id,answer")
        #expect(rows.dropFirst().map { $0.split(separator: ",").last.map(String.init) ?? "" } == ["yes", "yes", "no", "no", "yes", "yes"])
        #expect(rows[1] == "\(questions[0].id),sim-1,yes" && rows[2] == "\(questions[0].id),sim-2,yes")
    }

    @Test func noisyAnswersAreReproducibleFromTheSeed() {
        let noisy = SimulatedAnnotators(errorRate: 0.4, unsureRate: 0.2, seed: 5)
        let first = noisy.answersCSV(to: questions, annotators: 3, classOf: [1: 7, 2: 9]) { _ in mask }
        let again = noisy.answersCSV(to: questions, annotators: 3, classOf: [1: 7, 2: 9]) { _ in mask }
        let other = SimulatedAnnotators(errorRate: 0.4, unsureRate: 0.2, seed: 6).answersCSV(
            to: questions, annotators: 3, classOf: [1: 7, 2: 9]
        ) { _ in mask }
        #expect(first.text == again.text && first.count == 9)
        #expect(other.text != first.text)
    }
}
