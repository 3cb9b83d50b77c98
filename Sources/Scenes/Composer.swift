import Foundation
import Imaging
import Support

/// One drawn instance: a background region or a thing.
public struct SceneObject: Sendable, Equatable {
    /// Position in `GeneratedScene.objects`; the instance map holds `number + 1`.
    public var number: Int
    /// The class's value in the mask (its 1-based position in `classes.tsv`).
    public var classValue: Int
    public var className: String
    /// A background region (sky, grass, wall…) rather than a thing.
    public var isStuff: Bool
    /// Visible pixels (after occlusion by later paint).
    public var pixelCount: Int
    /// Bounding box of the visible pixels, inclusive; meaningless when `pixelCount` is 0.
    public var minX: Int, minY: Int, maxX: Int, maxY: Int
    /// Mean colour of the visible pixels, 0–255.
    public var meanColour: SIMD3<Float>
    /// The basic colour word nearest to `meanColour` (used as a caption adjective).
    public var colourWord: String

    /// Centre of the visible bounding box in normalised coordinates.
    public func centre(width: Int, height: Int) -> (x: Double, y: Double) {
        ((Double(minX + maxX) / 2 + 0.5) / Double(width), (Double(minY + maxY) / 2 + 0.5) / Double(height))
    }
}

/// The drawn scene before narration.
struct Composition {
    var canvas: Canvas
    var objects: [SceneObject]
    var setting: Setting
    /// Pixel indices of each object's visible pixels, by object number.
    var pixels: [[Int32]]
    /// Object numbers of the top, middle and bottom background regions.
    var top: Int
    var middle: Int?
    var bottoms: [Int]
}

/// Lays out and paints one scene.
struct Composer {
    let configuration: SceneConfiguration
    let classes: [SceneClass]

    static let liquids: Set<String> = ["water", "sea"]

    private static let colourWords: [(String, SIMD3<Float>)] = [
        ("white", SIMD3(235, 235, 235)), ("black", SIMD3(30, 30, 32)), ("grey", SIMD3(128, 128, 128)),
        ("red", SIMD3(190, 40, 40)), ("green", SIMD3(60, 140, 60)), ("blue", SIMD3(50, 90, 190)),
        ("yellow", SIMD3(220, 200, 50)), ("brown", SIMD3(130, 85, 50)), ("orange", SIMD3(230, 130, 40)),
        ("pink", SIMD3(230, 140, 170)), ("purple", SIMD3(120, 60, 140)),
    ]

    /// The scene of `index`: the background regions, then the things, far to near, then the
    /// ground truth of what stayed visible. Every random draw comes from the scene's own stream.
    func compose(index: Int) -> Composition {
        var draft = SceneDraft(composer: self, index: index)
        let background = draft.paintBackground()
        draft.paintThings(on: background)
        return draft.groundTruth(background)
    }

    /// Rotates a colour about the grey axis (a hue shift that keeps brightness and saturation).
    static func rotateHue(_ c: SIMD3<Float>, degrees: Float) -> SIMD3<Float> {
        let a = degrees * .pi / 180
        let k: Float = 1 / Float(3).squareRoot()
        let cosA = cos(a)
        let sinA = sin(a)
        let kxc = SIMD3<Float>(k * (c.z - c.y), k * (c.x - c.z), k * (c.y - c.x))  // k × c
        let kdotc = k * (c.x + c.y + c.z)
        return c * cosA + kxc * sinA + SIMD3(repeating: k * kdotc * (1 - cosA))
    }

    static func colourWord(_ c: SIMD3<Float>) -> String {
        var best = ""
        var bestDistance = Float.infinity
        for (word, reference) in colourWords {
            let d = c - reference
            let distance = (d * d).sum()
            if distance < bestDistance {
                bestDistance = distance
                best = word
            }
        }
        return best
    }
}

/// The background regions a scene was given: its setting, horizon and the object numbers of
/// its top, middle and bottom regions.
struct Background {
    var setting: Setting
    var horizon: Float
    var top: Int
    var middle: Int?
    var bottoms: [Int]
}

