import Imaging
import Support

/// How a way of ranking classes at sampled points fares against ground truth.
public struct RankingFigures: Sendable {
    /// Points with a ground-truth class.
    public var points = 0
    /// Share whose first question (the top-ranked class) is right: a Yes.
    public var firstYes = 0.0
    /// Mean number of questions until a Yes, over the points that get one.
    public var meanQuestionsToYes = 0.0
    /// Share that never gets a Yes: their class is not among the image's candidate classes.
    public var neverYes = 0.0
}

/// The question stage measured on generated scenes: M against two baselines, in one run.
public struct QualityReport: Sendable {
    public var images = 0
    /// Ranked images left out because their mask could not be read, with why (first ones).
    public var withoutMask = 0
    public var maskErrors: [String] = []
    public var points = 0
    /// Points over void or over a class the dictionary does not have.
    public var unlabelled = 0
    /// Points whose true class is not mentioned for their image, by that class id.
    public var unmentioned: [Int: Int] = [:]
    /// Points with a true class in the dictionary.
    public var scored: Int { points - unlabelled }
    /// Points whose true class is among the classes mentioned for the image: the share no
    /// ranking of the image's classes can exceed.
    public var mentionedShare: Double {
        scored > 0 ? Double(scored - unmentioned.values.reduce(0, +)) / Double(scored) : 0
    }
    public var model = RankingFigures()
    /// A random order of the image's classes.
    public var random = RankingFigures()
    /// Classes by the distance, in image coordinates, of their nearest trace point (no embedding).
    public var nearestTrace = RankingFigures()
    /// M's first questions at scored points by the source of the class asked, with how many are a Yes.
    public var firstQuestions: [CandidateSource: (asked: Int, yes: Int)] = [:]
    /// Share of M's first questions that are a Yes among the points whose true class is a
    /// candidate (the points a ranking can reach).
    public var firstYesAmongReachable: Double { mentionedShare > 0 ? model.firstYes / mentionedShare : 0 }
}

/// What image-level labels change: how many map to dictionary classes and how they meet the
/// mentions.
public struct LabelEffect: Sendable {
    /// Labels (image, class) of ranked images, verified present and verified absent.
    public var present = 0
    public var absent = 0
    /// Present labels of classes no narrative of the image mentions: new candidates.
    public var added = 0
    /// Classes mentioned for an image and verified absent for it: removed from its candidates.
    public var conflicts = 0
    /// Label rows of ranked images whose MID no dictionary class carries, and rows of images not ranked.
    public var unmappedRows = 0
    public var unknownImageRows = 0
}

public enum QuestionQuality {
    /// How `labels` (MIDs per image, mapped to class ids by `classesOfMID`) meet the mentions of
    /// `images`, ranked from the mentions alone.
    public static func labelEffect(_ images: [ImagePoints], labels: ImageLevelLabels, classesOfMID: [String: [Int]]) -> LabelEffect {
        var effect = LabelEffect()
        let ranked = Set(images.map(\.imageID))
        for (image, mids) in labels.present where !ranked.contains(image) { effect.unknownImageRows += mids.count }
        for (image, mids) in labels.absent where !ranked.contains(image) { effect.unknownImageRows += mids.count }
        for image in images {
            let (set, unmapped) = labels.classSet(of: image.imageID, classesOfMID: classesOfMID)
            effect.unmappedRows += unmapped
            effect.present += set.present.count
            effect.absent += set.absent.count
            effect.added += set.present.subtracting(image.candidates).count
            effect.conflicts += set.absent.intersection(image.candidates).count
        }
        return effect
    }

    /// Scores each sampled point: its true class is read from the mask (`classOf[maskValue]`
    /// gives the dictionary class id), and each ranking is asked in order as a perfect
    /// annotator would answer.
    public static func report(
        _ images: [ImagePoints], seed: UInt64, mask: (String) throws -> Image, classOf: [Int: Int]
    ) -> QualityReport {
        var report = QualityReport()
        var tallies = [Tally](repeating: Tally(), count: 3)
        for image in images {
            let m: Image
            do { m = try mask(image.imageID) } catch {
                report.withoutMask += 1
                if report.maskErrors.count < 5 { report.maskErrors.append("\(error)") }
                continue
            }
            report.images += 1
            for p in image.points {
                report.points += 1
                let (px, py) = m.pixel(normalizedX: Float(p.x), y: Float(p.y))
                guard let truth = classOf[Int(m.pixels[m.offset(x: px, y: py)])] else {
                    report.unlabelled += 1
                    continue
                }
                if !image.candidates.contains(truth) { report.unmentioned[truth, default: 0] += 1 }
                let random = shuffled(image.candidates, seed: seed, image: image.imageID, point: p.pointIndex)
                let nearest = nearestTraceRanking(image, x: Float(p.x), y: Float(p.y))
                for (i, ranking) in [p.ranked, random, nearest].enumerated() {
                    tallies[i].add(position: ranking.firstIndex(of: truth))
                }
                if let top = p.ranked.first {
                    let counts = report.firstQuestions[p.source(at: 0)] ?? (0, 0)
                    report.firstQuestions[p.source(at: 0)] = (counts.asked + 1, counts.yes + (top == truth ? 1 : 0))
                }
            }
        }
        report.model = tallies[0].figures
        report.random = tallies[1].figures
        report.nearestTrace = tallies[2].figures
        return report
    }

    struct Tally {
        var points = 0
        var first = 0
        var yes = 0
        var questions = 0
        mutating func add(position: Int?) {
            points += 1
            guard let position else { return }
            yes += 1
            questions += position + 1
            if position == 0 { first += 1 }
        }
        var figures: RankingFigures {
            RankingFigures(
                points: points, firstYes: points > 0 ? Double(first) / Double(points) : 0,
                meanQuestionsToYes: yes > 0 ? Double(questions) / Double(yes) : 0,
                neverYes: points > 0 ? Double(points - yes) / Double(points) : 0)
        }
    }

    /// The image's classes in a random order fixed by the seed, image and point.
    static func shuffled(_ classes: [Int], seed: UInt64, image: String, point: Int) -> [Int] {
        var random = SplitMix64(seed: StableHash.fnv1a(image, basis: seed ^ UInt64(truncatingIfNeeded: point) &* StableHash.golden))
        var result = classes
        for i in stride(from: result.count - 1, to: 0, by: -1) { result.swapAt(i, random.below(i + 1)) }
        return result
    }

    /// Classes ordered by their nearest exemplar trace point to (x, y); mentioned classes
    /// without trace points last, in id order.
    static func nearestTraceRanking(_ image: ImagePoints, x: Float, y: Float) -> [Int] {
        var best: [Int: Float] = [:]
        let aspect = Float(image.width) / Float(max(image.height, 1))
        for e in image.exemplarPositions {
            let dx = (e.x - x) * aspect, dy = e.y - y
            let d = dx * dx + dy * dy
            if d < best[e.classID] ?? .infinity { best[e.classID] = d }
        }
        let ranked = best.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map(\.key)
        return ranked + image.candidates.filter { best[$0] == nil }
    }
}
