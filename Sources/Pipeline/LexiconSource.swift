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
        /// tag counts: the default (as many senses accepted in `Benchmarks/vocab/senses.py` or
        /// more, and newer words: humidifier, coffee maker, life jacket).
        case oewn2025 = "oewn-2025"
        /// The Princeton WordNet 3.0 database (Debian's wordnet-base).
        case wordnet30 = "wordnet-3.0"
    }
    public var choice = Choice.oewn2025
    /// Princeton WordNet 3.0 database directory: the lexicon when `choice` is `wordnet30`,
    /// and where the tag counts (`cntlist.rev`) come from for the others.
    public var wordnet = PrincetonLoader.defaultDirectory
    /// WN-LMF XML files making one lexicon; when given, they are the lexicon whatever `choice`
    /// says, read as they are (no tag counts: their sense ids need not spell WordNet's keys).
    public var lmfFiles: [String] = []
    /// The curation directory; nil: the one the program ships with (`ShippedFiles`).
    public var curation: String?
    public var wordList = WordList.defaultPath
    /// The compiled lexicon cache; nil: none.
    public var cache = LexiconCache.standard(environment: ProcessInfo.processInfo.environment)

    public init() {}

    public func loadLexicon() throws -> Lexicon {
        if !lmfFiles.isEmpty { return try LMFLoader.load(files: lmfFiles, cache: cache) }
        switch choice {
        case .wordnet30: return try PrincetonLoader.load(directory: wordnet, cache: cache)
        case .oewn2025: return try LMFLoader.load(files: [try ShippedFiles.openEnglishWordNet()], tagCounts: try tagCounts(), cache: cache)
        }
    }

    /// WordNet 3.0's sense tag counts (`cntlist.rev` in `wordnet`), which the shipped OEWN
    /// takes through its sense keys. Required: without them its senses would be numbered and
    /// chosen otherwise, and `Vocab/`'s `lemma.n.NN` names would point elsewhere.
    func tagCounts() throws -> String {
        let path = wordnet + "/cntlist.rev"
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw PointillistError(
                "WordNet 3.0's tag counts \(path) not found: the Open English WordNet is weighed by them. Install wordnet-base (script/setup) or pass --wordnet <dir>"
            )
        }
        return path
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
