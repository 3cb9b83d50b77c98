import Foundation
import Lexicon
import Support
import Testing

@testable import Vocabulary

/// Open Images classes mapped to WordNet 3.0 senses through their names, qualifiers and the box
/// hierarchy, on the real class list and hierarchy the program ships (no mids.tsv: the mapping
/// alone).
@Suite struct OpenImagesMappingTests {
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Data/openimages")
        .standardizedFileURL.path
    static let extractor: MentionExtractor = {
        let real = Real.extractor
        var curation = real.curation
        curation.mids = [:]
        return MentionExtractor(lexicon: real.lexicon, curation: curation, wordList: real.wordList)
    }()
    static let mapping: OpenImagesMapping = {
        do {
            return OpenImagesMapping(
                classes: try OpenImagesClasses(path: data + "/oidv6-class-descriptions.csv"),
                hierarchy: try OpenImagesHierarchy(path: data + "/bbox_labels_600_hierarchy.json"), extractor: extractor)
        } catch { fatalError("Open Images data: \(error)") }
    }()

    func mapped(_ name: String) -> (senses: [String], status: MIDMapping.Status, evidence: String)? {
        guard let m = Self.mapping.mappings.first(where: { $0.name == name }) else { return nil }
        return (m.synsets.map { Self.extractor.lexicon.senseName(of: $0) }, m.status, m.evidence)
    }

    @Test func theHierarchyIsRead() throws {
        let h = try #require(Self.mapping.hierarchy)
        #expect(h.classCount >= 600)
        // Crab sits under Animal (through Shellfish) and under Seafood; Bird under Animal.
        let crab = h.ancestors(of: "/m/0n28_")
        #expect(crab.contains("/m/0jbk") && crab.contains("/m/06nwz"), "\(crab)")
        #expect(!crab.contains("/m/0bl9f"))  // the root is left out
        #expect(h.ancestors(of: "/m/0k65p").isEmpty)  // Human hand: a part of Human body, no kind of it
    }

    /// The place in the hierarchy picks the sense a caption alone would not.
    @Test func aClassAboveDecidesTheSense() throws {
        #expect(mapped("Chicken")?.senses == ["chicken.n.02"])  // under Bird: not the meat (sense 1)
        #expect(mapped("Chicken")?.evidence == "under Bird")
        #expect(mapped("Maple")?.senses == ["maple.n.02"])  // under Tree: not the wood
        #expect(mapped("Turtle")?.senses == ["turtle.n.02"])  // under Reptile: not the sweater
        #expect(mapped("Dolphin")?.senses == ["dolphin.n.02"])  // under Marine mammal: not the fish
        #expect(try #require(mapped("Helmet")).senses == ["helmet.n.02"])  // under Clothing: not the armour
    }

    /// Qualifiers, unions, closed compounds and "Human X".
    @Test func namesAreReadAsTheKindsTheyName() {
        #expect(mapped("Bat (Animal)")?.senses == ["bat.n.01"])
        #expect(mapped("Street light")?.senses == ["streetlight.n.01"])
        #expect(mapped("Wine glass")?.senses == ["wineglass.n.01"])
        #expect(mapped("Rays and skates")?.senses.count == 2)
        #expect(mapped("Kitchen & dining room table")?.senses == ["kitchen_table.n.01", "diningroom_table.n.01"])
        #expect(mapped("Human hand")?.senses == ["hand.n.01"])
        // A one-word name the lexicon writes apart, found as captions find it.
        #expect(mapped("Wetsuit")?.senses == ["wet_suit.n.01"])
        // A paw is a paw, not the hand (whose lemmas include paw); a hand is no kind of body.
        #expect(mapped("Paw")?.senses == ["paw.n.01"])
        #expect(mapped("Trousers")?.senses == ["trouser.n.01"])
    }

