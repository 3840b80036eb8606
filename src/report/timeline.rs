//! The geometry of a figure timeline: where each source's statement and each note figure goes on
//! an SVG chart. One column per publication date (oldest first, evenly spaced: the chart shows the
//! order in which figures changed, not the gaps between dates), then an `undated` column for copy
//! without a date, then a column for the notes' own figures. A qualified figure is drawn as the
//! range its interval allows (`more than 140`: 140 to 150), with the written number marked.
//!
//! Pure arithmetic over `data::Timeline`; the SVG itself is written by the template.

use super::data::{NoteFigure, Timeline, TimelinePoint};
use crate::analysis::text::date::Date;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 48.0;
/// Horizontal room for one mark when several share a column.
const MARK_SPACING: f64 = 16.0;
/// Half the width of a range's caps, and of a note figure's diamond.
const CAP: f64 = 4.0;
const DIAMOND: f64 = 7.0;
/// About this many labelled lines on the value axis.
const TICKS: f64 = 5.0;

pub struct Chart {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub ticks: Vec<Tick>,
    pub columns: Vec<Column>,
    pub points: Vec<ChartPoint>,
    pub note_marks: Vec<NoteMark>,
}

pub struct Tick {
    pub y: String,
    pub label: String,
}

pub struct Column {
    pub x: String,
    pub label: String,
    /// `date`, `undated` or `notes`.
    pub kind: &'static str,
}

pub struct ChartPoint {
    pub x: String,
    pub y: String,
    /// The ends of the range, when the figure allows more than its number (`y_low` is the
    /// lower value, drawn lower: SVG's y grows downwards), and the ends of its caps.
    pub has_range: bool,
    pub y_low: String,
    pub y_high: String,
    pub cap_left: String,
    pub cap_right: String,
    /// An end left open by the figure (`fewer than 100` has no lower end): drawn as an arrow.
    pub open_low: bool,
    pub open_high: bool,
    pub source: String,
    pub article: String,
    pub date: String,
    pub value: String,
    pub low: String,
    pub high: String,
    pub figure: String,
    pub title: String,
    pub link: String,
}

pub struct NoteMark {
    pub x: String,
    pub y: String,
    pub note: String,
    pub value: String,
    pub verdict: &'static str,
    pub title: String,
    pub link: String,
    /// The diamond drawn for it, as an SVG path.
    pub shape: String,
}

/// A number for an attribute or a label: `139`, `2.5`.
pub fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{:.2}", value).trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn coordinate(value: f64) -> String {
    format!("{value:.1}")
}

/// A step of 1, 2 or 5 times a power of ten that cuts `span` into about `TICKS` parts.
fn nice_step(span: f64) -> f64 {
    let raw = (span / TICKS).max(f64::MIN_POSITIVE);
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|&s| s >= raw).unwrap_or(10.0 * power);
    step.max(1.0)
}

/// The value axis: from a round number below every value to one above (a single value gets room
/// on both sides).
fn value_axis(timeline: &Timeline) -> (f64, f64, f64) {
    let values = timeline
        .points
        .iter()
        .flat_map(|p| [Some(p.value), p.low, p.high])
        .chain(timeline.note_figures.iter().flat_map(|f| [Some(f.value), f.low, f.high]))
        .flatten()
        .filter(|v| v.is_finite());
    let (mut low, mut high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(v), h.max(v)));
    if !low.is_finite() {
        (low, high) = (0.0, 1.0);
    }
    if high - low < 1.0 {
        (low, high) = (low - 1.0, high + 1.0);
    }
    let step = nice_step(high - low);
    let bottom = (low / step).floor() * step;
    let mut top = (high / step).ceil() * step;
    if top <= bottom {
        top = bottom + step;
    }
    (bottom, top, step)
}

fn date_label(iso: &str) -> String {
    Date::parse_iso(iso).map_or_else(|| iso.to_string(), Date::short)
}

fn point_title(point: &TimelinePoint) -> String {
    format!("{}: “{}” — {} ({})", point.source, point.words, point.figure, point.reads_as)
}

fn note_title(figure: &NoteFigure) -> String {
    format!("{}:{}: “{}” — {} ({})", figure.note, figure.line, figure.sentence, figure.figure, figure.verdict)
}

