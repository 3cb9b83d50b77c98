/// How a class's surface varies over its pixels.
public enum TextureKind: String, Sendable, CaseIterable {
    /// Per-pixel noise only.
    case flat
    /// Smooth value noise at `scale` pixels (two octaves).
    case noise
    /// Sinusoidal bands across `orientation`, period `scale`.
    case stripes
    /// A checkerboard of `scale`-pixel cells rotated by `orientation`.
    case checks
    /// A linear ramp across the instance along `orientation`.
    case gradient
    /// Two-tone blotches: value noise pushed to its extremes (cow, giraffe).
    case patches
}

/// A texture: which pattern, its direction and size, and how strongly it modulates brightness.
public struct Texture: Sendable, Equatable {
    public var kind: TextureKind
    /// Degrees, 0 = the pattern varies along x (vertical stripes).
    public var orientation: Float
    /// Pixels at a 320-pixel-wide image (scaled with the width).
    public var scale: Float
    /// Brightness modulation, a fraction of the mean colour (0.2 = ±20 %).
    public var amplitude: Float

    public init(_ kind: TextureKind, orientation: Float = 0, scale: Float = 8, amplitude: Float = 0.15) {
        self.kind = kind
        self.orientation = orientation
        self.scale = scale
        self.amplitude = amplitude
    }
}

/// Colour and texture statistics of a class (or of one part of it, such as a tree's trunk).
public struct Appearance: Sendable, Equatable {
    /// Mean colour in sRGB, 0–255 per channel.
    public var mean: SIMD3<Float>
    /// Standard deviation of the per-instance shift of the mean colour, per channel.
    public var instanceStd: Float
    /// Standard deviation of per-pixel noise (sensor noise and fine grain).
    public var pixelStd: Float
    /// Standard deviation in degrees of the per-instance hue rotation (cars come in any colour).
    public var hueJitter: Float
    public var texture: Texture

    public init(_ r: Float, _ g: Float, _ b: Float, instance: Float, pixel: Float, hue: Float, _ texture: Texture) {
        mean = SIMD3(r, g, b)
        instanceStd = instance
        pixelStd = pixel
        hueJitter = hue
        self.texture = texture
    }
}

/// Where a background region lies.
public enum Zone: String, Sendable {
    /// The upper band: sky outdoors, the wall indoors.
    case top
    /// A band along the horizon in front of the top one (mountains, buildings, a fence).
    case middle
    /// The ground or floor.
    case bottom
}

/// Indoor or outdoor scenes; `any` classes appear in both.
public enum Setting: String, Sendable {
    case outdoor, indoor, any
}

/// How instances of a class are placed.
public enum Placement: Sendable, Equatable {
    /// A background region (stuff) in a zone.
    case stuff(Zone)
    /// Standing on the ground, scaled by depth (lower in the image = nearer = bigger).
    case ground
    /// Up in the air, usually over the sky.
    case air
    /// On the back wall (indoors) or on a building front.
    case wall
    /// Floating on water or sea, or on the ground when there is none.
    case water

    public var isStuff: Bool {
        if case .stuff = self { return true }
        return false
    }

    public var label: String {
        switch self {
        case .stuff(let zone): "stuff-\(zone.rawValue)"
        case .ground: "ground"
        case .air: "air"
        case .wall: "wall"
        case .water: "water"
        }
    }
}

/// The outline of an instance, built from parts in a unit box (see `Shapes`).
public enum Template: String, Sendable {
    case ellipse, rectangle, polygon, blob, tree, person, vehicle, bus, quadruped, bicycle, umbrella, legged
    case pole, bird, cloud, kite, tent, house, boat, bottle, lamp, flag, tower, airplane, flower
}

