//! Renders the report's data as one self-contained HTML page: inline CSS (with print rules) and
//! inline SVG, no script, no network (a Content-Security-Policy forbids any fetch). The page is an
//! askama template (`templates/report.html`, escaped by default); this module only prepares what
//! the template shows: the chart geometry and the flagged words within their sentence.

use askama::Template;

use super::data::{FindingRow, NoteSection, ReportData, SourceSentence, Summary, Timeline, TimelinePoint};
use super::timeline::{chart, Chart};

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage<'a> {
    version: &'static str,
    articles: usize,
    notes: Vec<NotePage<'a>>,
    timelines: Vec<TimelinePage<'a>>,
    dates: &'a [Timeline],
}

struct NotePage<'a> {
    path: &'a str,
    link: &'a str,
    summary: Summary,
    findings: Vec<FindingPage<'a>>,
}

struct FindingPage<'a> {
    line: usize,
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    link: &'a str,
    /// The note's sentence around the flagged words.
    before: &'a str,
    flagged: &'a str,
    after: &'a str,
    sources: &'a [SourceSentence],
}

struct TimelinePage<'a> {
    measure: &'a str,
    /// The measure as a caption: `Killed`, `Children killed`.
    heading: String,
    chart: Chart,
    tick_x: String,
    label_y: String,
    points: &'a [TimelinePoint],
    note_figures: &'a [super::data::NoteFigure],
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| format!("{}{}", first.to_uppercase(), chars.as_str()))
}

fn finding_page(finding: &FindingRow) -> FindingPage<'_> {
    let sentence = finding.note_sentence.as_str();
    let (before, flagged, after) = match sentence.find(finding.flagged.as_str()).filter(|_| !finding.flagged.is_empty()) {
        Some(at) => (&sentence[..at], &sentence[at..at + finding.flagged.len()], &sentence[at + finding.flagged.len()..]),
        None => (sentence, "", ""),
    };
    FindingPage {
        line: finding.line,
        severity: finding.severity,
        code: finding.code,
        message: &finding.message,
        link: &finding.link,
        before,
        flagged,
        after,
        sources: &finding.sources,
    }
}

fn note_page(note: &NoteSection) -> NotePage<'_> {
    NotePage { path: &note.path, link: &note.link, summary: note.summary, findings: note.findings.iter().map(finding_page).collect() }
}

fn timeline_page(timeline: &Timeline) -> TimelinePage<'_> {
    let chart = chart(timeline);
    TimelinePage {
        measure: &timeline.measure,
        heading: capitalised(&timeline.measure),
        tick_x: format!("{:.1}", chart.left - 6.0),
        label_y: format!("{:.1}", chart.bottom + 20.0),
        chart,
        points: &timeline.points,
        note_figures: &timeline.note_figures,
    }
}

/// The whole page.
pub fn render(data: &ReportData) -> Result<String, askama::Error> {
    ReportPage {
        version: env!("CARGO_PKG_VERSION"),
        articles: data.articles,
        notes: data.notes.iter().map(note_page).collect(),
        timelines: data.timelines.iter().map(timeline_page).collect(),
        dates: &data.dates,
    }
    .render()
}
