import Foundation
import Support
import Testing

@testable import Lexicon

/// The real WordNet 3.0 database (installed by script/setup) and the real OEWN sample.
enum Lexicons {
    static let princeton: Lexicon = {
        do { return try PrincetonLoader.load() } catch { fatalError("WordNet database: \(error) (run script/setup)") }
    }()

    static var oewnFiles: [String] {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/oewn")
        return ["wn-noun.Tops.xml", "wn-noun.food.xml"].map { dir.appendingPathComponent($0).path }
    }

    static let oewn: Lexicon = {
        do { return try LMFLoader.load(files: oewnFiles) } catch { fatalError("OEWN sample: \(error)") }
    }()
}

@Suite struct PrincetonTests {
    let wn = Lexicons.princeton

    @Test func loadsTheWholeNounDatabase() throws {
        // WordNet 3.0 has 82,115 noun synsets and 117,798 noun lemmas (index.noun lines);
        // keys merge a few lemmas that differ only by case or hyphenation.
        #expect(wn.synsets.count == 82_115)
        #expect(wn.lemmaCount > 117_000 && wn.lemmaCount <= 117_798)
        #expect(wn.unresolvedRelations == 0)
        let pelican = try #require(wn.senses(of: "pelican").first)
        let synset = wn.synsets[Int(pelican.synset)]
        #expect(synset.id == "02051845-n")
        #expect(synset.lexFile.name == "noun.animal")
        #expect(synset.gloss.hasPrefix("large long-winged warm-water seabird"))
    }

    @Test func sensesFollowFrequencyOrderWithTagCounts() throws {
        let plant = wn.senses(of: "plant")
        #expect(plant.map(\.number) == [1, 2, 3, 4])
        #expect(wn.synsets[Int(plant[0].synset)].lexFile.name == "noun.artifact")  // industrial plant
        #expect(wn.synsets[Int(plant[1].synset)].lexFile.name == "noun.Tops")  // flora, plant life
        // cntlist.rev: the first senses of common words were tagged.
        #expect(wn.senses(of: "dog")[0].count > 0)
        #expect(wn.resolve("plant.n.02") == plant[1].synset)
        #expect(wn.senseName(of: plant[1].synset) == "plant.n.02")
        #expect(wn.resolve("02051845-n") == wn.senses(of: "pelican")[0].synset)
        #expect(wn.resolve("plant.n.09") == nil)
        #expect(wn.resolve("no_such_word.n.01") == nil)
    }

    @Test func morphologyUsesExceptionsThenDetachmentRules() {
        #expect(wn.baseForms(of: "sneakers") == ["sneaker"])
        #expect(wn.baseForms(of: "leaves").contains("leaf"))
        #expect(wn.baseForms(of: "geese") == ["goose"])
        #expect(wn.baseForms(of: "boxes") == ["box"])
        #expect(wn.baseForms(of: "berries") == ["berry"])
        #expect(wn.baseForms(of: "women") == ["woman"])
        #expect(wn.baseForms(of: "glass") == ["glass"])  // not "glas"
        #expect(wn.baseForms(of: "glasses").first == "glasses")  // spectacles are a lemma of their own
        #expect(wn.baseForms(of: "traffic lights") == ["traffic light"])
        #expect(wn.baseForms(of: "xyzzy").isEmpty)
    }

    @Test func multiwordLemmasAndKeys() {
        #expect(Lexicon.key("Traffic_Light") == "traffic light")
        #expect(Lexicon.key("T-shirt") == "tshirt")
        for phrase in ["traffic light", "fire hydrant", "ice cream", "tshirt"] {
            #expect(wn.contains(phrase), "\(phrase)")
        }
        #expect(wn.longestLemma >= 4)
    }

    @Test func hypernymChainsReachEntity() throws {
        let pelican = try #require(wn.senses(of: "pelican").first?.synset)
        let chain = wn.hypernymChain(pelican).map { wn.synsets[Int($0)].lemmas[0] }
        #expect(chain.first == "pelican")
        #expect(chain.contains("bird"))
        #expect(chain.last == "entity")
        let physical = try #require(wn.resolve("physical_entity.n.01"))
        #expect(wn.closure(pelican).contains(physical))
        let idea = try #require(wn.senses(of: "idea").first?.synset)
        #expect(!wn.closure(idea).contains(physical))
        // Proper names are instances.
        let paris = try #require(wn.senses(of: "paris").first?.synset)
        #expect(wn.synsets[Int(paris)].isInstance)
    }

    @Test func missingDatabaseIsAClearError() {
        #expect(throws: PointillistError.self) { try PrincetonLoader.load(directory: "/nonexistent/wordnet") }
        do {
            _ = try PrincetonLoader.load(directory: "/nonexistent/wordnet")
        } catch {
            #expect(error.description.contains("/nonexistent/wordnet/data.noun"))
        }
    }

    @Test func malformedDataLineNamesFileAndLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wn-bad-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = "00001740 03 n 01 entity 0 000 | that which exists  \n"
        try (good + "00001930 03 n 01 physical_entity\n").write(to: dir.appendingPathComponent("data.noun"), atomically: true, encoding: .utf8)
        try "".write(to: dir.appendingPathComponent("index.noun"), atomically: true, encoding: .utf8)
        try "".write(to: dir.appendingPathComponent("noun.exc"), atomically: true, encoding: .utf8)
        do {
            _ = try PrincetonLoader.load(directory: dir.path)
            Issue.record("a truncated synset line was accepted")
        } catch {
            #expect((error.file ?? "").hasSuffix("data.noun"))
            #expect(error.line == 2)
            #expect(error.reason.contains("00001930"))
        }
    }
}

@Suite struct LMFTests {
    let oewn = Lexicons.oewn
    let wn = Lexicons.princeton

    @Test func loadsTheOEWNSample() throws {
        // Counted in the files: 51 + 2,671 synsets (all nouns).
        #expect(oewn.synsets.count == 51 + 2_671)
        let apple = try #require(oewn.senses(of: "apple").first)
        let synset = oewn.synsets[Int(apple.synset)]
        #expect(synset.id == "oewn-07755101-n")
        #expect(synset.lexFile.name == "noun.food")
        #expect(!synset.gloss.isEmpty)
        let physical = try #require(oewn.resolve("physical_entity.n.01"))
        #expect(oewn.synsets[Int(physical)].ili == "i35546")
        // Irregular forms come from <Form>.
        #expect(oewn.baseForms(of: "phenomena").contains("phenomenon"))
        // The sense order follows Sense@n across files: food.n.01 is in Tops, food.n.02 in food.
        #expect(oewn.synsets[Int(try #require(oewn.resolve("food.n.01")))].lexFile.name == "noun.Tops")
        #expect(oewn.synsets[Int(try #require(oewn.resolve("food.n.02")))].lexFile.name == "noun.food")
        // Relations into lexicographer files that are not loaded are dropped and counted.
        #expect(oewn.unresolvedRelations > 0)
    }

    /// On food lemmas present in both sources, the hypernym chains name the same concepts as
    /// far as the sample reaches. (The tangible verdicts are compared in VocabularyTests,
    /// through the filter itself.)
    @Test func bothFormatsGiveComparableHypernymChains() throws {
        var compared = 0
        var chainOverlap = 0.0
        for (i, synset) in oewn.synsets.enumerated() where synset.lexFile.name == "noun.food" {
            guard let lemma = synset.lemmas.first else { continue }
            let key = Lexicon.key(lemma)
            guard let wnSense = wn.senses(of: key).first(where: { wn.synsets[Int($0.synset)].lexFile.name == "noun.food" })
            else { continue }
            compared += 1
            // Chains as lemma sets: the OEWN chain stops where the sample ends (its next
            // hypernym lies in a file not loaded), so measure how much of it the WordNet 3.0
            // chain shares.
            let oewnChain = oewn.hypernymChain(Int32(i)).map { Set(oewn.synsets[Int($0)].lemmas.map(Lexicon.key)) }
            let wnChain = wn.hypernymChain(wnSense.synset).map { Set(wn.synsets[Int($0)].lemmas.map(Lexicon.key)) }
            let shared = oewnChain.filter { step in wnChain.contains { !$0.isDisjoint(with: step) } }.count
            chainOverlap += Double(shared) / Double(oewnChain.count)
        }
        #expect(compared > 1_000)
        #expect(chainOverlap / Double(compared) > 0.9, "mean chain overlap \(chainOverlap / Double(compared))")
        let apple = oewn.hypernymChain(try #require(oewn.senses(of: "apple").first).synset).map { oewn.synsets[Int($0)].lemmas[0] }
        #expect(apple.prefix(3) == ["apple", "edible fruit", "produce"])
        let wnApple = wn.hypernymChain(try #require(wn.senses(of: "apple").first).synset).map { wn.synsets[Int($0)].lemmas[0] }
        #expect(wnApple.prefix(3) == ["apple", "edible fruit", "produce"])
    }

    @Test func malformedXMLNamesFileAndLineAndNeverFetchesTheDTD() throws {
        let source = try String(contentsOfFile: Lexicons.oewnFiles[0], encoding: .utf8)
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        // Cut the file in the middle of an element: line 40 is left unterminated.
        let broken = lines.prefix(39).joined(separator: "\n") + "\n    <LexicalEntry id=\"x\"\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(getpid()).xml").path
        try broken.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try LMFLoader.load(files: [path])
            Issue.record("truncated XML was accepted")
        } catch {
            #expect(error.file == path)
            #expect((error.line ?? 0) >= 40)
            #expect(!error.reason.isEmpty)
        }
        #expect(throws: PointillistError.self) { try LMFLoader.load(files: ["/nonexistent.xml"]) }
    }

