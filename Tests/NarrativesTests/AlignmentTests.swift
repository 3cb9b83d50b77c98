import Testing
import Text

@testable import Narratives

@Suite struct TokenizerTests {
    @Test func wordsCarryScalarOffsets() {
        let tokens = Tokenizer.tokens(in: "In this image, a man's T-shirt — café  2 dogs.")
        #expect(tokens.map(\.normalized) == ["in", "this", "image", "a", "mans", "tshirt", "café", "2", "dogs"])
        #expect(tokens.map(\.start) == [0, 3, 8, 15, 17, 23, 33, 39, 41])
        #expect(tokens[5].length == 7)  // "T-shirt"
        #expect(tokens[6].length == 4)  // "café" is four scalars
    }

    @Test func aTrailingApostropheOrHyphenIsNotPartOfTheWord() {
        let tokens = Tokenizer.tokens(in: "the dogs' - bowl-")
        #expect(tokens.map(\.normalized) == ["the", "dogs", "bowl"])
        #expect(tokens.map(\.length) == [3, 4, 4])
    }

    /// ASCII text takes a byte path; it must split and normalise exactly as the scalar path,
    /// including runs of joiners, joiners at the edges and every ASCII punctuation mark.
    @Test func asciiPathAgreesWithTheScalarPath() {
        var state: UInt64 = 12345
        let pieces = [
            "Dog", "man", "T", "shirt", "2", "10", "'", "-", "--", "''", " ", "  ", ",", ".", "!", "(", ")",
            "\"", "/", "_", "@", "\t", "\n", "x", "ZEBRA", "A1b2", "~", "`", "{", "[",
        ]
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<Int(state % 25) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += pieces[Int((state >> 33) % UInt64(pieces.count))]
            }
            state = state &* 6_364_136_223_846_793_005 &+ 1
            #expect(Tokenizer.tokens(in: text) == Tokenizer.scalarTokens(in: text), "\(text)")
        }
        // Text with one non-ASCII scalar goes the scalar way and still counts scalars.
        #expect(Tokenizer.tokens(in: "a café-bar").map(\.start) == [0, 2])
    }
}

@Suite struct NormalisedWordsTests {
    /// The word lists of two texts.
    func lists(_ a: String, _ b: String) -> (NormalisedWords, NormalisedWords) {
        var x = NormalisedWords(), y = NormalisedWords()
        x.append(a)
        y.append(b)
        return (x, y)
    }

    /// The aligner's word list holds the tokenizer's words (spans and normalised forms), for
    /// ASCII and other text, several texts one after another.
    @Test func holdsTheTokenizersWords() {
        let texts = ["In this image, a man's T-shirt — café  2 dogs.", "the dogs' - bowl-", "", "Ünïcode wörds and ASCII", "A b-C d'"]
        var all = NormalisedWords()
        var expected: [Token] = []
        for text in texts {
            var list = NormalisedWords()
            list.append(text)
            all.append(text)
            let tokens = Tokenizer.tokens(in: text)
            expected += tokens
            #expect(list.words.map(\.start) == tokens.map(\.start))
            #expect(list.words.map(\.length) == tokens.map(\.length))
        }
        let forms = all.words.indices.map { String(decoding: all.form($0), as: UTF8.self) }
        #expect(forms == expected.map(\.normalized))
        #expect(all.words.count == 9 + 3 + 0 + 4 + 3)
        #expect(all.words.map(\.isASCII) == expected.map { $0.normalized.allSatisfy(\.isASCII) })
    }

    /// Variants are told by scalars, also for words that are not ASCII: "naïve"/"naive" is
    /// one slip in five scalars (a variant), though two edits in their UTF-8 bytes;
    /// "résumé"/"resume" is two slips in six (not one).
    @Test func variantsOfWordsBeyondASCIIAreToldByScalars() {
        let (a, b) = lists("café trees naïve résumé", "cafés tree naive resume")
        #expect(a.areVariants(0, b, 0))
        #expect(a.areVariants(1, b, 1))
        #expect(a.areVariants(2, b, 2))
        #expect(!a.areVariants(3, b, 3))
        #expect(WordAligner.areVariants("naïve", "naive") && !WordAligner.areVariants("résumé", "resume"))
    }

