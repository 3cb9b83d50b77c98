import Foundation
import Support
import Testing

@testable import Imaging

@Suite struct ImageLocatorTests {
    @Test func openImagesAndFlickrNameFilesByTheBareId() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try dir.write(Fixture.bytes(Fixture.small), to: "0a0f9c7d2e1b3c44.jpg")
        #expect(ImageLocator.openImages(root: dir.path).locate("0a0f9c7d2e1b3c44") == path)
        try dir.write(Fixture.bytes(Fixture.small), to: "1000092795.jpg")
        #expect(ImageLocator.flickr30k(root: dir.path + "/").locate("1000092795") == dir.file("1000092795.jpg"))
        let image = try ImageLocator.openImages(root: dir.path).load("0a0f9c7d2e1b3c44")
        #expect(image == (try ImageFile.read(Fixture.small)))
    }

    @Test func cocoPadsNumericIdsToTwelveDigits() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try dir.write(Fixture.bytes(Fixture.small), to: "000000397133.jpg")
        let coco = ImageLocator.coco(root: dir.path)
        #expect(coco.locate("397133") == path)
        #expect(coco.locate("000000397133") == path, "an already padded id is not padded again")
        #expect(coco.locate("397134") == nil)
        #expect(coco.locate("dog") == nil, "a padded pattern needs a numeric id")
        #expect(try coco.paths(for: "1234567890123").get() == [dir.file("1234567890123.jpg")], "longer ids are kept whole")
        let error = imageError { () throws(PointillistError) in try coco.load("dog") }
        #expect(error?.reason.contains("not numeric") == true)
    }

    @Test func vidlnIdsCarryPathParts() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try dir.write(Fixture.bytes(Fixture.small), to: "frames/OVIS_train/71217dfc/img_0000002.jpg")
        let vidln = ImageLocator.vidln(root: dir.path)
        #expect(vidln.locate("OVIS_train/71217dfc/img_0000002") == path)
        #expect(try vidln.load("OVIS_train/71217dfc/img_0000002").width == 640)
        #expect(vidln.locate("OVIS_train/71217dfc/img_0000004") == nil)
        // A folder with the id's name is not an image.
        #expect(vidln.locate("OVIS_train/71217dfc") == nil)
    }

    @Test func missingImageErrorNamesIdAndPath() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let expected = dir.file("000000000042.jpg")
        let error = imageError { () throws(PointillistError) in try ImageLocator.coco(root: dir.path).load("42") }
        #expect(error == PointillistError(file: expected, reason: "image 42 not found at \(expected)"))
    }

    @Test func idsCannotLeaveTheRoot() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write(Fixture.bytes(Fixture.small), to: "inside/x.jpg")
        let locator = try ImageLocator(root: dir.file("inside/deeper"), pattern: "{id}.jpg")
        for id in ["../x", "/etc/passwd", "a//b", "./x", "", "a/"] {
            #expect(locator.locate(id) == nil, "\(id)")
            let error = imageError { () throws(PointillistError) in try locator.load(id) }
            #expect(error?.reason.contains("invalid image id") == true, "\(id)")
        }
    }

    @Test func extensionPlaceholderTriesEachInOrder() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let locator = try ImageLocator(root: dir.path, pattern: "img/{id}.{ext}", extensions: ["jpg", "png"])
        #expect(try locator.paths(for: "a").get() == [dir.file("img/a.jpg"), dir.file("img/a.png")])
        let png = dir.file("img/a.png")
        try FileManager.default.createDirectory(atPath: dir.file("img"), withIntermediateDirectories: true)
        try PNGFile.write(Image(width: 2, height: 2, channels: 1, fill: 9), to: png)
        #expect(locator.locate("a") == png)
        try dir.write(Fixture.bytes(Fixture.small), to: "img/a.jpg")
        #expect(locator.locate("a") == dir.file("img/a.jpg"))
        let missing = imageError { () throws(PointillistError) in try locator.load("b") }
        #expect(missing?.reason == "image b not found at \(dir.file("img/b.jpg")) or \(dir.file("img/b.png"))")
    }

    @Test func badPatternsAreRejected() {
        for (pattern, words) in [
            ("images/x.jpg", "no {id}"), ("{id.jpg", "unclosed"), ("{id}}.jpg", "unmatched"), ("{name}.jpg", "unknown placeholder"),
            ("{id:12}.jpg", "unknown placeholder"), ("/abs/{id}.jpg", "relative"),
        ] {
            #expect(throws: PointillistError.self) { try ImageLocator(root: "/r", pattern: pattern) }
            do {
                _ = try ImageLocator(root: "/r", pattern: pattern)
            } catch {
                #expect(error.description.contains(words), "\(error)")
            }
        }
        #expect(throws: PointillistError.self) { try ImageLocator(root: "/r", pattern: "{id}.{ext}", extensions: []) }
    }
}
