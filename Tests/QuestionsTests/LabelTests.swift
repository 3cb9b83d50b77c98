import Support
import Testing

@testable import Questions

private func answers(_ question: String, _ values: [AnswerValue]) -> [Answer] {
    values.enumerated().map { Answer(questionID: question, annotatorID: "ann\($0.offset)", value: $0.element) }
}

@Suite struct AggregationTests {
    @Test func unanimousNeedsAgreementAndEnoughDecisiveAnswers() {
        let rule = AggregationRule(minimumAnswers: 2, kind: .unanimous)
        let all =
            answers("agree", [.yes, .yes, .unsure]) + answers("split", [.yes, .no, .yes])
            + answers("few", [.no, .unsure, .unsure]) + answers("none", [.unsure]) + answers("noes", [.no, .no])
        let result = Aggregation.aggregate(all, rule: rule)
        #expect(result["agree"]?.label == .yes)
        #expect(result["agree"]?.votes == Votes(yes: 2, no: 0, unsure: 1))
        #expect(result["split"]?.label == .unresolved)
        #expect(result["few"]?.label == .unresolved)
        #expect(result["few"]?.votes == Votes(yes: 0, no: 1, unsure: 2))
        #expect(result["none"]?.label == .unresolved)
        #expect(result["noes"]?.label == .no)
        #expect(result.count == 5)
        // With a minimum of 1, a single decisive answer is enough.
        #expect(Aggregation.aggregate(all, rule: AggregationRule(minimumAnswers: 1))["few"]?.label == .no)
    }

    @Test func majorityNeedsStrictlyMore() {
        let rule = AggregationRule(minimumAnswers: 2, kind: .majority)
        #expect(rule.label(for: Votes(yes: 2, no: 1)) == .yes)
        #expect(rule.label(for: Votes(yes: 1, no: 2, unsure: 5)) == .no)
        #expect(rule.label(for: Votes(yes: 1, no: 1)) == .unresolved)
        #expect(rule.label(for: Votes(yes: 1, no: 0, unsure: 4)) == .unresolved)
        #expect(AggregationRule(minimumAnswers: 3, kind: .majority).label(for: Votes(yes: 2, no: 0)) == .unresolved)
    }

    @Test func anAnnotatorCountsOncePerQuestion() {
        let repeated = [
            Answer(questionID: "q", annotatorID: "a", value: .yes), Answer(questionID: "q", annotatorID: "a", value: .no),
            Answer(questionID: "q", annotatorID: "b", value: .yes),
        ]
        let result = Aggregation.aggregate(repeated, rule: AggregationRule())
        #expect(result["q"]?.votes == Votes(yes: 2, no: 0, unsure: 0))
        #expect(result["q"]?.label == .yes)
    }
}

@Suite struct RoundsTests {
    let points = [
        PointCandidates(imageID: "img", pointIndex: 0, x: 0.1, y: 0.2, ranked: [5, 3, 8]),
        PointCandidates(imageID: "img", pointIndex: 1, x: 0.6, y: 0.7, ranked: [3, 5]),
        PointCandidates(imageID: "img", pointIndex: 2, x: 0.9, y: 0.1, ranked: [8]),
        PointCandidates(imageID: "img", pointIndex: 3, x: 0.4, y: 0.4, ranked: [1, 2]),
    ]

    @Test func firstRoundAsksTheBestClass() {
        let first = Rounds.next(points: points, labels: [:], asked: [], maxRounds: 3)
        #expect(first.map(\.classID) == [5, 3, 8, 1])
        #expect(first.allSatisfy { $0.round == 1 })
        #expect(first[1].x == 0.6 && first[1].y == 0.7)
        #expect(first[1].id == Question.id(imageID: "img", pointIndex: 1, classID: 3))
    }

    @Test func noMovesOnYesAndUnresolvedStopAndExhaustedRankingsEnd() {
        let first = Rounds.next(points: points, labels: [:], asked: [], maxRounds: 3)
        let labels: [String: PointLabel] = [
            first[0].id: .no, first[1].id: .yes, first[2].id: .no,  // point 3 not yet answered
        ]
        let second = Rounds.next(points: points, labels: labels, asked: first, maxRounds: 3)
        // Point 0 → its second class; point 1 found; point 2's ranking is exhausted; point 3 waits.
        #expect(second.map(\.pointIndex) == [0])
        #expect(second.first?.classID == 3)
        #expect(second.first?.round == 2)

        var labels3 = labels
        labels3[second[0].id] = .no
        labels3[first[3].id] = .unresolved
        let third = Rounds.next(points: points, labels: labels3, asked: first + second, maxRounds: 3)
        #expect(third.map(\.classID) == [8])
        #expect(third.first?.round == 3)

        // The round limit: after round 2, no round 3 when maxRounds is 2.
        #expect(Rounds.next(points: points, labels: labels3, asked: first + second, maxRounds: 2).isEmpty)
        // After a third No the ranking of point 0 is exhausted.
        labels3[third[0].id] = .no
        #expect(Rounds.next(points: points, labels: labels3, asked: first + second + third, maxRounds: 9).isEmpty)
    }

