extension Image {
    /// The image scaled down so that its longer side is at most `maxSide`, keeping the aspect
    /// ratio (each side rounded, at least 1); the image itself when it already fits.
    ///
    /// Each output pixel is the area-weighted mean of the source pixels it covers, partial
    /// pixels at its edges counting by the fraction covered, so thin lines fade rather than
    /// vanish or alias. Alpha is averaged like any other channel (not premultiplied).
    public func resized(maxSide: Int) -> Image {
        precondition(maxSide > 0, "maxSide must be positive")
        let longer = max(width, height)
        guard longer > maxSide else { return self }
        let scale = Double(maxSide) / Double(longer)
        let newWidth = max(1, min(maxSide, Int((Double(width) * scale).rounded())))
        let newHeight = max(1, min(maxSide, Int((Double(height) * scale).rounded())))
        // Separable: rows first into floats, then columns, so each pass is a 1-D box average.
        let columns = Coverage(from: width, to: newWidth)
        let rows = Coverage(from: height, to: newHeight)
        let channels = channels
        let sourceWidth = width
        var horizontal = [Float](repeating: 0, count: newWidth * height * channels)
        pixels.withUnsafeBufferPointer { source in
            horizontal.withUnsafeMutableBufferPointer { target in
                for y in 0..<height {
                    let sourceRow = y * sourceWidth * channels
                    let targetRow = y * newWidth * channels
                    for x in 0..<newWidth {
                        for c in 0..<channels {
                            var sum: Float = 0
                            for k in columns.starts[x]..<columns.starts[x + 1] {
                                sum += Float(source[sourceRow + columns.indices[k] * channels + c]) * columns.weights[k]
                            }
                            target[targetRow + x * channels + c] = sum
                        }
                    }
                }
            }
        }
        var result = [UInt8](repeating: 0, count: newWidth * newHeight * channels)
        let rowLength = newWidth * channels
        horizontal.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                var sums = [Float](repeating: 0, count: rowLength)
                for y in 0..<newHeight {
                    // Whole rows at a time: the inner loop runs over contiguous memory.
                    for i in 0..<rowLength { sums[i] = 0 }
                    for k in rows.starts[y]..<rows.starts[y + 1] {
                        let row = rows.indices[k] * rowLength
                        let weight = rows.weights[k]
                        for i in 0..<rowLength { sums[i] += source[row + i] * weight }
                    }
                    let targetRow = y * rowLength
                    for i in 0..<rowLength { target[targetRow + i] = UInt8(min(max(sums[i].rounded(), 0), 255)) }
                }
            }
        }
        return Image(width: newWidth, height: newHeight, channels: channels, pixels: result)
    }

    /// The image reduced by an integer `factor` on both axes: each output pixel is the rounded
    /// mean of a `factor` × `factor` block (blocks at the right and bottom edges hold what is
    /// left; size ceil(side / factor)). The image itself for a factor of 1.
    public func boxReduced(by factor: Int) -> Image {
        precondition(factor > 0, "factor must be positive")
        guard factor > 1 else { return self }
        let newWidth = (width + factor - 1) / factor
        let newHeight = (height + factor - 1) / factor
        let channels = channels
        let rowLength = newWidth * channels
        var result = [UInt8](repeating: 0, count: newHeight * rowLength)
        var sums = [UInt32](repeating: 0, count: rowLength)
        pixels.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                for by in 0..<newHeight {
                    for i in 0..<rowLength { sums[i] = 0 }
                    let y0 = by * factor, y1 = min(y0 + factor, height)
                    for y in y0..<y1 {
                        let row = y * width * channels
                        for x in 0..<width {
                            let t = (x / factor) * channels
                            for c in 0..<channels { sums[t + c] += UInt32(source[row + x * channels + c]) }
                        }
                    }
                    let rows = y1 - y0
                    for bx in 0..<newWidth {
                        let count = UInt32(rows * (min((bx + 1) * factor, width) - bx * factor))
                        for c in 0..<channels {
                            let i = bx * channels + c
                            target[by * rowLength + i] = UInt8((sums[i] + count / 2) / count)
                        }
                    }
                }
            }
        }
        return Image(width: newWidth, height: newHeight, channels: channels, pixels: result)
    }

    /// The image with 1 (grey), 3 (RGB) or 4 (RGBA) channels.
    ///
    /// Grey from colour is the Rec. 601 luma (0.299 R + 0.587 G + 0.114 B) on the stored
    /// values; colour from grey repeats the grey; a new alpha channel is opaque; alpha is
    /// dropped, not composited, when removed (use `ImageFile.Layout.rgb` to composite a PNG).
    public func converted(toChannels target: Int) -> Image {
        precondition([1, 3, 4].contains(target), "an image has 1, 3 or 4 channels")
        guard target != channels else { return self }
        let count = width * height
        // Starting from 255 makes a new alpha channel opaque without a separate pass.
        var result = [UInt8](repeating: 255, count: count * target)
        for p in 0..<count {
            let s = p * channels
            let t = p * target
            if channels == 1 {
                let grey = pixels[s]
                result[t] = grey
                result[t + 1] = grey
                result[t + 2] = grey
            } else if target == 1 {
                result[t] = Color.luma(pixels[s], pixels[s + 1], pixels[s + 2])
            } else {
                result[t] = pixels[s]
                result[t + 1] = pixels[s + 1]
                result[t + 2] = pixels[s + 2]
            }
        }
        return Image(width: width, height: height, channels: target, pixels: result)
    }
}

/// For each of `target` output cells spread over `source` input cells: the inputs it overlaps
/// (`indices[starts[i]..<starts[i + 1]]`) and the share of the output each contributes
/// (`weights`, summing to 1 per output), in flat arrays so the inner loops stay simple.
struct Coverage {
    var starts: [Int] = [0]
    var indices: [Int] = []
    var weights: [Float] = []

    init(from source: Int, to target: Int) {
        let step = Double(source) / Double(target)
        for i in 0..<target {
            let start = Double(i) * step
            let end = min(Double(i + 1) * step, Double(source))
            var j = Int(start.rounded(.down))
            while Double(j) < end, j < source {
                let overlap = min(end, Double(j + 1)) - max(start, Double(j))
                if overlap > 1e-9 {
                    indices.append(j)
                    weights.append(Float(overlap / step))
                }
                j += 1
            }
            starts.append(indices.count)
        }
    }
}

extension Image {
    /// The image enlarged `factor` times by repeating pixels (no smoothing), so small images
    /// stay sharp under overlays drawn at full resolution.
    public func upscaled(by factor: Int) -> Image {
        guard factor > 1 else { return self }
        let w = width * factor, h = height * factor
        var out = [UInt8](repeating: 0, count: w * h * channels)
        for y in 0..<h {
            let sy = y / factor
            for x in 0..<w {
                let s = (sy * width + x / factor) * channels, d = (y * w + x) * channels
                for c in 0..<channels { out[d + c] = pixels[s + c] }
            }
        }
        return Image(width: w, height: h, channels: channels, pixels: out)
    }
}
