//! Measuring a picture: it is shrunk to a grid of at most 128 cells a side, and every feature is
//! counted on that grid in integers, so that one picture gives the same numbers everywhere.

use image::{DynamicImage, GenericImageView};

/// The longest side of the grid the features are measured on, in cells.
pub const GRID: u32 = 128;
/// A cell counts as coloured when its chroma (brightest minus darkest channel) is at least this.
const COLOURED_CHROMA: i32 = 40;
/// Two neighbouring cells make an edge when their brightness differs by at least this (of 255).
const EDGE_STEP: i32 = 20;

/// A picture shrunk to `width × height` cells, each the rounded mean of its pixels (transparent
/// ones laid over white), row by row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grid {
    /// Cells across.
    pub width: usize,
    /// Cells down.
    pub height: usize,
    /// Red, green and blue, 0 to 255, row by row.
    pub cells: Vec<[i32; 3]>,
}

/// What a picture measures, each a whole number (percentages unless said otherwise).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Features {
    /// The picture's size in pixels.
    pub size: (u32, u32),
    /// The grid's size in cells.
    pub grid: (usize, usize),
    /// Mean brightness (luma), 0 black to 100 white.
    pub brightness: i32,
    /// Mean red minus blue, −100 all blue to +100 all red.
    pub warmth: i32,
    /// Mean chroma, 0 grey to 100 pure colour.
    pub colour: i32,
    /// Spread of brightness (standard deviation), 0 flat to 100 half black, half white.
    pub contrast: i32,
    /// Share of neighbouring cells whose brightness steps by 20 of 255 or more.
    pub edges: i32,
    /// Left against right, mirrored: 100 identical, 0 as unlike as two unrelated cells or more.
    pub symmetry: i32,
    /// The sharpest change of colour from one band of rows to the next, in the middle half.
    pub horizon: i32,
    /// Brightness of the top third minus the bottom third, −100 to +100.
    pub light_above: i32,
    /// Width as a percentage of height.
    pub aspect: i32,
    /// Share of cells that are coloured (chroma 40 of 255 or more).
    pub coloured: i32,
    /// How many coloured cells have each hue, in degrees from red (0) through green (120) and
    /// blue (240).
    pub hues: Vec<u32>,
}

impl Features {
    /// Measures `picture`.
    pub fn of(picture: &DynamicImage) -> Features {
        let grid = Grid::of(picture);
        let lumas: Vec<i32> = grid.cells.iter().map(|&c| luma(c)).collect();
        let cells = grid.cells.len() as i64;
        let mean = |f: &dyn Fn(&[i32; 3]) -> i32| {
            let sum: i64 = grid.cells.iter().map(|c| f(c) as i64).sum();
            round_div(sum * 100, cells * 255) as i32
        };
        let mut hues = vec![0u32; 360];
        for hue in grid.cells.iter().filter_map(|&c| hue(c)) {
            hues[hue as usize] += 1;
        }
        let coloured: u32 = hues.iter().sum();
        let (width, height) = picture.dimensions();
        Features {
            size: (width, height),
            grid: (grid.width, grid.height),
            brightness: mean(&|&c| luma(c)),
            warmth: mean(&|&[r, _, b]| r - b),
            colour: mean(&|&c| chroma(c)),
            contrast: contrast(&lumas),
            edges: grid.edges(&lumas),
            symmetry: grid.symmetry(&lumas),
            horizon: grid.horizon(),
            light_above: grid.light_above(&lumas),
            aspect: round_div(width as i64 * 100, height as i64) as i32,
            coloured: round_div(coloured as i64 * 100, cells) as i32,
            hues,
        }
    }

    /// Colour and contrast together: the picture's energy, 0 to 100.
    pub fn energy(&self) -> i32 {
        (self.colour + self.contrast + 1) / 2
    }
}

impl Grid {
    /// `picture` shrunk so that its longer side has at most [`GRID`] cells; each cell averages a
    /// square of pixels (fewer at the right and bottom edges).
    pub fn of(picture: &DynamicImage) -> Grid {
        let (w, h) = picture.dimensions();
        let step = w.max(h).div_ceil(GRID).max(1);
        let (width, height) = (w.div_ceil(step) as usize, h.div_ceil(step) as usize);
        let mut sums = vec![[0i64; 4]; width * height];
        each_pixel(picture, |x, y, [r, g, b, a]| {
            let [r, g, b, a] = [r, g, b, a].map(i64::from);
            // Over white: c·a + 255·(255 − a), still scaled by 255.
            let over = |c: i64| c * a + 255 * (255 - a);
            let cell = &mut sums[(y / step) as usize * width + (x / step) as usize];
            for (sum, value) in cell.iter_mut().zip([over(r), over(g), over(b), 255]) {
                *sum += value;
            }
        });
        let cells = sums
            .iter()
            .map(|s| [0, 1, 2].map(|i| round_div(s[i], s[3]) as i32))
            .collect();
        Grid {
            width,
            height,
            cells,
        }
    }

