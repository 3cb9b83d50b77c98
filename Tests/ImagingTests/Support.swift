import CTurboJPEG
import Foundation
import Support
import Testing

@testable import Imaging

/// The real OVIS keyframes in Fixtures/ (see PROVENANCE.md).
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    /// 640×314, 28 kB.
    static let small = directory.appendingPathComponent("ovis_71217dfc_img_0000002.jpg").path
    /// 768×490, 135 kB.
    static let large = directory.appendingPathComponent("ovis_5d24e4ea_img_0000003.jpg").path

    static func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }
}

/// `image` compressed as a JPEG with libjpeg-turbo's encoder: greyscale for one channel,
/// 4:4:4 RGB for three (tests make the JPEGs no real fixture is at hand for).
func encodeJPEG(_ image: Image, quality: Int32 = 95) throws -> [UInt8] {
    let handle = try #require(tjInitCompress())
    defer { tjDestroy(handle) }
    let grey = image.channels == 1
    var output: UnsafeMutablePointer<UInt8>?
    var size: UInt = 0
    let status = image.pixels.withUnsafeBufferPointer { b in
        tjCompress2(
            handle, b.baseAddress, Int32(image.width), Int32(image.width * image.channels), Int32(image.height),
            (grey ? TJPF_GRAY : TJPF_RGB).rawValue, &output, &size, Int32((grey ? TJSAMP_GRAY : TJSAMP_444).rawValue), quality, 0)
    }
    defer { tjFree(output) }
    try #require(status == 0)
    let bytes = try #require(output)
    return Array(UnsafeBufferPointer(start: bytes, count: Int(size)))
}

extension PNGFile {
    /// Writes a PNG fixture. The program writes its files through Narratives'
    /// `FileSystem.writeAtomically`, which this test target cannot reach; tests only need the bytes on disk.
    static func write(_ image: Image, to path: String) throws {
        try Data(encode(image)).write(to: URL(fileURLWithPath: path))
    }
}

/// A fresh temporary directory, removed when the value is dropped via `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("imaging-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// Writes `bytes` to `name` (creating folders) and returns its path.
    @discardableResult func write(_ bytes: [UInt8], to name: String) throws -> String {
        let target = file(name)
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// The error `body` throws, or nil.
func imageError<T>(_ body: () throws(PointillistError) -> T) -> PointillistError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// Deterministic pseudo-random bytes (SplitMix64), so failures reproduce.
func noise(count: Int, seed: UInt64) -> [UInt8] {
    var random = SplitMix64(seed: seed)
    return (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
}

/// CRC-32 as PNG chunks use it, to patch a header and keep the file otherwise valid.
func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

func bigEndian(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) } }

/// Per-channel means and the overall standard deviation of an image's samples.
func statistics(_ image: Image) -> (means: [Double], deviation: Double) {
    var sums = [Double](repeating: 0, count: image.channels)
    var total = 0.0
    var squares = 0.0
    for (i, value) in image.pixels.enumerated() {
        sums[i % image.channels] += Double(value)
        total += Double(value)
        squares += Double(value) * Double(value)
    }
    let pixels = Double(image.width * image.height)
    let mean = total / Double(image.pixels.count)
    return (sums.map { $0 / pixels }, (squares / Double(image.pixels.count) - mean * mean).squareRoot())
}
