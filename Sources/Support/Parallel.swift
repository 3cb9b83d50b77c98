import Dispatch
import Glibc
import Synchronization

/// Splits `0..<count` into one contiguous range per worker, runs `work` on the ranges
/// concurrently and returns the results in range order, so the outcome never depends on
/// the number of workers or on scheduling.
public func parallelMap<T: Sendable>(_ count: Int, workers: Int, _ work: @Sendable (Range<Int>) -> T) -> [T] {
    let shares = max(1, min(workers, count))
    let results = Mutex([T?](repeating: nil, count: shares))
    DispatchQueue.concurrentPerform(iterations: shares) { share in
        let value = work((count * share / shares)..<(count * (share + 1) / shares))
        results.withLock { $0[share] = value }
    }
    return results.withLock { $0.compactMap { $0 } }
}

/// `parallelMap` over `0..<count` one chunk of `chunk` items at a time, so the calling thread
/// can report progress (done, total) between chunks. Results are in index order.
public func chunkedMap<T: Sendable>(
    _ count: Int, chunk: Int, workers: Int, progress: ((Int, Int) -> Void)?, _ work: @Sendable (Range<Int>) -> T
) -> [T] {
    var results: [T] = []
    for start in stride(from: 0, to: count, by: chunk) {
        let end = min(start + chunk, count)
        results += parallelMap(end - start, workers: workers) { work((start + $0.lowerBound)..<(start + $0.upperBound)) }
        progress?(end, count)
    }
    return results
}

/// A value worked out on Dispatch's pool while the caller goes on; `value` waits for it.
public final class Background<T: Sendable>: Sendable {
    private let done = DispatchGroup()
    private let result = Mutex<T?>(nil)

    public init(_ work: @escaping @Sendable () -> T) {
        DispatchQueue.global().async(group: done) {
            let value = work()
            self.result.withLock { $0 = value }
        }
    }

    public var value: T {
        done.wait()
        return result.withLock { $0! }
    }
}

/// Runs `work` on each batch that `next` reads, on other threads, while the calling thread
/// reads the following batch and consumes the previous result: reading, working and
/// consuming overlap, and results are consumed in batch order. Ends when `next` returns nil.
public func pipelined<Batch: Sendable, Result: Sendable>(
    next: () throws -> Batch?, work: @escaping @Sendable (Batch) -> Result, consume: (Result) throws -> Void
) throws {
    guard let first = try next() else { return }
    var running = Background { work(first) }
    while true {
        let following = try next()
        let result = running.value
        if let following { running = Background { work(following) } }
        try consume(result)
        if following == nil { return }
    }
}

/// Values that outlive one batch of work, such as a cache: each worker borrows one for its
/// share of a batch and gives it back.
public final class Borrowed<Value: Sendable>: Sendable {
    private let idle = Mutex<[Value]>([])
    private let make: @Sendable () -> Value

    public init(_ make: @escaping @Sendable () -> Value) { self.make = make }

    public func with<T>(_ body: (inout Value) -> T) -> T {
        var value = idle.withLock { $0.popLast() } ?? make()
        defer { idle.withLock { [value] in $0.append(value) } }
        return body(&value)
    }

    /// Every value made so far, taken back (the next `with` makes a new one).
    public func drain() -> [Value] {
        idle.withLock { values in
            defer { values = [] }
            return values
        }
    }
}

/// Threads of their own, started at once and joined by `join()`: for long-running workers
/// that must not wait for a place in Dispatch's shared pool (which threads blocked on I/O or
/// on each other may fill), and whose per-thread settings (such as priority) end with them.
public final class WorkerThreads {
    private final class Start: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    private var threads: [pthread_t] = []

    /// Starts `count` threads, running `body(index)` each. `ownThreads: false` (for tests)
    /// takes the path used when no thread can be started: Dispatch's pool.
    public init(_ count: Int, ownThreads: Bool = true, _ body: @escaping @Sendable (Int) -> Void) {
        for index in 0..<count {
            let start = Unmanaged.passRetained(Start { body(index) }).toOpaque()
            var thread = pthread_t()
            let status =
                !ownThreads
                ? EAGAIN
                : pthread_create(
                    &thread, nil,
                    { context in
                        Unmanaged<Start>.fromOpaque(context!).takeRetainedValue().body()
                        return nil
                    }, start)
            if status == 0 {
                threads.append(thread)
            } else {
                // No thread to be had: the work goes to Dispatch's pool instead (never to the
                // calling thread, which may be the one that feeds it).
                let work = Unmanaged<Start>.fromOpaque(start).takeRetainedValue()
                DispatchQueue.global().async(group: fallback) { work.body() }
            }
        }
    }

    /// Work that could not get a thread of its own.
    private let fallback = DispatchGroup()

    /// Waits for every thread to return.
    public func join() {
        fallback.wait()
        for thread in threads {
            pthread_join(thread, nil)
        }
        threads = []
    }
}
