//! Trend charts drawn with plotters: SVG (its text stays text) or PNG.
//! Both need a system TrueType font, which plotters measures text with.

use std::path::Path;

use plotters::prelude::*;

use tealeaf_model::Period;

use crate::trend::{Point, Series};

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("a chart is .svg or .png, not `.{0}`")]
    Format(String),
    #[error("charts need a TrueType font: install fonts-dejavu-core (or fonts-liberation)")]
    NoFont,
    #[error("drawing the chart: {0}")]
    Draw(String),
}

type Result<T> = std::result::Result<T, ChartError>;

/// plotters measures text with a TrueType font even for SVG: the first
/// system font found is registered once for the process.
fn ensure_font() -> Result<()> {
    static FONT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = *FONT.get_or_init(|| {
        let Some(bytes) = FONTS.iter().find_map(|p| std::fs::read(p).ok()) else {
            return false;
        };
        // Registered fonts live as long as the process.
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        plotters::style::register_font("sans-serif", FontStyle::Normal, bytes).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(ChartError::NoFont)
    }
}

/// The chart as an SVG document in memory (for the web pages).
pub fn svg(series: &[Series], by: Period, per_1000: bool, outlet: Option<&str>) -> Result<String> {
    svg_linked(series, by, per_1000, outlet, &|_, _| None)
}

/// Where a point of the chart leads: a URL (escaped here) and the
/// tooltip shown over it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub href: String,
    pub title: String,
}

/// The chart as SVG with its points as links: `link(series, point)` (the
/// indexes into `series` and its `points`) says where each leads, if
/// anywhere. plotters draws no links, so they are laid over the drawing
/// afterwards, at the pixels plotters put the points at: with one series
/// a full-height column per period (easy to hit), with several a circle
/// around each point. Transparent, inside `<a href>`: no script needed.
pub fn svg_linked(
    series: &[Series],
    by: Period,
    per_1000: bool,
    outlet: Option<&str>,
    link: &dyn Fn(usize, usize) -> Option<Link>,
) -> Result<String> {
    ensure_font()?;
    let mut out = String::new();
    let drawn = {
        let root = SVGBackend::with_string(&mut out, (1000, 560)).into_drawing_area();
        plot(root, series, by, per_1000, outlet)?
    };
    let mut overlay = String::new();
    for (si, points) in drawn.points.iter().enumerate() {
        for (pi, &(x, y)) in points.iter().enumerate() {
            let Some(l) = link(si, pi) else { continue };
            let shape = if drawn.points.len() == 1 {
                let half = (drawn.step / 2).max(1);
                format!(
                    r#"<rect x="{}" y="{}" width="{}" height="{}" fill="black" fill-opacity="0"/>"#,
                    x - half,
                    drawn.top,
                    2 * half,
                    (drawn.bottom - drawn.top).max(1)
                )
            } else {
                format!(
                    r#"<circle cx="{x}" cy="{y}" r="{}" fill="black" fill-opacity="0"/>"#,
                    (drawn.step / 2).clamp(4, 9)
                )
            };
            overlay.push_str(&format!(
                r#"<a href="{}">{shape}<title>{}</title></a>"#,
                xml_escape(&l.href),
                xml_escape(&l.title)
            ));
        }
    }
    if !overlay.is_empty() {
        let at = out.rfind("</svg>").unwrap_or(out.len());
        out.insert_str(at, &format!(r#"<g class="chart-links">{overlay}</g>"#));
    }
    Ok(out)
}

/// Text for an SVG attribute or element.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Where [`plot`] drew things, in pixels.
struct Drawn {
    /// Per series, per point.
    points: Vec<Vec<(i32, i32)>>,
    /// The plotting area's top and bottom (the value axis's ends).
    top: i32,
    bottom: i32,
    /// From one period to the next.
    step: i32,
}

const PALETTE: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(23, 190, 207),
];

/// Fonts looked for (Debian's fonts-dejavu-core or fonts-liberation; the
/// usual macOS places).
const FONTS: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/Library/Fonts/Arial.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
];

