/// How `NeighbourModel` turns similarities to exemplars into a score per class.
public enum ScoringRule: Sendable, Equatable {
    /// For each class, the mean cosine similarity of its k most similar exemplars (all of
    /// them when the class has fewer than k). Every class with exemplars gets a score in
    /// [-1, 1]; a class with few but very close exemplars is not penalised for being small.
    case meanOfTopK
    /// The k exemplars most similar to the query overall vote for their class; the score is
    /// the number of votes. Classes with equal votes are ordered by the summed similarity of
    /// their voters (higher first), then by class id; classes without votes follow with score
    /// 0, ordered by their best similarity, then class id.
    case voteOfTopK
}

/// The per-image nearest-neighbour model M: the embeddings of an image's trace points, each
/// labelled with the class its narrative named there, rank the classes for any other point of
/// the same image.
///
/// Similarity is cosine: the dot product divided by both norms (exemplars are expected
/// L2-normalised, but their norms are computed once anyway so an unnormalised row cannot skew
/// a class; a zero row or query has similarity 0 to everything). Plain loops: an image has
/// tens to hundreds of exemplars.
public struct NeighbourModel: Sendable {
    /// Exemplar rows, row-major, `count × dimension`.
    public let exemplars: [Float]
    public let dimension: Int
    /// Class id of each exemplar row.
    public let labels: [Int]
    /// Neighbours considered (values below 1 act as 1).
    public let k: Int
    public let rule: ScoringRule
    /// Rows used: the smaller of the rows in `exemplars` and the number of labels.
    public let count: Int
    /// The classes that have exemplars, ascending.
    public let classes: [Int]
    private let inverseNorms: [Double]

    /// A model over `exemplars` (row-major, `dimension` floats per row) labelled by `labels`
    /// (the dictionary's stable class ids). A trailing partial row, rows without a label and
    /// labels without a row are ignored.
    public init(exemplars: [Float], dimension: Int, labels: [Int], k: Int = 5, rule: ScoringRule = .meanOfTopK) {
        self.exemplars = exemplars
        self.dimension = max(dimension, 0)
        self.labels = labels
        self.k = max(k, 1)
        self.rule = rule
        let rows = dimension > 0 ? exemplars.count / dimension : 0
        count = min(rows, labels.count)
        classes = Set(labels.prefix(count)).sorted()
        var inverse: [Double] = []
        inverse.reserveCapacity(count)
        for row in 0..<count {
            var sum = 0.0
            for j in 0..<dimension {
                let value = Double(exemplars[row * dimension + j])
                sum += value * value
            }
            inverse.append(sum > 0 ? 1 / sum.squareRoot() : 0)
        }
        inverseNorms = inverse
    }

    /// Every class that has exemplars with its score for `query` (`dimension` floats), best
    /// first; equal scores are ordered as the rule documents, finally by ascending class id.
    /// A query of the wrong length is compared over the common prefix.
    public func rank(_ query: [Float]) -> [(classID: Int, score: Double)] {
        rank(query, offset: 0)
    }

    /// `rank` for each of `count` queries stored row-major in `queries`.
    public func rankAll(queries: [Float], count: Int) -> [[(classID: Int, score: Double)]] {
        guard dimension > 0 else { return Array(repeating: [], count: max(count, 0)) }
        let available = min(max(count, 0), queries.count / dimension)
        var result = (0..<available).map { rank(queries, offset: $0 * dimension) }
        // Queries missing from the buffer rank nothing rather than trapping.
        while result.count < max(count, 0) { result.append([]) }
        return result
    }

    /// Cosine similarity of the query at `offset` in `queries` to every exemplar row.
    public func similarities(_ queries: [Float], offset: Int = 0) -> [Double] {
        let length = min(dimension, max(queries.count - offset, 0))
        var queryNorm = 0.0
        for j in 0..<length {
            let value = Double(queries[offset + j])
            queryNorm += value * value
        }
        let inverseQuery = queryNorm > 0 ? 1 / queryNorm.squareRoot() : 0
        var result = [Double](repeating: 0, count: count)
        for row in 0..<count {
            var dot = 0.0
            let base = row * dimension
            for j in 0..<length {
                dot += Double(exemplars[base + j]) * Double(queries[offset + j])
            }
            result[row] = dot * inverseNorms[row] * inverseQuery
        }
        return result
    }

    private func rank(_ queries: [Float], offset: Int) -> [(classID: Int, score: Double)] {
        let similarity = similarities(queries, offset: offset)
        switch rule {
        case .meanOfTopK:
            var perClass: [Int: [Double]] = [:]
            for row in 0..<count {
                perClass[labels[row], default: []].append(similarity[row])
            }
            var scored: [(classID: Int, score: Double)] = []
            for classID in classes {
                let top = (perClass[classID] ?? []).sorted(by: >).prefix(k)
                let mean = top.isEmpty ? 0 : top.reduce(0, +) / Double(top.count)
                scored.append((classID, mean))
            }
            return scored.sorted { a, b in a.score != b.score ? a.score > b.score : a.classID < b.classID }
        case .voteOfTopK:
            // Nearest first; equal similarities by row so the k chosen are always the same.
            let order = (0..<count).sorted { a, b in
                similarity[a] != similarity[b] ? similarity[a] > similarity[b] : a < b
            }
            var votes: [Int: Int] = [:]
            var voterSimilarity: [Int: Double] = [:]
            var bestSimilarity: [Int: Double] = [:]
            for (position, row) in order.enumerated() {
                let classID = labels[row]
                if bestSimilarity[classID] == nil { bestSimilarity[classID] = similarity[row] }
                if position < k {
                    votes[classID, default: 0] += 1
                    voterSimilarity[classID, default: 0] += similarity[row]
                }
            }
            let keyed = classes.map { classID in
                (
                    classID: classID, votes: votes[classID] ?? 0, sum: voterSimilarity[classID] ?? 0,
                    best: bestSimilarity[classID] ?? -.infinity
                )
            }
            let sorted = keyed.sorted { a, b in
                if a.votes != b.votes { return a.votes > b.votes }
                if a.votes > 0, a.sum != b.sum { return a.sum > b.sum }
                if a.votes == 0, a.best != b.best { return a.best > b.best }
                return a.classID < b.classID
            }
            return sorted.map { ($0.classID, Double($0.votes)) }
        }
    }
}