/// One class of the catalogue: its name, where and how it is drawn, and its appearance.
public struct SceneClass: Sendable, Equatable {
    /// Singular WordNet lemma, as the class dictionary names it.
    public var name: String
    /// The plural used in captions ("people" for person; mass nouns keep their form).
    public var plural: String
    /// Whether the noun is used without an article when singular ("grass", "water", "sand").
    public var mass: Bool
    public var placement: Placement
    public var setting: Setting
    public var appearance: Appearance
    /// A second appearance for some parts (trunk of a tree, wheels and windows of a car,
    /// face of a person); nil when every part uses `appearance`.
    public var secondary: Appearance?
    public var template: Template
    /// Height of an instance as a fraction of the image height, nearest to the camera.
    public var size: ClosedRange<Double>
    /// Width over height.
    public var aspect: ClosedRange<Double>

    init(
        _ name: String, plural: String? = nil, mass: Bool = false, _ placement: Placement, _ setting: Setting,
        _ template: Template, size: ClosedRange<Double> = 0.2...0.4, aspect: ClosedRange<Double> = 0.8...1.2,
        _ appearance: Appearance, secondary: Appearance? = nil
    ) {
        self.name = name
        self.plural = plural ?? name + "s"
        self.mass = mass
        self.placement = placement
        self.setting = setting
        self.appearance = appearance
        self.secondary = secondary
        self.template = template
        self.size = size
        self.aspect = aspect
    }
}