    /// The share of horizontally and vertically neighbouring cells that differ by an edge step.
    fn edges(&self, luma: &[i32]) -> i32 {
        let (w, h) = (self.width, self.height);
        let mut pairs = 0i64;
        let mut steps = 0i64;
        for y in 0..h {
            for x in 0..w {
                let here = luma[y * w + x];
                let right = (x + 1 < w).then(|| luma[y * w + x + 1]);
                let below = (y + 1 < h).then(|| luma[(y + 1) * w + x]);
                for other in right.into_iter().chain(below) {
                    pairs += 1;
                    steps += ((here - other).abs() >= EDGE_STEP) as i64;
                }
            }
        }
        round_div(steps * 100, pairs.max(1)) as i32
    }

    /// How much alike each cell and its mirror image across the vertical middle line are, next
    /// to how much cells differ at all: 100 minus the mean mirror difference as a share of twice
    /// the mean deviation of brightness (about what two unrelated cells differ by). A picture
    /// of one flat brightness (mean deviation under 1) is perfectly symmetric.
    fn symmetry(&self, luma: &[i32]) -> i32 {
        let (w, n) = (self.width, luma.len() as i64);
        let mirrored: i64 = (0..luma.len())
            .map(|i| (luma[i] - luma[i - i % w + (w - 1 - i % w)]).abs() as i64)
            .sum();
        // n × the mean deviation: Σ |n·l − Σl| / n, in integers.
        let sum: i64 = luma.iter().map(|&l| l as i64).sum();
        let spread: i64 = luma
            .iter()
            .map(|&l| (n * l as i64 - sum).abs())
            .sum::<i64>()
            / n;
        if spread < n {
            return 100;
        }
        (100 - round_div(mirrored * 100, 2 * spread).min(100)) as i32
    }

    /// The greatest colour difference between a band of rows and the band just below it (each
    /// an eighth of the height), over the boundaries in the middle half of the picture.
    fn horizon(&self) -> i32 {
        let (w, h) = (self.width, self.height);
        let band = (h / 8).max(1);
        let row_sums: Vec<[i64; 3]> = (0..h)
            .map(|y| {
                let row = &self.cells[y * w..(y + 1) * w];
                [0, 1, 2].map(|i| row.iter().map(|c| c[i] as i64).sum())
            })
            .collect();
        let band_sum =
            |rows: &[[i64; 3]]| -> [i64; 3] { [0, 1, 2].map(|i| rows.iter().map(|r| r[i]).sum()) };
        let sharpest = (h / 4..=h - h / 4)
            .filter(|&y| y >= band && y + band <= h)
            .map(|y| {
                let (above, below) = (
                    band_sum(&row_sums[y - band..y]),
                    band_sum(&row_sums[y..y + band]),
                );
                (0..3).map(|i| (above[i] - below[i]).abs()).sum::<i64>()
            })
            .max()
            .unwrap_or(0);
        round_div(sharpest * 100, band as i64 * w as i64 * 3 * 255) as i32
    }

    /// Mean brightness of the top third of the rows minus that of the bottom third.
    fn light_above(&self, luma: &[i32]) -> i32 {
        let (w, h) = (self.width, self.height);
        let third = (h / 3).max(1);
        let mean = |rows: std::ops::Range<usize>| {
            let sum: i64 = luma[rows.start * w..rows.end * w]
                .iter()
                .map(|&l| l as i64)
                .sum();
            (sum, (rows.len() * w) as i64)
        };
        let ((top, n), (bottom, _)) = (mean(0..third), mean(h - third..h));
        round_div((top - bottom) * 100, n * 255) as i32
    }
}

/// Calls `f` with each pixel's place and its red, green, blue and alpha; the 8-bit layouts the
/// decoders give are read straight from their bytes, the rest converted pixel by pixel.
fn each_pixel(picture: &DynamicImage, mut f: impl FnMut(u32, u32, [u8; 4])) {
    let width = picture.width().max(1) as usize;
    let mut from_bytes = |bytes: &[u8], channels: usize, rgba: fn(&[u8]) -> [u8; 4]| {
        for (i, pixel) in bytes.chunks_exact(channels).enumerate() {
            f((i % width) as u32, (i / width) as u32, rgba(pixel));
        }
    };
    match picture {
        DynamicImage::ImageRgb8(p) => from_bytes(p.as_raw(), 3, |c| [c[0], c[1], c[2], 255]),
        DynamicImage::ImageRgba8(p) => from_bytes(p.as_raw(), 4, |c| [c[0], c[1], c[2], c[3]]),
        DynamicImage::ImageLuma8(p) => from_bytes(p.as_raw(), 1, |c| [c[0], c[0], c[0], 255]),
        DynamicImage::ImageLumaA8(p) => from_bytes(p.as_raw(), 2, |c| [c[0], c[0], c[0], c[1]]),
        other => {
            for (x, y, pixel) in other.pixels() {
                f(x, y, pixel.0);
            }
        }
    }
}

