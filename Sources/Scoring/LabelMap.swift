import Imaging

/// A segmentation as class indices of a `ClassSpace`, one per pixel (−1: no class, void), with
/// the further classes of pixels where per-class masks overlap.
public struct LabelMap: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var labels: [Int32]
    /// Pixel index → the classes besides `labels[index]` there (per-class masks only).
    public var overlaps: [Int: [Int32]] = [:]

    public init(width: Int, height: Int, labels: [Int32]) {
        precondition(width > 0 && height > 0 && labels.count == width * height)
        self.width = width
        self.height = height
        self.labels = labels
    }

    /// Per-class binary masks (any non-zero pixel is the class), on the grid of the first; a
    /// mask of another size is read by nearest neighbour.
    public init?(binaryMasks: [(classIndex: Int32, mask: Image)]) {
        guard let first = binaryMasks.first?.mask else { return nil }
        self.init(width: first.width, height: first.height, labels: [Int32](repeating: -1, count: first.width * first.height))
        for (c, mask) in binaryMasks {
            for y in 0..<height {
                let sy = y * mask.height / height
                for x in 0..<width {
                    let sx = x * mask.width / width
                    guard mask.pixels[(sy * mask.width + sx) * mask.channels] != 0 else { continue }
                    let i = y * width + x
                    if labels[i] < 0 {
                        labels[i] = c
                    } else if labels[i] != c, overlaps[i]?.contains(c) != true {
                        overlaps[i, default: []].append(c)
                    }
                }
            }
        }
    }

    /// The pixel of a normalised position: `floor(x · width)`, clamped (as `Image.pixel`).
    @inlinable public func pixel(x: Float, y: Float) -> Int {
        Image.pixelIndex(y, size: height) * width + Image.pixelIndex(x, size: width)
    }

    /// The classes at a pixel index (empty: none).
    public func classes(at index: Int) -> [Int32] {
        let first = labels[index]
        guard first >= 0 else { return [] }
        guard let more = overlaps[index] else { return [first] }
        return [first] + more
    }
}
