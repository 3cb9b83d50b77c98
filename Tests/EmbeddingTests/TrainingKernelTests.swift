import CTraining
import Foundation
import Support
import Testing

@testable import Embedding

/// The training step's C kernels against plain double-precision arithmetic.
@Suite struct TrainingKernelTests {
    @Test func exponentialIsWithinThreeTenMillionthsOfExp() {
        var worst = 0.0
        var x: Float = -87
        while x < 88 {
            let exact = Foundation.exp(Double(x))
            worst = max(worst, abs(Double(training_exp(x)) - exact) / exact)
            x += 0.0013
        }
        #expect(worst < 3e-7, "worst relative error \(worst)")
        #expect(training_exp(0) == 1)
        #expect(training_exp(-100) == 0)
        #expect(training_exp(100) == .infinity)
    }

    @Test func softmaxGradientLossAndAccuracyMatchDoublePrecision() {
        var random = SplitMix64(seed: 7)
        let (batch, classes) = (37, 200)
        var logits = (0..<(batch * classes)).map { _ in Float(random.uniform(-30, 30)) }
        let labels = (0..<batch).map { _ in Int32(random.below(classes)) }
        // The expected values, in doubles.
        var expectedLoss = 0.0
        var expectedCorrect = 0
        var expectedGradient = [Double](repeating: 0, count: logits.count)
        for r in 0..<batch {
            let row = logits[(r * classes)..<((r + 1) * classes)].map(Double.init)
            let maximum = row.max()!
            let sum = row.map { Foundation.exp($0 - maximum) }.reduce(0, +)
            if row.firstIndex(of: maximum) == Int(labels[r]) { expectedCorrect += 1 }
            expectedLoss -= Foundation.log(Foundation.exp(row[Int(labels[r])] - maximum) / sum)
            for c in 0..<classes {
                let p = Foundation.exp(row[c] - maximum) / sum
                expectedGradient[r * classes + c] = (p - (c == Int(labels[r]) ? 1 : 0)) / Double(batch)
            }
        }
        var correct = 0
        let loss = logits.withUnsafeMutableBufferPointer { l in
            labels.withUnsafeBufferPointer { training_softmax_rows(l.baseAddress, $0.baseAddress, batch, classes, &correct) }
        }
        #expect(correct == expectedCorrect)
        #expect(abs(Double(loss) - expectedLoss) <= 1e-5 * abs(expectedLoss))
        let worst = zip(logits, expectedGradient).map { abs(Double($0) - $1) }.max()!
        #expect(worst < 1e-7, "largest gradient difference \(worst)")
    }

    @Test func adamStepMatchesItsFormula() {
        var random = SplitMix64(seed: 3)
        let count = 1001
        var parameters = (0..<count).map { _ in Float(random.uniform(-1, 1)) }
        var m = [Float](repeating: 0, count: count)
        var v = [Float](repeating: 0, count: count)
        var expected = parameters.map(Double.init)
        var (em, ev) = ([Double](repeating: 0, count: count), [Double](repeating: 0, count: count))
        let (b1, b2, rate, eps, decay): (Float, Float, Float, Float, Float) = (0.9, 0.999, 2e-3, 1e-8, 1e-4)
        for step in 1...5 {
            let gradients = (0..<count).map { _ in Float(random.uniform(-0.5, 0.5)) }
            let (c1, c2) = (1 - b1.pow(Float(step)), 1 - b2.pow(Float(step)))
            training_adam(&parameters, gradients, &m, &v, count, b1, b2, rate, eps, c1, c2, decay)
            for i in 0..<count {
                let g = Double(gradients[i])
                em[i] = Double(b1) * em[i] + (1 - Double(b1)) * g
                ev[i] = Double(b2) * ev[i] + (1 - Double(b2)) * g * g
                let update = (em[i] / Double(c1)) / ((ev[i] / Double(c2)).squareRoot() + Double(eps)) + Double(decay) * expected[i]
                expected[i] -= Double(rate) * update
            }
        }
        let worst = zip(parameters, expected).map { abs(Double($0) - $1) }.max()!
        #expect(worst < 1e-5, "largest parameter difference \(worst)")
    }
}