/// One scene while it is painted: its random stream, canvas, scene-wide lighting and the
/// class of every instance painted so far (instance number = position in `drawnClasses`).
struct SceneDraft {
    let classes: [SceneClass]
    let configuration: SceneConfiguration
    var random: SplitMix64
    let w: Int, h: Int
    let W: Float, H: Float
    var canvas: Canvas
    var drawnClasses: [Int] = []  // class position per instance
    let sceneBrightness: Float
    let tint: SIMD3<Float>
    let light: Point

    init(composer: Composer, index: Int) {
        classes = composer.classes
        configuration = composer.configuration
        random = SplitMix64(seed: configuration.seed, stream: 1, index: UInt64(index))
        w = configuration.width
        h = configuration.height
        W = Float(w)
        H = Float(h)
        canvas = Canvas(width: w, height: h)
        // Scene-wide lighting: overall brightness, white balance, light direction.
        sceneBrightness = Float(max(0.7, min(1.3, random.normal(mean: 1, std: 0.1))))
        tint = SIMD3<Float>(
            Float(random.normal(mean: 1, std: 0.04)), Float(random.normal(mean: 1, std: 0.03)), Float(random.normal(mean: 1, std: 0.04)))
        let lightAngle = Float(random.uniform(0, 2 * .pi))
        light = Point(cos(lightAngle), sin(lightAngle))
    }

    mutating func look(_ appearance: Appearance, x0: Float, y0: Float, x1: Float, y1: Float, thing: Bool) -> Look {
        let shared = Float(random.normal())
        var colour = appearance.mean
        for c in 0..<3 {
            colour[c] += appearance.instanceStd * (0.6 * shared + 0.8 * Float(random.normal()))
        }
        colour = Composer.rotateHue(colour, degrees: Float(random.normal()) * appearance.hueJitter)
        let brightness = Float(max(0.55, min(1.45, random.normal(mean: 1, std: thing ? 0.13 : 0.09))))
        colour = colour * brightness * sceneBrightness * tint
        let t = appearance.texture
        let angle = (t.orientation + Float(random.normal()) * 10) * .pi / 180
        let horizontal = t.kind == .gradient
        return Look(
            colour: colour, kind: t.kind, cosine: cos(angle), sine: sin(angle),
            scale: max(1.5, t.scale * W / 320 * Float(random.uniform(0.8, 1.25))),
            amplitude: t.amplitude * Float(random.uniform(0.7, 1.3)), pixelStd: appearance.pixelStd,
            key: random.next(), phase: Float(random.uniform(0, 2 * .pi)),
            centre: Point((x0 + x1) / 2, (y0 + y1) / 2),
            extent: max(4, horizontal ? max(x1 - x0, y1 - y0) / 2 : max(x1 - x0, y1 - y0) / 2),
            light: light, shading: thing ? Float(random.uniform(0.05, 0.2)) : 0)
    }

    mutating func paint(_ parts: [Part], classPosition: Int, x0: Float, y0: Float, x1: Float, y1: Float, mirror: Bool) {
        let number = drawnClasses.count
        drawnClasses.append(classPosition)
        let c = classes[classPosition]
        let thing = !c.placement.isStuff
        let primary = look(c.appearance, x0: x0, y0: y0, x1: x1, y1: y1, thing: thing)
        let secondary = c.secondary.map { look($0, x0: x0, y0: y0, x1: x1, y1: y1, thing: thing) } ?? primary
        for part in parts {
            let outline = part.outline.mapped { p in
                Point(x0 + (mirror ? 1 - p.x : p.x) * (x1 - x0), y0 + p.y * (y1 - y0))
            }
            canvas.paint(outline, look: part.appearance == 1 ? secondary : primary, classValue: UInt8(classPosition + 1), instanceNumber: number)
        }
    }

    /// The stuff classes of one zone that suit a setting.
    func stuff(_ zone: Zone, _ setting: Setting) -> [Int] {
        classes.indices.filter { classes[$0].placement == .stuff(zone) && (classes[$0].setting == setting || classes[$0].setting == .any) }
    }
    mutating func paintRegion(_ outline: Outline, classPosition: Int, y0: Float, y1: Float) {
        let number = drawnClasses.count
        drawnClasses.append(classPosition)
        let l = look(classes[classPosition].appearance, x0: 0, y0: y0, x1: W, y1: y1, thing: false)
        canvas.paint(outline, look: l, classValue: UInt8(classPosition + 1), instanceNumber: number)
    }

