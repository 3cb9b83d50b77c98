import Foundation
import Imaging
import Questions
import Support

/// A folder of segmentations (one method's predictions, or the ground truth) in one of two
/// layouts, told apart by whether a class table is found:
/// - **class index** (what `pointillist scenes` writes): `{image id}.png`, 8- or 16-bit grey
///   (16 bits for more than 255 classes), each value a class of the class table, `classes.tsv` in the folder or else beside it
///   (`value<TAB>name` lines as `MaskClasses` reads them; value 0 and values the table does
///   not name are void);
/// - **per-class binary** (Open Images' segmentation masks):
///   `{image id}_{MID without slashes}_{anything}.png`, e.g. `…_m01g317_….png` for
///   /m/01g317, in the folder or its subfolders; a non-zero pixel is the class.
public struct MaskFolder: Sendable {
    public enum Layout: Sendable, Equatable {
        case classIndex(table: String)
        case perClassBinary
    }

    public let folder: String
    public let layout: Layout
    /// Images with a mask, sorted.
    public let imageIDs: [String]
    /// Class-index layout: the class of each pixel value, 0 to 65535 (−1 void).
    let classOfValue: [Int32]
    /// Per-class layout: each image's mask files and their classes.
    let binaryFiles: [String: [BinaryMask]]

    struct BinaryMask: Sendable {
        var classIndex: Int32
        var path: String
    }

    /// Reads the folder's listing and class table; the classes join `classes`.
    public init(folder: String, classes: inout ClassSpace) throws(PointillistError) {
        self.folder = folder
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw PointillistError(file: folder, reason: "no such folder of masks")
        }
        let url = URL(fileURLWithPath: folder)
        let table = [url.appendingPathComponent("classes.tsv"), url.deletingLastPathComponent().appendingPathComponent("classes.tsv")]
            .map(\.path).first { FileManager.default.fileExists(atPath: $0) }
        if let table {
            layout = .classIndex(table: table)
            let text: String
            do { text = try String(contentsOfFile: table, encoding: .utf8) } catch {
                throw PointillistError(file: table, reason: "cannot read the class table: \(error.localizedDescription)")
            }
            var values = [Int32](repeating: -1, count: 65536)
            // In value order, so the classes are numbered the same on every run.
            for (value, name) in try MaskClasses.parse(text, path: table).sorted(by: { $0.key < $1.key }) where (1...65535).contains(value) {
                values[value] = classes.maskClass(name)
            }
            classOfValue = values
            binaryFiles = [:]
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            imageIDs = names.filter { $0.hasSuffix(".png") && !$0.hasPrefix(".") }.map { String($0.dropLast(4)) }.sorted()
        } else {
            layout = .perClassBinary
            classOfValue = []
            var files: [String: [BinaryMask]] = [:]
            // Sorted, so the classes are numbered the same on every file system and run.
            let listed = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).sorted()
            for relative in listed {
                let name = (relative as NSString).lastPathComponent
                guard name.hasSuffix(".png"), let (image, mid) = Self.imageAndMID(ofFileName: name) else { continue }
                files[image, default: []].append(BinaryMask(classIndex: classes.maskClass(mid), path: url.appendingPathComponent(relative).path))
            }
            guard !files.isEmpty else {
                throw PointillistError(
                    file: folder,
                    reason:
                        "neither a class table (classes.tsv in the folder or beside it, for class-index masks) nor per-class masks named {image id}_{MID}_….png"
                )
            }
            binaryFiles = files.mapValues { $0.sorted { $0.path < $1.path } }
            imageIDs = files.keys.sorted()
        }
    }

    /// `0a1b…_m01g317_c4d5.png` → ("0a1b…", "/m/01g317"): the image id before the first
    /// underscore, the box id after the last, the MID between (MIDs may hold underscores:
    /// `…_m04_sv_….png` is /m/04_sv); with one underscore, all after it is the MID. Nil when
    /// the name is not of that shape.
    public static func imageAndMID(ofFileName name: String) -> (String, String)? {
        let parts = name.dropLast(4).split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count >= 2, !parts[0].isEmpty else { return nil }
        let mid: Substring = parts.count == 2 ? parts[1] : Substring(parts[1..<(parts.count - 1)].joined(separator: "_"))
        guard let kind = mid.first, kind == "m" || kind == "g", mid.count > 1 else { return nil }
        return (String(parts[0]), "/\(kind)/\(mid.dropFirst())")
    }

    /// The segmentation of an image; nil when the folder has no mask for it.
    public func labelMap(_ imageID: String) throws(PointillistError) -> LabelMap? {
        switch layout {
        case .classIndex:
            let path = folder + "/" + imageID + ".png"
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            let mask = try ImageFile.readClassValues(path)
            let labels = mask.mapped(through: classOfValue)
            return LabelMap(width: mask.width, height: labels.count / mask.width, labels: labels)
        case .perClassBinary:
            guard let files = binaryFiles[imageID] else { return nil }
            var masks: [(classIndex: Int32, mask: Image)] = []
            for file in files { masks.append((file.classIndex, try ImageFile.read(file.path, layout: .asStored))) }
            return LabelMap(binaryMasks: masks)
        }
    }
}
