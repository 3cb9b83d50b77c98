import COpenBLAS
import CTraining
import Foundation
import Glibc
import Support

/// A multilayer perceptron: ReLU hidden layers and a linear output layer trained with
/// softmax cross-entropy. The last hidden layer's activations are the pixel embedding.
///
/// Batches are row-major matrices (one example per row); weights are stored inputs × outputs,
/// so every product is one `cblas_sgemm` call.
public struct MLP: Sendable, Equatable {
    public struct Layer: Sendable, Equatable {
        public var inputs: Int
        public var outputs: Int
        /// inputs × outputs, row-major.
        public var weights: [Float]
        public var bias: [Float]

        public init(inputs: Int, outputs: Int, weights: [Float], bias: [Float]) {
            precondition(weights.count == inputs * outputs && bias.count == outputs)
            self.inputs = inputs
            self.outputs = outputs
            self.weights = weights
            self.bias = bias
        }
    }

    public var layers: [Layer]

    public init(layers: [Layer]) {
        self.layers = layers
    }

    /// Layer sizes input, hidden…, classes; He-uniform weights from `seed`, zero biases.
    public init(sizes: [Int], seed: UInt64) {
        precondition(sizes.count >= 3, "at least one hidden layer")
        var rng = SplitMix64(seed: seed)
        layers = zip(sizes, sizes.dropFirst()).map { inputs, outputs in
            let limit = Float((6.0 / Double(inputs)).squareRoot())
            let weights = (0..<(inputs * outputs)).map { _ in (rng.unitFloat() * 2 - 1) * limit }
            return Layer(inputs: inputs, outputs: outputs, weights: weights, bias: [Float](repeating: 0, count: outputs))
        }
    }