/// Brightness as video measures it (Rec. 601 weights), 0 to 255.
pub fn luma([r, g, b]: [i32; 3]) -> i32 {
    (299 * r + 587 * g + 114 * b + 500) / 1000
}

fn chroma(c: [i32; 3]) -> i32 {
    c.iter().max().unwrap_or(&0) - c.iter().min().unwrap_or(&0)
}

/// The hue of a coloured cell in whole degrees (0 ≤ hue < 360); `None` for a greyish one.
pub fn hue([r, g, b]: [i32; 3]) -> Option<u32> {
    let chroma = chroma([r, g, b]);
    if chroma < COLOURED_CHROMA {
        return None;
    }
    let max = r.max(g).max(b);
    // The hexagonal hue: 60° a sextant, the position within it from the two other channels.
    let (base, rise) = match max {
        _ if max == r => (0, g - b),
        _ if max == g => (120, b - r),
        _ => (240, r - g),
    };
    let degrees = base + round_div(rise as i64 * 60, chroma as i64) as i32;
    Some(degrees.rem_euclid(360) as u32)
}

/// The standard deviation of brightness as a share of 128, the largest it can be.
fn contrast(luma: &[i32]) -> i32 {
    let n = luma.len() as i64;
    let sum: i64 = luma.iter().map(|&l| l as i64).sum();
    // n²·variance = n·Σl² − (Σl)², in integers.
    let squares: i64 = luma.iter().map(|&l| (l as i64).pow(2)).sum();
    let deviation = (n * squares - sum * sum).max(0).isqrt();
    round_div(deviation * 100, n * 128).min(100) as i32
}

