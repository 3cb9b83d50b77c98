import ArgumentParser
import Foundation
import Lexicon
import Narratives
import Pipeline
import Store
import Vocabulary

extension LexiconSource.Choice: ExpressibleByArgument {}

/// Where the lexicon, the curation files and the word list come from.
struct LexiconOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The lexicon: oewn-2025 (the Open English WordNet 2025 shipped in Data/oewn, its senses weighed by WordNet 3.0's tag counts) or wordnet-3.0 (the Princeton database). A lexicon once loaded is kept compiled in ~/.cache/pointillist ($XDG_CACHE_HOME/pointillist; $POINTILLIST_CACHE names another folder, or 'off'), renewed when its files or the program change.",
            valueName: "name"))
    var lexicon: LexiconSource.Choice = .oewn2025

    @Option(
        help: ArgumentHelp(
            "Princeton WordNet 3.0 database directory (Debian wordnet-base): the lexicon with --lexicon wordnet-3.0, and the tag counts (cntlist.rev) that weigh oewn-2025's senses.",
            valueName: "dir"))
    var wordnet: String = PrincetonLoader.defaultDirectory

    @Option(
        name: .customLong("lmf"),
        help: ArgumentHelp(
            "Use these WN-LMF XML lexicon files instead, read as they are, without tag counts (repeatable: one lexicon from several files).",
            valueName: "file"))
    var lmfFiles: [String] = []

    @Option(
        help: ArgumentHelp(
            "The curation directory (function words, blocklist, aliases, senses, merges, includes, tangible roots). Default: the Vocab directory the program ships with (./Vocab, $POINTILLIST_HOME/Vocab, <prefix>/share/pointillist/Vocab or the checkout's).",
            valueName: "dir"))
    var vocab: String?

    @Option(
        name: .customLong("word-list"),
        help: ArgumentHelp(
            "English word list deciding which lemmas are common (Debian wamerican-large: SCOWL size 70; wamerican-small/wamerican/-huge: 35/50/80).",
            valueName: "path"))
    var wordList: String = WordList.defaultPath

    /// The lexicon, curation and word list these options name.
    var source: LexiconSource {
        var source = LexiconSource()
        source.choice = lexicon
        source.wordnet = wordnet
        source.lmfFiles = lmfFiles
        source.curation = vocab
        source.wordList = wordList
        return source
    }
}

/// The Open Images class list and box hierarchy that classes are mapped to MIDs through.
struct OpenImagesMappingOptions: ParsableArguments {
    @OptionGroup var classes: OpenImagesOption

    @Option(
        name: .customLong("hierarchy"),
        help: ArgumentHelp(
            "Open Images box hierarchy JSON (bbox_labels_600_hierarchy.json): a class's place in it picks its sense (Chicken under Bird is the bird). Default: the shipped Data/openimages copy; 'none' for no hierarchy.",
            valueName: "path"))
    var hierarchyFile: String?

    /// The mapping of every class in the list to the extractor's lexicon; nil without a list.
    func mapping(extractor: MentionExtractor) throws -> OpenImagesMapping? {
        guard let path = classes.path else { return nil }
        let hierarchyPath = hierarchyFile == "none" ? nil : hierarchyFile ?? ShippedFiles.openImagesHierarchy
        var hierarchy: OpenImagesHierarchy?
        if let hierarchyPath { hierarchy = try OpenImagesHierarchy(path: hierarchyPath) }
        return OpenImagesMapping(classes: try OpenImagesClasses(path: path), hierarchy: hierarchy, extractor: extractor)
    }
}

extension Pointillist {
    struct Vocab: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vocab",
            abstract: "Build and curate the class dictionary: tangible, common nouns named in the captions.",
            discussion: """
                build:   extract mentions from every caption of the corpus, filter them, write the \
                dictionary TSV and store each mention with its trace points.
                explain: show, for words, phrases or captions, what each mention becomes and why.
                count:   the first pass of build alone, one shard's counts file for build --counts.
                review:  write the linguists' review sheet (TSV and HTML) from the last build.
                apply:   turn the decisions of an edited review sheet into Vocab/ edits.
                diff:    compare two dictionary files.
                check-nouns: measure mention extraction against the human noun spans of VidLN files.
                mids:    map every Open Images class to the lexicon's senses, for review.
                """,
            subcommands: [Build.self, Count.self, Explain.self, Review.self, Apply.self, Diff.self, CheckNouns.self, Mids.self])
    }
}