    @Test func wordsCompareByTheirNormalisedForm() {
        let (a, b) = lists("Dog DOGS dog café", "dog, CAFÉ do")
        #expect(a.same(0, b, 0))
        #expect(a.same(2, b, 0))
        #expect(!a.same(1, b, 0))
        #expect(a.same(3, b, 1))
        #expect(!a.same(0, b, 2))
    }
}

@Suite struct WordAlignerTests {
    func align(_ caption: String, _ utterances: [(String, Double, Double)]) -> [Word] {
        WordAligner.align(caption: caption, utterances: utterances.map { Utterance(text: $0.0, start: $0.1, end: $0.2) })
    }

    @Test func caseAndPunctuationDifferencesStillMatchExactly() {
        let words = align(
            "In this image, we can see a Dog.",
            [
                ("in this image", 1.0, 1.9), ("we can see", 2.0, 2.6), ("a dog", 2.8, 3.4),
            ])
        #expect(words.count == 8)
        #expect(words.allSatisfy { $0.status == .exact })
        // "a dog" spoken 2.8–3.4 s: "a" takes 1/4 of it, "dog" 3/4 (by length).
        #expect(abs(words[6].startTime - 2.8) < 1e-5)
        #expect(abs(words[6].endTime - 2.95) < 1e-5)
        #expect(abs(words[7].startTime - 2.95) < 1e-5)
        #expect(abs(words[7].endTime - 3.4) < 1e-5)
        // "In this image" spoken 1.0–1.9: lengths 2, 4, 5 of 11.
        #expect(abs(words[1].startTime - 1.0 - 0.9 * 2 / 11) < 1e-5)
    }

    @Test func variantsAndSubstitutionsAreAlignedInPlace() {
        let words = align(
            "There are trees and a bench near the lake.",
            [
                ("there are tree", 1, 2), ("and the bench", 2, 3), ("near the lake", 3, 4),
            ])
        #expect(words.map(\.status) == [.exact, .exact, .fuzzy, .exact, .substituted, .exact, .exact, .exact, .exact])
        #expect(words[4].startTime == 2 + Float(3.0 / 11.0))  // "the" after "and " in "and the bench"
    }

    @Test func wordsMissingFromTheUtterancesAreUnaligned() {
        let words = align(
            "A small brown dog is running on the grass.",
            [
                ("a dog", 1, 2), ("is running on the grass", 2, 4),
            ])
        let statuses = words.map(\.status)
        #expect(statuses == [.exact, .notSpoken, .notSpoken, .exact, .exact, .exact, .exact, .exact, .exact])
        #expect(words[3].startTime == 1 + 1.0 / 4.0)
    }

    @Test func extraSpokenWordsAreSkipped() {
        let words = align("A cat on a sofa.", [("a cat uh sitting on a sofa", 0, 5)])
        #expect(words.map(\.status) == [.exact, .exact, .exact, .exact, .exact])
        #expect(words[2].startTime > 2)  // "on" comes after the two skipped words
    }

    @Test func aMiddleTooLargeToAlignWholeIsAlignedInBlocks() {
        // 6,000 words whose first and last differ between caption and speech, and every
        // 40th in between: the middle is 36 million cells, over the whole-alignment budget.
        let vocabulary = ["dog", "grass", "red", "car", "tree", "sky", "woman", "bag"]
        var state: UInt64 = 7
        let spoken = (0..<6000).map { _ -> String in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return vocabulary[Int(state >> 33) % vocabulary.count]
        }
        var written = spoken
        for i in stride(from: 0, to: written.count, by: 40) { written[i] = "bench" }
        written[written.count - 1] = "bench"
        #expect(6000 * 6000 > WordAligner.fullAlignmentCells)
        let words = align(written.joined(separator: " "), [(spoken.joined(separator: " "), 0, 600)])
        #expect(words.count == 6000)
        let exact = words.indices.filter { words[$0].status == .exact }
        // Every word but the replaced ones, less a few at block edges, matches its own place.
        #expect(exact.count > 5700)
        let inPlace = exact.filter { abs(Double(words[$0].startTime) - 600.0 * Double($0) / 6000) < 1 }
        #expect(inPlace.count > 5700)
    }

