import Foundation
import Imaging
import Testing

/// `pointillist evaluate` as a user runs it: generated scenes, methods made by `scenes damage`,
/// point labels in Open Images V7's layout, and the ground truth as per-class binary masks.
@Suite(.serialized) struct EvaluateCommandTests {
    @Test func scoresDamagedMethodsAgainstPointsMasksAndDraws() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
            let r = try Fixture.run(arguments, in: dir)
            #expect(r.status == 0, "\(arguments): \(r.err)")
            return r
        }
        _ = try run(["scenes", "--out", "scenes", "--count", "24", "--seed", "9", "--width", "160", "--height", "120", "--quiet"])
        for (name, damage) in [("eroded", "erode:2"), ("blurred", "blur:6"), ("swapped", "swap:0.3")] {
            let r = try run(["scenes", "damage", "--masks", "scenes/masks", "--out", name, "--damage", damage, "--quiet"])
            #expect(r.out.contains("24 masks damaged by \(damage)"))
        }
        // Masks are read as class values: a 1-bit mask keeps class 1 (libpng had widened it to
        // 255), a colour PNG is an error naming it (it had trapped the process).
        let odd = dir.appendingPathComponent("odd/masks")
        try FileManager.default.createDirectory(at: odd, withIntermediateDirectories: true)
        try "1\tcar\n".write(to: dir.appendingPathComponent("odd/classes.tsv"), atomically: true, encoding: .utf8)
        let oneBit = "iVBORw0KGgoAAAANSUhEUgAAAAQAAAACAQAAAABX00DOAAAADElEQVR4nGMIYDgAAAG0ARF42ARpAAAAAElFTkSuQmCC"
        try #require(Data(base64Encoded: oneBit)).write(to: odd.appendingPathComponent("a.png"))
        _ = try run(["scenes", "damage", "--masks", "odd/masks", "--out", "odd-eroded", "--damage", "swap:0", "--quiet"])
        let kept = try ImageFile.readClassValues(dir.appendingPathComponent("odd-eroded/a.png").path).mapped(through: (0...255).map { Int32($0) })
        #expect(kept == [0, 1, 0, 1, 1, 1, 0, 0])
        try Data(PNGFile.encode(Image(width: 2, height: 1, channels: 3, pixels: [1, 1, 1, 0, 0, 0]))).write(to: odd.appendingPathComponent("b.png"))
        let colour = try Fixture.run(["scenes", "damage", "--masks", "odd/masks", "--out", "odd-2", "--damage", "swap:0", "--quiet"], in: dir)
        #expect(colour.status == 1 && colour.err.contains("b.png: a colour PNG"), "\(colour.err)")
        // The truth again, as Open Images' per-class binary masks, and point labels read off it:
        // Yes for the class under a point, No for class 1 where it is not; and a Yes at the first
        // pixel of every class in the image, so that each mask class name meets its MID.
        let classes = try String(contentsOf: dir.appendingPathComponent("scenes/classes.tsv"), encoding: .utf8)
        var nameOf: [UInt8: String] = [:]
        for line in classes.split(separator: "\n") {
            let f = line.split(separator: "\t")
            if f.count > 1, let v = UInt8(f[0]), v > 0 { nameOf[v] = String(f[1]) }
        }
        let binary = dir.appendingPathComponent("binary/part")
        try FileManager.default.createDirectory(at: binary, withIntermediateDirectories: true)
        var csv = "ImageId,X,Y,Label,EstimatedYesNo,Source,YesVotes,NoVotes,UnsureVotes,TextLabel\n"
        var points = 0
        let masks = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("scenes/masks").path).sorted()
        for file in masks {
            let id = String(file.dropLast(4))
            let mask = try ImageFile.read(dir.appendingPathComponent("scenes/masks/\(file)").path, layout: .asStored)
            for value in Set(mask.pixels) {
                let first = mask.pixels.firstIndex(of: value)!
                let (x, y) = ((Double(first % 160) + 0.5) / 160, (Double(first / 160) + 0.5) / 120)
                csv += "\(id),\(x),\(y),/m/0test\(value),yes,ih,2,0,0,\(nameOf[value]!)\n"
                points += 1
                let bits = Image(width: mask.width, height: mask.height, channels: 1, pixels: mask.pixels.map { $0 == value ? 255 : 0 })
                let mid = "m0test\(value)"
                try Data(PNGFile.encode(bits)).write(to: binary.appendingPathComponent("\(id)_\(mid)_\(value).png"))
            }
            for k in 0..<30 {
                let (x, y) = ((Double(k % 6) + 0.5) / 6, (Double(k / 6) + 0.5) / 5)
                let value = mask.pixels[Int(y * 120) * 160 + Int(x * 160)]
                csv += "\(id),\(x),\(y),/m/0test\(value),yes,ih,2,0,0,\(nameOf[value]!.capitalized)\n"
                if value != 1 { csv += "\(id),\(x),\(y),/m/0test1,no,ih,0,2,0,\(nameOf[1]!)\n" }
                points += 1
            }
        }
        csv += "\(masks[0].dropLast(4)),0.5,1.5,/m/0test1,yes,ih,2,0,0,\(nameOf[1]!)\n"
        try csv.write(to: dir.appendingPathComponent("points.csv"), atomically: true, encoding: .utf8)

        let arguments = [
            "evaluate", "--points", "points.csv", "--masks", "scenes/masks", "--method", "truth=scenes/masks", "--method", "binary=binary",
            "--method", "eroded=eroded", "--method", "blurred=blurred", "--method", "swapped=swapped", "--draws", "3", "--points-per-image", "20",
            "--quiet", "--out", "evaluation",
        ]
        let r = try run(arguments)
        // The bad row is rejected with its place; the rest is read.
        #expect(r.err.contains("points.csv:\(csv.split(separator: "\n").count): field Y:"), "\(r.err)")
        #expect(r.out.contains("\(points) points on 24 images"), "\(r.out)")
        #expect(r.out.contains("Kendall's tau, ranking by point IoU (point labels) against dense IoU: "))
        #expect(r.out.contains("Kendall's tau, ranking by point IoU (3 draws of 20 points per image) against dense IoU: "))
        let rows = try String(contentsOf: dir.appendingPathComponent("evaluation/methods.csv"), encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 1 + 5 * 4)
        func row(_ method: String, _ points: String) -> [Substring] {
            rows.first { $0.hasPrefix("\(method),\(points),") }!.split(separator: ",", omittingEmptySubsequences: false)
        }
        // The truth, in either layout, scores 1 everywhere; damaged masks score less.
        for method in ["truth", "binary"] {
            for points in ["labels", "draw 1", "draw 3"] {
                #expect(row(method, points)[2] == "1.000000" && row(method, points)[6] == "1.000000", "\(method) \(points)")
            }
        }
        for method in ["eroded", "blurred", "swapped"] {
            #expect(Double(row(method, "labels")[2])! < 1 && Double(row(method, "draw 1")[6])! < 1, "\(method)")
        }
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("evaluation/dense-vs-point.png").path))
        let perClass = try String(contentsOf: dir.appendingPathComponent("evaluation/classes.csv"), encoding: .utf8)
        #expect(perClass.hasPrefix("method,points,label,name,tp,fp,fn,point_iou,few_points,dense_tp,"))
        // The same run again writes the same figures: draws are seeded.
        let first = try Data(contentsOf: dir.appendingPathComponent("evaluation/methods.csv"))
        _ = try run(arguments)
        #expect(try Data(contentsOf: dir.appendingPathComponent("evaluation/methods.csv")) == first)
        // Mistakes a user makes are refused with what to do.
        let none = try Fixture.run(["evaluate", "--points", "points.csv"], in: dir)
        #expect(none.status != 0 && none.err.contains("--method"))
        let drawsWithoutMasks = try Fixture.run(["evaluate", "--points", "points.csv", "--method", "a=eroded", "--draws", "2"], in: dir)
        #expect(drawsWithoutMasks.status != 0 && drawsWithoutMasks.err.contains("--masks"))
        try "ImageId,X,Y,Label,EstimatedYesNo\na,0.5,2,/m/0test1,yes\n".write(
            to: dir.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        let nothing = try Fixture.run(["evaluate", "--points", "bad.csv", "--method", "a=eroded", "--quiet"], in: dir)
        #expect(nothing.status == 3 && nothing.err.contains("bad.csv:2: field Y"), "\(nothing.err)")
        let noFolder = try Fixture.run(["evaluate", "--points", "points.csv", "--method", "a=nowhere"], in: dir)
        #expect(noFolder.status != 0 && noFolder.err.contains("nowhere: no such folder of masks"), "\(noFolder.err)")
    }
}
