import Foundation
import Support

/// A trained pixel-embedding model: how features are computed and standardised, the classes
/// it was trained on, the network, and how it was trained.
public struct EmbeddingModel: Sendable, Equatable {
    public struct ClassLabel: Sendable, Equatable, Codable {
        /// The dictionary's stable class id and its name.
        public var id: Int
        public var name: String
        public init(id: Int, name: String) {
            self.id = id
            self.name = name
        }
    }

    public struct TrainingRecord: Sendable, Equatable, Codable {
        public var seed: UInt64
        public var epochs: Int
        public var bestEpoch: Int
        public var trainingPoints: Int
        public var validationPoints: Int
        public var trainingImages: Int
        public var validationImages: Int
        public var validationAccuracy: Double
        public var validationLoss: Double
        /// Share of images held out (`Trainer.isValidation` with `seed` picks them).
        public var validationFraction: Double
        /// Points sampled per mention and per class, to rebuild the same data for evaluation.
        public var pointsPerMention: Int
        public var pointsPerClass: Int
        /// Label cleaning, when it ran: the points above are those the final network saw.
        public var cleaning: Cleaning?
        public init(
            seed: UInt64, epochs: Int, bestEpoch: Int, trainingPoints: Int, validationPoints: Int, trainingImages: Int,
            validationImages: Int, validationAccuracy: Double, validationLoss: Double, validationFraction: Double = 0.15,
            pointsPerMention: Int = 0, pointsPerClass: Int = 0
        ) {
            self.validationFraction = validationFraction
            self.pointsPerMention = pointsPerMention
            self.pointsPerClass = pointsPerClass
            self.seed = seed
            self.epochs = epochs
            self.bestEpoch = bestEpoch
            self.trainingPoints = trainingPoints
            self.validationPoints = validationPoints
            self.trainingImages = trainingImages
            self.validationImages = validationImages
            self.validationAccuracy = validationAccuracy
            self.validationLoss = validationLoss
        }
    }

    /// How trace points with implausible labels were set aside (`TrainingOptions.cleaningRounds`).
    public struct Cleaning: Sendable, Equatable, Codable {
        public var rounds: Int
        public var threshold: Double
        /// Points set aside in each round, out of all the points (training and validation).
        public var setAside: [Int]
        public init(rounds: Int, threshold: Double, setAside: [Int]) {
            self.rounds = rounds
            self.threshold = threshold
            self.setAside = setAside
        }
        /// "2 rounds, threshold 0.35: set aside 9255, 9380 points".
        public var summary: String {
            "\(rounds) rounds, threshold \(threshold): set aside \(setAside.map(String.init).joined(separator: ", ")) points"
        }
    }

    public var features: FeatureConfiguration
    public var classes: [ClassLabel]
    /// Per feature: subtracted, then divided by (standardisation from the training points).
    public var mean: [Float]
    public var scale: [Float]
    public var network: MLP
    public var training: TrainingRecord
    /// Typical embedded points of each class from the training images (empty in a model file of version 1).
    public var bank: ExemplarBank
    /// The format version of the file it was read from; nil for a model not read from a file.
    /// Not part of equality.
    public var fileVersion: Int?

    public static func == (a: EmbeddingModel, b: EmbeddingModel) -> Bool {
        a.features == b.features && a.classes == b.classes && a.mean == b.mean && a.scale == b.scale && a.network == b.network
            && a.training == b.training && a.bank == b.bank
    }

    public init(
        features: FeatureConfiguration, classes: [ClassLabel], mean: [Float], scale: [Float], network: MLP,
        training: TrainingRecord, bank: ExemplarBank = ExemplarBank()
    ) {
        self.features = features
        self.classes = classes
        self.mean = mean
        self.scale = scale
        self.network = network
        self.training = training
        self.bank = bank
    }

    /// Standardises raw feature rows in place.
    public func standardise(_ rows: inout [Float]) {
        let d = mean.count
        guard d > 0 else { return }
        let inverse = scale.map { 1 / $0 }
        rows.withUnsafeMutableBufferPointer { r in
            mean.withUnsafeBufferPointer { m in
                inverse.withUnsafeBufferPointer { s in
                    for start in stride(from: 0, to: r.count, by: d) {
                        for j in 0..<d { r[start + j] = (r[start + j] - m[j]) * s[j] }
                    }
                }
            }
        }
    }

