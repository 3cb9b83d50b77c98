import Testing

@testable import Questions

private func minimumDistance(_ points: [SamplePoint]) -> Double {
    var best = Double.infinity
    for i in points.indices {
        for j in points.indices where j > i {
            let dx = points[i].x - points[j].x
            let dy = points[i].y - points[j].y
            best = min(best, (dx * dx + dy * dy).squareRoot())
        }
    }
    return best
}

@Suite struct SamplingTests {
    @Test func sameInputsGiveSamePoints() {
        let options = SamplingOptions(pointsPerImage: 11, seed: 7)
        let a = PointSampler.uniform(imageID: "0a0f9c7d2e1b3c44", options: options)
        let b = PointSampler.uniform(imageID: "0a0f9c7d2e1b3c44", options: options)
        #expect(a == b)
        #expect(a.count == 11)
        #expect(a.map(\.index) == Array(0..<11))
    }

    /// Pins the stream itself: the first point is the first two words of SplitMix64 from the
    /// documented state (FNV-1a of the id, the seed and purpose 1, each mixed), derived here
    /// independently, so a change of algorithm cannot pass unnoticed.
    @Test func firstPointFollowsTheDocumentedStream() {
        func mix(_ v: UInt64) -> UInt64 {
            var z = v
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in "img".utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        var state = mix(hash) &+ mix(3 ^ 0x51_7E57_10E5) &+ mix(1 &* 0x9E37_79B9_7F4A_7C15)
        state &+= 0x9E37_79B9_7F4A_7C15
        let x = Double(mix(state) >> 11) * 0x1.0p-53
        state &+= 0x9E37_79B9_7F4A_7C15
        let y = Double(mix(state) >> 11) * 0x1.0p-53
        let first = PointSampler.uniform(imageID: "img", options: SamplingOptions(pointsPerImage: 3, seed: 3))[0]
        #expect(first.x == x && first.y == y)
    }

    @Test func differentImageOrSeedGivesDifferentPoints() {
        let base = PointSampler.uniform(imageID: "image-1", options: SamplingOptions(seed: 1))
        #expect(base != PointSampler.uniform(imageID: "image-2", options: SamplingOptions(seed: 1)))
        #expect(base != PointSampler.uniform(imageID: "image-1", options: SamplingOptions(seed: 2)))
        // No shared coordinates at all between neighbouring ids.
        let other = PointSampler.uniform(imageID: "image-2", options: SamplingOptions(seed: 1))
        #expect(Set(base.map(\.x)).isDisjoint(with: other.map(\.x)))
    }

    @Test func pointsAreInTheUnitSquareAndWellSpread() {
        var worst = Double.infinity
        var quadrants = [Int](repeating: 0, count: 4)
        var sumX = 0.0
        var total = 0
        for image in 0..<500 {
            let points = PointSampler.uniform(imageID: "img\(image)", options: SamplingOptions())
            for p in points {
                #expect(p.x >= 0 && p.x < 1 && p.y >= 0 && p.y < 1)
                quadrants[(p.x < 0.5 ? 0 : 1) + (p.y < 0.5 ? 0 : 2)] += 1
                sumX += p.x
                total += 1
            }
            worst = min(worst, minimumDistance(points))
        }
        // 11 independent uniform points are often closer than 0.01; best-candidate keeps them
        // apart. The bound is about half the smallest distance measured over these 500 images
        // (0.156 when written).
        print("minimum pairwise distance over 500 images:", worst)
        #expect(worst > 0.08)
        // Every quadrant gets about a quarter of the points (uniform density).
        for count in quadrants {
            #expect(abs(Double(count) / Double(total) - 0.25) < 0.03)
        }
        #expect(abs(sumX / Double(total) - 0.5) < 0.02)
        // Each single image covers every quadrant.
        for image in 0..<100 {
            let points = PointSampler.uniform(imageID: "cover\(image)", options: SamplingOptions())
            let seen = Set(points.map { (($0.x < 0.5) ? 0 : 1) + (($0.y < 0.5) ? 0 : 2) })
            #expect(seen.count == 4)
        }
    }

    @Test func spreadBeatsIndependentUniformPoints() {
        // Mean nearest-neighbour distance of best-candidate points is well above that of
        // 11 independent uniform points (≈ 0.5/√11 ≈ 0.15 ignoring edges).
        var sum = 0.0
        for image in 0..<200 {
            let points = PointSampler.uniform(imageID: "nn\(image)", options: SamplingOptions())
            for p in points {
                var nearest = Double.infinity
                for q in points where q.index != p.index {
                    nearest = min(nearest, ((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)).squareRoot())
                }
                sum += nearest
            }
        }
        let mean = sum / Double(200 * 11)
        print("mean nearest-neighbour distance:", mean)
        #expect(mean > 0.2)
    }

    @Test func zeroPointsGivesNone() {
        #expect(PointSampler.uniform(imageID: "x", options: SamplingOptions(pointsPerImage: 0)).isEmpty)
    }
}

@Suite struct ClassBalancedTests {
    private func candidates(_ n: Int) -> [SamplePoint] {
        PointSampler.uniform(imageID: "cb", options: SamplingOptions(pointsPerImage: n, seed: 5))
    }