    @Test func untimedUtterancesLeaveTheirWordsUnaligned() {
        let words = align(
            "In the background there are trees.",
            [
                ("in the background", 0, 0), ("there are trees", 5, 6),
            ])
        #expect(words.prefix(3).allSatisfy { $0.status == .untimedUtterance && !$0.isAligned })
        #expect(words.suffix(3).allSatisfy { $0.status == .exact })
    }

    @Test func anUtteranceEndingBeforeItStartsIsUntimed() {
        let words = align("A dog.", [("a dog", 3, 2)])
        #expect(words.allSatisfy { $0.status == .untimedUtterance })
    }

    @Test func noUtterancesLeaveEveryWordUnaligned() {
        let words = align("A dog on a beach.", [])
        #expect(words.count == 5)
        #expect(words.allSatisfy { $0.status == .notSpoken })
    }

    @Test(arguments: [
        ("tree", "trees", true), ("bus", "buses", true), ("umbrella", "umbrela", true),
        ("building", "buildngs", true), ("cat", "cut", false), ("a", "the", false), ("trees", "tress", true),
        ("dog", "dogs", true), ("man", "men", false), ("sky", "skies", false),
    ])
    func variants(_ a: String, _ b: String, _ expected: Bool) {
        #expect(WordAligner.areVariants(a, b) == expected)
        #expect(WordAligner.areVariants(b, a) == expected)
    }
}

@Suite struct TraceSegmenterTests {
    /// Two segments: the mouse moves right along y = 0.5 from t = 1 to 2, then waits, then
    /// moves down along x = 0.9 from t = 4 to 5, leaving the image at the end.
    let traces: Traces = {
        var points: [TracePoint] = []
        for i in 0...10 { points.append(TracePoint(x: 0.1 + 0.05 * Float(i), y: 0.5, t: 1 + 0.1 * Float(i))) }
        for i in 0...10 { points.append(TracePoint(x: 0.9, y: 0.6 + 0.05 * Float(i), t: 4 + 0.1 * Float(i))) }
        return Traces(points: points, segmentLengths: [11, 11])
    }()

    func word(_ start: Float, _ end: Float) -> Word {
        Word(start: 0, length: 3, status: .exact, startTime: start, endTime: end)
    }

    @Test func pointsInTheSpanWithTheMargin() {
        let noMargin = TraceSegmenter(margin: 0, minimumPoints: 3, outOfImage: .keep)
        let s = noMargin.segment(of: word(1.25, 1.55), in: traces)
        #expect(s.points.map(\.t) == [1.3, 1.4, 1.5].map(Float.init))
        #expect(!s.interpolated)
        let widened = TraceSegmenter(margin: 0.1, minimumPoints: 3, outOfImage: .keep).segment(of: word(1.25, 1.55), in: traces)
        #expect(widened.points.count == 5)
    }

    @Test func spansAcrossSegmentsTakeFromBoth() {
        let s = TraceSegmenter(margin: 0, minimumPoints: 3, outOfImage: .keep).segment(of: word(1.85, 4.15), in: traces)
        #expect(s.points.count == 2 + 2)
        #expect((s.points.count < 3) == s.interpolated)
    }

    @Test func tooFewPointsAreInterpolated() {
        let s = TraceSegmenter(margin: 0, minimumPoints: 3, outOfImage: .keep).segment(of: word(1.52, 1.58), in: traces)
        #expect(s.interpolated)
        #expect(s.points.count == 3)
        #expect(abs(s.points[0].x - (0.1 + 0.05 * 5.2)) < 1e-4)
        #expect(abs(s.points[2].x - (0.1 + 0.05 * 5.8)) < 1e-4)
        #expect(s.points.allSatisfy { $0.y == 0.5 })
    }

    @Test func aWordSpokenWhileTheMouseRestedHasNoSegment() {
        let s = TraceSegmenter(margin: 0.2, minimumPoints: 3, outOfImage: .keep).segment(of: word(2.5, 3.5), in: traces)
        #expect(s.points.isEmpty)
        #expect(s.boundingBox == nil)
    }

