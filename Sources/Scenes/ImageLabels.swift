import Support

/// Image-level labels of generated scenes in Open Images' layout (`ImageID,Source,LabelName,
/// Confidence`; `Confidence` 1 verified present, 0 verified absent), as a verification
/// campaign leaves them: incomplete, and with a few verified-absent classes that could have
/// been there.
///
/// - Each class visible in a scene is verified present with probability `presentShare`
///   (0.85), decided by a hash of the seed, the image and the class, so a scene's labels do
///   not depend on how many scenes are generated.
/// - Up to `absentPerImage` (2) classes of the catalogue that are not in the scene and belong
///   to its setting (indoor or outdoor, or any) are verified absent.
/// - `LabelName` is the class's Open Images MID; classes without one (no Open Images class
///   of that name) get no label and are listed by `unlabelled`.
public struct SceneImageLabels: Sendable {
    public var presentShare = 0.85
    public var absentPerImage = 2
    /// Class name → Open Images MID.
    public let mids: [String: String]
    public let seed: UInt64

    public static let header = "ImageID,Source,LabelName,Confidence"
    /// The `Source` written: what the labels stand for (human verification, simulated).
    public static let source = "simulated-verification"

    public init(mids: [String: String], seed: UInt64) {
        self.mids = mids
        self.seed = seed
    }

    /// The catalogue's classes without a MID.
    public func unlabelled(_ classes: [SceneClass]) -> [String] { classes.map(\.name).filter { mids[$0] == nil } }

    /// The label rows of one scene, present classes first, each group by class value.
    public func rows(_ scene: GeneratedScene, classes: [SceneClass]) -> (present: [String], absent: [String]) {
        let visible = Set(scene.objects.filter { $0.pixelCount > 0 }.map(\.classValue))
        var present: [String] = []
        for value in visible.sorted() where draw(scene.imageID, value, salt: 1) < presentShare {
            if let mid = mids[classes[value - 1].name] { present.append(row(scene.imageID, mid, 1)) }
        }
        let fitting = classes.indices.map { $0 + 1 }.filter { value in
            !visible.contains(value) && mids[classes[value - 1].name] != nil
                && (classes[value - 1].setting == .any || scene.setting == .any || classes[value - 1].setting == scene.setting)
        }
        let absent = fitting.sorted { draw(scene.imageID, $0, salt: 2) < draw(scene.imageID, $1, salt: 2) }.prefix(absentPerImage)
        let absentRows = absent.sorted().compactMap { value in mids[classes[value - 1].name].map { row(scene.imageID, $0, 0) } }
        return (present, absentRows)
    }

    func row(_ image: String, _ mid: String, _ confidence: Int) -> String {
        CSV.line([image, Self.source, mid, String(confidence)], ending: "\n")
    }

    /// A uniform number in [0, 1) from the seed, the image and the class.
    func draw(_ image: String, _ value: Int, salt: UInt64) -> Double {
        let z = StableHash.mix(StableHash.fnv1a(image, basis: StableHash.mix(seed &+ salt)) &+ UInt64(value) &* StableHash.golden)
        return Double(z >> 11) / Double(1 << 53)
    }
}