    /// A union is of kinds when its parts are plurals or share a head; a dish named by two
    /// foods is no union, and a qualifier that places no sense leaves the class unmapped.
    @Test func dishesAndUnplacedQualifiersAreNotGuessed() throws {
        #expect(mapped("Pigeons and doves")?.senses.count == 2)
        #expect(mapped("Chicken and chips")?.status == .unmapped)
        #expect(mapped("Wall & ball sports")?.status == .unmapped)  // wall sports, ball sports
        let measure = try #require(mapped("Cup (Measurement)"))
        #expect(measure.status == .unmapped && measure.evidence.contains("qualifier Measurement"), "\(measure)")
    }

    @Test func classesWithoutATangibleSenseAreUnmappedWithAReason() throws {
        let whiteboard = try #require(mapped("Whiteboard"))  // not in WordNet 3.0
        #expect(whiteboard.status == .unmapped && whiteboard.evidence == "not a noun in the lexicon")
        let counts = Self.mapping.counts
        #expect(counts.values.reduce(0, +) == 19_994)
        #expect((counts[.mapped] ?? 0) > 5_000 && (counts[.unmapped] ?? 0) > 5_000, "\(counts)")
    }

    /// A dictionary class carries the MIDs mapped to its synset, the one named like it first:
    /// hand carries Human hand and Hand, never Paw.
    @Test func dictionaryClassesTakeTheMappedMIDs() throws {
        let lexicon = Self.extractor.lexicon
        let hand = try #require(lexicon.resolve("hand.n.01"))
        let names = Self.mapping.classes(of: hand, name: "hand").map(\.name)
        #expect(names.first == "Hand" || names.first == "Human hand", "\(names)")
        #expect(names.contains("Human hand") && !names.contains("Paw"), "\(names)")
        let dog = try #require(lexicon.resolve("dog.n.01"))
        #expect(Self.mapping.classes(of: dog, name: "dog").first?.mid == "/m/0bt9lr")
        // A class whose sense no Open Images class maps to takes the one named like it that
        // maps to another sense of its word, unless another class carries it: belt.n.01, the
        // drive belt, takes Belt; a second class named belt does not.
        let driveBelt = try #require(lexicon.resolve("belt.n.01"))
        #expect(Self.mapping.classes(of: driveBelt, name: "belt").isEmpty)
        #expect(Self.mapping.namesakes(of: "belt").map(\.name) == ["Belt"])
        #expect(Self.mapping.namesakes(of: "drive belt").isEmpty)
        func entry(_ id: Int) -> ClassEntry {
            ClassEntry(
                id: id, name: "belt", sense: "belt.n.01", synset: lexicon.synsets[Int(driveBelt)].id, ili: "", lexFile: "noun.artifact",
                mentions: 10 - id, images: 1, train: false, openImagesMID: "", openImagesName: "", ambiguous: 0, variants: "",
                gloss: "", example: "", rules: "", examples: [])
        }
        var entries = [entry(1), entry(2)]
        ClassDictionary.assignNamesakes(&entries, openImages: Self.mapping)
        #expect(entries.map(\.openImagesName) == ["Belt", ""])
    }

    @Test func theReportListsEveryClass() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mids-\(UUID().uuidString).tsv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.mapping.writeReport(to: path)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 19_995)
        #expect(lines[0] == "mid\tname\tstatus\tsenses\tsynsets\tlexfiles\tevidence\tgloss")
        let chicken = try #require(lines.first { $0.hasPrefix("/m/09b5t\t") }).split(separator: "\t", omittingEmptySubsequences: false)
        #expect(chicken[2] == "mapped" && chicken[3] == "chicken.n.02" && chicken[5] == "noun.animal")
    }

    @Test func aBrokenHierarchyNamesItsFileAndLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("h-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try #"{"LabelName": "/m/0bl9f", "Subcategory": [\#n  {"LabelName": "/m/01"},\#n  {"Subcategory": []}\#n]}\#n"#.write(
            toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try OpenImagesHierarchy(path: path)
        } throws: { error in
            "\(error)".contains(path + ":3") && "\(error)".contains("without LabelName")
        }
    }
}