    /// The classifier's log-probabilities of the classes at `candidates` (indices into
    /// `classes`), in that order, from one row of logits, the softmax taken over those classes
    /// only: how the pipeline asks it, among the classes mentioned for an image.
    public static func logSoftmax(_ logits: ArraySlice<Float>, over candidates: [Int]) -> [Double] {
        let base = logits.startIndex
        let values = candidates.map { Double(logits[base + $0]) }
        guard let top = values.max() else { return [] }
        let logTotal = log(values.reduce(0) { $0 + exp($1 - top) })
        return values.map { $0 - top - logTotal }
    }

    /// One forward pass over raw feature rows: their L2-normalised embeddings and the
    /// classifier's logits (`classes.count` per row).
    public func embedAndClassify(raw rows: [Float], count: Int) -> (embeddings: [Float], logits: [Float]) {
        var x = rows
        standardise(&x)
        let activations = network.forward(x, batch: count)
        var e = activations[network.layers.count - 1]
        normalise(&e, dimension: network.embeddingDimension)
        return (e, activations[network.layers.count])
    }

    /// L2-normalised embeddings of raw feature rows.
    public func embed(raw rows: [Float], count: Int) -> [Float] {
        var x = rows
        standardise(&x)
        var e = network.embed(x, batch: count)
        normalise(&e, dimension: network.embeddingDimension)
        return e
    }
}

/// Scales each row of a row-major matrix to unit length (rows of zeros stay zero).
public func normalise(_ rows: inout [Float], dimension: Int) {
    guard dimension > 0 else { return }
    rows.withUnsafeMutableBufferPointer { rows in
        for start in stride(from: 0, to: rows.count, by: dimension) {
            var sum: Float = 0
            for i in start..<(start + dimension) { sum += rows[i] * rows[i] }
            guard sum > 0 else { continue }
            let inverse = 1 / sum.squareRoot()
            for i in start..<(start + dimension) { rows[i] *= inverse }
        }
    }
}

/// The model file, version 2 (little-endian):
///
///     8 bytes   "PTLEMBED"
///     u32       format version (2; version 1, without the bank, is still read)
///     u32       header length H
///     H bytes   header, JSON: {"features", "classes", "layers": [[inputs, outputs]…], "training",
///               "bank": [rows per class]}
///     f32 × …   mean and scale (one per feature), then per layer its weights (inputs × outputs,
///               row-major) and biases, then the exemplar bank's rows (embedding size each)
///     u64       FNV-1a hash of every byte before it
///
/// A file of another version, a truncated file or one whose hash does not match is refused
/// with a message saying which.
public enum ModelFile {
    public static let magic = Array("PTLEMBED".utf8)
    public static let version: UInt32 = 2

    struct Header: Codable {
        var features: FeatureConfiguration
        var classes: [EmbeddingModel.ClassLabel]
        var layers: [[Int]]
        var training: EmbeddingModel.TrainingRecord
        /// Bank rows per class (absent in version 1).
        var bank: [Int]?
    }

    /// The file's bytes. `embed train` writes them with `FileSystem.writeAtomically`, so a
    /// model in place is only ever replaced whole (this module does not write files).
    public static func encode(_ model: EmbeddingModel) throws -> [UInt8] {
        let header = Header(
            features: model.features, classes: model.classes, layers: model.network.layers.map { [$0.inputs, $0.outputs] },
            training: model.training, bank: model.bank.isEmpty ? nil : model.bank.counts)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = Array(try encoder.encode(header))
        var bytes = magic
        append(&bytes, version)
        append(&bytes, UInt32(json.count))
        bytes += json
        for v in model.mean + model.scale { append(&bytes, v.bitPattern) }
        for layer in model.network.layers {
            for v in layer.weights + layer.bias { append(&bytes, v.bitPattern) }
        }
        for v in model.bank.rows { append(&bytes, v.bitPattern) }
        append(&bytes, StableHash.fnv1a(bytes))
        return bytes
    }