    @Test func outOfImagePolicies() {
        let span = word(4.75, 5.0)  // y goes 0.975 ... 1.1
        let keep = TraceSegmenter(margin: 0, minimumPoints: 1, outOfImage: .keep).segment(of: span, in: traces)
        let drop = TraceSegmenter(margin: 0, minimumPoints: 1, outOfImage: .drop).segment(of: span, in: traces)
        let clamp = TraceSegmenter(margin: 0, minimumPoints: 1, outOfImage: .clamp).segment(of: span, in: traces)
        #expect(keep.points.count == 3)
        #expect(drop.points.count == 1)
        #expect(clamp.points.count == 3)
        #expect(clamp.points.allSatisfy { $0.isOnImage })
        #expect(clamp.boundingBox?.maxY == 1)
    }

    /// The ingest counts use `Counter`, which must agree with the segments later stages build.
    @Test(arguments: OutOfImagePolicy.allCases)
    func pointCountAgreesWithSegment(_ policy: OutOfImagePolicy) {
        for margin: Float in [0, 0.05, 0.2] {
            let segmenter = TraceSegmenter(margin: margin, minimumPoints: 3, outOfImage: policy)
            var counter = segmenter.counter(for: traces)
            for start in stride(from: Float(0.5), through: 5.5, by: 0.13) {
                for length: Float in [0.02, 0.1, 0.4, 1.5] {
                    let w = word(start, start + length)
                    let segment = segmenter.segment(of: w, in: traces)
                    let counted = counter.count(of: w)
                    #expect(counted.count == segment.points.count, "\(policy) \(margin) \(start) \(length)")
                    #expect(counted.interpolated == segment.interpolated)
                }
            }
            // Words out of time order (a counter moves forward, then must search back).
            var words: [Word] = []
            for start in stride(from: Float(0.5), through: 5.5, by: 0.37) { words.append(word(start, start + 0.3)) }
            let shuffled = words.enumerated().sorted { ($0.offset * 7) % 11 < ($1.offset * 7) % 11 }.map(\.element)
            var again = segmenter.counter(for: traces)
            for w in shuffled {
                #expect(again.count(of: w).count == segmenter.segment(of: w, in: traces).points.count, "\(policy) \(w.startTime)")
            }
        }
    }

    @Test func unalignedWordsHaveNoSegment() {
        let w = Word(start: 0, length: 3, status: .notSpoken)
        #expect(TraceSegmenter.standard.segment(of: w, in: traces).points.isEmpty)
    }
}

@Suite struct PackingTests {
    @Test func blobsRoundTrip() throws {
        let n = try decode(validLine)
        let words = WordAligner.align(caption: n.caption, utterances: n.utterances)
        let traces = Packing.pack(n.traces)
        #expect(traces.count == 4 + 2 * 4 + 7 * 12)
        #expect(try traces.withUnsafeBytes { b throws(Packing.Corrupt) in try Packing.unpackTraces(b) } == n.traces)
        #expect(try Packing.pack(words).withUnsafeBytes { b throws(Packing.Corrupt) in try Packing.unpackWords(b) } == words)
        #expect(try Packing.pack(n.utterances).withUnsafeBytes { b throws(Packing.Corrupt) in try Packing.unpackUtterances(b) } == n.utterances)
        // Non-ASCII text, an empty utterance, none at all; the documented byte layout.
        let odd = [Utterance(text: "un café ☕", start: 1.5, end: 2.25), Utterance(text: "", start: 0, end: 0)]
        let packed = Packing.pack(odd)
        #expect(packed.count == 4 + 20 + "un café ☕".utf8.count + 20)
        #expect(Array(packed[0..<4]) == [2, 0, 0, 0])
        #expect(Array(packed[20..<24]) == [UInt8("un café ☕".utf8.count), 0, 0, 0])
        #expect(try packed.withUnsafeBytes { b throws(Packing.Corrupt) in try Packing.unpackUtterances(b) } == odd)
        #expect(try Packing.pack([Utterance]()).withUnsafeBytes { b throws(Packing.Corrupt) in try Packing.unpackUtterances(b) } == [])
    }

    @Test func truncatedBlobsAreErrors() {
        let bytes = Packing.pack(Traces(points: [TracePoint(x: 0.5, y: 0.5, t: 1)], segmentLengths: [1]))
        for cut in 0..<bytes.count {
            let result = Array(bytes[..<cut]).withUnsafeBytes { b in Result { () throws(Packing.Corrupt) in try Packing.unpackTraces(b) } }
            if case .success = result { Issue.record("accepted a blob cut at \(cut)") }
        }
    }
}
