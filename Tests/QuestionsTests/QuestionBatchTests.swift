import Support
import Testing

@testable import Questions

/// FNV-1a 64 written out again from its definition, independent of the module's code.
private func referenceFNV1a(_ bytes: [UInt8]) -> UInt64 {
    var hash: UInt64 = 14_695_981_039_346_656_037  // the 64-bit offset basis, in decimal
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }  // the 64-bit FNV prime
    return hash
}

private func question(_ image: String, _ point: Int, _ classID: Int, round: Int = 1) -> Question {
    Question(imageID: image, pointIndex: point, x: Double(point) / 16, y: 0.5, classID: classID, round: round)
}

@Suite struct QuestionIDTests {
    @Test func fnvMatchesPublishedTestVectors() {
        // Test vectors from the FNV reference (Fowler, Noll, Vo): "" hashes to the offset
        // basis, "a" to 0xaf63dc4c8601ec8c, "foobar" to 0x85944171f73967e8.
        #expect(StableHash.fnv1a("") == 0xCBF2_9CE4_8422_2325)
        #expect(StableHash.fnv1a("a") == 0xAF63_DC4C_8601_EC8C)
        #expect(StableHash.fnv1a("foobar") == 0x8594_4171_F739_67E8)
        #expect(referenceFNV1a(Array("foobar".utf8)) == StableHash.fnv1a("foobar"))
    }

    @Test func idFollowsTheDocumentedAlgorithm() {
        let text = Array("0a0f9c7d2e1b3c44".utf8) + [0x1F] + Array("3".utf8) + [0x1F] + Array("42".utf8)
        let digits = String(referenceFNV1a(text), radix: 16)
        let expected = "q" + String(repeating: "0", count: 16 - digits.count) + digits
        let id = Question.id(imageID: "0a0f9c7d2e1b3c44", pointIndex: 3, classID: 42)
        #expect(id == expected)
        #expect(id.count == 17)
        #expect(Question.id(imageID: "0a0f9c7d2e1b3c44", pointIndex: 3, classID: 42) == id)
    }

    @Test func idsDifferForDifferentTriplesAndIgnoreTheRound() {
        let ids = [
            Question.id(imageID: "a", pointIndex: 1, classID: 23),
            Question.id(imageID: "a", pointIndex: 12, classID: 3),
            Question.id(imageID: "a1", pointIndex: 2, classID: 3),
            Question.id(imageID: "a", pointIndex: 1, classID: 2),
        ]
        #expect(Set(ids).count == ids.count)
        #expect(question("img", 1, 5, round: 1).id == question("img", 1, 5, round: 3).id)
        #expect(StableHash.hex16(0xAB) == "00000000000000ab")
    }
}

@Suite struct BatcherTests {
    let questions = [
        question("img-b", 2, 7), question("img-a", 1, 3), question("img-b", 0, 3), question("img-a", 0, 7),
        question("img-c", 5, 3), question("img-a", 4, 1), question("img-a", 1, 3),  // a repeat
    ]

    @Test func classBlocksAreContiguousAndReplicasTogether() {
        let batches = Batcher.batches(questions, options: BatchOptions(replication: 3, size: 1000))
        #expect(batches.count == 1)
        let batch = batches[0]
        #expect(batch.count == 6 * 3)  // the repeated question is dropped
        // Class order 1, 3, 7; within a class by image, then point.
        let order = stride(from: 0, to: batch.count, by: 3).map { batch[$0].question }
        #expect(order.map(\.classID) == [1, 3, 3, 3, 7, 7])
        #expect(order.map(\.imageID) == ["img-a", "img-a", "img-b", "img-c", "img-a", "img-b"])
        for start in stride(from: 0, to: batch.count, by: 3) {
            #expect(batch[start..<(start + 3)].map(\.replica) == [0, 1, 2])
            #expect(Set(batch[start..<(start + 3)].map(\.question.id)).count == 1)
        }
        // Input order does not matter.
        #expect(Batcher.batches(questions.reversed(), options: BatchOptions()) == batches)
    }

    @Test func batchesHoldWholeQuestionsUpToTheSize() {
        let many = (0..<25).map { question("img\($0 % 4)", $0, $0 % 3) }
        let batches = Batcher.batches(many, options: BatchOptions(replication: 3, size: 10))
        // 10 / 3 = 3 whole questions (9 assignments) per batch: 25 questions → 9 batches.
        #expect(batches.count == 9)
        #expect(batches.dropLast().allSatisfy { $0.count == 9 })
        #expect(batches.last?.count == 3)
        #expect(batches.allSatisfy { $0.count <= 10 })
        let flat = batches.flatMap { $0 }
        #expect(flat.count == 75)
        // Classes stay in blocks across batch boundaries.
        let classes = flat.map(\.question.classID)
        #expect(classes == classes.sorted())
        for batch in batches {
            for id in Set(batch.map(\.question.id)) {
                #expect(batch.filter { $0.question.id == id }.count == 3)
            }
        }
    }

    @Test func sizeBelowReplicationGivesOneQuestionPerBatch() {
        let batches = Batcher.batches(Array(questions.prefix(2)), options: BatchOptions(replication: 5, size: 2))
        #expect(batches.map(\.count) == [5, 5])
        #expect(Batcher.batches([], options: BatchOptions()).isEmpty)
    }
}
