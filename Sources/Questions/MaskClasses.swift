import Foundation
import Imaging
import Support

/// The `classes.tsv` of generated scenes, which names the values of the ground-truth masks
/// (`value<TAB>name` per line, `#` comments, value 0 `void`), and its mapping to dictionary
/// classes by name.
public enum MaskClasses {
    /// Mask value → class name, from the file's text; void and malformed lines are skipped.
    public static func parse(_ text: String, path: String) throws(PointillistError) -> [Int: String] {
        var names: [Int: String] = [:]
        for line in text.fileLines() where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            if f.count >= 2, let index = Int(f[0]), !f[1].isEmpty, f[1] != "void" { names[index] = String(f[1]) }
        }
        guard !names.isEmpty else {
            throw PointillistError(file: path, line: 1, field: nil, reason: "no class names (expected value<TAB>name lines)")
        }
        return names
    }

    /// Mask value → dictionary class id (matched by name; the first class of a name wins), and
    /// the mask class names the dictionary does not have.
    public static func mapping(_ names: [Int: String], to classes: [(id: Int, name: String)]) -> (classOf: [Int: Int], unmapped: [String]) {
        let idOfName = Dictionary(classes.map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
        return (names.compactMapValues { idOfName[$0] }, Set(names.values).subtracting(idOfName.keys).sorted())
    }
}

/// Ground-truth class masks of generated scenes (`pointillist scenes` layout): one grey PNG per
/// image, `{id}.png` under `folder`, and the table naming their values (`classes.tsv` beside
/// the folder unless another is given). Used by the quality report, the simulated annotators
/// and the embedding's evaluation.
public struct GroundTruthMasks: Sendable {
    public var folder: String
    public var classTable: String

    public init(folder: String, classTable: String? = nil) {
        self.folder = folder
        self.classTable = classTable ?? URL(fileURLWithPath: folder).deletingLastPathComponent().appendingPathComponent("classes.tsv").path
    }

    /// Mask value → class name, from the class table.
    public func names() throws -> [Int: String] {
        let bytes: [UInt8]
        do { bytes = try FileSystem.readBytes(classTable) } catch {
            throw PointillistError(file: classTable, reason: "the mask class table (beside the masks folder): \(error.reason)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw PointillistError(file: classTable, reason: "not valid UTF-8") }
        return try MaskClasses.parse(text, path: classTable)
    }

    /// Mask value → dictionary class id (by name), and the mask classes the dictionary lacks.
    public func mapping(to classes: [(id: Int, name: String)]) throws -> (classOf: [Int: Int], unmapped: [String]) {
        MaskClasses.mapping(try names(), to: classes)
    }

    /// Reads the mask of an image as stored (one grey channel, `ImageFile.readEightBitClassMask`).
    public func loader() throws -> @Sendable (String) throws -> Image {
        let locator = try ImageLocator(root: folder, pattern: "{id}.png")
        return { id in
            guard let path = locator.locate(id) else { throw PointillistError(file: folder, reason: "no mask for image \(id)") }
            return try ImageFile.readEightBitClassMask(path)
        }
    }
}