    @Test func equalSharesWhenEveryClassHasEnough() {
        let cands = candidates(300)
        // Class 0 covers most of the image: 80% of candidates.
        let predicted = cands.map { $0.x < 0.8 ? 0 : ($0.y < 0.5 ? 1 : 2) }
        let options = SamplingOptions(pointsPerImage: 12, seed: 1)
        let chosen = PointSampler.classBalanced(imageID: "cb", options: options, candidates: cands, predicted: predicted)
        #expect(chosen.count == 12)
        #expect(chosen.map(\.index) == Array(0..<12))
        var counts: [Int: Int] = [:]
        let byPosition = Dictionary(uniqueKeysWithValues: zip(cands.map { [$0.x, $0.y] }, predicted))
        for p in chosen { counts[byPosition[[p.x, p.y]] ?? -1, default: 0] += 1 }
        #expect(counts == [0: 4, 1: 4, 2: 4])
        // Reproducible.
        #expect(chosen == PointSampler.classBalanced(imageID: "cb", options: options, candidates: cands, predicted: predicted))
    }

    @Test func remainderDiffersByAtMostOneAndSmallClassesGiveAll() {
        let cands = candidates(200)
        // Class 9 has exactly 2 candidates; classes 0 and 1 split the rest.
        var predicted = cands.map { $0.x < 0.5 ? 0 : 1 }
        predicted[10] = 9
        predicted[20] = 9
        let chosen = PointSampler.classBalanced(
            imageID: "cb", options: SamplingOptions(pointsPerImage: 11), candidates: cands, predicted: predicted)
        let lookup = Dictionary(uniqueKeysWithValues: zip(cands.map { [$0.x, $0.y] }, predicted))
        var counts: [Int: Int] = [:]
        for p in chosen { counts[lookup[[p.x, p.y]] ?? -1, default: 0] += 1 }
        #expect(counts[9] == 2)
        #expect((counts[0] ?? 0) + (counts[1] ?? 0) == 9)
        #expect(abs((counts[0] ?? 0) - (counts[1] ?? 0)) == 1)
    }

    @Test func whichClassGetsTheRemainderVariesWithTheImage() {
        let cands = candidates(100)
        let predicted = cands.map { $0.x < 0.5 ? 0 : 1 }
        var winners = Set<Bool>()
        for image in 0..<20 {
            let chosen = PointSampler.classBalanced(
                imageID: "r\(image)", options: SamplingOptions(pointsPerImage: 5), candidates: cands, predicted: predicted)
            winners.insert(chosen.filter { $0.x < 0.5 }.count == 3)
        }
        #expect(winners == [true, false])
    }

    @Test func fewerCandidatesThanPointsGivesAll() {
        let cands = candidates(4)
        let chosen = PointSampler.classBalanced(
            imageID: "cb", options: SamplingOptions(pointsPerImage: 11), candidates: cands, predicted: [1, 1, 2, 3])
        #expect(chosen.count == 4)
        #expect(chosen.map { [$0.x, $0.y] } == cands.map { [$0.x, $0.y] })
    }
}