    public var inputDimension: Int { layers[0].inputs }
    public var embeddingDimension: Int { layers[layers.count - 1].inputs }
    public var classCount: Int { layers[layers.count - 1].outputs }
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.weights.count + $1.bias.count } }

    /// Activations of every layer for a batch: [input, hidden 1, …, logits].
    func forward(_ x: [Float], batch: Int) -> [[Float]] {
        var activations = [x]
        for (index, layer) in layers.enumerated() {
            var z = [Float](unsafeUninitializedCapacity: batch * layer.outputs) { buffer, initialised in
                // Bias first, then Z += X · W.
                layer.bias.withUnsafeBufferPointer { bias in
                    for r in 0..<batch {
                        (buffer.baseAddress! + r * layer.outputs).initialize(from: bias.baseAddress!, count: layer.outputs)
                    }
                }
                initialised = batch * layer.outputs
            }
            activations[activations.count - 1].withUnsafeBufferPointer { input in
                layer.weights.withUnsafeBufferPointer { w in
                    z.withUnsafeMutableBufferPointer { out in
                        cblas_sgemm(
                            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(batch), Int32(layer.outputs), Int32(layer.inputs), 1,
                            input.baseAddress, Int32(layer.inputs), w.baseAddress, Int32(layer.outputs), 1, out.baseAddress,
                            Int32(layer.outputs))
                        if index < layers.count - 1 {
                            for i in 0..<out.count { out[i] = max(out[i], 0) }  // branch-free: vectorises
                        }
                    }
                }
            }
            activations.append(z)
        }
        return activations
    }

    /// Class scores (before softmax) for a batch of `batch` rows.
    public func logits(_ x: [Float], batch: Int) -> [Float] { forward(x, batch: batch)[layers.count] }

    /// The embedding (last hidden layer) for a batch of `batch` rows.
    public func embed(_ x: [Float], batch: Int) -> [Float] {
        var activations = [x]
        var truncated = self
        truncated.layers.removeLast()
        activations = truncated.forward(x, batch: batch)
        // `forward` leaves the last layer linear; in the full network it is a hidden layer.
        var e = activations[truncated.layers.count]
        e.withUnsafeMutableBufferPointer { e in
            for i in 0..<e.count where e[i] < 0 { e[i] = 0 }
        }
        return e
    }

    /// Mean softmax cross-entropy over the batch, the number of rows whose top class is the
    /// label, and the gradient of the loss for every layer.
    ///
    /// Long on purpose: the training's hot path, the softmax, its gradient and the backward
    /// pass through every layer over one batch's buffers, in place, without per-step arrays.
    public func lossAndGradients(_ x: [Float], labels: [Int32], batch: Int) -> (loss: Float, correct: Int, gradients: [Layer]) {
        let activations = forward(x, batch: batch)
        let k = classCount
        var delta = activations[layers.count]
        var loss: Float = 0
        var correct = 0
        // Softmax, loss and its gradient, row by row (CTraining: vectorised exponential).
        delta.withUnsafeMutableBufferPointer { d in
            labels.withUnsafeBufferPointer { l in
                var right = 0
                loss = training_softmax_rows(d.baseAddress, l.baseAddress, batch, k, &right)
                correct = right
            }
        }
        var gradients = layers
        for index in stride(from: layers.count - 1, through: 0, by: -1) {
            let layer = layers[index]
            let input = activations[index]
            var dw = [Float](repeating: 0, count: layer.inputs * layer.outputs)
            input.withUnsafeBufferPointer { a in
                delta.withUnsafeBufferPointer { d in
                    dw.withUnsafeMutableBufferPointer { out in
                        cblas_sgemm(
                            CblasRowMajor, CblasTrans, CblasNoTrans, Int32(layer.inputs), Int32(layer.outputs), Int32(batch), 1,
                            a.baseAddress, Int32(layer.inputs), d.baseAddress, Int32(layer.outputs), 0, out.baseAddress,
                            Int32(layer.outputs))
                    }
                }
            }
            // Bias gradient: column sums of delta, as one matrix-vector product.
            var db = [Float](repeating: 0, count: layer.outputs)
            let ones = [Float](repeating: 1, count: batch)
            delta.withUnsafeBufferPointer { d in
                db.withUnsafeMutableBufferPointer { out in
                    cblas_sgemv(
                        CblasRowMajor, CblasTrans, Int32(batch), Int32(layer.outputs), 1, d.baseAddress, Int32(layer.outputs),
                        ones, 1, 0, out.baseAddress, 1)
                }
            }
            gradients[index].weights = dw
            gradients[index].bias = db
            if index > 0 {
                var previous = [Float](repeating: 0, count: batch * layer.inputs)
                delta.withUnsafeBufferPointer { d in
                    layer.weights.withUnsafeBufferPointer { w in
                        previous.withUnsafeMutableBufferPointer { out in
                            cblas_sgemm(
                                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(batch), Int32(layer.inputs), Int32(layer.outputs), 1,
                                d.baseAddress, Int32(layer.outputs), w.baseAddress, Int32(layer.outputs), 0, out.baseAddress,
                                Int32(layer.inputs))
                        }
                    }
                }
                // Through the ReLU of the layer below.
                previous.withUnsafeMutableBufferPointer { p in
                    input.withUnsafeBufferPointer { a in
                        // Four lanes at a time: the two buffers may alias as far as the
                        // compiler knows, so the scalar loop would not vectorise.
                        let base = UnsafeMutableRawPointer(p.baseAddress!)
                        let gate = UnsafeRawPointer(a.baseAddress!)
                        var i = 0
                        while i + 4 <= p.count {
                            let g = gate.loadUnaligned(fromByteOffset: 4 * i, as: SIMD4<Float>.self)
                            var v = base.loadUnaligned(fromByteOffset: 4 * i, as: SIMD4<Float>.self)
                            v.replace(with: 0, where: g .<= 0)
                            base.storeBytes(of: v, toByteOffset: 4 * i, as: SIMD4<Float>.self)
                            i += 4
                        }
                        while i < p.count {
                            if a[i] <= 0 { p[i] = 0 }
                            i += 1
                        }
                    }
                }
                delta = previous
            }
        }
        return (loss / Float(batch), correct, gradients)
    }
}

/// Adam updates for an `MLP`, with decoupled weight decay on the weights (not the biases).
public struct Adam: Sendable {
    public var learningRate: Float
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    public var weightDecay: Float
    var m: [MLP.Layer]
    var v: [MLP.Layer]
    var step = 0

    public init(for model: MLP, learningRate: Float = 1e-3, weightDecay: Float = 1e-4) {
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        let zero = model.layers.map {
            MLP.Layer(
                inputs: $0.inputs, outputs: $0.outputs, weights: [Float](repeating: 0, count: $0.weights.count),
                bias: [Float](repeating: 0, count: $0.bias.count))
        }
        m = zero
        v = zero
    }

