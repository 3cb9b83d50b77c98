import Foundation
import Testing

@testable import Questions

/// Unit vectors in 2-D at the given angles (degrees), row-major.
private func rows(_ degrees: [Double]) -> [Float] {
    degrees.flatMap { d -> [Float] in
        let r = d * Double.pi / 180
        return [Float(cos(r)), Float(sin(r))]
    }
}

private func _cos(_ x: Double) -> Double { cos(x) }

@Suite struct NeighbourModelTests {
    // Class 1: three exemplars at 0°, 10°, 80°. Class 2: one exemplar at 20°. Class 3: two at 90°.
    let exemplars = rows([0, 10, 80, 20, 90, 90])
    let labels = [1, 1, 1, 2, 3, 3]

    @Test func meanOfTopKAveragesEachClassesBestK() {
        let model = NeighbourModel(exemplars: exemplars, dimension: 2, labels: labels, k: 2, rule: .meanOfTopK)
        let ranking = model.rank(rows([5]))
        // Class 1: the two best of cos 5°, cos 5°, cos 75°; class 2: only one exemplar, cos 15°;
        // class 3: cos 85° twice.
        #expect(ranking.map(\.classID) == [1, 2, 3])
        #expect(abs(ranking[0].score - _cos(5 * .pi / 180)) < 1e-6)
        #expect(abs(ranking[1].score - _cos(15 * .pi / 180)) < 1e-6)
        #expect(abs(ranking[2].score - _cos(85 * .pi / 180)) < 1e-6)
    }

    @Test func aClassWithFewerThanKExemplarsIsNotPenalised() {
        // With k = 3, class 1's mean includes its far exemplar at 80°, so the single close
        // exemplar of class 2 wins.
        let model = NeighbourModel(exemplars: exemplars, dimension: 2, labels: labels, k: 3, rule: .meanOfTopK)
        #expect(model.rank(rows([15])).map(\.classID) == [2, 1, 3])
    }

    @Test func equalScoresAreOrderedByClassID() {
        // Classes 7 and 4 have identical exemplars.
        let model = NeighbourModel(exemplars: rows([30, 30, 60]), dimension: 2, labels: [7, 4, 5], k: 1)
        let ranking = model.rank(rows([30]))
        #expect(ranking.map(\.classID) == [4, 7, 5])
        #expect(ranking[0].score == ranking[1].score)
        let votes = NeighbourModel(exemplars: rows([30, 30, 60]), dimension: 2, labels: [7, 4, 5], k: 2, rule: .voteOfTopK)
        #expect(votes.rank(rows([30])).map(\.classID) == [4, 7, 5])
    }

    @Test func voteOfTopKCountsTheNearestOverall() {
        let model = NeighbourModel(exemplars: exemplars, dimension: 2, labels: labels, k: 3, rule: .voteOfTopK)
        // Query at 85°: nearest are 90°, 90° (class 3) and 80° (class 1).
        let ranking = model.rank(rows([85]))
        #expect(ranking.map(\.classID) == [3, 1, 2])
        #expect(ranking.map(\.score) == [2, 1, 0])
    }

    @Test func classesWithoutVotesFollowByTheirBestSimilarity() {
        // k = 1 at 85°: only class 3 votes; class 1's best exemplar (80°) is nearer than
        // class 2's (20°), so class 1 comes before class 2 though both score 0.
        let model = NeighbourModel(exemplars: exemplars, dimension: 2, labels: labels, k: 1, rule: .voteOfTopK)
        let ranking = model.rank(rows([85]))
        #expect(ranking.map(\.classID) == [3, 1, 2])
        #expect(ranking.map(\.score) == [1, 0, 0])
    }

    @Test func voteTiesGoToTheCloserVoters() {
        // k = 2 at 12°: nearest are 10° (class 1) and 20° (class 2), one vote each; class 1's
        // voter is closer. Class 3 gets no vote and comes last.
        let model = NeighbourModel(exemplars: exemplars, dimension: 2, labels: labels, k: 2, rule: .voteOfTopK)
        let ranking = model.rank(rows([12]))
        #expect(ranking.map(\.classID) == [1, 2, 3])
        #expect(ranking.map(\.score) == [1, 1, 0])
        // At 18°, class 2's voter (20°) is closer than class 1's (10°).
        #expect(model.rank(rows([18])).map(\.classID) == [2, 1, 3])
    }

    @Test func rankAllMatchesRankAndQueriesNeedNotBeNormalised() {
        let model = NeighbourModel(exemplars: exemplars, dimension: 2, labels: labels, k: 2)
        let queries = rows([5, 85, 45])
        let all = model.rankAll(queries: queries, count: 3)
        #expect(all.count == 3)
        for (i, ranking) in all.enumerated() {
            let single = model.rank(Array(queries[(2 * i)..<(2 * i + 2)]))
            #expect(ranking.map(\.classID) == single.map(\.classID))
            #expect(ranking.map(\.score) == single.map(\.score))
        }
        let scaled = model.rank(rows([5]).map { $0 * 3 })
        #expect(scaled.map(\.classID) == model.rank(rows([5])).map(\.classID))
        #expect(abs(scaled[0].score - model.rank(rows([5]))[0].score) < 1e-9)
    }

    @Test func everyClassWithExemplarsIsRanked() {
        let model = NeighbourModel(exemplars: exemplars, dimension: 2, labels: labels, k: 1, rule: .voteOfTopK)
        #expect(Set(model.rank(rows([0])).map(\.classID)) == [1, 2, 3])
        #expect(NeighbourModel(exemplars: [], dimension: 2, labels: []).rank([1, 0]).isEmpty)
    }
}