    /// The shipped Open English WordNet 2025 (gzip) names each synset's lexicographer file in
    /// a `lexfile` attribute, where WN-LMF 1.1 files use `dc:subject`.
    @Test func theShippedOEWNLoadsWithItsLexicographerFiles() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Data/oewn/english-wordnet-2025.xml.gz").standardizedFileURL.path
        let oewn = try LMFLoader.load(files: [path])
        #expect(oewn.synsets.count > 70_000)  // nouns
        func lexFile(_ lemma: String) -> String? { oewn.senses(of: lemma).first.map { oewn.synsets[Int($0.synset)].lexFile.name } }
        #expect(lexFile("sky") == "noun.object")
        #expect(lexFile("dog") == "noun.animal")
        #expect(lexFile("umbrella") == "noun.artifact")
        let files = Set(oewn.synsets.map(\.lexFile.name))
        #expect(files.count >= 25, "\(files.sorted())")
    }

    /// OEWN's sense ids spell WordNet sense keys, so WordNet 3.0's tag counts order its senses:
    /// a toaster is the appliance, an alpaca the animal, a whale the cetacean, as in 3.0.
    @Test func theShippedOEWNTakesWordNetTagCountsThroughSenseKeys() throws {
        #expect(LMFLoader.senseKey(ofID: "oewn-toaster__1.06.00..") == "toaster%1:06:00::")
        #expect(LMFLoader.senseKey(ofID: "oewn-o-apos-clock__4.02.00..") == "o'clock%4:02:00::")
        // Ids as the shipped file writes them: a hyphen doubled, a slash named.
        #expect(LMFLoader.senseKey(ofID: "oewn-jack--in--the--box__1.06.00..") == "jack-in-the-box%1:06:00::")
        #expect(LMFLoader.senseKey(ofID: "oewn-by--product__1.06.00..") == "by-product%1:06:00::")
        #expect(LMFLoader.senseKey(ofID: "oewn-20-sol-20__1.09.00..") == "20/20%1:09:00::")
        #expect(LMFLoader.senseKey(ofID: "oewn-christ-apos-s--thorn__1.20.02..") == "christ's-thorn%1:20:02::")
        #expect(LMFLoader.senseKey(ofID: "t-1-n") == nil)
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Data/oewn/english-wordnet-2025.xml.gz").standardizedFileURL.path
        let oewn = try LMFLoader.load(files: [path], tagCounts: PrincetonLoader.defaultDirectory + "/cntlist.rev")
        #expect(oewn.hasVerbTagCounts)
        #expect(oewn.verbTagCount("fall") == wn.verbTagCount("fall"))
        // The same counts on the same senses, most tagged first.
        for word in ["plant", "book", "chicken", "dog", "glass", "man", "by-product"].map(Lexicon.key) {
            let counts = oewn.senses(of: word).map(\.count)
            #expect(counts == counts.sorted(by: >), "\(word): \(counts)")
            #expect(counts.reduce(0, +) == wn.nounTagCount(word), "\(word)")
            let (a, b) = (try #require(oewn.senses(of: word).first), try #require(wn.senses(of: word).first))
            #expect(a.count == b.count && oewn.synsets[Int(a.synset)].lexFile == wn.synsets[Int(b.synset)].lexFile, "\(word)")
        }
        let plain = try LMFLoader.load(files: [path])
        #expect(!plain.hasVerbTagCounts && plain.nounTagCount("plant") == 0)
    }

    @Test func unknownLexicographerFileIsRejected() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <LexicalResource xmlns:dc="https://globalwordnet.github.io/schemas/dc/">
              <Lexicon id="t" label="t" language="en" email="e" license="l" version="1">
                <LexicalEntry id="t-a-n"><Lemma writtenForm="a" partOfSpeech="n"/><Sense id="s" synset="t-1-n"/></LexicalEntry>
                <Synset id="t-1-n" partOfSpeech="n" dc:subject="noun.nonsense"/>
              </Lexicon>
            </LexicalResource>
            """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("subject-\(getpid()).xml").path
        try xml.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try LMFLoader.load(files: [path])
            Issue.record("unknown lexicographer file accepted")
        } catch {
            #expect(error.line == 5)
            #expect(error.reason.contains("noun.nonsense"))
        }
    }
}
