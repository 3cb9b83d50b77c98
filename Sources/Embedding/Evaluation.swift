import COpenBLAS
import Imaging

/// Held-out quality of a model, next to a raw-feature baseline computed the same way.
public struct EvaluationReport: Sendable {
    /// The classifier on held-out trace points.
    public var points = 0
    public var top1 = 0.0
    public var top5 = 0.0
    /// Nearest-neighbour labelling: each held-out trace point takes the majority class of its
    /// k nearest reference (training) points among the classes mentioned for its image, as the
    /// question stage restricts candidates to the image's classes. `raw` compares standardised
    /// features (Euclidean), `embedding` the model's L2-normalised embedding (cosine).
    public var neighbourPoints = 0
    public var neighbourImages = 0
    public var embeddingAccuracy = 0.0
    public var rawAccuracy = 0.0
    /// What always answering the class with the most reference points among the image's
    /// classes would score.
    public var majorityAccuracy = 0.0
}

public enum Evaluation {
    /// The points with their labels replaced by the ground-truth class under each point, read
    /// from class masks (`mask(imageID)`, one grey value per pixel, `names[value]` the class
    /// name). Points over void or over a class the model does not know are dropped, as are
    /// the points of images whose mask cannot be read. Used on generated scenes, where the
    /// trace labels are noisy by design and the masks are exact.
    public static func relabel(
        _ points: LabelledPoints, classes: [EmbeddingModel.ClassLabel], names: [Int: String], mask: (String) throws -> Image
    ) -> (points: LabelledPoints, dropped: Int) {
        let labelOfName = Dictionary(classes.enumerated().map { ($0.element.name, Int32($0.offset)) }, uniquingKeysWith: { a, _ in a })
        var result = LabelledPoints(dimension: points.dimension)
        result.imageIDs = points.imageIDs
        var masks: [Int32: Image?] = [:]
        var dropped = 0
        let d = points.dimension
        for i in 0..<points.count {
            let image = points.images[i]
            if masks[image] == nil { masks[image] = .some(try? mask(points.imageIDs[Int(image)])) }
            guard let m = masks[image] ?? nil else {
                dropped += 1
                continue
            }
            let (x, y) = m.pixel(normalizedX: points.positions[2 * i], y: points.positions[2 * i + 1])
            guard let name = names[Int(m.pixels[m.offset(x: x, y: y)])], let label = labelOfName[name] else {
                dropped += 1
                continue
            }
            result.append(
                features: Array(points.features[(i * d)..<((i + 1) * d)]), label: label, image: image, mention: points.mentions[i],
                x: points.positions[2 * i], y: points.positions[2 * i + 1])
        }
        return (result, dropped)
    }

    /// Evaluates on `points` (the held-out images), with `reference` (a sample of the
    /// training points) as the neighbours' pool.
    public static func evaluate(
        _ model: EmbeddingModel, on points: LabelledPoints, reference: LabelledPoints, k: Int = 10
    ) -> EvaluationReport {
        var report = EvaluationReport()
        let d = points.dimension
        let n = points.count
        guard n > 0 else { return report }
        var x = points.features
        model.standardise(&x)
        // Classifier.
        var top1 = 0, top5 = 0
        let classCount = model.network.classCount
        for start in stride(from: 0, to: n, by: 1024) {
            let count = min(1024, n - start)
            let logits = model.network.logits(Array(x[(start * d)..<((start + count) * d)]), batch: count)
            for r in 0..<count {
                let label = Int(points.labels[start + r])
                let score = logits[r * classCount + label]
                // A NaN score is wrong, not a tie that no class beats (a diverged network).
                var higher = score.isNaN ? classCount : 0
                if !score.isNaN {
                    for c in 0..<classCount where logits[r * classCount + c] > score { higher += 1 }
                }
                if higher == 0 { top1 += 1 }
                if higher < 5 { top5 += 1 }
            }
        }
        report.points = n
        report.top1 = Double(top1) / Double(n)
        report.top5 = Double(top5) / Double(n)

        // Neighbours.
        let (raw, embedding, majority, images) = neighbourAccuracy(model, queries: points, reference: reference, k: k)
        report.neighbourPoints = n
        report.neighbourImages = images
        report.rawAccuracy = raw
        report.embeddingAccuracy = embedding
        report.majorityAccuracy = majority
        return report
    }

