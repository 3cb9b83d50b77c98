import Foundation
import Support

/// The files the program ships with (the curation directory `Vocab`, the Open Images class
/// list under `Data/openimages`, the Open English WordNet under `Data/oewn`), found from whatever folder the program runs in. An option
/// naming a file always wins; otherwise the first of these that exists:
/// 1. the path relative to the current folder (a checkout, or a project keeping its own copy);
/// 2. under `$POINTILLIST_HOME`;
/// 3. under `<prefix>/share/pointillist`, for the program installed as `<prefix>/bin/pointillist`
///    (`script/install`);
/// 4. under the checkout the program was built in (`<checkout>/.build/<configuration>/pointillist`).
public enum ShippedFiles {
    public static func locate(_ relative: String) -> String? {
        places(for: relative).first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Every place `relative` is looked for, in order.
    public static func places(for relative: String) -> [String] {
        var roots: [String] = []
        if let home = ProcessInfo.processInfo.environment["POINTILLIST_HOME"], !home.isEmpty { roots.append(home) }
        if let executable = executableDirectory {
            roots.append(executable.deletingLastPathComponent().appendingPathComponent("share/pointillist").path)
            // .build/<configuration>/ or .build/<triple>/<configuration>/ inside the checkout.
            var folder = executable
            for _ in 0..<4 {
                folder = folder.deletingLastPathComponent()
                if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                    roots.append(folder.path)
                    break
                }
            }
        }
        // The current folder's copy keeps its relative name (it appears in messages and in
        // the dictionary's rules column as "Vocab/aliases.tsv:12").
        return [relative] + roots.map { $0 + "/" + relative }
    }

    /// `what` was not found: where it was looked for, and how to say where it is.
    public static func notFound(_ relative: String, what: String, option: String) -> String {
        "\(what) not found; looked for \(places(for: relative).joined(separator: ", ")). Pass \(option), set POINTILLIST_HOME, or install with script/install"
    }

    /// The curation directory the program ships with.
    public static func curation() throws -> String {
        guard let vocab = locate("Vocab") else {
            throw PointillistError(notFound("Vocab", what: "the curation directory", option: "--vocab <dir>"))
        }
        return vocab
    }

    /// The Open English WordNet 2025 the program ships with (`Data/oewn/`, with its licences).
    public static func openEnglishWordNet() throws -> String {
        let relative = "Data/oewn/english-wordnet-2025.xml.gz"
        guard let path = locate(relative) else {
            throw PointillistError(
                notFound(relative, what: "the Open English WordNet", option: "--lmf <file> or --lexicon wordnet-3.0"))
        }
        return path
    }

    /// Open Images' class list, when the program ships with it.
    public static var openImagesClasses: String? { locate("Data/openimages/oidv6-class-descriptions.csv") }

    /// Open Images' box hierarchy, when the program ships with it.
    public static var openImagesHierarchy: String? { locate("Data/openimages/bbox_labels_600_hierarchy.json") }

    /// The folder holding the running executable, symbolic links resolved.
    private static var executableDirectory: URL? {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            return Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent()
        }
        return URL(fileURLWithPath: path).deletingLastPathComponent()
    }
}