/// Draws the chart into `path`: `.svg` or `.png`.
pub fn draw(
    path: &Path,
    series: &[Series],
    by: Period,
    per_1000: bool,
    outlet: Option<&str>,
) -> Result<()> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if matches!(ext.as_str(), "svg" | "png") {
        ensure_font()?;
    }
    match ext.as_str() {
        "svg" => {
            let root = SVGBackend::new(path, (1000, 560)).into_drawing_area();
            plot(root, series, by, per_1000, outlet).map(drop)
        }
        "png" => {
            let font = FONTS
                .iter()
                .find_map(|p| std::fs::read(p).ok())
                .ok_or(ChartError::NoFont)?;
            // plotters keeps registered fonts for the process.
            let font: &'static [u8] = Box::leak(font.into_boxed_slice());
            plotters::style::register_font("sans-serif", FontStyle::Normal, font)
                .map_err(|_| ChartError::Draw("the font could not be read".into()))?;
            let root = BitMapBackend::new(path, (1000, 560)).into_drawing_area();
            plot(root, series, by, per_1000, outlet).map(drop)
        }
        other => Err(ChartError::Format(other.to_string())),
    }
}

fn plot<DB: DrawingBackend>(
    root: DrawingArea<DB, plotters::coord::Shift>,
    series: &[Series],
    by: Period,
    per_1000: bool,
    outlet: Option<&str>,
) -> Result<Drawn>
where
    DB::ErrorType: 'static,
{
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| ChartError::Draw(format!("{e:?}"));
    root.fill(&WHITE).map_err(err)?;
    let periods: Vec<String> = series
        .first()
        .map(|s| s.points.iter().map(|p| p.period.clone()).collect())
        .unwrap_or_default();
    let value = |p: &Point| -> f64 {
        if per_1000 {
            p.articles_per_1000.unwrap_or(0.0)
        } else {
            p.articles as f64
        }
    };
    let max = series
        .iter()
        .flat_map(|s| s.points.iter().map(value))
        .fold(0.0f64, f64::max)
        .max(1.0);
    let by_name = by.as_str();
    let caption = format!(
        "Articles per {by_name}{}{}",
        if per_1000 { " per 1,000 articles" } else { "" },
        outlet.map(|o| format!(" ({o})")).unwrap_or_default()
    );
    let n = periods.len().max(1);
    let mut chart = ChartBuilder::on(&root)
        .caption(caption, ("sans-serif", 24))
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d(0..n, 0.0..max * 1.1)
        .map_err(err)?;
    let labels = periods.clone();
    chart
        .configure_mesh()
        .x_desc(by_name)
        .y_desc(if per_1000 {
            "articles per 1,000"
        } else {
            "articles"
        })
        .x_labels(n.min(12))
        .x_label_formatter(&|i| labels.get(*i).cloned().unwrap_or_default())
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(err)?;
    for (i, s) in series.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let label = if s.matched_as == "text" {
            s.term.clone()
        } else {
            s.name.clone()
        };
        chart
            .draw_series(LineSeries::new(
                s.points.iter().enumerate().map(|(x, p)| (x, value(p))),
                color.stroke_width(2),
            ))
            .map_err(err)?
            .label(label)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(3))
            });
        chart
            .draw_series(
                s.points
                    .iter()
                    .enumerate()
                    .map(|(x, p)| Circle::new((x, value(p)), 3, color.filled())),
            )
            .map_err(err)?;
    }
    let top = max * 1.1;
    let drawn = Drawn {
        points: series
            .iter()
            .map(|s| {
                s.points
                    .iter()
                    .enumerate()
                    .map(|(x, p)| chart.backend_coord(&(x, value(p))))
                    .collect()
            })
            .collect(),
        top: chart.backend_coord(&(0, top)).1,
        bottom: chart.backend_coord(&(0, 0.0)).1,
        step: chart.backend_coord(&(1, 0.0)).0 - chart.backend_coord(&(0, 0.0)).0,
    };
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperLeft)
        .draw()
        .map_err(err)?;
    root.present().map_err(err)?;
    Ok(drawn)
}