    @Test func eachQuestionCarriesTheSourceOfItsClass() {
        let point = PointCandidates(imageID: "img", pointIndex: 0, x: 0.1, y: 0.2, ranked: [5, 3, 8], sources: [.label, .mention, .model])
        let first = Rounds.next(points: [point], labels: [:], asked: [], maxRounds: 3)
        #expect(first.map(\.source) == [.label])
        let second = Rounds.next(points: [point], labels: [first[0].id: .no], asked: first, maxRounds: 3)
        #expect(second.map(\.source) == [.mention])
        // A point ranked before sources were recorded.
        let old = PointCandidates(imageID: "img", pointIndex: 1, x: 0.1, y: 0.2, ranked: [5])
        #expect(Rounds.next(points: [old], labels: [:], asked: [], maxRounds: 3).map(\.source) == [.unrecorded])
    }

    @Test func anUnansweredLatestQuestionWaits() {
        let first = Rounds.next(points: Array(points.prefix(1)), labels: [:], asked: [], maxRounds: 3)
        #expect(Rounds.next(points: Array(points.prefix(1)), labels: [:], asked: first, maxRounds: 3).isEmpty)
        #expect(Rounds.next(points: points, labels: [:], asked: [], maxRounds: 0).isEmpty)
    }
}

@Suite struct ExportTests {
    let rows = [
        ExportRow(
            imageID: "0001eeaf4aed83f9", x: 0.123_456_789_012_345_67, y: 1e-5, label: "/m/0199g", estimatedYesNo: "yes",
            source: "ln", yesVotes: 3, noVotes: 0, unsureVotes: 1, textLabel: "Bicycle"),
        ExportRow(
            imageID: "img,2", x: 0.5, y: 0.999_999_999_999_999_9, label: "42", estimatedYesNo: "unsure", source: "ln",
            yesVotes: 1, noVotes: 1, unsureVotes: 0, textLabel: "crème \"brûlée\", with\nnewline"),
    ]

    @Test func headerIsTheOpenImagesLayout() {
        let text = PointLabelExport.csv(rows)
        #expect(text.hasPrefix("ImageId,X,Y,Label,EstimatedYesNo,Source,YesVotes,NoVotes,UnsureVotes,TextLabel\n"))
        #expect(text.split(separator: "\n")[1] == "0001eeaf4aed83f9,0.12345678901234566,1e-05,/m/0199g,yes,ln,3,0,1,Bicycle")
    }

    /// Each label once with its name, sorted, quoted where CSV needs it, no header.
    @Test func classDescriptionsNameEveryLabelOnce() {
        let text = PointLabelExport.classDescriptions(rows + rows)
        #expect(text == "/m/0199g,Bicycle\n42,\"crème \"\"brûlée\"\", with\nnewline\"\n")
        #expect(PointLabelExport.classDescriptions([]) == "")
    }

    @Test func roundTripIsExact() throws {
        let parsed = try PointLabelExport.parse(PointLabelExport.csv(rows))
        #expect(parsed == rows)
        #expect(try PointLabelExport.parse(PointLabelExport.csv([])) == [])
    }

    @Test func rowFromAQuestionUsesTheMIDOrTheClassID() {
        let q = Question(imageID: "img", pointIndex: 0, x: 0.25, y: 0.75, classID: 17, round: 1)
        let votes = Votes(yes: 0, no: 2, unsure: 1)
        let mapped = ExportRow(question: q, label: .no, votes: votes, mid: "/m/01g317", className: "person")
        #expect(mapped.label == "/m/01g317")
        #expect(mapped.estimatedYesNo == "no")
        #expect(mapped.source == "ln")
        var labelled = q
        labelled.source = .label
        #expect(ExportRow(question: labelled, label: .yes, votes: votes, mid: nil, className: "x").source == "label")
        labelled.source = .model
        #expect(ExportRow(question: labelled, label: .yes, votes: votes, mid: nil, className: "x").source == "model")
        #expect(ExportRow(question: q, label: .unresolved, votes: votes, mid: "", className: "x").label == "17")
        #expect(ExportRow(question: q, label: .unresolved, votes: votes, mid: nil, className: "x").estimatedYesNo == "unsure")
        #expect(PointLabel.yes.estimatedYesNo == "yes")
    }

    @Test func parseNamesLineAndColumn() {
        let header = PointLabelExport.header + "\n"
        #expect(throws: PointillistError(file: "p.csv", line: 1, field: nil, reason: "the header is not \(PointLabelExport.header)")) {
            try PointLabelExport.parse("ImageId,X\n", file: "p.csv")
        }
        #expect(throws: PointillistError(file: "p.csv", line: 3, field: "Y", reason: "\"abc\" is not a finite number")) {
            try PointLabelExport.parse(header + "\ni,0.1,abc,l,yes,ln,1,0,0,t\n", file: "p.csv")
        }
        #expect(throws: PointillistError(file: "p.csv", line: 2, field: "NoVotes", reason: "\"-1\" is not a count")) {
            try PointLabelExport.parse(header + "i,0.1,0.2,l,yes,ln,1,-1,0,t\n", file: "p.csv")
        }
        #expect(throws: PointillistError(file: "p.csv", line: 2, field: "EstimatedYesNo", reason: "\"Yes\" is not yes, no or unsure")) {
            try PointLabelExport.parse(header + "i,0.1,0.2,l,Yes,ln,1,0,0,t\n", file: "p.csv")
        }
        #expect(throws: PointillistError(file: "p.csv", line: 2, field: "YesVotes", reason: "6 fields where the header has 10")) {
            try PointLabelExport.parse(header + "i,0.1,0.2,l,yes,ln\n", file: "p.csv")
        }
        let error = PointillistError(file: "p.csv", line: 2, field: "X", reason: "bad")
        #expect(error.description == "p.csv:2: field X: bad")
    }
}