/// `a / b` rounded half away from zero; `b` > 0.
fn round_div(a: i64, b: i64) -> i64 {
    match a >= 0 {
        true => (a + b / 2) / b,
        false => -((-a + b / 2) / b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage, Rgba, RgbaImage};

    /// A `w × h` picture whose pixel at (x, y) is `colour(x, y)`.
    fn picture(w: u32, h: u32, colour: impl Fn(u32, u32) -> [u8; 3]) -> Features {
        Features::of(&DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
            Rgb(colour(x, y))
        })))
    }

    #[test]
    fn a_solid_colour_is_flat_and_still() {
        let black = picture(40, 30, |_, _| [0, 0, 0]);
        let flat = (
            black.contrast,
            black.edges,
            black.horizon,
            black.light_above,
        );
        assert_eq!((black.brightness, black.colour, black.coloured), (0, 0, 0));
        assert_eq!(flat, (0, 0, 0, 0));
        assert_eq!((black.symmetry, black.aspect), (100, 133));
        assert_eq!(picture(5, 5, |_, _| [255, 255, 255]).brightness, 100);
        let red = picture(10, 10, |_, _| [255, 0, 0]);
        // Luma weighs red 0.299: 76 of 255.
        assert_eq!((red.brightness, red.warmth, red.colour), (30, 100, 100));
        assert_eq!((red.coloured, red.hues[0]), (100, 100));
        assert_eq!(picture(10, 10, |_, _| [0, 0, 255]).warmth, -100);
    }

    #[test]
    fn halves_give_contrast_a_horizon_and_symmetry() {
        // Light above, dark below: a horizon, the light above, mirror-symmetric.
        let sky = picture(64, 64, |_, y| if y < 32 { [255; 3] } else { [0; 3] });
        assert_eq!(
            (sky.contrast, sky.horizon, sky.light_above),
            (100, 100, 100)
        );
        assert_eq!((sky.symmetry, sky.brightness), (100, 50));
        // One edge between the halves: 64 steps of 8,064 neighbouring pairs, 0.8%.
        assert_eq!(sky.edges, 1);
        // Dark left, light right: no horizon, no symmetry.
        let wall = picture(64, 64, |x, _| if x < 32 { [0; 3] } else { [255; 3] });
        assert_eq!((wall.horizon, wall.symmetry, wall.light_above), (0, 0, 0));
    }

    #[test]
    fn a_gradient_is_smooth_and_a_noise_is_rough() {
        let gradient = picture(256, 64, |x, _| [x as u8; 3]);
        assert_eq!((gradient.edges, gradient.horizon), (0, 0));
        // Shrunk to 128 cells of two pixels; the deviation of an even spread is 74 of 128.
        assert_eq!((gradient.brightness, gradient.contrast), (50, 58));
        let mut state = 12345u32;
        let mut noise = || {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (state >> 16) as u8
        };
        let pixels: Vec<[u8; 3]> = (0..128 * 128)
            .map(|_| [noise(), noise(), noise()])
            .collect();
        let rough = picture(128, 128, |x, y| pixels[(y * 128 + x) as usize]);
        assert!(rough.edges > 50, "{rough:?}");
        assert!(rough.symmetry < 50, "{rough:?}");
        assert!(rough.colour > 30 && rough.coloured > 50, "{rough:?}");
        // Faint noise, like grey stone, is no more symmetric for being faint.
        let faint = picture(128, 128, |x, y| {
            [120 + pixels[(y * 128 + x) as usize][0] / 16; 3]
        });
        assert!(faint.symmetry < 50 && faint.contrast < 5, "{faint:?}");
        let mirrored = picture(128, 128, |x, y| {
            let x = x.min(127 - x);
            [120 + pixels[(y * 128 + x) as usize][0] / 16; 3]
        });
        assert_eq!(mirrored.symmetry, 100);
    }

    #[test]
    fn stripes_make_edges_where_they_change() {
        // Four-pixel stripes: 31 changes across each of 128 rows, of 32,512 pairs.
        let stripes = picture(128, 128, |x, _| [if x / 4 % 2 == 0 { 0 } else { 255 }; 3]);
        assert_eq!(stripes.edges, 12);
        // Each stripe's mirror image is the other colour.
        assert_eq!(stripes.symmetry, 0);
        let bands = picture(128, 128, |_, y| [if y / 4 % 2 == 0 { 0 } else { 255 }; 3]);
        assert_eq!((bands.edges, bands.symmetry), (12, 100));
    }

    #[test]
    fn large_pictures_are_shrunk_to_the_grid() {
        let wide = picture(1000, 500, |x, _| [(x / 4) as u8, 0, 0]);
        // Cells of 8 × 8 pixels: 125 across, 63 down (the last row of cells is half full).
        assert_eq!(
            (wide.grid, wide.size, wide.aspect),
            ((125, 63), (1000, 500), 200)
        );
        let grid = Grid::of(&DynamicImage::ImageRgb8(RgbImage::from_fn(3, 2, |x, _| {
            Rgb([x as u8 * 100, 0, 0])
        })));
        assert_eq!(grid.cells, [[0, 0, 0], [100, 0, 0], [200, 0, 0]].repeat(2));
    }

    #[test]
    fn transparent_pixels_lie_over_white() {
        let clear = RgbaImage::from_fn(4, 4, |x, _| Rgba([0, 0, 0, if x < 2 { 0 } else { 255 }]));
        let grid = Grid::of(&DynamicImage::ImageRgba8(clear));
        assert_eq!(&grid.cells[..4], [[255; 3], [255; 3], [0; 3], [0; 3]]);
        let half = RgbaImage::from_pixel(1, 1, Rgba([0, 0, 0, 128]));
        assert_eq!(Grid::of(&DynamicImage::ImageRgba8(half)).cells, [[127; 3]]);
    }

    #[test]
    fn every_pixel_layout_measures_alike() {
        let grey = image::GrayImage::from_fn(9, 7, |x, y| image::Luma([(x * 20 + y * 9) as u8]));
        let layouts = [
            DynamicImage::ImageLuma8(grey.clone()),
            DynamicImage::ImageLumaA8(DynamicImage::ImageLuma8(grey.clone()).to_luma_alpha8()),
            DynamicImage::ImageRgb8(DynamicImage::ImageLuma8(grey.clone()).to_rgb8()),
            DynamicImage::ImageRgba8(DynamicImage::ImageLuma8(grey.clone()).to_rgba8()),
            DynamicImage::ImageRgb16(DynamicImage::ImageLuma8(grey).to_rgb16()),
        ];
        let measured: Vec<Features> = layouts.iter().map(Features::of).collect();
        assert!(measured.windows(2).all(|w| w[0] == w[1]), "{measured:?}");
        assert_eq!(Grid::of(&layouts[0]).cells[10], [29; 3], "x 1, y 1: 20 + 9");
    }

    #[test]
    fn hues_go_round_the_colour_wheel() {
        assert_eq!(hue([255, 0, 0]), Some(0));
        assert_eq!(hue([255, 128, 0]), Some(30));
        assert_eq!(hue([255, 255, 0]), Some(60));
        assert_eq!(hue([0, 255, 0]), Some(120));
        assert_eq!(hue([0, 0, 255]), Some(240));
        assert_eq!(hue([255, 0, 128]), Some(330));
        assert_eq!(hue([120, 120, 130]), None, "greyish");
        assert_eq!(round_div(-7, 2), -4);
    }
}
