import Foundation
import Lexicon
import Support
import Vocabulary

/// Where the dictionary's knowledge comes from: the lexicon (the Open English WordNet 2025
/// the program ships with, the WordNet 3.0 database, or other WN-LMF XML files, through the
/// compiled cache), the curation folder and the English word list. Every `vocab` command
/// loads it the same way.
public struct LexiconSource: Sendable {
    /// The lexicons a user chooses by name.
    public enum Choice: String, CaseIterable, Sendable {
        /// The Open English WordNet 2025 (`Data/oewn/`), its senses weighed by WordNet 3.0's
        /// tag counts: the default (more senses accepted in `Benchmarks/vocab/senses.py`, and
        /// today's words: whiteboard, nightstand, humidifier).
        case oewn2025 = "oewn-2025"
        /// The Princeton WordNet 3.0 database (Debian's wordnet-base).
        case wordnet30 = "wordnet-3.0"
    }
    public var choice = Choice.oewn2025
    /// Princeton WordNet 3.0 database directory: the lexicon when `choice` is `wordnet30`,
    /// and where the tag counts (`cntlist.rev`) come from for the others.
    public var wordnet = PrincetonLoader.defaultDirectory
    /// WN-LMF XML files making one lexicon; when given, they are the lexicon whatever `choice` says.
    public var lmfFiles: [String] = []
    /// The curation directory; nil: the one the program ships with (`ShippedFiles`).
    public var curation: String?
    public var wordList = WordList.defaultPath
    /// The compiled lexicon cache; nil: none.
    public var cache = LexiconCache.standard(environment: ProcessInfo.processInfo.environment)

    public init() {}

    public func loadLexicon() throws -> Lexicon {
        if lmfFiles.isEmpty, choice == .wordnet30 { return try PrincetonLoader.load(directory: wordnet, cache: cache) }
        let files = lmfFiles.isEmpty ? [try ShippedFiles.openEnglishWordNet()] : lmfFiles
        return try LMFLoader.load(files: files, tagCounts: tagCounts, cache: cache)
    }

    /// WordNet 3.0's sense tag counts (`cntlist.rev` in `wordnet`), which a WN-LMF lexicon
    /// takes through its sense keys; nil where the file is absent.
    public var tagCounts: String? {
        let path = wordnet + "/cntlist.rev"
        return FileManager.default.isReadableFile(atPath: path) ? path : nil
    }

    /// The curation directory, which must exist.
    public func curationDirectory() throws -> String {
        let vocab = try curation ?? ShippedFiles.curation()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: vocab, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PointillistError("curation directory '\(vocab)' not found: pass --vocab <dir>")
        }
        return vocab
    }

    /// The lexicon, the curation read against it, and the word list.
    public func loadExtractor() throws -> MentionExtractor {
        let vocab = try curationDirectory()
        let lexicon = try loadLexicon()
        let curation = try Curation(directory: vocab, lexicon: lexicon)
        return MentionExtractor(lexicon: lexicon, curation: curation, wordList: try WordList(path: wordList))
    }
}