    public static func read(_ path: String) throws(PointillistError) -> EmbeddingModel {
        try decode(try FileSystem.readBytes(path), path: path)
    }

    public static func decode(_ bytes: [UInt8], path: String) throws(PointillistError) -> EmbeddingModel {
        func fail(_ reason: String) -> PointillistError { PointillistError(file: path, reason: reason) }
        guard bytes.count >= 16, Array(bytes[0..<8]) == magic else { throw fail("not a Pointillist embedding model (bad magic)") }
        let fileVersion = u32(bytes, 8)
        guard fileVersion == version || fileVersion == 1 else {
            throw fail("model file format version \(fileVersion); this program reads versions 1 and \(version)")
        }
        let headerLength = Int(u32(bytes, 12))
        guard bytes.count >= 16 + headerLength else { throw fail("truncated (header)") }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: Data(bytes[16..<(16 + headerLength)])) } catch {
            throw fail("unreadable header: \(error)")
        }
        let d = header.features.dimension
        // Every size bounded by the file's length before any product (a damaged header must not trap).
        let limit = bytes.count
        guard let first = header.layers.first, first.count == 2, first[0] == d, header.layers.count >= 2,
            header.layers.allSatisfy({ $0.count == 2 && $0[0] > 0 && $0[1] > 0 && $0[0] <= limit && $0[1] <= limit }),
            zip(header.layers, header.layers.dropFirst()).allSatisfy({ $0[1] == $1[0] }),
            header.layers.last?[1] == header.classes.count
        else { throw fail("inconsistent layer sizes in the header") }
        let bankCounts = header.bank ?? []
        guard bankCounts.isEmpty || (bankCounts.count == header.classes.count && bankCounts.allSatisfy { $0 >= 0 && $0 <= limit }) else {
            throw fail("the bank's row counts do not match the classes")
        }
        let embedding = header.layers[header.layers.count - 2][1]
        let bankFloats = bankCounts.reduce(0, +) * embedding
        let floats = 2 * d + header.layers.reduce(0) { $0 + $1[0] * $1[1] + $1[1] } + bankFloats
        guard floats <= limit else { throw fail("truncated: the header describes \(floats) floats in \(limit) bytes") }
        let expected = 16 + headerLength + 4 * floats + 8
        guard bytes.count >= expected else { throw fail("truncated: \(bytes.count) bytes, expected \(expected)") }
        guard bytes.count == expected else { throw fail("\(bytes.count - expected) unexpected bytes after the model") }
        guard StableHash.fnv1a(bytes[0..<(expected - 8)]) == u64(bytes, expected - 8) else {
            throw fail("corrupt: checksum mismatch")
        }
        var offset = 16 + headerLength
        func take(_ n: Int) -> [Float] {
            defer { offset += 4 * n }
            return (0..<n).map { Float(bitPattern: u32(bytes, offset + 4 * $0)) }
        }
        let mean = take(d)
        let scale = take(d)
        let layers = header.layers.map { size in
            let w = take(size[0] * size[1])
            let b = take(size[1])
            return MLP.Layer(inputs: size[0], outputs: size[1], weights: w, bias: b)
        }
        let bank = ExemplarBank(counts: bankCounts, rows: take(bankFloats))
        var model = EmbeddingModel(
            features: header.features, classes: header.classes, mean: mean, scale: scale, network: MLP(layers: layers),
            training: header.training, bank: bankCounts.reduce(0, +) > 0 ? bank : ExemplarBank())
        model.fileVersion = Int(fileVersion)
        return model
    }

    static func append(_ bytes: inout [UInt8], _ v: UInt32) {
        for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) }
    }
    static func append(_ bytes: inout [UInt8], _ v: UInt64) {
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) }
    }
    static func u32(_ b: [UInt8], _ o: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(b[o + $1]) << (8 * $1) }
    }
    static func u64(_ b: [UInt8], _ o: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(b[o + $1]) << (8 * $1) }
    }
}
