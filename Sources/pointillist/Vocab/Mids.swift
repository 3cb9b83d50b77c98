import ArgumentParser
import Vocabulary

extension Pointillist.Vocab {
    struct Mids: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Map every Open Images class to the lexicon's senses and write the mapping for review.",
            discussion: """
                Each class is read by its display name (singular, closed compound, without its \
                qualifier, split into its kinds: "Rays and skates"); the sense whose hypernyms \
                include the qualifier or a class above it in the box hierarchy wins ("Chicken" \
                under Bird is the bird), else the sense captions would get. Vocab/mids.tsv \
                decides first. The report lists every class as curated, mapped, ambiguous (tangible \
                senses in several lexicographer files or an abstract sense 1, and nothing \
                to place it) or unmapped, with \
                how its senses were found. `vocab build` gives each dictionary class the MIDs \
                mapped to its sense.
                """)

        @OptionGroup var lexicon: LexiconOptions
        @OptionGroup var openImages: OpenImagesMappingOptions

        @Option(help: ArgumentHelp("Where to write the mapping (TSV).", valueName: "path"))
        var out = "mids-report.tsv"

        @Option(help: ArgumentHelp("Ambiguous and unmapped classes to list in the summary.", valueName: "n"))
        var top = 10

        func run() throws {
            let extractor = try lexicon.source.loadExtractor()
            guard let mapping = try openImages.mapping(extractor: extractor) else {
                throw ValidationError("no Open Images class list: pass --openimages <csv>")
            }
            try mapping.writeReport(to: out)
            let counts = mapping.counts
            print("lexicon        \(extractor.lexicon.source)")
            print("Open Images    \(mapping.classes.path): \(mapping.classes.count) classes")
            print("hierarchy      \(mapping.hierarchy.map { "\($0.path): \($0.classCount) classes placed" } ?? "none")")
            for status in [MIDMapping.Status.curated, .mapped, .ambiguous, .unmapped] {
                print("  \(Format.padded(status.rawValue, 12)) \(counts[status] ?? 0)")
            }
            for status in [MIDMapping.Status.ambiguous, .unmapped] where top > 0 {
                let some = mapping.mappings.filter { $0.status == status }.prefix(top)
                guard !some.isEmpty else { continue }
                print("first \(status.rawValue)")
                for m in some {
                    let senses = m.synsets.map { extractor.lexicon.senseName(of: $0) }.joined(separator: " ")
                    let mid = Format.padded(m.mid, 12)
                    print("  \(mid) \(m.name)  \(senses.isEmpty ? "-" : senses)  (\(m.evidence))")
                }
            }
            print("wrote          \(out)")
        }
    }
}
