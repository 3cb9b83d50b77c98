import Foundation
import Testing

@testable import Imaging

/// Grey JPEGs, made here with libjpeg-turbo's encoder since no real grey frame is at hand.
@Suite struct GreyJPEGTests {
    @Test func greyJPEGKeepsOneChannelWhenAskedAndReplicatesOtherwise() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let grey = try ImageFile.read(Fixture.large).converted(toChannels: 1)
        let path = try dir.write(encodeJPEG(grey), to: "grey.jpg")
        let stored = try ImageFile.read(path, layout: .asStored)
        #expect(stored.channels == 1 && stored.width == 768 && stored.height == 490)
        // Lossy, but close to the source at quality 95.
        let error = zip(stored.pixels, grey.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +)
        #expect(Double(error) / Double(grey.pixels.count) < 3)
        #expect(try ImageFile.read(path) == stored.converted(toChannels: 3))
        #expect(try ImageFile.readSize(path) == (768, 490))
    }
}

@Suite struct ConcurrentDecodingTests {
    /// Each call owns its decoder, so reads in parallel give the same pixels as one at a time.
    @Test func parallelReadsAgree() async throws {
        let expected = try ImageFile.read(Fixture.small)
        let results = try await withThrowingTaskGroup(of: Image.self) { group in
            for _ in 0..<16 { group.addTask { try ImageFile.read(Fixture.small) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 16 && results.allSatisfy { $0 == expected })
    }
}
