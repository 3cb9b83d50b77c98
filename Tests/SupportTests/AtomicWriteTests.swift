import Foundation
import Testing

@testable import Support

/// `FileSystem.writeAtomically`, the one way the program writes a file.
@Suite struct AtomicWriteTests {
    struct Interrupted: Error {}

    /// A fresh directory and its entries, hidden ones included.
    final class Directory {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)").path
        init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        func file(_ name: String) -> String { path + "/" + name }
        var entries: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
        func contents(_ name: String) -> [UInt8]? { FileManager.default.contents(atPath: file(name)).map { Array($0) } }
    }

    @Test(arguments: [false, true]) func writesAndReplacesAFileLeavingNoTemporaryFile(durable: Bool) throws {
        let dir = try Directory()
        try FileSystem.writeAtomically(to: dir.file("out.tsv"), durable: durable) { try $0.write("first\n") }
        #expect(dir.contents("out.tsv") == Array("first\n".utf8))
        let big = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try FileSystem.writeAtomically(to: dir.file("out.tsv"), durable: durable) { sink in
            try sink.write("head\n")
            try sink.write(big)
            for _ in 0..<1000 { try sink.write([7, 8, 9]) }
            #expect(sink.count == 5 + big.count + 3000)
        }
        #expect(dir.contents("out.tsv") == Array("head\n".utf8) + big + Array(repeating: [7, 8, 9], count: 1000).flatMap { $0 })
        #expect(dir.entries == ["out.tsv"])
    }

    /// A producer that fails after writing more than the sink's buffer (so bytes reached the
    /// temporary file): the old file is untouched and the temporary file is gone.
    @Test func aProducerFailingMidwayLeavesTheOldFileIntactAndNoTemporaryFile() throws {
        let dir = try Directory()
        let target = dir.file("model.embedding")
        try FileSystem.writeAtomically(to: target) { try $0.write("the old model") }
        let inode = try FileManager.default.attributesOfItem(atPath: target)[.systemFileNumber] as? Int
        #expect(throws: Interrupted.self) {
            try FileSystem.writeAtomically(to: target) { sink in
                try sink.write([UInt8](repeating: 1, count: 3 * FileSink.bufferSize))
                // The temporary file is beside the target, hidden, named by the process id.
                #expect(dir.entries == [".model.embedding.\(getpid()).tmp", "model.embedding"])
                throw Interrupted()
            }
        }
        #expect(dir.contents("model.embedding") == Array("the old model".utf8))
        #expect(try FileManager.default.attributesOfItem(atPath: target)[.systemFileNumber] as? Int == inode)
        #expect(dir.entries == ["model.embedding"])

        // A first write that fails leaves no file at all.
        #expect(throws: Interrupted.self) {
            try FileSystem.writeAtomically(to: dir.file("new.csv")) { sink in
                try sink.write("half a row,")
                throw Interrupted()
            }
        }
        #expect(dir.entries == ["model.embedding"])
    }

    @Test func systemErrorsNameThePath() throws {
        let dir = try Directory()
        let missing = dir.file("no/such/dir/x.csv")
        #expect(throws: PointillistError(file: missing, reason: "cannot write: " + "No such file or directory")) {
            try FileSystem.writeAtomically(to: missing) { try $0.write("x") }
        }
        // Renaming over a directory fails after the bytes are written: the temporary file goes.
        try FileManager.default.createDirectory(atPath: dir.file("taken"), withIntermediateDirectories: false)
        #expect(throws: PointillistError.self) { try FileSystem.writeAtomically(to: dir.file("taken")) { try $0.write("x") } }
        #expect(dir.entries == ["taken"])
    }

    /// A process killed while writing leaves its temporary file; the next write of the same
    /// target removes it, and leaves those of live processes and of other targets alone.
    @Test func temporaryFilesOfDeadProcessesAreRemovedByTheNextWrite() throws {
        let dir = try Directory()
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let dead = finished.processIdentifier
        let alive = getppid()
        for name in [".out.csv.\(dead).tmp", ".out.csv.\(alive).tmp", ".other.csv.\(dead).tmp", ".out.csv.x1.tmp"] {
            _ = FileManager.default.createFile(atPath: dir.file(name), contents: Data("partial".utf8))
        }
        try FileSystem.writeAtomically(to: dir.file("out.csv"), durable: false) { try $0.write("whole") }
        #expect(dir.entries == [".other.csv.\(dead).tmp", ".out.csv.\(alive).tmp", ".out.csv.x1.tmp", "out.csv"])
        #expect(dir.contents("out.csv") == Array("whole".utf8))
    }

    @Test func theTemporaryFileIsBesideTheTarget() {
        let pid = getpid()
        #expect(FileSystem.temporaryPath(for: "out/batches/batch-000001.csv")?.temporary == "out/batches/.batch-000001.csv.\(pid).tmp")
        #expect(FileSystem.temporaryPath(for: "labels.png")?.temporary == ".labels.png.\(pid).tmp")
        #expect(FileSystem.temporaryPath(for: "labels.png")?.directory == ".")
        #expect(FileSystem.temporaryPath(for: "/x.tsv")?.temporary == "/.x.tsv.\(pid).tmp")
        #expect(FileSystem.temporaryPath(for: "/x.tsv")?.directory == "/")
        #expect(FileSystem.temporaryPath(for: "dir/") == nil)
    }
}
