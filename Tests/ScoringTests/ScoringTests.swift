import Foundation
import Imaging
import Support
import Testing

@testable import Scoring

/// A folder with files for one test, removed by the caller.
private func folder(_ name: String) -> String {
    let path = NSTemporaryDirectory() + "scoring-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

private func writeMask(_ values: [UInt8], width: Int, to path: String) throws {
    let image = Image(width: width, height: values.count / width, channels: 1, pixels: values)
    try Data(PNGFile.encode(image)).write(to: URL(fileURLWithPath: path))
}

/// The centre of pixel (x, y) of a 4 × 2 mask, as point-label text.
private func at(_ x: Int, _ y: Int) -> String { "\((Double(x) + 0.5) / 4),\((Double(y) + 0.5) / 2)" }

@Suite struct CountingRuleTests {
    func counted(_ labels: [Int32], predicted: [Int32]) -> (IoUCounts, Bool) {
        var counts = IoUCounts(classes: 3)
        let informative = CountingRule.count(labels: labels, predicted: predicted, into: &counts)
        return (counts, informative)
    }

    @Test func yesPredictedIsATruePositive() {
        let (c, informative) = counted([1], predicted: [1])
        #expect(c.tp == [0, 1, 0] && c.fp == [0, 0, 0] && c.fn == [0, 0, 0] && informative)
    }

    @Test func yesPredictedOtherwiseIsAFalseNegativeAndTheOtherAFalsePositive() {
        let (c, _) = counted([1], predicted: [2])
        #expect(c.tp == [0, 0, 0] && c.fn == [0, 1, 0] && c.fp == [0, 0, 1])
    }

    @Test func noPredictedIsAFalsePositive() {
        let (c, informative) = counted([~1], predicted: [1])
        #expect(c.fp == [0, 1, 0] && c.tp == [0, 0, 0] && c.fn == [0, 0, 0] && informative)
    }

    @Test func noWithAnotherPredictionSaysNothing() {
        let (c, informative) = counted([~1], predicted: [2])
        #expect(c == IoUCounts(classes: 3) && !informative)
    }

    @Test func everyYesOfAPointIsScored() {
        let (c, _) = counted([0, 1], predicted: [1])
        #expect(c.tp == [0, 1, 0] && c.fn == [1, 0, 0] && c.fp == [0, 0, 0])
    }

    @Test func nothingPredictedMissesEveryYes() {
        let (c, _) = counted([0, ~2], predicted: [])
        #expect(c.fn == [1, 0, 0] && c.fp == [0, 0, 0])
    }
}

@Suite struct DecimalTextTests {
    func parse(_ text: String) -> Double? { Array(text.utf8).withUnsafeBufferPointer { DecimalText.parse($0) } }

    @Test func readsAsDoubleDoesAndRefusesWhatIsNoDecimal() {
        for text in ["0.5", "0", "1", "0.12345678901234", "0.841814884227575252", "1e-3", "5.", ".5", "0.0000001"] {
            #expect(parse(text) == Double(text), "\(text)")
        }
        #expect(parse("-0")?.sign == .plus && parse("-0.0")?.sign == .plus && parse("-0e0")?.sign == .plus, "minus zero is zero")
        #expect(parse("-0.25") == -0.25)
        for text in ["", "-", ".", "0x1p-1", "inf", "nan", "1,5", "0.5x"] { #expect(parse(text) == nil, "\(text)") }
    }
}

@Suite struct KendallTauTests {
    @Test func knownRankings() throws {
        #expect(KendallTau.tauB([1, 2, 3, 4], [10, 20, 30, 40]) == 1)
        #expect(KendallTau.tauB([1, 2, 3, 4], [4, 3, 2, 1]) == -1)
        // One swapped pair of six: (5 − 1) / 6.
        #expect(abs(try #require(KendallTau.tauB([1, 2, 3, 4], [1, 3, 2, 4])) - 4.0 / 6) < 1e-12)
        // A tie in the first list: 2 / √(2 · 3), as scipy.stats.kendalltau gives (0.8165).
        #expect(abs(try #require(KendallTau.tauB([1, 1, 2], [1, 2, 3])) - 2 / 6.0.squareRoot()) < 1e-12)
        #expect(KendallTau.tauB([1, 1], [1, 2]) == nil)
        #expect(KendallTau.tauB([1], [1]) == nil)
    }
}

@Suite struct EvaluatorTests {
    // Ground truth and a prediction, 4 × 2, classes 1 car and 2 road:
    //   truth 1 1 2 2     prediction 1 2 2 2
    //         1 1 2 2                1 1 1 2
    static let truth: [UInt8] = [1, 1, 2, 2, 1, 1, 2, 2]
    static let prediction: [UInt8] = [1, 2, 2, 2, 1, 1, 1, 2]

    func layout() throws -> (root: String, labels: String) {
        let root = folder("tiny")
        for name in ["truth", "method"] { try FileManager.default.createDirectory(atPath: "\(root)/\(name)", withIntermediateDirectories: true) }
        let table = "# value, name\nindex\tname\n0\tvoid\n1\tcar\n2\troad\n"
        try table.write(toFile: "\(root)/truth/classes.tsv", atomically: true, encoding: .utf8)
        try table.write(toFile: "\(root)/method/classes.tsv", atomically: true, encoding: .utf8)
        try writeMask(Self.truth, width: 4, to: "\(root)/truth/img.png")
        try writeMask(Self.prediction, width: 4, to: "\(root)/method/img.png")
        // Yes car on predicted road (FN car, FP road); Yes car on car (TP); No car on predicted
        // car (FP car); No car on predicted road (nothing); unsure road (left out); Yes road and
        // No car at one point, predicted road (TP road).
        let csv = """
            ImageId,X,Y,Label,EstimatedYesNo,Source,YesVotes,NoVotes,UnsureVotes,TextLabel
            img,\(at(1, 0)),/m/0k4j,yes,ln,2,0,0,Car
            img,\(at(0, 0)),/m/0k4j,yes,ln,2,0,0,Car
            img,\(at(2, 1)),/m/0k4j,no,ln,0,2,0,Car
            img,\(at(3, 1)),/m/0k4j,no,ln,0,2,0,Car
            img,\(at(3, 0)),/m/06gfj,unsure,ln,1,1,0,Road
            img,\(at(2, 0)),/m/06gfj,yes,ln,2,0,0,Road
            img,\(at(2, 0)),/m/0k4j,no,label,0,3,0,Car

            """
        try csv.write(toFile: "\(root)/points.csv", atomically: true, encoding: .utf8)
        return (root, "\(root)/points.csv")
    }

    @Test func pointAndDenseIoUByHand() throws {
        let (root, labelsPath) = try layout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var classes = ClassSpace()
        let labels = try PointLabelReader.read([labelsPath], classes: &classes)
        #expect(labels.rows == 7 && labels.yes == 3 && labels.no == 3 && labels.unsure == 1 && labels.rejectedRows == 0)
        #expect(labels.points == 5)
        let truth = try MaskFolder(folder: "\(root)/truth", classes: &classes)
        let method = try MaskFolder(folder: "\(root)/method", classes: &classes)
        #expect(classes.labels == ["/m/0k4j", "/m/06gfj"], "mask classes matched by display name")
        let result = try Evaluator(
            methods: [.init(name: "m", masks: method)], truth: truth, labels: labels, classCount: classes.count
        ).run()
        let points = try #require(result.methods[0].points)
        #expect(points.tp == [1, 1] && points.fp == [1, 1] && points.fn == [1, 0])
        #expect(points.iou(0) == 1.0 / 3 && points.iou(1) == 0.5)
        #expect(result.labelledPoints == 5 && result.uninformativePoints == 1)
        let dense = try #require(result.methods[0].dense)
        #expect(dense.tp == [3, 3] && dense.fp == [1, 1] && dense.fn == [1, 1])
        #expect(dense.meanIoU == 0.6)
    }

    @Test func drawsFromTheTruthScoreTheTruthPerfectly() throws {
        let (root, _) = try layout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var classes = ClassSpace()
        let truth = try MaskFolder(folder: "\(root)/truth", classes: &classes)
        var evaluator = Evaluator(
            methods: [.init(name: "truth", masks: truth), .init(name: "m", masks: try MaskFolder(folder: "\(root)/method", classes: &classes))],
            truth: truth, labels: nil, classCount: classes.count)
        evaluator.draws = 3
        evaluator.pointsPerImage = 40
        let result = try evaluator.run()
        #expect(result.drawnPoints == 120 && result.voidDrawnPoints == 0)
        #expect(result.methods[0].draws.allSatisfy { $0.meanIoU == 1 })
        // The prediction is wrong at 2 of 8 pixels: some drawn points must miss.
        #expect(result.methods[1].draws.allSatisfy { ($0.meanIoU ?? 1) < 1 })
        #expect(
            PointDraws.pixels(imageID: "img", draw: 0, count: 5, pixels: 8, seed: 1)
                == PointDraws.pixels(imageID: "img", draw: 0, count: 5, pixels: 8, seed: 1))
        #expect(
            PointDraws.pixels(imageID: "img", draw: 0, count: 20, pixels: 8, seed: 1)
                != PointDraws.pixels(imageID: "img", draw: 1, count: 20, pixels: 8, seed: 1))
    }

    @Test func perClassBinaryMasksOverlap() throws {
        let root = folder("binary")
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Car covers the left half, road the right half and one pixel of the left.
        try writeMask([255, 255, 0, 0, 255, 255, 0, 0], width: 4, to: "\(root)/img_m0k4j_01.png")
        try writeMask([0, 1, 1, 1, 0, 0, 1, 1], width: 4, to: "\(root)/img_m06gfj_02.png")
        var classes = ClassSpace()
        _ = classes.pointLabelClass(label: "/m/06gfj", name: "Road")
        let masks = try MaskFolder(folder: root, classes: &classes)
        #expect(masks.layout == .perClassBinary && masks.imageIDs == ["img"])
        #expect(classes.labels == ["/m/06gfj", "/m/0k4j"])
        let map = try #require(try masks.labelMap("img"))
        #expect(map.classes(at: 1).sorted() == [0, 1] && map.classes(at: 0) == [1] && map.classes(at: 3) == [0])
        // Scored against itself as truth: a pixel of both classes is a TP of each.
        var counts = IoUCounts(classes: 2)
        CountingRule.countDense(truth: map, prediction: map, into: &counts)
        #expect(counts.tp == [5, 4] && counts.fp == [0, 0] && counts.fn == [0, 0])
        #expect(MaskFolder.imageAndMID(ofFileName: "0a1b_g11bc6wrl3_x.png")! == ("0a1b", "/g/11bc6wrl3"))
        #expect(MaskFolder.imageAndMID(ofFileName: "0a1b_m04_sv_9f2c.png")! == ("0a1b", "/m/04_sv"), "a MID with an underscore")
        #expect(MaskFolder.imageAndMID(ofFileName: "0a1b_m01g317.png")! == ("0a1b", "/m/01g317"))
        #expect(MaskFolder.imageAndMID(ofFileName: "0a1b_x12_9f2c.png") == nil && MaskFolder.imageAndMID(ofFileName: "plain.png") == nil)
    }

    @Test func sixteenBitClassIndexMasksKeepTheirValuesAndColourMasksAreRefused() throws {
        let root = folder("sixteen")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "1\tcar\n300\troad\n".write(toFile: "\(root)/classes.tsv", atomically: true, encoding: .utf8)
        try Data(PNGFile.encodeGrey16(width: 2, height: 2, values: [1, 300, 300, 0])).write(to: URL(fileURLWithPath: "\(root)/a.png"))
        try Data(PNGFile.encode(Image(width: 1, height: 1, channels: 3, pixels: [1, 1, 1]))).write(to: URL(fileURLWithPath: "\(root)/b.png"))
        var classes = ClassSpace()
        let masks = try MaskFolder(folder: root, classes: &classes)
        #expect(classes.labels == ["car", "road"])
        let values = try ImageFile.readClassValues("\(root)/a.png").mapped(through: (0...300).map { Int32($0) })
        #expect(values == [1, 300, 300, 0], "300 stays 300, not 300/256")
        #expect(try masks.labelMap("a")?.labels == [0, 1, 1, -1])
        #expect(throws: PointillistError.self) { try masks.labelMap("b") }
        do { _ = try masks.labelMap("b") } catch { #expect("\(error)".contains("a colour PNG"), "\(error)") }
    }

    /// 1-, 2- and 4-bit grey masks keep their stored values (libpng widens them by scaling);
    /// a grey mask with a transparency chunk is refused.
    @Test func lowBitDepthMasksKeepTheirValuesAndTransparentOnesAreRefused() throws {
        let root = folder("low-depth")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let files = [
            "one.png": "iVBORw0KGgoAAAANSUhEUgAAAAQAAAACAQAAAABX00DOAAAADElEQVR4nGMIYDgAAAG0ARF42ARpAAAAAElFTkSuQmCC",
            "two.png": "iVBORw0KGgoAAAANSUhEUgAAAAQAAAABAgAAAACW50iwAAAACklEQVR4nGOQBgAAHQAcjvT1IQAAAABJRU5ErkJggg==",
            "four.png": "iVBORw0KGgoAAAANSUhEUgAAAAQAAAABBAAAAAAZp70QAAAAC0lEQVR4nGNgnQ8AAKwApU/NrgMAAAAASUVORK5CYII=",
            "trns.png": "iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAAAAADRSSBWAAAAAnRSTlMAAHaTzTgAAAALSURBVHicY2BgBwAACgAI06WJ8AAAAABJRU5ErkJggg==",
        ]
        for (name, text) in files { try #require(Data(base64Encoded: text)).write(to: URL(fileURLWithPath: "\(root)/\(name)")) }
        let identity = (0...255).map { Int32($0) }
        #expect(try ImageFile.readClassValues("\(root)/one.png").mapped(through: identity) == [0, 1, 0, 1, 1, 1, 0, 0])
        #expect(try ImageFile.readClassValues("\(root)/two.png").mapped(through: identity) == [0, 1, 2, 3])
        #expect(try ImageFile.readClassValues("\(root)/four.png").mapped(through: identity) == [0, 5, 9, 15])
        do {
            _ = try ImageFile.readClassValues("\(root)/trns.png")
            Issue.record("a mask with tRNS was read")
        } catch { #expect("\(error)".contains("transparency chunk (tRNS)"), "\(error)") }
    }

    @Test func aPredictionOfAnotherSizeIsReadAtTheSamePlace() throws {
        let truth = LabelMap(width: 4, height: 2, labels: Self.truth.map { Int32($0) - 1 })
        // The prediction at twice the size, each pixel doubled: the same counts as at 4 × 2.
        let doubled = (0..<4).flatMap { y in (0..<8).map { x in Int32(Self.prediction[(y / 2) * 4 + x / 2]) - 1 } }
        var big = IoUCounts(classes: 2)
        CountingRule.countDense(truth: truth, prediction: LabelMap(width: 8, height: 4, labels: doubled), into: &big)
        var same = IoUCounts(classes: 2)
        CountingRule.countDense(truth: truth, prediction: LabelMap(width: 4, height: 2, labels: Self.prediction.map { Int32($0) - 1 }), into: &same)
        #expect(big == same)
    }
}

@Suite struct PointLabelReaderTests {
    func read(_ text: String, gzip: Bool = false) throws -> (PointLabelSet, ClassSpace) {
        let root = folder("reader")
        defer { try? FileManager.default.removeItem(atPath: root) }
        var path = "\(root)/points.csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        if gzip {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["gzip", path]
            try p.run()
            p.waitUntilExit()
            path += ".gz"
        }
        var classes = ClassSpace()
        return (try PointLabelReader.read([path], classes: &classes), classes)
    }

    @Test func badRowsAreRejectedWithLineAndFieldAndTheRestIsRead() throws {
        let (set, classes) = try read(
            """
            ImageId,X,Y,Label,EstimatedYesNo,Source,YesVotes,NoVotes,UnsureVotes,TextLabel
            a,0.5,0.5,/m/01,yes,ih,1,0,0,"Tree, oak"
            a,1.5,0.5,/m/01,yes,ih,1,0,0,Tree
            a,0.5,x,/m/01,yes,ih,1,0,0,Tree
            a,0.5,0.5,/m/01,maybe,ih,1,0,0,Tree
            ,0.5,0.5,/m/01,yes,ih,1,0,0,Tree
            a,0.25,0.5
            b,0.25,0.75,/m/02,no,ih,0,1,0,Sky

            """)
        #expect(set.rows == 7 && set.yes == 1 && set.no == 1 && set.rejectedRows == 5)
        #expect(set.rejected.map { "\($0.line ?? 0) \($0.field ?? "")" } == ["3 X", "4 Y", "5 EstimatedYesNo", "6 ImageId", "7 "])
        #expect(classes.names == ["Tree, oak", "Sky"])
        #expect(set.imageIDs == ["a", "b"] && set.points == 2)
    }

    @Test func gzipAndAnyColumnOrder() throws {
        let (set, classes) = try read("Label,ImageID,EstimatedYesNo,Y,X\n/m/01,a,yes,0.1,0.2\n/m/01,a,no,0.1,0.2\n/m/02,a,yes,0.1,0.2\n", gzip: true)
        // Yes and No for /m/01 at one point: left out, counted; /m/02 kept.
        #expect(set.conflicting == 2 && set.points == 1 && set.images[0].labels == [1])
        #expect(classes.names == ["/m/01", "/m/02"], "no TextLabel: the label names the class")
    }

    @Test func aHeaderWithoutTheColumnsIsAnError() {
        #expect(throws: PointillistError.self) { try read("ImageID,Source,LabelName,Confidence\na,x,/m/01,1\n") }
    }
}
