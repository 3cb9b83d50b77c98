import Dispatch
import Synchronization
import Testing

@testable import Support

@Suite struct WorkerThreadsTests {
    /// Each worker runs once with its index, and only after the starting thread has gone on:
    /// here every worker waits for a signal sent after the start, which a worker run on the
    /// starting thread would never get. Also on the path taken when no thread can be had.
    @Test(.timeLimit(.minutes(1)), arguments: [true, false])
    func workersRunBesideTheStartingThreadAndJoin(ownThreads: Bool) {
        let ran = Mutex<[Int]>([])
        let go = DispatchSemaphore(value: 0)
        let workers = WorkerThreads(3, ownThreads: ownThreads) { index in
            go.wait()
            ran.withLock { $0.append(index) }
        }
        #expect(ran.withLock { $0.isEmpty })
        for _ in 0..<3 { go.signal() }
        workers.join()
        #expect(ran.withLock { $0.sorted() } == [0, 1, 2])
    }
}