/// The fixed catalogue of classes, in priority order: a configuration with N classes uses the
/// first N, so every prefix of 20 or more holds enough background classes for both settings.
///
/// Colours overlap on purpose: greens (grass, tree, bush, hill, plant, field), greys (road,
/// building, mountain, elephant, rock, pole, sidewalk), browns (dog, horse, bench, table,
/// floor, ground, fence, door), blues (sky, water, sea), whites (cloud, snow, sheep, boat,
/// airplane); vehicles, umbrellas, clothes and bags have wide hue jitter.
public enum Catalogue {
    public static let classes: [SceneClass] = [
        // 1–20
        SceneClass(
            "sky", plural: "skies", .stuff(.top), .outdoor, .rectangle,
            Appearance(130, 172, 218, instance: 22, pixel: 3, hue: 10, Texture(.gradient, orientation: 90, scale: 240, amplitude: 0.22))),
        SceneClass(
            "grass", plural: "grass", mass: true, .stuff(.bottom), .outdoor, .rectangle,
            Appearance(88, 138, 62, instance: 18, pixel: 12, hue: 8, Texture(.stripes, orientation: 0, scale: 3, amplitude: 0.18))),
        SceneClass(
            "road", .stuff(.bottom), .outdoor, .rectangle,
            Appearance(104, 103, 106, instance: 16, pixel: 10, hue: 4, Texture(.noise, scale: 6, amplitude: 0.1))),
        SceneClass(
            "wall", .stuff(.top), .indoor, .rectangle,
            Appearance(186, 176, 160, instance: 30, pixel: 5, hue: 40, Texture(.noise, scale: 30, amplitude: 0.08))),
        SceneClass(
            "floor", .stuff(.bottom), .indoor, .rectangle,
            Appearance(150, 110, 76, instance: 20, pixel: 7, hue: 8, Texture(.stripes, orientation: 90, scale: 9, amplitude: 0.14))),
        SceneClass(
            "tree", .ground, .outdoor, .tree, size: 0.45...0.9, aspect: 0.5...0.9,
            Appearance(72, 118, 56, instance: 16, pixel: 14, hue: 10, Texture(.noise, scale: 4, amplitude: 0.25)),
            secondary: Appearance(100, 75, 52, instance: 12, pixel: 8, hue: 6, Texture(.stripes, orientation: 0, scale: 3, amplitude: 0.15))),
        SceneClass(
            "person", plural: "people", .ground, .any, .person, size: 0.35...0.7, aspect: 0.3...0.45,
            Appearance(90, 90, 120, instance: 40, pixel: 6, hue: 120, Texture(.noise, scale: 10, amplitude: 0.12)),
            secondary: Appearance(200, 160, 130, instance: 25, pixel: 4, hue: 5, Texture(.flat))),
        SceneClass(
            "car", .ground, .outdoor, .vehicle, size: 0.18...0.35, aspect: 1.6...2.4,
            Appearance(150, 40, 45, instance: 40, pixel: 5, hue: 140, Texture(.gradient, orientation: 90, scale: 40, amplitude: 0.2)),
            secondary: Appearance(45, 48, 55, instance: 10, pixel: 5, hue: 5, Texture(.flat))),
        SceneClass(
            "dog", .ground, .any, .quadruped, size: 0.12...0.25, aspect: 1.1...1.6,
            Appearance(150, 108, 68, instance: 35, pixel: 8, hue: 8, Texture(.noise, scale: 5, amplitude: 0.15))),
        SceneClass(
            "water", plural: "water", mass: true, .stuff(.bottom), .outdoor, .rectangle,
            Appearance(72, 116, 150, instance: 20, pixel: 8, hue: 12, Texture(.stripes, orientation: 90, scale: 5, amplitude: 0.16))),
        SceneClass(
            "building", .stuff(.middle), .outdoor, .rectangle,
            Appearance(152, 142, 130, instance: 30, pixel: 6, hue: 25, Texture(.checks, orientation: 0, scale: 10, amplitude: 0.14))),
        SceneClass(
            "cloud", .air, .outdoor, .cloud, size: 0.1...0.22, aspect: 1.6...3,
            Appearance(232, 234, 240, instance: 10, pixel: 4, hue: 4, Texture(.noise, scale: 12, amplitude: 0.06))),
        SceneClass(
            "bush", plural: "bushes", .ground, .outdoor, .blob, size: 0.12...0.3, aspect: 1.2...2.2,
            Appearance(62, 108, 50, instance: 14, pixel: 14, hue: 10, Texture(.noise, scale: 3, amplitude: 0.28))),
        SceneClass(
            "sand", plural: "sand", mass: true, .stuff(.bottom), .outdoor, .rectangle,
            Appearance(206, 186, 142, instance: 16, pixel: 9, hue: 6, Texture(.noise, scale: 3, amplitude: 0.08))),
        SceneClass(
            "bench", plural: "benches", .ground, .outdoor, .legged, size: 0.14...0.24, aspect: 1.8...2.8,
            Appearance(132, 96, 62, instance: 22, pixel: 6, hue: 8, Texture(.stripes, orientation: 90, scale: 4, amplitude: 0.18))),
        SceneClass(
            "window", .wall, .any, .rectangle, size: 0.2...0.35, aspect: 0.6...1.1,
            Appearance(150, 175, 190, instance: 22, pixel: 4, hue: 15, Texture(.gradient, orientation: 45, scale: 30, amplitude: 0.25))),
        SceneClass(
            "bicycle", .ground, .outdoor, .bicycle, size: 0.16...0.28, aspect: 1.5...1.9,
            Appearance(60, 80, 140, instance: 30, pixel: 5, hue: 150, Texture(.flat)),
            secondary: Appearance(35, 35, 38, instance: 6, pixel: 5, hue: 3, Texture(.flat))),
        SceneClass(
            "umbrella", .ground, .outdoor, .umbrella, size: 0.25...0.45, aspect: 1.1...1.5,
            Appearance(180, 50, 60, instance: 35, pixel: 5, hue: 160, Texture(.stripes, orientation: 0, scale: 14, amplitude: 0.2)),
            secondary: Appearance(40, 40, 42, instance: 6, pixel: 4, hue: 3, Texture(.flat))),
        SceneClass(
            "chair", .ground, .indoor, .legged, size: 0.2...0.32, aspect: 0.7...1.0,
            Appearance(128, 92, 60, instance: 28, pixel: 6, hue: 20, Texture(.stripes, orientation: 90, scale: 5, amplitude: 0.12))),
        SceneClass(
            "table", .ground, .indoor, .legged, size: 0.2...0.3, aspect: 1.6...2.4,
            Appearance(142, 102, 66, instance: 25, pixel: 6, hue: 12, Texture(.stripes, orientation: 0, scale: 12, amplitude: 0.12))),
        // 21–40
        SceneClass(
            "horse", .ground, .outdoor, .quadruped, size: 0.25...0.45, aspect: 1.1...1.4,
            Appearance(118, 80, 52, instance: 25, pixel: 6, hue: 6, Texture(.gradient, orientation: 90, scale: 40, amplitude: 0.15))),
        SceneClass(
            "cat", .ground, .any, .quadruped, size: 0.08...0.16, aspect: 1.1...1.5,
            Appearance(130, 120, 110, instance: 40, pixel: 8, hue: 25, Texture(.stripes, orientation: 0, scale: 4, amplitude: 0.2))),
        SceneClass(
            "bird", .air, .outdoor, .bird, size: 0.05...0.1, aspect: 1.2...2,
            Appearance(80, 80, 85, instance: 35, pixel: 6, hue: 90, Texture(.flat))),
        SceneClass(
            "bus", plural: "buses", .ground, .outdoor, .bus, size: 0.3...0.5, aspect: 2.0...3.0,
            Appearance(220, 170, 40, instance: 25, pixel: 5, hue: 60, Texture(.gradient, orientation: 90, scale: 50, amplitude: 0.12)),
            secondary: Appearance(50, 60, 75, instance: 10, pixel: 4, hue: 10, Texture(.gradient, orientation: 30, scale: 20, amplitude: 0.2))),
        SceneClass(
            "truck", .ground, .outdoor, .vehicle, size: 0.25...0.42, aspect: 1.6...2.4,
            Appearance(120, 124, 130, instance: 35, pixel: 6, hue: 100, Texture(.noise, scale: 20, amplitude: 0.1)),
            secondary: Appearance(40, 42, 46, instance: 6, pixel: 5, hue: 3, Texture(.flat))),
        SceneClass(
            "mountain", .stuff(.middle), .outdoor, .rectangle,
            Appearance(108, 116, 132, instance: 20, pixel: 8, hue: 12, Texture(.noise, scale: 25, amplitude: 0.14))),
        SceneClass(
            "hill", .stuff(.middle), .outdoor, .rectangle,
            Appearance(96, 130, 76, instance: 18, pixel: 10, hue: 12, Texture(.noise, scale: 14, amplitude: 0.15))),
        SceneClass(
            "fence", .stuff(.middle), .outdoor, .rectangle,
            Appearance(140, 110, 80, instance: 28, pixel: 7, hue: 15, Texture(.stripes, orientation: 0, scale: 7, amplitude: 0.3))),
        SceneClass(
            "flower", .ground, .outdoor, .flower, size: 0.05...0.1, aspect: 0.8...1.2,
            Appearance(200, 70, 110, instance: 30, pixel: 8, hue: 70, Texture(.noise, scale: 2, amplitude: 0.15))),
        SceneClass(
            "pole", .ground, .outdoor, .pole, size: 0.5...0.9, aspect: 0.04...0.07,
            Appearance(112, 112, 116, instance: 20, pixel: 5, hue: 10, Texture(.gradient, orientation: 0, scale: 8, amplitude: 0.3))),
        SceneClass(
            "sidewalk", .stuff(.bottom), .outdoor, .rectangle,
            Appearance(164, 160, 154, instance: 18, pixel: 8, hue: 8, Texture(.checks, orientation: 0, scale: 14, amplitude: 0.08))),
        SceneClass(
            "door", .wall, .any, .rectangle, size: 0.4...0.6, aspect: 0.45...0.6,
            Appearance(122, 86, 56, instance: 30, pixel: 6, hue: 30, Texture(.stripes, orientation: 0, scale: 10, amplitude: 0.1))),
        SceneClass(
            "sofa", .ground, .indoor, .legged, size: 0.25...0.4, aspect: 1.8...2.6,
            Appearance(110, 90, 120, instance: 35, pixel: 6, hue: 120, Texture(.noise, scale: 8, amplitude: 0.12))),
        SceneClass(
            "boat", .water, .outdoor, .boat, size: 0.12...0.25, aspect: 1.8...3,
            Appearance(218, 218, 222, instance: 20, pixel: 5, hue: 30, Texture(.gradient, orientation: 90, scale: 20, amplitude: 0.15))),
        SceneClass(
            "sea", .stuff(.bottom), .outdoor, .rectangle,
            Appearance(48, 96, 150, instance: 18, pixel: 8, hue: 12, Texture(.stripes, orientation: 90, scale: 7, amplitude: 0.18))),
        SceneClass(
            "ground", mass: true, .stuff(.bottom), .outdoor, .rectangle,
            Appearance(136, 116, 86, instance: 20, pixel: 10, hue: 8, Texture(.noise, scale: 5, amplitude: 0.12))),
        SceneClass(
            "cow", .ground, .outdoor, .quadruped, size: 0.22...0.38, aspect: 1.3...1.6,
            Appearance(120, 105, 95, instance: 20, pixel: 6, hue: 8, Texture(.patches, scale: 12, amplitude: 0.6))),
        SceneClass(
            "sheep", plural: "sheep", .ground, .outdoor, .quadruped, size: 0.14...0.25, aspect: 1.2...1.5,
            Appearance(218, 212, 198, instance: 15, pixel: 10, hue: 6, Texture(.noise, scale: 2, amplitude: 0.12))),
        SceneClass(
            "kite", .air, .outdoor, .kite, size: 0.08...0.15, aspect: 0.7...1,
            Appearance(200, 60, 60, instance: 30, pixel: 5, hue: 170, Texture(.checks, orientation: 45, scale: 8, amplitude: 0.3))),
        SceneClass(
            "rock", .ground, .outdoor, .blob, size: 0.08...0.2, aspect: 1.2...1.8,
            Appearance(124, 120, 114, instance: 22, pixel: 10, hue: 10, Texture(.noise, scale: 4, amplitude: 0.2))),
        // 41–60
        SceneClass(
            "elephant", .ground, .outdoor, .quadruped, size: 0.35...0.6, aspect: 1.2...1.5,
            Appearance(120, 116, 112, instance: 14, pixel: 8, hue: 6, Texture(.noise, scale: 3, amplitude: 0.14))),
        SceneClass(
            "giraffe", .ground, .outdoor, .quadruped, size: 0.5...0.8, aspect: 0.7...0.9,
            Appearance(190, 140, 80, instance: 15, pixel: 6, hue: 6, Texture(.patches, scale: 6, amplitude: 0.4))),
        SceneClass(
            "zebra", .ground, .outdoor, .quadruped, size: 0.25...0.4, aspect: 1.2...1.5,
            Appearance(140, 140, 140, instance: 10, pixel: 6, hue: 3, Texture(.stripes, orientation: 10, scale: 5, amplitude: 0.75))),
        SceneClass(
            "bear", .ground, .outdoor, .quadruped, size: 0.25...0.4, aspect: 1.2...1.5,
            Appearance(92, 68, 50, instance: 25, pixel: 8, hue: 6, Texture(.noise, scale: 3, amplitude: 0.15))),
        SceneClass(
            "duck", .water, .outdoor, .bird, size: 0.06...0.12, aspect: 1.2...1.6,
            Appearance(150, 130, 90, instance: 30, pixel: 6, hue: 40, Texture(.noise, scale: 3, amplitude: 0.15))),
        SceneClass(
            "van", .ground, .outdoor, .vehicle, size: 0.24...0.38, aspect: 1.5...2.0,
            Appearance(210, 210, 212, instance: 35, pixel: 5, hue: 90, Texture(.gradient, orientation: 90, scale: 40, amplitude: 0.14)),
            secondary: Appearance(45, 48, 55, instance: 8, pixel: 5, hue: 5, Texture(.flat))),
        SceneClass(
            "motorcycle", .ground, .outdoor, .bicycle, size: 0.16...0.28, aspect: 1.4...1.8,
            Appearance(30, 30, 34, instance: 25, pixel: 5, hue: 60, Texture(.gradient, orientation: 0, scale: 20, amplitude: 0.2)),
            secondary: Appearance(38, 38, 40, instance: 6, pixel: 4, hue: 3, Texture(.flat))),
        SceneClass(
            "tent", .ground, .outdoor, .tent, size: 0.25...0.4, aspect: 1.2...1.8,
            Appearance(80, 130, 90, instance: 35, pixel: 5, hue: 150, Texture(.gradient, orientation: 0, scale: 30, amplitude: 0.25))),
        SceneClass(
            "house", .ground, .outdoor, .house, size: 0.35...0.55, aspect: 1.1...1.6,
            Appearance(200, 180, 150, instance: 30, pixel: 6, hue: 40, Texture(.stripes, orientation: 90, scale: 5, amplitude: 0.1)),
            secondary: Appearance(130, 60, 50, instance: 20, pixel: 6, hue: 20, Texture(.stripes, orientation: 90, scale: 4, amplitude: 0.15))),
        SceneClass(
            "tower", .ground, .outdoor, .tower, size: 0.6...0.9, aspect: 0.2...0.35,
            Appearance(160, 150, 138, instance: 25, pixel: 6, hue: 20, Texture(.checks, scale: 8, amplitude: 0.12))),
        SceneClass(
            "cone", .ground, .outdoor, .tent, size: 0.07...0.12, aspect: 0.6...0.8,
            Appearance(235, 110, 40, instance: 15, pixel: 5, hue: 8, Texture(.stripes, orientation: 90, scale: 6, amplitude: 0.3))),
        SceneClass(
            "ball", .ground, .any, .ellipse, size: 0.05...0.1, aspect: 1...1,
            Appearance(220, 200, 60, instance: 40, pixel: 5, hue: 160, Texture(.gradient, orientation: 45, scale: 10, amplitude: 0.3))),
        SceneClass(
            "bag", .ground, .any, .polygon, size: 0.08...0.16, aspect: 0.8...1.3,
            Appearance(110, 70, 50, instance: 40, pixel: 6, hue: 120, Texture(.noise, scale: 4, amplitude: 0.12))),
        SceneClass(
            "statue", .ground, .outdoor, .person, size: 0.4...0.7, aspect: 0.35...0.5,
            Appearance(150, 150, 145, instance: 30, pixel: 6, hue: 30, Texture(.noise, scale: 6, amplitude: 0.15)),
            secondary: Appearance(150, 150, 145, instance: 30, pixel: 6, hue: 30, Texture(.noise, scale: 6, amplitude: 0.15))),
        SceneClass(
            "snow", plural: "snow", mass: true, .stuff(.bottom), .outdoor, .rectangle,
            Appearance(228, 232, 238, instance: 10, pixel: 6, hue: 10, Texture(.noise, scale: 10, amplitude: 0.08))),
        SceneClass(
            "field", .stuff(.bottom), .outdoor, .rectangle,
            Appearance(150, 148, 76, instance: 22, pixel: 10, hue: 15, Texture(.stripes, orientation: 80, scale: 6, amplitude: 0.14))),
        SceneClass(
            "curtain", .stuff(.top), .indoor, .rectangle,
            Appearance(130, 62, 72, instance: 30, pixel: 5, hue: 120, Texture(.stripes, orientation: 0, scale: 10, amplitude: 0.22))),
        SceneClass(
            "carpet", .stuff(.bottom), .indoor, .rectangle,
            Appearance(140, 72, 62, instance: 30, pixel: 9, hue: 90, Texture(.noise, scale: 3, amplitude: 0.12))),
        SceneClass(
            "bed", .ground, .indoor, .legged, size: 0.3...0.45, aspect: 1.6...2.2,
            Appearance(210, 205, 200, instance: 25, pixel: 5, hue: 60, Texture(.noise, scale: 10, amplitude: 0.1))),
        SceneClass(
            "lamp", .ground, .indoor, .lamp, size: 0.3...0.5, aspect: 0.3...0.45,
            Appearance(220, 200, 150, instance: 20, pixel: 4, hue: 20, Texture(.gradient, orientation: 90, scale: 20, amplitude: 0.2)),
            secondary: Appearance(60, 58, 55, instance: 10, pixel: 4, hue: 5, Texture(.flat))),
        // 61 and on
        SceneClass(
            "plant", .ground, .indoor, .blob, size: 0.15...0.3, aspect: 0.8...1.2,
            Appearance(70, 128, 60, instance: 15, pixel: 12, hue: 12, Texture(.noise, scale: 3, amplitude: 0.28))),
        SceneClass(
            "vase", .ground, .indoor, .bottle, size: 0.1...0.18, aspect: 0.4...0.6,
            Appearance(70, 110, 160, instance: 35, pixel: 5, hue: 120, Texture(.gradient, orientation: 0, scale: 10, amplitude: 0.25))),
        SceneClass(
            "bottle", .ground, .indoor, .bottle, size: 0.08...0.14, aspect: 0.3...0.4,
            Appearance(60, 110, 70, instance: 30, pixel: 5, hue: 50, Texture(.gradient, orientation: 0, scale: 6, amplitude: 0.3))),
        SceneClass(
            "box", plural: "boxes", .ground, .any, .rectangle, size: 0.1...0.2, aspect: 0.9...1.5,
            Appearance(170, 130, 85, instance: 20, pixel: 6, hue: 10, Texture(.flat))),
        SceneClass(
            "basket", .ground, .any, .polygon, size: 0.08...0.15, aspect: 1.1...1.5,
            Appearance(165, 125, 75, instance: 18, pixel: 10, hue: 8, Texture(.checks, orientation: 45, scale: 3, amplitude: 0.2))),
        SceneClass(
            "clock", .wall, .indoor, .ellipse, size: 0.1...0.16, aspect: 1...1,
            Appearance(225, 222, 215, instance: 15, pixel: 4, hue: 10, Texture(.gradient, orientation: 45, scale: 10, amplitude: 0.1))),
        SceneClass(
            "mirror", .wall, .indoor, .rectangle, size: 0.25...0.4, aspect: 0.6...0.9,
            Appearance(185, 195, 200, instance: 25, pixel: 3, hue: 20, Texture(.gradient, orientation: 60, scale: 30, amplitude: 0.3))),
        SceneClass(
            "shelf", plural: "shelves", .wall, .indoor, .rectangle, size: 0.06...0.1, aspect: 3...5,
            Appearance(138, 100, 66, instance: 25, pixel: 6, hue: 10, Texture(.stripes, orientation: 90, scale: 3, amplitude: 0.12))),
        SceneClass(
            "flag", .air, .outdoor, .flag, size: 0.1...0.18, aspect: 1.4...1.8,
            Appearance(190, 50, 50, instance: 30, pixel: 5, hue: 150, Texture(.stripes, orientation: 90, scale: 6, amplitude: 0.35))),
        SceneClass(
            "airplane", .air, .outdoor, .airplane, size: 0.06...0.12, aspect: 2.5...3.5,
            Appearance(214, 218, 226, instance: 12, pixel: 4, hue: 10, Texture(.gradient, orientation: 90, scale: 10, amplitude: 0.15))),
        SceneClass(
            "balloon", .air, .outdoor, .ellipse, size: 0.06...0.12, aspect: 0.8...0.9,
            Appearance(210, 60, 80, instance: 30, pixel: 4, hue: 170, Texture(.gradient, orientation: 45, scale: 10, amplitude: 0.3))),
        SceneClass(
            "bucket", .ground, .any, .bottle, size: 0.08...0.14, aspect: 0.8...1.0,
            Appearance(90, 110, 170, instance: 35, pixel: 5, hue: 140, Texture(.gradient, orientation: 0, scale: 10, amplitude: 0.2))),
    ]
}