    /// Background: the setting and its regions, chosen from the classes in use and painted
    /// top (sky, ceiling), middle (skyline, hills, fence), then the ground and maybe a second region.
    mutating func paintBackground() -> Background {
        let outdoorPossible = !stuff(.top, .outdoor).isEmpty && !stuff(.bottom, .outdoor).isEmpty
        let indoorPossible = !stuff(.top, .indoor).isEmpty && !stuff(.bottom, .indoor).isEmpty
        let setting: Setting = indoorPossible && (!outdoorPossible || random.chance(0.3)) ? .indoor : .outdoor
        let topClass = random.pick(stuff(.top, setting)) ?? 0
        let line = HorizonLine(setting: setting, width: W, height: H, random: &random)
        let columns = stride(from: Float(-2), through: W + 2, by: max(2, W / 80)).map { $0 }

        let top = drawnClasses.count
        paint(Template.rectangle.parts(aspect: 1, random: &random), classPosition: topClass, x0: -1, y0: -1, x1: W + 1, y1: H + 1, mirror: false)
        let middle = paintMiddle(setting, line: line, columns: columns)
        let bottoms = paintBottoms(setting, line: line, columns: columns)
        return Background(setting: setting, horizon: line.horizon, top: top, middle: middle, bottoms: bottoms)
    }

    /// The horizon: a height, three waves and a tilt, drawn from the scene's stream.
    struct HorizonLine {
        let horizon: Float
        let waves: [(amplitude: Float, frequency: Float, phase: Float)]
        let tilt: Float
        let width: Float

        init(setting: Setting, width W: Float, height H: Float, random: inout SplitMix64) {
            horizon = Float(random.uniform(0.3, 0.6)) * H
            var waves: [(amplitude: Float, frequency: Float, phase: Float)] = []
            for k in 0..<3 {
                let amplitude: Float = Float(random.uniform(0, setting == .indoor ? 0.5 : 4)) / Float(k + 1)
                let frequency: Float = Float(k + 1) * Float(random.uniform(1, 3)) * 2 * Float.pi / W
                let phase = Float(random.uniform(0, 2 * .pi))
                waves.append((amplitude, frequency, phase))
            }
            self.waves = waves
            tilt = Float(random.normal(mean: 0, std: 0.04))
            width = W
        }

        func y(_ x: Float) -> Float {
            var y = horizon + tilt * (x - width / 2)
            for wave in waves { y += wave.amplitude * sin(wave.frequency * x + wave.phase) }
            return y
        }
    }

    /// Outdoors, sometimes, a region along the horizon (a skyline, a fence, hills); its
    /// position among the drawn classes.
    mutating func paintMiddle(_ setting: Setting, line: HorizonLine, columns: [Float]) -> Int? {
        let horizon = line.horizon
        let middles = stuff(.middle, setting)
        guard setting == .outdoor, !middles.isEmpty, random.chance(0.55), let middleClass = random.pick(middles) else { return nil }
        let name = classes[middleClass].name
        let height = Float(random.uniform(0.08, 0.3)) * H
        var ridge: [Point] = []
        if name == "building" {
            // A skyline: blocks of different heights.
            var x: Float = -2
            while x < W + 2 {
                let blockTop = horizon - height * Float(random.uniform(0.4, 1.3))
                let next = x + Float(random.uniform(0.08, 0.25)) * W
                ridge.append(Point(x, blockTop))
                ridge.append(Point(next, blockTop))
                x = next
            }
        } else if name == "fence" {
            ridge = [Point(-2, horizon - height * 0.4), Point(W + 2, horizon - height * 0.4 + line.tilt * W)]
        } else {
            var peaks: [(Float, Float, Float)] = []
            for k in 0..<3 {
                let a: Float = Float(random.uniform(0.5, 1)) / Float(k + 1)
                let f: Float = Float(k + 1) * Float(random.uniform(0.5, 2)) * 2 * Float.pi / W
                let p = Float(random.uniform(0, 2 * .pi))
                peaks.append((a, f, p))
            }
            ridge = columns.map { x in
                var y = horizon - height * 0.5
                for (a, f, p) in peaks { y -= height * 0.5 * a * sin(f * x + p) }
                return Point(x, y)
            }
        }
        let outline = ridge + columns.reversed().map { Point($0, line.y($0) + 3) }
        let position = drawnClasses.count
        let minY = ridge.map(\.y).min() ?? horizon
        paintRegion(Outline([outline]), classPosition: middleClass, y0: minY, y1: horizon)
        return position
    }

