//! The data of `noteproof report`, gathered by one pure function over the core: for each note its
//! findings, each beside the note's sentence and the sources' sentences, and a summary of what was
//! checked; for each measure the corpus reports (the fact sheet's rows), a timeline of the values
//! each source gave by publication date, with the notes' own figures for that measure.
//!
//! No I/O and no HTML here: `html.rs` renders this, and `report --format json` prints it as it is
//! (a versioned, stable shape).

use serde::Serialize;

use super::NoteReport;
use crate::analysis::checks::figures::check::{judge_all, Verdict};
use crate::analysis::checks::figures::facts::{facts, measure_in_words, Fact};
use crate::analysis::checks::figures::measure::Measure;
use crate::analysis::checks::findings::{Finding, Place};
use crate::analysis::checks::quotes::matching::locate;
use crate::analysis::checks::quotes::{quote_citations, quote_text};
use crate::analysis::checks::Snapshot;
use crate::analysis::note::Note;
use crate::analysis::text::{collapse_whitespace, file_uri};

/// The version of the JSON shape; bumped on any change that is not an added field.
pub const VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportData {
    pub version: u32,
    /// Articles in the corpus.
    pub articles: usize,
    pub notes: Vec<NoteSection>,
    /// One per measure with a number (`killed`, `injured`, `arrested`…), those with the most
    /// statements first.
    pub timelines: Vec<Timeline>,
    /// The dates the sources give (`date of the attack`), in the same shape: listed, not charted.
    pub dates: Vec<Timeline>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NoteSection {
    /// The note's path as `check` prints it, and a link that opens it.
    pub path: String,
    pub link: String,
    pub summary: Summary,
    pub findings: Vec<FindingRow>,
}

/// What was checked in a note, counted from the core's verdicts (see README, "The `report`
/// command"): every figure whose measure noteproof reads is one claim; it is supported,
/// contradicted, unsupported (its cited source says nothing about the measure), or unjudged (no
/// source speaks to that measure of that event). Quotations are counted apart.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub claims_checked: usize,
    pub supported: usize,
    pub contradicted: usize,
    pub unsupported: usize,
    pub unjudged: usize,
    /// Quotations with at least one word, and those found word for word in an article the
    /// quotation's sentence cites.
    pub quotations: usize,
    pub quotations_verified: usize,
    /// Every finding of the note, whatever its code (as `check` lists them).
    pub findings: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FindingRow {
    /// 1-based line of the note.
    pub line: usize,
    pub severity: &'static str,
    pub code: &'static str,
    pub message: String,
    /// The words flagged, and the whole note sentence they stand in.
    pub flagged: String,
    pub note_sentence: String,
    pub link: String,
    pub sources: Vec<SourceSentence>,
}

/// A source sentence behind a finding, with who said it and where.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SourceSentence {
    /// `AFP, 24 May 2024 [@001]`, as every answer names a source.
    pub source: String,
    pub path: String,
    pub line: usize,
    pub link: String,
    pub sentence: String,
    /// What the finding says about this sentence (`AFP [@001] says “More than a dozen”`).
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Timeline {
    /// The measure in words, as the fact sheet heads it (`killed`, `children killed`).
    pub measure: String,
    /// The sources' statements, oldest first, undated last.
    pub points: Vec<TimelinePoint>,
    /// The notes' figures of the same measure.
    pub note_figures: Vec<NoteFigure>,
}

/// One statement of a source: the figure as written and the interval it allows (`more than 140`
/// allows 140 to 150, both open; `low`/`high` are absent for an open end such as `fewer than`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimelinePoint {
    pub source: String,
    pub article: String,
    pub outlet: Option<String>,
    /// The article's publication date (`2024-05-24`); none for undated copy.
    pub date: Option<String>,
    pub figure: String,
    pub reads_as: String,
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// Recognizers-Text notation of the interval (`(140,150)`).
    pub interval: String,
    pub words: String,
    pub quote: String,
    pub path: String,
    pub line: usize,
    pub link: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NoteFigure {
    pub note: String,
    pub line: usize,
    pub figure: String,
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// `supported`, `contradicted`, `unsupported` or `unjudged`.
    pub verdict: &'static str,
    pub sentence: String,
    pub link: String,
}

fn verdict_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Agrees => "supported",
        Verdict::Contradicts => "contradicted",
        Verdict::Unsupported => "unsupported",
        Verdict::Unknown => "unjudged",
    }
}

fn link(path: &str, line: usize) -> String {
    format!("{}#L{line}", file_uri(path))
}