    public mutating func update(_ model: inout MLP, gradients: [MLP.Layer]) {
        step += 1
        let c1 = 1 - beta1.pow(Float(step))
        let c2 = 1 - beta2.pow(Float(step))
        for l in model.layers.indices {
            func apply(_ p: inout [Float], _ g: [Float], _ m: inout [Float], _ v: inout [Float], decay: Float) {
                p.withUnsafeMutableBufferPointer { p in
                    m.withUnsafeMutableBufferPointer { m in
                        v.withUnsafeMutableBufferPointer { v in
                            g.withUnsafeBufferPointer { g in
                                training_adam(
                                    p.baseAddress, g.baseAddress, m.baseAddress, v.baseAddress, p.count, beta1, beta2, learningRate,
                                    epsilon, c1, c2, decay)
                            }
                        }
                    }
                }
            }
            apply(&model.layers[l].weights, gradients[l].weights, &m[l].weights, &v[l].weights, decay: weightDecay)
            apply(&model.layers[l].bias, gradients[l].bias, &m[l].bias, &v[l].bias, decay: 0)
        }
    }
}

extension Float {
    var exp: Float { expf(self) }
    var log: Float { logf(self) }
    func pow(_ e: Float) -> Float { Float(Double(self).pow(Double(e))) }
}

/// Process-wide OpenBLAS settings.
public enum LinearAlgebra {
    /// Every BLAS call runs on its calling thread, and the worker threads OpenBLAS starts when
    /// it loads are stopped: they busy-wait for a while first (measured: 23,000 sched_yield
    /// calls during a 0.4 s ingest that never calls BLAS, on a 2-core machine). Our matrices
    /// are small and the callers parallelise by image instead.
    public static func runOnCallingThreads() {
        pointillist_blas_single_threaded()
    }

    /// The kernel family OpenBLAS chose when it loaded ("Haswell", "Prescott", …).
    public static var kernelFamily: String { String(cString: openblas_get_corename()) }

    /// Kernel families that use AVX2 and FMA (or more).
    static let modernFamilies: Set<String> = ["haswell", "zen", "skylakex", "cooperlake", "sapphirerapids"]

    /// The AVX-512 subsets SkylakeX's kernels use.
    static let skylakeXFlags: Set<String> = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]

    /// The kernel family to ask OpenBLAS for instead of `chosen` on a processor with
    /// `cpuFlags` (/proc/cpuinfo's), when OpenBLAS did not recognise the processor and fell
    /// back to older kernels (a distribution's OpenBLAS predates it; measured: training at
    /// 0.45× numpy's speed with Prescott kernels): "SkylakeX" when the processor has the
    /// AVX-512 subsets those kernels use (measured on such a processor: training 1.21× and
    /// embedding 1.25× faster than with Haswell's), else "Haswell" when it has AVX2 and FMA;
    /// nil when OpenBLAS's choice is fine.
    public static func betterKernelFamily(chosen: String, cpuFlags: Set<String>) -> String? {
        guard cpuFlags.contains("avx2"), cpuFlags.contains("fma"), !modernFamilies.contains(chosen.lowercased()) else {
            return nil
        }
        return skylakeXFlags.isSubset(of: cpuFlags) ? "SkylakeX" : "Haswell"
    }

    /// OpenBLAS picks its kernels when it loads, from the processors it knows; a processor
    /// newer than the library gets its oldest ones. Then this starts the program again with
    /// OPENBLAS_CORETYPE naming kernels that match (`betterKernelFamily`); it returns when
    /// the kernels are fine, when the user set OPENBLAS_CORETYPE, or when the restart fails.
    /// Call it first thing in `main`.
    public static func restartWithMatchingKernels() {
        guard getenv("OPENBLAS_CORETYPE") == nil, let family = betterKernelFamily(chosen: kernelFamily, cpuFlags: cpuFlags())
        else { return }
        setenv("OPENBLAS_CORETYPE", family, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
    }

    /// The flags of this machine's first processor in /proc/cpuinfo (empty elsewhere).
    public static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
            let colon = line.firstIndex(of: ":")
        else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }
}