    /// The ground below the horizon and, half the time, a second region on it (a far band, a
    /// strip towards the horizon, a patch); their positions among the drawn classes.
    mutating func paintBottoms(_ setting: Setting, line: HorizonLine, columns: [Float]) -> [Int] {
        let horizon = line.horizon
        let bottomsAvailable = stuff(.bottom, setting)
        var bottoms: [Int] = []
        // Things stand on the main ground, so water and sea only come as a second region.
        let firm = bottomsAvailable.filter { !Composer.liquids.contains(classes[$0].name) }
        let groundClass = random.pick(firm.isEmpty ? bottomsAvailable : firm) ?? 0
        let ground = columns.map { Point($0, line.y($0)) } + [Point(W + 2, H + 2), Point(-2, H + 2)]
        bottoms.append(drawnClasses.count)
        paintRegion(Outline([ground]), classPosition: groundClass, y0: horizon, y1: H)
        let others = bottomsAvailable.filter { $0 != groundClass }
        guard random.chance(0.5), let second = random.pick(others) else { return bottoms }
        let style = random.below(3)
        var outline: [Point]
        var y0 = horizon
        if style == 0 {
            // A far band along the horizon (sea behind the sand, a field behind the road).
            let depth = Float(random.uniform(0.15, 0.5)) * (H - horizon)
            outline = columns.map { Point($0, line.y($0) - 1) } + columns.reversed().map { x in Point(x, line.y(x) + depth + 3 * sin(x / 17)) }
        } else if style == 1 {
            // A strip running towards the horizon (a road through the grass).
            let vanishing = Float(random.uniform(0.2, 0.8)) * W
            let spread = Float(random.uniform(0.25, 0.7)) * W
            let near = vanishing + Float(random.normal(mean: 0, std: 0.3)) * W
            outline = [
                Point(vanishing - 3, line.y(vanishing)), Point(vanishing + 3, line.y(vanishing)), Point(near + spread / 2, H + 2),
                Point(near - spread / 2, H + 2),
            ]
        } else {
            // A patch (a pond, a rug).
            let cx = Float(random.uniform(0.15, 0.85)) * W
            let cy = horizon + Float(random.uniform(0.3, 0.8)) * (H - horizon)
            let rx = Float(random.uniform(0.12, 0.35)) * W
            let ry = min(rx * 0.45, (H - horizon) * 0.45)
            outline = Shapes.blob(cx, cy, rx, ry, roughness: setting == .indoor ? 0 : 0.15, random: &random)
            y0 = cy - ry
        }
        bottoms.append(drawnClasses.count)
        paintRegion(Outline([outline]), classPosition: second, y0: y0, y1: H)
        return bottoms
    }

