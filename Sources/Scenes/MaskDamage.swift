import Imaging
import Support

/// Damage done to a ground-truth class mask to stand for a segmentation method's prediction
/// of graded quality (the method's evaluation experiment). Every kind works on windows of
/// (2r + 1) × (2r + 1) pixels; random choices come from a stream per (seed, image).
public enum MaskDamage: Sendable, Equatable, CustomStringConvertible {
    /// Pixels within r of another class predict nothing (value 0): regions shrink.
    case erode(Int)
    /// Each pixel takes the largest class value in its window: classes with larger values grow
    /// over their neighbours.
    case dilate(Int)
    /// Pixels within r of another class take the class of a random pixel of their window:
    /// ragged boundaries.
    case noise(Int)
    /// Each class of an image becomes another class of the table with probability p.
    case swap(Double)
    /// Each pixel takes the most frequent class of its window (ties: the smaller value): a blur
    /// of the class map that rounds corners and drops thin parts.
    case blur(Int)

    /// `kind:amount`, e.g. `erode:3`, `swap:0.1`.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        if parts[0] == "swap" {
            guard let p = Double(parts[1]), (0...1).contains(p) else { return nil }
            self = .swap(p)
            return
        }
        guard let r = Int(parts[1]), (1...64).contains(r) else { return nil }
        switch parts[0] {
        case "erode": self = .erode(r)
        case "dilate": self = .dilate(r)
        case "noise": self = .noise(r)
        case "blur": self = .blur(r)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .erode(let r): "erode:\(r)"
        case .dilate(let r): "dilate:\(r)"
        case .noise(let r): "noise:\(r)"
        case .swap(let p): "swap:\(p)"
        case .blur(let r): "blur:\(r)"
        }
    }

    /// The damaged copy of a grey class mask; `values` are the class values swaps choose from.
    public func applied(to mask: Image, imageID: String, values: [UInt8], seed: UInt64) -> Image {
        precondition(mask.channels == 1)
        var rng = SplitMix64(seed: StableHash.fnv1a("damage/\(seed)/\(self)/\(imageID)"))
        var out = mask
        switch self {
        case .erode(let r):
            let (low, high) = (Self.windowMin(mask, r), Self.windowMax(mask, r))
            for i in out.pixels.indices where low[i] != high[i] { out.pixels[i] = 0 }
        case .dilate(let r):
            out.pixels = Self.windowMax(mask, r)
        case .noise(let r):
            let (low, high) = (Self.windowMin(mask, r), Self.windowMax(mask, r))
            for i in out.pixels.indices where low[i] != high[i] {
                let x = min(max(i % mask.width + rng.below(2 * r + 1) - r, 0), mask.width - 1)
                let y = min(max(i / mask.width + rng.below(2 * r + 1) - r, 0), mask.height - 1)
                out.pixels[i] = mask.pixels[y * mask.width + x]
            }
        case .swap(let p):
            var replacement = [UInt8](0...255)
            for value in Set(mask.pixels).sorted() where value != 0 {
                let others = values.filter { $0 != value && $0 != 0 }
                if rng.unit() < p, !others.isEmpty { replacement[Int(value)] = others[rng.below(others.count)] }
            }
            out.pixels = mask.pixels.map { replacement[Int($0)] }
        case .blur(let r):
            out.pixels = Self.windowMode(mask, r)
        }
        return out
    }

    /// The largest value in each pixel's window (clipped at the edges), by rows then columns.
    static func windowMax(_ mask: Image, _ r: Int) -> [UInt8] { separable(mask, r, Swift.max) }

    /// The smallest value in each pixel's window.
    static func windowMin(_ mask: Image, _ r: Int) -> [UInt8] { separable(mask, r, Swift.min) }

    static func separable(_ mask: Image, _ r: Int, _ pick: (UInt8, UInt8) -> UInt8) -> [UInt8] {
        let (w, h) = (mask.width, mask.height)
        var rows = mask.pixels
        for y in 0..<h {
            for x in 0..<w {
                var v = mask.pixels[y * w + x]
                for sx in Swift.max(x - r, 0)...Swift.min(x + r, w - 1) { v = pick(v, mask.pixels[y * w + sx]) }
                rows[y * w + x] = v
            }
        }
        var out = rows
        for y in 0..<h {
            for x in 0..<w {
                var v = rows[y * w + x]
                for sy in Swift.max(y - r, 0)...Swift.min(y + r, h - 1) { v = pick(v, rows[sy * w + x]) }
                out[y * w + x] = v
            }
        }
        return out
    }

    /// The most frequent value in each pixel's window (ties: the smaller value), from a
    /// summed-area table per value present.
    static func windowMode(_ mask: Image, _ r: Int) -> [UInt8] {
        let (w, h) = (mask.width, mask.height)
        var best = [Int32](repeating: -1, count: w * h)
        var out = mask.pixels
        for value in Set(mask.pixels).sorted() {
            // sums[(y + 1) * (w + 1) + x + 1]: pixels of `value` in rows ≤ y, columns ≤ x.
            var sums = [Int32](repeating: 0, count: (w + 1) * (h + 1))
            for y in 0..<h {
                var run: Int32 = 0
                for x in 0..<w {
                    if mask.pixels[y * w + x] == value { run += 1 }
                    sums[(y + 1) * (w + 1) + x + 1] = sums[y * (w + 1) + x + 1] + run
                }
            }
            for y in 0..<h {
                let (y0, y1) = (Swift.max(y - r, 0), Swift.min(y + r, h - 1) + 1)
                for x in 0..<w {
                    let (x0, x1) = (Swift.max(x - r, 0), Swift.min(x + r, w - 1) + 1)
                    let n = sums[y1 * (w + 1) + x1] - sums[y0 * (w + 1) + x1] - sums[y1 * (w + 1) + x0] + sums[y0 * (w + 1) + x0]
                    if n > best[y * w + x] {
                        best[y * w + x] = n
                        out[y * w + x] = value
                    }
                }
            }
        }
        return out
    }
}