    /// (raw accuracy, embedding accuracy, majority accuracy, images).
    static func neighbourAccuracy(
        _ model: EmbeddingModel, queries: LabelledPoints, reference: LabelledPoints, k: Int
    ) -> (Double, Double, Double, Int) {
        let n = queries.count, r = reference.count
        guard n > 0, r > 0 else { return (0, 0, 0, 0) }
        let d = queries.dimension
        var qx = queries.features
        model.standardise(&qx)
        var rx = reference.features
        model.standardise(&rx)
        let m = model.network.embeddingDimension
        let qe = model.embed(raw: queries.features, count: n)
        let re = model.embed(raw: reference.features, count: r)
        // Candidate classes per image: those its points are labelled with.
        var candidates: [Int32: Set<Int32>] = [:]
        for i in 0..<n { candidates[queries.images[i], default: []].insert(queries.labels[i]) }
        var frequency: [Int32: Int] = [:]
        for l in reference.labels { frequency[l, default: 0] += 1 }
        let rawNorms = (0..<r).map { j in (0..<d).reduce(Float(0)) { $0 + rx[j * d + $1] * rx[j * d + $1] } }

        var rawRight = 0, embeddingRight = 0, majorityRight = 0
        let chunk = 256
        var scores = [Float](repeating: 0, count: chunk * r)
        for start in stride(from: 0, to: n, by: chunk) {
            let count = min(chunk, n - start)
            for (space, (q, ref, dim)) in [(qx, rx, d), (qe, re, m)].enumerated() {
                // scores = Q · Rᵀ (count × r)
                q.withUnsafeBufferPointer { qp in
                    ref.withUnsafeBufferPointer { rp in
                        scores.withUnsafeMutableBufferPointer { sp in
                            cblas_sgemm(
                                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(count), Int32(r), Int32(dim), 1,
                                qp.baseAddress! + start * dim, Int32(dim), rp.baseAddress, Int32(dim), 0, sp.baseAddress, Int32(r))
                        }
                    }
                }
                for row in 0..<count {
                    let i = start + row
                    guard let allowed = candidates[queries.images[i]] else { continue }
                    // Higher is nearer: cosine for the embedding, −squared distance (up to a
                    // per-query constant) for raw features.
                    var best: [(Float, Int32)] = []
                    for j in 0..<r where allowed.contains(reference.labels[j]) {
                        let s = space == 1 ? scores[row * r + j] : 2 * scores[row * r + j] - rawNorms[j]
                        if best.count < k {
                            best.append((s, reference.labels[j]))
                            if best.count == k { best.sort { $0.0 > $1.0 } }
                        } else if s > best[k - 1].0 {
                            best[k - 1] = (s, reference.labels[j])
                            var t = k - 1
                            while t > 0, best[t].0 > best[t - 1].0 {
                                best.swapAt(t, t - 1)
                                t -= 1
                            }
                        }
                    }
                    var votes: [Int32: Int] = [:]
                    for (_, label) in best { votes[label, default: 0] += 1 }
                    let predicted = votes.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
                    if predicted == queries.labels[i] {
                        if space == 0 { rawRight += 1 } else { embeddingRight += 1 }
                    }
                    if space == 0 {
                        let majority = allowed.max { (frequency[$0] ?? 0, $1) < (frequency[$1] ?? 0, $0) }
                        if majority == queries.labels[i] { majorityRight += 1 }
                    }
                }
            }
        }
        return (Double(rawRight) / Double(n), Double(embeddingRight) / Double(n), Double(majorityRight) / Double(n), candidates.count)
    }
}