    /// Things: classes chosen (some repeated, for plurals) among those the background allows,
    /// placed, and painted far to near.
    mutating func paintThings(on background: Background) {
        let (setting, horizon, middle, bottoms) = (background.setting, background.horizon, background.middle, background.bottoms)
        // Things: choose classes (some repeated, for plurals), place them, paint far to near.
        let thingClasses = classes.indices.filter { i in
            let c = classes[i]
            guard !c.placement.isStuff, c.setting == setting || c.setting == .any else { return false }
            switch c.placement {
            case .wall: return setting == .indoor || (middle.map { classes[drawnClasses[$0]].name == "building" } ?? false)
            case .water: return bottoms.contains { Composer.liquids.contains(classes[drawnClasses[$0]].name) }
            default: return true
            }
        }
        var placements: [(order: Float, classPosition: Int, x0: Float, y0: Float, x1: Float, y1: Float)] = []
        var chosen: [Int] = []
        let count = thingClasses.isEmpty ? 0 : random.int(configuration.objectsPerImage)
        let waterPixels = bottoms.filter { Composer.liquids.contains(classes[drawnClasses[$0]].name) }
        let wallRegion: (Float, Float) = setting == .indoor ? (0, horizon) : (horizon - 0.3 * H, horizon)
        for _ in 0..<count {
            let classPosition: Int
            if !chosen.isEmpty, random.chance(0.3), let again = random.pick(chosen) {
                classPosition = again
            } else if let fresh = random.pick(thingClasses) {
                classPosition = fresh
            } else {
                break
            }
            chosen.append(classPosition)
            let c = classes[classPosition]
            let aspect = Float(random.uniform(c.aspect.lowerBound, c.aspect.upperBound))
            var height = Float(random.uniform(c.size.lowerBound, c.size.upperBound)) * H
            var base: Float
            var order: Float
            switch c.placement {
            case .air:
                base = Float(random.uniform(0.05, 0.9)) * max(horizon, 0.2 * H) + height * 0.5
                order = -2
            case .wall:
                height = min(height, (wallRegion.1 - wallRegion.0) * 0.9)
                base = Float(random.uniform(Double(wallRegion.0 + height), Double(max(wallRegion.0 + height + 1, wallRegion.1 - 2))))
                order = -1
            case .water:
                let region = waterPixels.isEmpty ? bottoms[0] : waterPixels[random.below(waterPixels.count)]
                let span = canvas.instance.enumerated().lazy.filter { $0.element == UInt16(region + 1) }
                let total = span.count
                let pick = total == 0 ? 0 : random.below(total)
                let y = span.dropFirst(pick).first.map { Float($0.offset / w) } ?? H * 0.8
                let depth = max(0.05, (y - horizon) / max(H - horizon, 1))
                height *= 0.3 + 0.9 * depth
                base = y + height * 0.35
                order = base
            default:
                base = horizon + Float(random.uniform(0.03, 1.12)) * (H - horizon)
                let depth = max(0.05, (base - horizon) / max(H - horizon, 1))
                height *= 0.25 + 0.85 * depth
                order = base
            }
            let width = height * aspect
            let cx = Float(random.uniform(-0.05, 1.05)) * W
            placements.append((order, classPosition, cx - width / 2, base - height, cx + width / 2, base))
        }
        placements.sort { $0.order < $1.order }
        for p in placements {
            let c = classes[p.classPosition]
            let parts = c.template.parts(aspect: (p.x1 - p.x0) / max(p.y1 - p.y0, 1), random: &random)
            paint(parts, classPosition: p.classPosition, x0: p.x0, y0: p.y0, x1: p.x1, y1: p.y1, mirror: random.chance(0.5))
        }
    }

    /// Ground truth of what is visible: each instance's pixels, bounding box and mean colour.
    func groundTruth(_ background: Background) -> Composition {
        // Ground truth of what is visible.
        var pixels = [[Int32]](repeating: [], count: drawnClasses.count)
        var sums = [SIMD3<Float>](repeating: .zero, count: drawnClasses.count)
        var boxes = [(Int, Int, Int, Int)](repeating: (Int.max, Int.max, -1, -1), count: drawnClasses.count)
        for i in 0..<(w * h) {
            let tag = Int(canvas.instance[i])
            guard tag > 0 else { continue }
            let n = tag - 1
            pixels[n].append(Int32(i))
            sums[n] += SIMD3(Float(canvas.rgb[3 * i]), Float(canvas.rgb[3 * i + 1]), Float(canvas.rgb[3 * i + 2]))
            let x = i % w
            let y = i / w
            boxes[n] = (min(boxes[n].0, x), min(boxes[n].1, y), max(boxes[n].2, x), max(boxes[n].3, y))
        }
        let objects = drawnClasses.enumerated().map { n, position in
            let mean = pixels[n].isEmpty ? SIMD3<Float>.zero : sums[n] / Float(pixels[n].count)
            return SceneObject(
                number: n, classValue: position + 1, className: classes[position].name, isStuff: classes[position].placement.isStuff,
                pixelCount: pixels[n].count, minX: boxes[n].0, minY: boxes[n].1, maxX: boxes[n].2, maxY: boxes[n].3,
                meanColour: mean, colourWord: Composer.colourWord(mean))
        }
        return Composition(
            canvas: canvas, objects: objects, setting: background.setting, pixels: pixels, top: background.top,
            middle: background.middle, bottoms: background.bottoms)
    }
}
