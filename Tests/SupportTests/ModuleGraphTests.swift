import Foundation
import Testing

/// The module graph of `Package.swift` and the sources' imports: dependencies point down the
/// layers only, and each C shim is imported by one module, the one that declares it.
@Suite struct ModuleGraphTests {
    /// The layers of ARCHITECTURE.md's graph: a module may depend only on lower layers.
    static let layers: [String: Int] = [
        "Support": 0, "Text": 0, "Narratives": 1, "Imaging": 1, "Lexicon": 2, "Embedding": 2, "Scenes": 2,
        "Vocabulary": 3, "Questions": 3, "Store": 4, "Scoring": 4, "Pipeline": 5,
    ]

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Library targets and their dependencies, read from `.target(name: "X", dependencies: [...])`
    /// (on one line or several).
    static func libraryTargets() throws -> [String: [String]] {
        let manifest = try String(contentsOf: repository.appendingPathComponent("Package.swift"), encoding: .utf8)
        let pattern = try NSRegularExpression(pattern: #"\.target\(\s*name: "(\w+)"(?:,\s*dependencies: \[([^\]]*)\])?"#)
        var targets: [String: [String]] = [:]
        for match in pattern.matches(in: manifest, range: NSRange(manifest.startIndex..., in: manifest)) {
            let name = String(manifest[Range(match.range(at: 1), in: manifest)!])
            let list = Range(match.range(at: 2), in: manifest).map { String(manifest[$0]) } ?? ""
            targets[name] = list.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \"\n")) }
                .filter { !$0.isEmpty }
        }
        return targets
    }

    @Test func everyDependencyPointsDownTheLayers() throws {
        // C modules (the system-library shims and the feature tables' row kernels) lie below every layer.
        let targets = try Self.libraryTargets().filter { !$0.key.hasPrefix("C") }
        #expect(Set(targets.keys) == Set(Self.layers.keys), "library targets \(targets.keys.sorted())")
        // The reading itself: one target whose list is known.
        #expect(targets["Questions"] == ["Support", "Narratives", "Imaging", "Embedding"])
        for (module, dependencies) in targets {
            for dependency in dependencies where !dependency.hasPrefix("C") {
                let (from, to) = (Self.layers[module] ?? -1, Self.layers[dependency] ?? .max)
                #expect(to < from, "\(module) (layer \(from)) depends on \(dependency) (layer \(to))")
            }
        }
    }

    @Test func eachCShimIsImportedByTheOneModuleThatDeclaresIt() throws {
        let targets = try Self.libraryTargets()
        let sources = Self.repository.appendingPathComponent("Sources")
        var importers: [String: Set<String>] = [:]
        for module in try FileManager.default.contentsOfDirectory(atPath: sources.path) where !module.hasPrefix("C") {
            let folder = sources.appendingPathComponent(module)
            guard let files = FileManager.default.enumerator(atPath: folder.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") where line.hasPrefix("import C") {
                    importers[String(line.dropFirst("import ".count)), default: []].insert(module)
                }
            }
        }
        let shims = try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { $0.hasPrefix("C") }
        #expect(shims.count == 9)
        for shim in shims {
            let users = importers[shim] ?? []
            #expect(users.count == 1, "\(shim) is imported by \(users.sorted())")
            if let user = users.first { #expect(targets[user]?.contains(shim) == true, "\(user) imports \(shim) without declaring it") }
        }
    }

    /// Every project module a library's sources import is one it declares: a module reached
    /// only through another's dependencies would hide an edge from the graph.
    @Test func everyImportedModuleIsDeclared() throws {
        let targets = try Self.libraryTargets()
        let sources = Self.repository.appendingPathComponent("Sources")
        var undeclared: [String] = []
        for (module, dependencies) in targets where !module.hasPrefix("C") {
            let folder = sources.appendingPathComponent(module)
            guard let files = FileManager.default.enumerator(atPath: folder.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") where line.hasPrefix("import ") {
                    let imported = String(line.dropFirst("import ".count))
                    if targets[imported] != nil, !dependencies.contains(imported) { undeclared.append("\(module)/\(file) imports \(imported)") }
                }
            }
        }
        #expect(undeclared.isEmpty, "\(undeclared)")
    }

    /// ARCHITECTURE.md's module table gives each library the layer this test checks.
    @Test func architectureTableMatchesTheLayers() throws {
        let text = try String(contentsOf: Self.repository.appendingPathComponent("ARCHITECTURE.md"), encoding: .utf8)
        let row = try NSRegularExpression(pattern: #"^\| `(\w+)` \| (\d+) \|"#, options: .anchorsMatchLines)
        var documented: [String: Int] = [:]
        for match in row.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            let name = String(text[Range(match.range(at: 1), in: text)!])
            documented[name] = Int(text[Range(match.range(at: 2), in: text)!])
        }
        documented["pointillist"] = nil
        #expect(documented == Self.layers)
    }
}
