import Dispatch
import Synchronization

/// Splits `0..<count` into one contiguous range per worker, runs `work` on the ranges
/// concurrently and returns the results in range order, so the outcome never depends on
/// the number of workers or on scheduling.
func parallelMap<T: Sendable>(_ count: Int, workers: Int, _ work: @Sendable (Range<Int>) -> T) -> [T] {
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
func chunkedMap<T: Sendable>(
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