/// The report's data: `notes` with the findings `check` found in them, against `corpus`.
pub fn gather(corpus: &Snapshot, notes: &[NoteReport]) -> ReportData {
    let mut sections = Vec::with_capacity(notes.len());
    let mut figures: Vec<(Measure, NoteFigure)> = Vec::new();
    for report in notes {
        let note = report.note;
        let judgements = judge_all(corpus, note);
        let mut summary = Summary { findings: report.findings.len(), ..Summary::default() };
        for judgement in &judgements {
            let statement = &judgement.statement;
            summary.claims_checked += 1;
            match judgement.verdict {
                Verdict::Agrees => summary.supported += 1,
                Verdict::Contradicts => summary.contradicted += 1,
                Verdict::Unsupported => summary.unsupported += 1,
                Verdict::Unknown => summary.unjudged += 1,
            }
            if statement.date.is_some() || statement.partial || statement.measure.needs_alignment() {
                continue; // not on a timeline: dates, parts of a count, figures paired by role
            }
            let line = note.line_index.line_of(statement.span.start) + 1;
            figures.push((
                statement.measure.clone(),
                NoteFigure {
                    note: report.display_path.clone(),
                    line,
                    figure: collapse_whitespace(&note.text[statement.span.clone()]),
                    value: statement.value,
                    low: statement.interval.low.map(|b| b.value),
                    high: statement.interval.high.map(|b| b.value),
                    verdict: verdict_name(judgement.verdict),
                    sentence: note_sentence(note, statement.span.start),
                    link: link(&note.path, line),
                },
            ));
        }
        for quote in &note.quotes {
            let text = quote_text(note, quote);
            if text.word_count() == 0 {
                continue;
            }
            summary.quotations += 1;
            let (cited, _) = quote_citations(corpus, note, quote);
            if !cited.is_empty() && !locate(corpus, &text, Some(&cited)).is_empty() {
                summary.quotations_verified += 1;
            }
        }
        sections.push(NoteSection {
            path: report.display_path.clone(),
            link: file_uri(&note.path),
            summary,
            findings: report.findings.iter().map(|finding| finding_row(corpus, note, finding)).collect(),
        });
    }
    let (timelines, dates) = timelines(corpus, &figures);
    ReportData { version: VERSION, articles: corpus.len(), notes: sections, timelines, dates }
}

/// The note sentence holding `offset`, or its line when it stands in no sentence (a heading).
fn note_sentence(note: &Note, offset: usize) -> String {
    match note.sentence_index_at(offset) {
        Some(index) => collapse_whitespace(&note.text[note.sentences[index].span.clone()]),
        None => {
            let start = note.text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let end = note.text[offset..].find('\n').map_or(note.text.len(), |i| offset + i);
            collapse_whitespace(&note.text[start..end])
        }
    }
}

fn finding_row(corpus: &Snapshot, note: &Note, finding: &Finding) -> FindingRow {
    let line = note.line_index.line_of(finding.range.start) + 1;
    let sources = finding
        .related
        .iter()
        .filter_map(|related| {
            let Place::Article { article: id, range } = &related.place else { return None };
            let article = corpus.article(*id)?;
            // The whole sentence, even when the finding points at a few words of it.
            let sentence = article.sentence_at(range.start).map_or(range.clone(), |i| article.sentences[i].span.range());
            let line = article.line_of(range.start) + 1;
            Some(SourceSentence {
                source: corpus.source_label(*id),
                path: article.display_path.clone(),
                line,
                link: link(&article.path, line),
                sentence: collapse_whitespace(&article.text[sentence]),
                note: related.message.clone(),
            })
        })
        .collect();
    FindingRow {
        line,
        severity: finding.severity.name(),
        code: finding.code.name(),
        message: finding.message.clone(),
        flagged: collapse_whitespace(&note.text[finding.range.clone()]),
        note_sentence: note_sentence(note, finding.range.start),
        link: link(&note.path, line),
        sources,
    }
}

/// The fact sheet's numeric rows grouped by measure, each with the notes' figures of that
/// measure; and its dates, which are listed rather than drawn.
fn timelines(corpus: &Snapshot, figures: &[(Measure, NoteFigure)]) -> (Vec<Timeline>, Vec<Timeline>) {
    let mut timelines: Vec<(Measure, Timeline)> = Vec::new();
    let mut dates: Vec<(Measure, Timeline)> = Vec::new();
    for Fact { row, article, statement } in facts(corpus) {
        let path = corpus.article(article).map_or_else(|| row.path.clone(), |a| a.path.clone());
        let point = TimelinePoint {
            link: link(&path, row.line),
            source: row.source,
            article: row.article,
            outlet: row.outlet,
            date: row.date,
            figure: row.figure,
            reads_as: row.reads_as,
            value: statement.value,
            low: statement.interval.low.map(|b| b.value),
            high: statement.interval.high.map(|b| b.value),
            interval: row.interval,
            words: row.words,
            quote: row.quote,
            path: row.path,
            line: row.line,
        };
        let group = if statement.date.is_some() { &mut dates } else { &mut timelines };
        match group.last_mut() {
            Some((measure, timeline)) if *measure == statement.measure => timeline.points.push(point),
            _ => group.push((
                statement.measure.clone(),
                Timeline { measure: measure_in_words(&statement.measure), points: vec![point], note_figures: Vec::new() },
            )),
        }
    }
    for (measure, timeline) in &mut timelines {
        timeline.note_figures =
            figures.iter().filter(|(figure_measure, _)| figure_measure.matches(measure)).map(|(_, figure)| figure.clone()).collect();
    }
    let values = |groups: Vec<(Measure, Timeline)>| groups.into_iter().map(|(_, timeline)| timeline).collect::<Vec<_>>();
    // The measures the sources say most about first (the death toll before the children among
    // the dead); ties keep the fact sheet's order.
    let mut timelines = values(timelines);
    timelines.sort_by_key(|timeline| std::cmp::Reverse(timeline.points.len()));
    (timelines, values(dates))
}
