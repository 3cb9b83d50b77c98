import Foundation
import Lexicon
import Support
import Testing

@testable import Vocabulary

/// A copy of the real `Vocab/` in a temporary directory, to edit or break.
struct VocabCopy {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("vocab-\(UUID().uuidString)")
        try FileManager.default.copyItem(atPath: Real.vocabDirectory, toPath: url.path)
        for file in Curation.fileNames {
            let path = url.appendingPathComponent(file).path
            try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        }
    }

    var path: String { url.path }

    func append(_ text: String, to file: String) throws {
        let path = url.appendingPathComponent(file).path
        let old = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        try (old + text).write(toFile: path, atomically: true, encoding: .utf8)
    }

    func lineCount(_ file: String) throws -> Int {
        try String(contentsOfFile: url.appendingPathComponent(file).path, encoding: .utf8).split(separator: "\n").count
    }

    func contents(_ file: String) throws -> String {
        try String(contentsOfFile: url.appendingPathComponent(file).path, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

@Suite struct CurationTests {
    let lexicon = Real.extractor.lexicon

    /// Appends `line` to `file` of a copy of Vocab/ and returns the error loading it gives.
    func error(appending line: String, to file: String) throws -> PointillistError? {
        let copy = try VocabCopy()
        defer { copy.remove() }
        let before = try copy.lineCount(file)
        try copy.append(line + "\n", to: file)
        do {
            _ = try Curation(directory: copy.path, lexicon: lexicon)
            return nil
        } catch {
            #expect(error.line == before + 1, "\(error)")
            #expect((error.file ?? "").hasSuffix(file))
            return error
        }
    }

    @Test func theProjectsCurationFilesLoad() throws {
        let c = Real.extractor.curation
        #expect(c.functionWords["the"] == .determiner)
        #expect(c.functionWords["can"] == .modal)
        #expect(c.blocklist["background"] != nil)
        #expect(c.aliases["people"] != nil)
        #expect(c.tangibleRoots.count == 3)  // physical entity, and coin and poster, filed elsewhere
        #expect(c.deniedLexFiles[LexFile(name: "noun.time")!] != nil)
    }

    @Test func curationFilesSavedWithAByteOrderMarkReadTheSame() throws {
        let copy = try VocabCopy()
        defer { copy.remove() }
        // A spreadsheet export: a byte-order mark, then an alias on the first line.
        let aliases = copy.url.appendingPathComponent("aliases.tsv")
        try (Data([0xEF, 0xBB, 0xBF]) + Data(("telly\ttelevision.n.01\n" + copy.contents("aliases.tsv")).utf8)).write(to: aliases)
        let curation = try Curation(directory: copy.path, lexicon: lexicon)
        #expect(curation.aliases["telly"] != nil)
        #expect(curation.aliases.count == Real.extractor.curation.aliases.count + 1)
    }

    @Test func malformedRowsNameFileLineAndField() throws {
        let missing = try #require(try error(appending: "lonely-word", to: "blocklist.tsv"))
        #expect(missing.field == "reason")
        let category = try #require(try error(appending: "the\tarticle", to: "function-words.tsv"))
        #expect(category.field == "category")
        #expect(category.reason.contains("determiner"))
        let sense = try #require(try error(appending: "tv\tnot_a_word.n.01", to: "aliases.tsv"))
        #expect(sense.field == "sense")
        #expect(sense.reason.contains("not_a_word.n.01"))
        let number = try #require(try error(appending: "plant\tplant.n.99", to: "senses.tsv"))
        #expect(number.field == "sense")
        let lemma = try #require(try error(appending: "xyzzyq\tplant.n.02", to: "senses.tsv"))
        #expect(lemma.field == "lemma")
        let rule = try #require(try error(appending: "rooot\tentity.n.01", to: "tangible.tsv"))
        #expect(rule.field == "rule")
        let lexfile = try #require(try error(appending: "deny-lexfile\tnoun.nonsense", to: "tangible.tsv"))
        #expect(lexfile.field == "value")
        let empty = try #require(try error(appending: "\tperson.n.01", to: "aliases.tsv"))
        #expect(empty.field == "phrase")
        let selfMerge = try #require(try error(appending: "dog.n.01\tdog.n.01", to: "merges.tsv"))
        #expect(selfMerge.reason.contains("itself"))
        let mid = try #require(try error(appending: "dog.n.01\tdog", to: "mids.tsv"))
        #expect(mid.field == "mid")
        let midSense = try #require(try error(appending: "not_a_word.n.01\t/m/0bt9lr", to: "mids.tsv"))
        #expect(midSense.field == "sense")
        // A mistyped id of this lexicon's own scheme is an error, not another lexicon's row.
        let midTypo = try #require(try error(appending: "99999999-n\t/m/0bt9lr", to: "mids.tsv"))
        #expect(midTypo.field == "sense")
    }

    @Test func mergeCyclesAndMissingRootsAreErrors() throws {
        let copy = try VocabCopy()
        defer { copy.remove() }
        try copy.append("dog.n.01\tpuppy.n.01\n", to: "merges.tsv")
        #expect(throws: PointillistError.self) { try Curation(directory: copy.path, lexicon: lexicon) }

        let bare = try VocabCopy()
        defer { bare.remove() }
        try FileManager.default.removeItem(at: bare.url.appendingPathComponent("tangible.tsv"))
        do {
            _ = try Curation(directory: bare.path, lexicon: lexicon)
            Issue.record("a curation without tangible.tsv loaded")
        } catch {
            #expect((error.file ?? "").hasSuffix("tangible.tsv"))
        }
    }

    /// A field written into a TSV row cannot break it: tabs and line breaks, CR LF included
    /// (one Character in Swift, equal neither to CR nor to LF), become spaces.
    @Test func cleanedFieldsCannotBreakARow() {
        #expect(TSV.clean("a\tb\r\nc\nd\re") == "a b  c d e")
        #expect(TSV.clean("plain") == "plain")
        let row = ["x", TSV.clean("caption line one\r\nline two")].joined(separator: "\t")
        #expect(row.split(whereSeparator: \.isNewline).count == 1)
    }

    @Test func wordListKeepsCommonWordsOnly() throws {
        let words = try WordList()
        let common = ["sneaker", "hydrant", "pelican", "accessibilitys"].filter { words.contains($0) }
        #expect(common == ["sneaker", "hydrant", "pelican"])  // "accessibility's" is not read as a word
        #expect(words.count > 100_000 && words.count < 120_000)  // wamerican-large (SCOWL 70)
        let nike = words.contains("nike")  // "Nike" is a proper name
        #expect(!nike)
        #expect(words.uncommonWord(in: "fire hydrant") == nil)
        #expect(words.uncommonWord(in: "nike classic cortez") == "nike")
        #expect(throws: PointillistError.self) { try WordList(path: "/nonexistent/words") }
    }
}

@Suite struct DictionaryTests {
    let extractor = Real.extractor

    static let captions = [
        "In this image we can see a woman holding an umbrella. In the background there are trees and sky.",
        "In this picture we can see a man standing on the road and a dog. At the top there is the sky.",
        "Here we can see a woman and a dog on the grass, trees and the sky with clouds.",
        "This is an image of a pelican standing on a rock. In the background there is water.",
        "In this image there are people sitting on a bench. Behind them there are trees and a building.",
    ]

    func tally(_ captions: [String]) -> DictionaryTally {
        var t = DictionaryTally()
        for (i, c) in captions.enumerated() { t.add(extractor.candidates(in: c), caption: c, image: "image-\(i)", imageNumber: Int32(i)) }
        return t
    }

    /// A near-miss says what its first example (the smallest image id) says, whichever way
    /// tallies are merged: a corpus counted in shards says what one machine's count says.
    @Test func aNearMissSaysWhatItsFirstExampleSaysInAnyMergeOrder() {
        func miss(_ why: String) -> Candidate {
            Candidate(
                tokens: 1..<2, start: 2, length: 3, surface: "foo", lemma: "foo", sense: nil, synset: nil, verdict: .verbContext(why),
                rules: [], ambiguous: false)
        }
        var later = DictionaryTally()
        later.add([miss("after 'x'")], caption: "a foo", image: "b-image", imageNumber: 1)
        var earlier = DictionaryTally()
        earlier.add([miss("after 'y'")], caption: "a foo", image: "a-image", imageNumber: 0)
        var whole = DictionaryTally()
        whole.add([miss("after 'x'")], caption: "a foo", image: "b-image", imageNumber: 1)
        whole.add([miss("after 'y'")], caption: "a foo", image: "a-image", imageNumber: 0)
        var one = later
        one.merge(earlier)
        var other = earlier
        other.merge(later)
        let texts = [whole, one, other].map { DictionaryCountsFile.text(of: $0, lexicon: extractor.lexicon) }
        #expect(texts[0].contains("read as a verb: after 'y'") && !texts[0].contains("after 'x'"), "\(texts[0])")
        #expect(texts[1] == texts[0] && texts[2] == texts[0])
    }

    @Test func countsFiltersAndNumbersClassesByFrequency() throws {
        let dictionary = ClassDictionary(
            tally: tally(Self.captions), extractor: extractor, options: DictionaryOptions(minimumMentions: 2, trainClasses: 2))
        let names = dictionary.classes.map(\.name)
        // sky 3, tree 3, woman 2, dog 2: each at least twice. Ties by synset id.
        #expect(Set(names) == ["sky", "tree", "woman", "dog"])
        let sky = try #require(dictionary.classes.first { $0.name == "sky" })
        #expect(sky.id == 1)
        #expect(sky.mentions == 3)
        #expect(sky.images == 3)
        #expect(sky.train)
        #expect(sky.sense == "sky.n.01")
        #expect(sky.example.contains("[sky]"))
        #expect(dictionary.classes.filter(\.train).count == 2)
        // Mentioned once: a near-miss for being rare, with the reason.
        let pelican = try #require(dictionary.nearMisses.first { $0.lemma == "pelican" })
        #expect(pelican.verdict == "rare")
        #expect(pelican.reason.contains("fewer than 2"))
        // Blocklisted words are near-misses too.
        #expect(dictionary.nearMisses.contains { $0.lemma == "background" && $0.verdict == "blocklist" })
    }

    @Test func idsAreStableAcrossRebuilds() throws {
        let first = ClassDictionary(tally: tally(Self.captions), extractor: extractor, options: DictionaryOptions(minimumMentions: 1))
        let previous = Dictionary(uniqueKeysWithValues: first.classes.map { ($0.synset, $0.id) })
        // A rebuild on more captions: new classes, changed counts, old ids kept.
        let more = Self.captions + ["a giraffe and a zebra near trees", "a giraffe eating grass", "the sky and a giraffe"]
        let second = ClassDictionary(
            tally: tally(more), extractor: extractor, options: DictionaryOptions(minimumMentions: 1), previous: previous)
        #expect(second.keptIDs == first.classes.count)
        #expect(second.newIDs == 2)
        for c in first.classes {
            #expect(second.classes.first { $0.synset == c.synset }?.id == c.id)
        }
        let giraffe = try #require(second.classes.first { $0.name == "giraffe" })
        #expect(giraffe.id > first.classes.map(\.id).max()!)
        // A class that disappears leaves its id unused.
        let smaller = ClassDictionary(
            tally: tally(Array(Self.captions.prefix(1))), extractor: extractor, options: DictionaryOptions(minimumMentions: 1),
            previous: Dictionary(uniqueKeysWithValues: second.classes.map { ($0.synset, $0.id) }))
        #expect(smaller.newIDs == 0)
    }

    @Test func openImagesMIDsAreMatchedByName() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Data/openimages/oidv6-class-descriptions.csv").standardizedFileURL.path
        let oi = try OpenImagesClasses(path: path)
        #expect(oi.count == 19_994)
        #expect(oi.match(name: "woman", lemmas: [])?.mid == "/m/03bt1vf")
        #expect(oi.match(name: "sky", lemmas: [])?.mid == "/m/01bqvp")
        let mapping = OpenImagesMapping(classes: oi, hierarchy: nil, extractor: extractor)
        let dictionary = ClassDictionary(
            tally: tally(Self.captions), extractor: extractor, options: DictionaryOptions(minimumMentions: 1), openImages: mapping)
        #expect(dictionary.classes.first { $0.name == "dog" }?.openImagesMID == "/m/0bt9lr")
        // A quoted display name with a comma, a blank line, CRLF endings; a bad row is named by its line.
        let small = FileManager.default.temporaryDirectory.appendingPathComponent("oi-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: small) }
        try "/m/01c_0l,\"Ducks, geese and swans\"\r\n\n/m/0bt9lr,Dog\r\n".write(toFile: small, atomically: true, encoding: .utf8)
        let two = try OpenImagesClasses(path: small)
        #expect(two.count == 2 && two.match(name: "Ducks, geese and swans", lemmas: [])?.mid == "/m/01c_0l")
        try "/m/01c_0l,\"Ducks, geese and swans\"\r\n\n/m/0bt9lr,Dog\r\nnot a mid,Cat\r\n".write(toFile: small, atomically: true, encoding: .utf8)
        #expect {
            try OpenImagesClasses(path: small)
        } throws: { error in
            "\(error)".contains(small + ":4")
        }
    }

    @Test func midsCuratedInVocabReplaceTheNameMatch() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Data/openimages/oidv6-class-descriptions.csv").standardizedFileURL.path
        let oi = try OpenImagesClasses(path: path)
        let captions = [
            "A hand holding a ball next to a dog on the grass.", "A man raises his hand to throw a ball to the dog.",
            "Here we can see a dog and a hand of a person holding a ball.",
        ]
        func dictionary(_ curation: Curation) -> [String: ClassEntry] {
            var t = DictionaryTally()
            for (i, c) in captions.enumerated() {
                t.add(extractor.candidates(in: c), caption: c, image: "image-\(i)", imageNumber: Int32(i))
            }
            let e = MentionExtractor(lexicon: extractor.lexicon, curation: curation, wordList: extractor.wordList)
            let mapping = OpenImagesMapping(classes: oi, hierarchy: nil, extractor: e)
            let d = ClassDictionary(tally: t, extractor: e, options: DictionaryOptions(minimumMentions: 1), openImages: mapping)
            return Dictionary(d.classes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        }
        // The shipped mids.tsv: the body part carries "Human hand"; a ball both of its reviewed MIDs' senses.
        let shipped = dictionary(Real.extractor.curation)
        #expect(shipped["hand"]?.openImagesMID == "/m/0k65p", "\(String(describing: shipped["hand"]))")
        #expect(shipped["hand"]?.openImagesName == "Human hand")
        #expect(shipped["dog"]?.openImagesMIDs == ["/m/0bt9lr"])
        // Rows of the other lexicon are counted, not applied.
        #expect(Real.extractor.curation.midRowsOfOtherLexicons > 500)

        // A linguist's rows: dog carries two MIDs, in file order; "-" takes hand's away.
        let copy = try VocabCopy()
        defer { copy.remove() }
        try copy.append("dog.n.01\t/m/0kmg4\nhand.n.01\t-\noewn-99999999-n\t/m/0bt9lr\n", to: "mids.tsv")
        let curation = try Curation(directory: copy.path, lexicon: extractor.lexicon)
        let edited = dictionary(curation)
        #expect(edited["dog"]?.openImagesMIDs == ["/m/0bt9lr", "/m/0kmg4"])
        #expect(edited["dog"]?.openImagesName == "Dog; Teddy bear")
        #expect(edited["hand"]?.openImagesMID == "")
        #expect(curation.midRowsOfOtherLexicons == Real.extractor.curation.midRowsOfOtherLexicons + 1)
    }

    /// A dictionary built with WordNet 3.0 and rebuilt with the Open English WordNet keeps
    /// its class ids: each class is found again by lemma, lexicographer file and gloss.
    @Test func classIdsSurviveASwitchOfLexicon() throws {
        let oewnPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Data/oewn/english-wordnet-2025.xml.gz").standardizedFileURL.path
        let oewn = try LMFLoader.load(files: [oewnPath])
        let captions =
            Self.captions + [
                "A dog and a cat near a bicycle; a woman holds an umbrella by the car.", "Two men on a bench under a tree with a bag.",
                "A chair, a table and a lamp in a room with a window and a door.", "A boat on the water, birds in the sky over the grass.",
            ]
        let wnDictionary = ClassDictionary(tally: tally(captions), extractor: extractor, options: DictionaryOptions(minimumMentions: 1))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("switch-\(UUID().uuidString).tsv").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try DictionaryFile.write(wnDictionary.classes, to: file)

        let other = MentionExtractor(
            lexicon: oewn, curation: try Curation(directory: Real.vocabDirectory, lexicon: oewn), wordList: extractor.wordList)
        var t = DictionaryTally()
        for (i, c) in captions.enumerated() { t.add(other.candidates(in: c), caption: c, image: "image-\(i)", imageNumber: Int32(i)) }
        let previous = try DictionaryFile.ids(file, lexicon: oewn)
        let oewnDictionary = ClassDictionary(tally: t, extractor: other, options: DictionaryOptions(minimumMentions: 1), previous: previous)
        #expect(oewnDictionary.classes.allSatisfy { $0.synset.hasPrefix("oewn-") })
        let before = Dictionary(wnDictionary.classes.map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(oewnDictionary.classes.map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
        let common = before.keys.filter { after[$0] != nil }
        #expect(common.count >= 15, "\(common)")
        let same = common.filter { before[$0] == after[$0] }
        #expect(same.count == common.count, "changed: \(common.filter { before[$0] != after[$0] })")
        #expect(oewnDictionary.keptIDs == same.count)
        // A class found nowhere in the new lexicon keeps its id reserved: new classes number above it.
        var lost = wnDictionary.classes
        let top = try #require(lost.indices.max { lost[$0].id < lost[$1].id })
        lost[top].sense = "xyzzy.n.01"
        lost[top].name = "xyzzy"
        try DictionaryFile.write(lost, to: file)
        let reserved = try DictionaryFile.ids(file, lexicon: oewn)
        #expect(reserved[lost[top].synset] == lost[top].id)
        let renumbered = ClassDictionary(tally: t, extractor: other, options: DictionaryOptions(minimumMentions: 1), previous: reserved)
        let maximum = lost.map(\.id).max()!
        #expect(renumbered.classes.filter { reserved.values.contains($0.id) == false }.allSatisfy { $0.id > maximum })
        try DictionaryFile.write(wnDictionary.classes, to: file)
        // Without the match, every class would be new.
        let plain = ClassDictionary(
            tally: t, extractor: other, options: DictionaryOptions(minimumMentions: 1), previous: try DictionaryFile.ids(file))
        #expect(plain.keptIDs == 0)
    }

    @Test func dictionaryFileRoundTripsAndRejectsBadRows() throws {
        let dictionary = ClassDictionary(tally: tally(Self.captions), extractor: extractor, options: DictionaryOptions(minimumMentions: 1))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dict-\(UUID().uuidString).tsv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try DictionaryFile.write(dictionary.classes, to: path)
        let read = try DictionaryFile.read(path)
        #expect(read.count == dictionary.classes.count)
        for (a, b) in zip(read, dictionary.classes.sorted { $0.id < $1.id }) {
            var expected = b
            expected.examples = b.example.isEmpty ? [] : [b.example]
            #expect(a == expected)
        }
        #expect(try DictionaryFile.ids(path).count == read.count)

        var text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        text += lines[1] + "\n"  // the first class again
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try DictionaryFile.read(path)
            Issue.record("duplicate id accepted")
        } catch {
            #expect(error.line == lines.count + 1)
            #expect(error.field == "id")
        }
        try (lines[0] + "\n" + "x\t" + lines[1].split(separator: "\t", omittingEmptySubsequences: false).dropFirst().joined(separator: "\t") + "\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: PointillistError.self) { try DictionaryFile.read(path) }
    }

    @Test func diffReportsAddedRemovedAndChanged() {
        let a = ClassDictionary(tally: tally(Self.captions), extractor: extractor, options: DictionaryOptions(minimumMentions: 1))
        let previous = Dictionary(uniqueKeysWithValues: a.classes.map { ($0.synset, $0.id) })
        let b = ClassDictionary(
            tally: tally(Array(Self.captions.dropLast()) + ["a giraffe under the sky"]), extractor: extractor,
            options: DictionaryOptions(minimumMentions: 1), previous: previous)
        let diff = DictionaryDiff(old: a.classes, new: b.classes)
        #expect(diff.added.map(\.name) == ["giraffe"])
        #expect(Set(diff.removed.map(\.name)) == ["person", "bench", "building"])
        #expect(diff.changed.contains { $0.0.name == "tree" && $0.1.mentions == $0.0.mentions - 1 })
        #expect(diff.lines.contains { $0.hasPrefix("+\t") && $0.contains("giraffe") })
    }
}

@Suite struct ReviewTests {
    let extractor = Real.extractor

    func sheet() -> ReviewSheet {
        var t = DictionaryTally()
        for (i, c) in DictionaryTests.captions.enumerated() {
            t.add(extractor.candidates(in: c), caption: c, image: "image-\(i)", imageNumber: Int32(i))
        }
        let options = DictionaryOptions(minimumMentions: 2)
        return ReviewSheet(dictionary: ClassDictionary(tally: t, extractor: extractor, options: options), extractor: extractor, options: options)
    }

    @Test func sheetExplainsEveryRow() throws {
        let s = sheet()
        let sky = try #require(s.rows.first { $0.kind == "class" && $0.name == "sky" })
        #expect(sky.reasons.contains("tangible: noun.object, descends from physical_entity.n.01"))
        #expect(sky.reasons.contains("frequent: 3 mentions ≥ 2"))
        #expect(sky.concordance.count == 3)
        #expect(s.rows.contains { $0.kind == "near-miss" && $0.lemma == "background" && $0.reasons.contains("blocklist.tsv") })
        let lines = s.tsv.split(separator: "\n")
        #expect(lines[0].split(separator: "\t").map(String.init) == ReviewSheet.columns)
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: "\t", omittingEmptySubsequences: false).count == ReviewSheet.columns.count })
        let html = s.html(title: "review <test>", summary: [("classes", "4")])
        #expect(html.contains("<title>review &lt;test&gt;</title>"))
        #expect(html.contains("<mark>sky</mark>"))
        #expect(html.components(separatedBy: "<tr class=").count - 1 == s.rows.count)
        #expect(sky.confidence == "1.00")
    }

    /// The sheet lists first the classes whose sense choice most often had rivals.
    @Test func sheetListsTheLeastCertainClassesFirst() throws {
        let captions = DictionaryTests.captions + ["A banana and a football on the grass.", "Bananas near a football and a dog."]
        var t = DictionaryTally()
        for (i, c) in captions.enumerated() { t.add(extractor.candidates(in: c), caption: c, image: "image-\(i)", imageNumber: Int32(i)) }
        let dictionary = ClassDictionary(tally: t, extractor: extractor, options: DictionaryOptions(minimumMentions: 2))
        let s = ReviewSheet(dictionary: dictionary, extractor: extractor, options: DictionaryOptions(minimumMentions: 2))
        let classes = s.rows.filter { $0.kind == "class" }
        let banana = try #require(classes.first { $0.name == "banana" })
        #expect(banana.confidence == "0.00")  // the fruit, with the plant as a rival, every time
        let confidences = classes.map { Double($0.confidence) ?? -1 }
        #expect(confidences == confidences.sorted() && confidences.first == 0 && confidences.last == 1, "\(classes.map { ($0.name, $0.confidence) })")
        #expect(ReviewSheet.hundredths(0.875) == "0.88" && ReviewSheet.hundredths(0.05) == "0.05" && ReviewSheet.hundredths(1) == "1.00")
    }

    /// A name the lexicon lacks is not silently reduced to its head: the build counts it as a
    /// compound for review, and an alias decision makes it a name of its own, plural included.
    @Test func compoundsTheLexiconLacksGoToReviewAndAnAliasMakesThemNames() throws {
        let captions = [
            "A bicycle helmet on the table.", "Two bicycle helmets and a wooden table.", "Steel rods near a bicycle helmet.",
            "An ice cream cone.",
        ]
        var t = DictionaryTally()
        for (i, c) in captions.enumerated() { t.add(extractor.candidates(in: c), caption: c, image: "image-\(i)", imageNumber: Int32(i)) }
        let dictionary = ClassDictionary(tally: t, extractor: extractor, options: DictionaryOptions(minimumMentions: 1))
        let compounds = dictionary.nearMisses.filter { $0.verdict == "compound" }
        // Not "wooden table" (wooden can be an adjective), "steel rod" (steel is a substance) nor
        // "cream cone" (the unit before cone is "ice cream").
        #expect(compounds.map(\.lemma) == ["bicycle helmet"] && compounds.first?.mentions == 3, "\(compounds)")
        #expect(compounds.first?.examples.first == "A [bicycle helmet] on the table.", "\(compounds)")
        #expect(dictionary.classes.contains { $0.name == "helmet" }, "the head is still counted")

        let copy = try VocabCopy()
        defer { copy.remove() }
        var s = ReviewSheet(dictionary: dictionary, extractor: extractor, options: DictionaryOptions(minimumMentions: 1))
        let row = try #require(s.rows.firstIndex { $0.kind == "compound" })
        let path = copy.url.appendingPathComponent("review.tsv").path
        s.rows[row].decision = "keep"
        try s.tsv.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: PointillistError.self) { try ReviewDecisions(sheet: path, lexicon: extractor.lexicon) }
        s.rows[row].decision = "alias:helmet.n.02"
        try s.tsv.write(toFile: path, atomically: true, encoding: .utf8)
        _ = try ReviewDecisions(sheet: path, lexicon: extractor.lexicon).apply(to: copy.path)
        #expect(try copy.contents("aliases.tsv").hasSuffix("bicycle helmet\thelmet.n.02\n"))
        // What is not a review sheet is refused: a folder, an empty file, rows without the header.
        func refusal(_ sheet: String) -> String {
            do {
                _ = try ReviewDecisions(sheet: sheet, lexicon: extractor.lexicon)
                return "accepted"
            } catch { return "\(error)" }
        }
        #expect(refusal(copy.path).contains("is a directory"))
        let other = copy.url.appendingPathComponent("other.tsv").path
        try "".write(toFile: other, atomically: true, encoding: .utf8)
        #expect(refusal(other).contains("not a review sheet"))
        try "keep\tclass\n".write(toFile: other, atomically: true, encoding: .utf8)
        #expect(refusal(other).contains("other.tsv:1: not a review sheet"), "\(refusal(other))")
        let curation = try Curation(directory: copy.path, lexicon: extractor.lexicon)
        let edited = MentionExtractor(lexicon: extractor.lexicon, curation: curation, wordList: extractor.wordList)
        let found = edited.candidates(in: "two bicycle helmets").filter { $0.verdict.isKept }
        #expect(found.map(\.surface) == ["bicycle helmets"] && found.first?.compound == nil)
        #expect(found.first?.synset.map { extractor.lexicon.senseName(of: $0) } == "helmet.n.02")
        // Plurals reach the aliases of phrases only: an alias of one word leaves its plural to the lexicon.
        try copy.append("glass\tdrinking_glass.n.01\n", to: "aliases.tsv")
        let glass = MentionExtractor(
            lexicon: extractor.lexicon, curation: try Curation(directory: copy.path, lexicon: extractor.lexicon), wordList: extractor.wordList)
        let drinkingGlass = extractor.lexicon.resolve("drinking_glass.n.01")
        #expect(glass.judge("glass").synset == drinkingGlass && glass.judge("glasses").synset != drinkingGlass)
    }

    @Test func applyingDecisionsEditsVocabOnceAndRejectsBadDecisions() throws {
        let copy = try VocabCopy()
        defer { copy.remove() }
        var s = sheet()
        let treeIndex = try #require(s.rows.firstIndex { $0.name == "tree" })
        s.rows[treeIndex].decision = "drop"
        let pelicanIndex = try #require(s.rows.firstIndex { $0.lemma == "pelican" })
        s.rows[pelicanIndex].decision = "keep"
        let dogIndex = try #require(s.rows.firstIndex { $0.name == "dog" })
        s.rows[dogIndex].decision = "merge:animal.n.01"
        let path = copy.url.appendingPathComponent("review.tsv").path
        try s.tsv.write(toFile: path, atomically: true, encoding: .utf8)

        let decisions = try ReviewDecisions(sheet: path, lexicon: extractor.lexicon)
        #expect(decisions.edits.count == 3)
        let made = try decisions.apply(to: copy.path)
        #expect(made.count == 3)
        #expect(try copy.contents("excludes.tsv").hasSuffix("tree.n.01\tdropped in review (tree)\n"))
        #expect(try copy.contents("includes.tsv").contains("pelican.n.01\tkept in review"))
        #expect(try copy.contents("merges.tsv").contains("dog.n.01\tanimal.n.01"))
        // Applying again changes nothing; the edited files load and take effect.
        #expect(try decisions.apply(to: copy.path).isEmpty)
        let curation = try Curation(directory: copy.path, lexicon: extractor.lexicon)
        let edited = MentionExtractor(lexicon: extractor.lexicon, curation: curation, wordList: extractor.wordList)
        // The class is gone whatever word reads as it: "trees", and "tree" as written.
        #expect(edited.judge("tree").verdict.code == "blocklist")
        #expect(edited.judge("trees").verdict.explanation.contains("excludes.tsv"))
        #expect(edited.judge("dog").synset.map { extractor.lexicon.senseName(of: $0) } == "animal.n.01")

        // A bad decision names its line and nothing is written.
        let before = try copy.contents("senses.tsv")
        s.rows[dogIndex].decision = "sense:dog.n.01"
        s.rows[treeIndex].decision = "sense:no_such.n.01"
        try s.tsv.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ReviewDecisions(sheet: path, lexicon: extractor.lexicon)
            Issue.record("an unknown sense was accepted")
        } catch {
            #expect(error.line == treeIndex + 2)
            #expect(error.field == "decision")
        }
        #expect(try copy.contents("senses.tsv") == before)
        s.rows[treeIndex].decision = "maybe"
        try s.tsv.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: PointillistError.self) { try ReviewDecisions(sheet: path, lexicon: extractor.lexicon) }
    }
}