/// Lays out one timeline.
pub fn chart(timeline: &Timeline) -> Chart {
    let (axis_low, axis_high, step) = value_axis(timeline);
    let plot_bottom = HEIGHT - BOTTOM;
    let y_of = |value: f64| plot_bottom - (value - axis_low) / (axis_high - axis_low) * (plot_bottom - TOP);

    let mut dates: Vec<&str> = timeline.points.iter().filter_map(|p| p.date.as_deref()).collect();
    dates.sort_unstable();
    dates.dedup();
    let has_undated = timeline.points.iter().any(|p| p.date.is_none());
    let has_notes = !timeline.note_figures.is_empty();
    let count = dates.len() + usize::from(has_undated) + usize::from(has_notes);
    let column_width = (WIDTH - LEFT - RIGHT) / count.max(1) as f64;
    let column_x = |index: usize| LEFT + (index as f64 + 0.5) * column_width;
    // Marks that share a column stand side by side, centred on it.
    let spread = |index: usize, of: usize| {
        let spacing = MARK_SPACING.min(column_width * 0.8 / of.max(1) as f64);
        (index as f64 - (of as f64 - 1.0) / 2.0) * spacing
    };

    let mut columns: Vec<Column> =
        dates.iter().enumerate().map(|(i, d)| Column { x: coordinate(column_x(i)), label: date_label(d), kind: "date" }).collect();
    if has_undated {
        columns.push(Column { x: coordinate(column_x(dates.len())), label: "undated".into(), kind: "undated" });
    }
    if has_notes {
        columns.push(Column { x: coordinate(column_x(count - 1)), label: "your notes".into(), kind: "notes" });
    }

    let column_of = |point: &TimelinePoint| match &point.date {
        Some(date) => dates.iter().position(|d| d == date).unwrap_or(0),
        None => dates.len(),
    };
    let mut points = Vec::with_capacity(timeline.points.len());
    for (index, point) in timeline.points.iter().enumerate() {
        let column = column_of(point);
        let sharing: Vec<usize> = (0..timeline.points.len()).filter(|&i| column_of(&timeline.points[i]) == column).collect();
        let place = sharing.iter().position(|&i| i == index).unwrap_or(0);
        let x = column_x(column) + spread(place, sharing.len());
        let low = point.low.unwrap_or(axis_low);
        let high = point.high.unwrap_or(axis_high);
        points.push(ChartPoint {
            x: coordinate(x),
            y: coordinate(y_of(point.value)),
            has_range: point.low != Some(point.value) || point.high != Some(point.value),
            y_low: coordinate(y_of(low)),
            y_high: coordinate(y_of(high)),
            cap_left: coordinate(x - CAP),
            cap_right: coordinate(x + CAP),
            open_low: point.low.is_none(),
            open_high: point.high.is_none(),
            source: point.source.clone(),
            article: point.article.clone(),
            date: point.date.clone().unwrap_or_else(|| "undated".into()),
            value: number(point.value),
            low: point.low.map_or_else(String::new, number),
            high: point.high.map_or_else(String::new, number),
            figure: point.figure.clone(),
            title: point_title(point),
            link: point.link.clone(),
        });
    }
    let note_marks = timeline
        .note_figures
        .iter()
        .enumerate()
        .map(|(index, figure)| {
            let (x, y) = (column_x(count - 1) + spread(index, timeline.note_figures.len()), y_of(figure.value));
            NoteMark {
                x: coordinate(x),
                y: coordinate(y),
                shape: format!(
                    "M{} {}L{} {}L{} {}L{} {}Z",
                    coordinate(x),
                    coordinate(y - DIAMOND),
                    coordinate(x + DIAMOND),
                    coordinate(y),
                    coordinate(x),
                    coordinate(y + DIAMOND),
                    coordinate(x - DIAMOND),
                    coordinate(y)
                ),
                note: format!("{}:{}", figure.note, figure.line),
                value: number(figure.value),
                verdict: figure.verdict,
                title: note_title(figure),
                link: figure.link.clone(),
            }
        })
        .collect();
    let mut ticks = Vec::new();
    let mut value = axis_low;
    while value <= axis_high + step / 2.0 {
        ticks.push(Tick { y: coordinate(y_of(value)), label: number(value) });
        value += step;
    }
    Chart {
        width: WIDTH,
        height: HEIGHT,
        left: LEFT,
        right: WIDTH - RIGHT,
        top: TOP,
        bottom: plot_bottom,
        ticks,
        columns,
        points,
        note_marks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(date: Option<&str>, value: f64, low: Option<f64>, high: Option<f64>) -> TimelinePoint {
        TimelinePoint {
            source: "S".into(),
            article: "000".into(),
            outlet: None,
            date: date.map(String::from),
            figure: number(value),
            reads_as: String::new(),
            value,
            low,
            high,
            interval: String::new(),
            words: String::new(),
            quote: String::new(),
            path: String::new(),
            line: 1,
            link: String::new(),
        }
    }

    #[test]
    fn dates_are_columns_in_order_then_undated_and_ranges_span_their_interval() {
        let timeline = Timeline {
            measure: "killed".into(),
            points: vec![
                point(Some("2024-05-24"), 140.0, Some(140.0), Some(150.0)),
                point(Some("2024-03-27"), 139.0, Some(139.0), Some(139.0)),
                point(None, 139.0, Some(139.0), Some(139.0)),
            ],
            note_figures: Vec::new(),
        };
        let chart = chart(&timeline);
        let labels: Vec<&str> = chart.columns.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["27 Mar 2024", "24 May 2024", "undated"]);
        let x = |i: usize| chart.points[i].x.parse::<f64>().unwrap();
        assert!(x(1) < x(0) && x(0) < x(2), "March left of May, undated last");
        assert!(!chart.points[1].has_range, "an exact figure is a dot");
        assert!(chart.points[0].has_range);
        let (low, high): (f64, f64) = (chart.points[0].y_low.parse().unwrap(), chart.points[0].y_high.parse().unwrap());
        assert!(high < low, "150 is drawn above 140 (SVG's y grows downwards)");
        let y139: f64 = chart.points[1].y.parse().unwrap();
        assert!(y139 > low, "139 is below the range 140–150");
        assert_eq!(chart.ticks.first().map(|t| t.label.as_str()), Some("135"));
    }

    #[test]
    fn numbers_read_plainly() {
        assert_eq!(number(139.0), "139");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(nice_step(11.0), 5.0);
        assert_eq!(nice_step(0.3), 1.0);
    }
}
