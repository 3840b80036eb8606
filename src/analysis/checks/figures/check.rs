//! Judging a note's figures against the sources that speak to them.
//!
//! A cited figure must agree with its cited articles; an uncited one with any
//! statement of the articles about the same event (figures evolve: 139 in
//! March and more than 140 in May are both right in their time). A figure is
//! contradicted only when every source statement about the same measure
//! rules it out; partial counts (`three other people`) never do.

use std::collections::HashMap;

use super::event::event_articles;
use super::measure::{Measure, AGE};
use super::{extract, role, Statement};
use crate::analysis::cancel::{CancelToken, Cancelled};
use crate::analysis::checks::citations::{cited_articles, has_citation};
use crate::analysis::checks::evidence::sentence_query;
use crate::analysis::checks::findings::{Code, Edit, Finding, Fix, Place, Related};
use crate::analysis::checks::quotes::cite_fix;
use crate::analysis::checks::render::{escape, in_words, line_link, markdown_label};
use crate::analysis::checks::Snapshot;
use crate::analysis::corpus::ArticleId;
use crate::analysis::note::{BlockKind, Note};
use crate::analysis::text::collapse_whitespace;
use crate::analysis::text::interned::{Phrase, Word};
use crate::analysis::text::terms::index_term;

/// Source sentences of each article ranked against a note's sentence when pairing figures by role.
const ALIGNED_SENTENCES: usize = 5;
/// Pairing score (0–1) at which a source figure plays the note figure's role: most of the note
/// figure's context, or a source sentence that says nearly the same thing.
const STRONG_PAIR: f32 = 0.4;
/// The same, for a note figure whose number the sources write nowhere (`written.rs`): it cannot
/// be a figure of theirs that the pairing failed to find, so a weaker likeness is enough.
const UNWRITTEN_PAIR: f32 = 0.2;
/// The same, when the source figure is also the only one of its kind the sources give.
const SOLE_PAIR: f32 = 0.1;
/// What the same head noun adds to a pair's score (`$1,000 deductible` and `deductible of $1,000`).
const HEAD_BONUS: f32 = 0.3;
/// A source figure that agrees silences the note's when it pairs at least this well, relative to
/// the best pair: two figures of one kind in a comparable role leave the reading open.
const AGREEING_PAIR: f32 = 0.8;
/// The same number written in the source silences the note's figure even in a weaker pair: an
/// exact repetition is rarely a coincidence of two roles.
const SAME_NUMBER_PAIR: f32 = 0.25;
/// Pairs this close to the best are named as the basis of a contradiction.
const CLOSE_PAIR: f32 = 0.8;
/// Replacement values offered, at most.
const REPLACEMENTS: usize = 4;
/// Source statements named in a message, at most.
const NAMED: usize = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Agrees,
    Contradicts,
    /// A cited article says nothing about this measure.
    Unsupported,
    /// No source speaks to it: nothing to say.
    Unknown,
}

/// What the sources say about one of the note's figures.
pub struct Judgement {
    pub statement: Statement,
    pub cited: Vec<ArticleId>,
    /// Same-measure statements of the articles that speak to it: (article, index into its statements).
    pub basis: Vec<(ArticleId, usize)>,
    pub verdict: Verdict,
}

/// The statements of a note's prose (not headings, footnote definitions, citations, code or quotations).
pub fn note_statements(corpus: &Snapshot, note: &Note) -> Vec<Statement> {
    statements_of_sentences(corpus, note, 0..note.sentences.len())
}

fn statements_of_sentences(corpus: &Snapshot, note: &Note, sentences: std::ops::Range<usize>) -> Vec<Statement> {
    let sentences = note.sentences[sentences.clone()].iter().enumerate().map(move |(i, s)| (sentences.start + i, s)).filter(|(_, s)| {
        note.blocks.get(s.block as usize).is_some_and(|b| !matches!(b.kind, BlockKind::Heading(_)) && b.footnote.is_none())
    });
    let mut skip: Vec<std::ops::Range<usize>> = note.quotes.iter().map(|q| q.span.clone()).collect();
    skip.extend(note.citations.iter().map(|c| c.span.clone()));
    skip.extend(note.excluded.iter().cloned());
    extract(&note.text, sentences.map(|(i, s)| (i as u32, s.span.clone())), None, corpus.lexicon(), &skip)
}

/// Judges every figure of the note.
pub fn judge_all(corpus: &Snapshot, note: &Note) -> Vec<Judgement> {
    let statements = note_statements(corpus, note);
    by_sentence(&statements)
        .flat_map(|siblings| siblings.iter().map(move |statement| (statement, siblings)))
        .map(|(statement, siblings)| judge(corpus, note, statement.clone(), siblings))
        .collect()
}

/// Statements grouped by their sentence, as `extract` gives them (in sentence order).
fn by_sentence(statements: &[Statement]) -> impl Iterator<Item = &[Statement]> {
    statements.chunk_by(|a, b| a.sentence == b.sentence)
}

/// Judges one figure; `siblings` are all the statements of its sentence, itself among them.
fn judge(corpus: &Snapshot, note: &Note, statement: Statement, siblings: &[Statement]) -> Judgement {
    let sentence = statement.sentence as usize;
    let cited = cited_articles(corpus, note, sentence);
    let articles: Vec<ArticleId> = if !cited.is_empty() {
        cited.clone()
    } else if has_citation(corpus, note, sentence) {
        Vec::new() // a broken citation is reported as such; nothing to compare with
    } else {
        event_articles(corpus, note, sentence, Some(statement.span.clone()))
    };
    // What is read of each (the text of each for a figure paired by role, else the statements
    // not read yet) comes from a library in one call, not a round trip an article. Of a lexicon
    // measure, an archive says which articles state it: only those are read.
    let by_role = matches!(statement.measure, Measure::Role { .. });
    let stating = if by_role { None } else { corpus.stating(&articles, &statement.measure) };
    let stating: Vec<ArticleId> = match stating {
        Some(stating) => articles.iter().copied().filter(|id| stating.binary_search(id).is_ok()).collect(),
        None => articles.clone(),
    };
    let to_read: Vec<ArticleId> = stating.iter().copied().filter(|&id| by_role || corpus.statements_read(id).is_none()).collect();
    corpus.prefetch(&to_read);
    corpus.prefetch_statements(&to_read);
    if let Measure::Role { unit, phrase } = &statement.measure {
        let (unit, phrase) = (unit.clone(), phrase.clone());
        return judge_role(corpus, note, statement, siblings, (&unit, &phrase), cited, &articles);
    }
    let mut basis = Vec::new();
    for &id in &stating {
        for (index, source) in corpus.statements(id).iter().enumerate() {
            if source.measure.matches(&statement.measure) {
                basis.push((id, index));
            }
        }
    }
    let source = |&(id, index): &(ArticleId, usize)| &corpus.statements(id)[index];
    let plain_count = matches!(&statement.measure, Measure::Counted { group: None, .. });
    let age = matches!(&statement.measure, Measure::Age(_));
    if basis.is_empty() && (!cited.is_empty() || age) && (plain_count || age) && !statement.partial {
        // The cited article counts nothing under this measure, but it may count the same thing in
        // other words (`four men` for `five gunmen`), or give the age without the name (`the
        // 26-year-old`): pair the figure by role before saying that the article says nothing
        // about it.
        let (unit, phrase) = if age {
            (AGE, Phrase::empty())
        } else {
            let sentence_text = &note.text[note.sentences[sentence].span.clone()];
            let end = statement.value_span.end.saturating_sub(note.sentences[sentence].span.start);
            ("count", Phrase::from(role::noun_phrase_after(sentence_text, end)))
        };
        let as_role = Statement { measure: Measure::Role { unit: unit.into(), phrase: phrase.clone() }, ..statement.clone() };
        corpus.prefetch(&articles);
        corpus.prefetch_statements(&articles);
        let pairs = role_pairs(corpus, note, &as_role, (unit, &phrase), &articles, true);
        if !pairs.is_empty() {
            let trust = PairTrust::of(corpus, note, &as_role, siblings, &pairs, &articles);
            return verdict_of_pairs(corpus, as_role, cited, pairs, trust);
        }
        let verdict = if age { Verdict::Unknown } else { Verdict::Unsupported };
        return Judgement { statement, cited, basis, verdict };
    }
    let verdict = if basis.is_empty() {
        Verdict::Unknown
    } else if basis.iter().any(|b| source(b).agrees_with(&statement)) {
        Verdict::Agrees
    } else if statement.partial || basis.iter().all(|b| source(b).partial) {
        Verdict::Unknown
    } else if matches!(statement.measure, Measure::EventDate(_))
        && basis.iter().all(|b| source(b).date.is_some_and(|date| date.day.is_none()))
        && {
            corpus.prefetch(&articles);
            corpus.prefetch_statements(&articles);
            !written_nowhere(corpus, &statement, &articles)
        }
    {
        // Only months contradict the note's day, and the article writes that day: the day of
        // something its reader did not tie to the event (`since the water began rising on
        // December 10`), more likely than a month in a background paragraph (`the floods in
        // Çamouth in September 2024`) contradicting it.
        Verdict::Unknown
    } else {
        Verdict::Contradicts
    };
    Judgement { statement, cited, basis, verdict }
}

/// A figure outside the lexicon against the source figures of the same unit, paired by role: how
/// much of its context (the content words around it, weighted by how much each says) the source
/// figure's context shares, the same head noun, or a source sentence that says the same thing.
/// Precision first: an agreeing source figure in a comparable role silences it; only a strong
/// pair with another value contradicts it.
fn judge_role(
    corpus: &Snapshot,
    note: &Note,
    statement: Statement,
    siblings: &[Statement],
    (unit, phrase): (&str, &[Word]),
    cited: Vec<ArticleId>,
    articles: &[ArticleId],
) -> Judgement {
    // `The May 24 story`: an article's own date is something it states.
    if statement.date.is_some_and(|date| {
        articles.iter().any(|&id| corpus.date(id).is_some_and(|own| super::same_day(date, super::calendar(own))))
    }) {
        return Judgement { statement, cited, basis: Vec::new(), verdict: Verdict::Agrees };
    }
    let pairs = role_pairs(corpus, note, &statement, (unit, phrase), articles, false);
    let trust = PairTrust::of(corpus, note, &statement, siblings, &pairs, articles);
    verdict_of_pairs(corpus, statement, cited, pairs, trust)
}

/// What, besides the pairs' scores, says how far to trust the best of them.
#[derive(Clone, Debug, Default)]
struct PairTrust {
    /// No source writes the note figure's number anywhere (`written.rs`).
    unwritten: bool,
    /// Another figure of the note's sentence agrees with another figure of the best pair's source
    /// sentence (`birdies at sixth and 15th` against `birdies on the 13th and 15th`): that is the
    /// sentence the note retells, and the same number elsewhere in the source (`bogey the sixth`)
    /// is a coincidence unless it pairs nearly as well.
    anchored: bool,
    /// Every paired source sentence in which another figure of the note's sentence agrees with a
    /// figure (`drew 0-0 … on Tuesday` against `the 0-0 draw … on Tuesday`): the same weekday
    /// there is the note's fact retold, however little else the two sentences share. (A number
    /// of many values needs no anchor to be believed, and one would be a weak sign: `birdies at
    /// sixth and 15th` against `the sixth player … birdies on the 13th and 15th`.)
    anchors: Vec<(ArticleId, u32)>,
}

impl PairTrust {
    fn of(
        corpus: &Snapshot,
        note: &Note,
        statement: &Statement,
        siblings: &[Statement],
        pairs: &[((ArticleId, usize), f32)],
        articles: &[ArticleId],
    ) -> PairTrust {
        let Some(&((id, best), _)) = pairs.first() else { return PairTrust::default() };
        let sources = corpus.statements(id);
        let unwritten = names_its_thing(corpus, note, statement, id, &sources[best]) && written_nowhere(corpus, statement, articles);
        let source_sentence = sources[best].sentence;
        let siblings: Vec<&Statement> = siblings.iter().filter(|sibling| sibling.span != statement.span).collect();
        let retells_a_sibling = |other: &Statement| {
            let Some((other_unit, _)) = role_of(&other.measure) else { return false };
            siblings.iter().any(|sibling| {
                role_of(&sibling.measure).is_some_and(|(unit, _)| role::unit_distance(unit, other_unit).is_some()) && {
                    let other = in_unit_of(sibling, other);
                    other.same_number(sibling) || other.agrees_with(sibling)
                }
            })
        };
        // A rate paired with a plain amount (`$185 per month` with `$1,500`) is a guess, not an anchor.
        let same_unit = match (role_of(&statement.measure), role_of(&sources[best].measure)) {
            (Some((unit, _)), Some((best_unit, _))) => role::unit_distance(unit, best_unit) == Some(0.0),
            _ => false,
        };
        let anchored = same_unit
            && sources.iter().enumerate().any(|(i, other)| i != best && other.sentence == source_sentence && retells_a_sibling(other));
        // Only a weekday is judged by every anchor (`verdict_of_pairs`); other figures are spared the walk.
        let mut anchors = Vec::new();
        if is_weekday(statement) && !siblings.is_empty() {
            let mut paired_articles: Vec<ArticleId> = pairs.iter().map(|((id, _), _)| *id).collect();
            paired_articles.sort_unstable();
            paired_articles.dedup();
            for article in paired_articles {
                let retold = corpus.statements(article).iter().filter(|other| retells_a_sibling(other)).map(|other| (article, other.sentence));
                anchors.extend(retold);
            }
        }
        PairTrust { unwritten, anchored, anchors }
    }
}

/// Whether a pair says what its two figures are about alike: both name no noun, or the same one,
/// or the noun one names stands in the other's clause (`up to 50%` of what `increase revenues`
/// is about, against `up to a 30% increase`), or one names nothing and the other is the value of
/// a property (`the quake measured 7.5`, `a magnitude of 7.9`). `The quake measured 7.6` against
/// `gusts measuring 92 mph` is not such a pair: only a figure of this kind may be believed on less evidence.
fn names_its_thing(corpus: &Snapshot, note: &Note, statement: &Statement, id: ArticleId, source: &Statement) -> bool {
    let (Some((_, note_phrase)), Some((_, source_phrase))) = (role_of(&statement.measure), role_of(&source.measure)) else {
        return false;
    };
    let head_in = |phrase: &[Word], context: &[(String, usize)]| {
        phrase.last().is_some_and(|head| {
            let head = index_term(head);
            context.iter().any(|(term, _)| *term == head)
        })
    };
    match (note_phrase.is_empty(), source_phrase.is_empty()) {
        (true, true) => true,
        (false, false) => role::shared_word(note_phrase, source_phrase).is_some(),
        _ => {
            let Some(article) = corpus.article(id) else { return false };
            let note_sentence = &note.sentences[statement.sentence as usize].span;
            let source_sentence = &article.sentences[source.sentence as usize].span.range();
            let relative = |sentence: &std::ops::Range<usize>, figure: &std::ops::Range<usize>| {
                figure.start - sentence.start..figure.end - sentence.start
            };
            let note_context =
                role::context_terms(&note.prose_of_sentence(statement.sentence as usize), &relative(note_sentence, &statement.span));
            let source_text = &article.text[source_sentence.clone()];
            let source_context = role::context_terms(source_text, &relative(source_sentence, &source.span));
            let values_a_property = note_phrase.is_empty()
                && role::values_a_property(source_text, source.span.start - source_sentence.start, source_phrase);
            let note_text = note.prose_of_sentence(statement.sentence as usize);
            let on_one_scale =
                role::on_one_scale(&note_text, statement.span.start - note_sentence.start, source_text, source.span.start - source_sentence.start);
            head_in(note_phrase, &source_context) || head_in(source_phrase, &note_context) || values_a_property || on_one_scale
        }
    }
}

/// Whether none of `articles` writes the figure's number (or day) anywhere, in any role.
fn written_nowhere(corpus: &Snapshot, statement: &Statement, articles: &[ArticleId]) -> bool {
    !articles.iter().any(|&id| corpus.written(id).has(statement))
}

/// The source figures of `articles` that may play the note figure's role, with how well each
/// pairs (see `judge_role`), best first. Empty when none is of a comparable unit and noun.
/// `from_lexicon`: the figure was read as a lexicon measure the articles do not state (`five
/// gunmen`), whose noun the reading already named.
fn role_pairs(
    corpus: &Snapshot,
    note: &Note,
    statement: &Statement,
    (unit, phrase): (&str, &[Word]),
    articles: &[ArticleId],
    from_lexicon: bool,
) -> Vec<((ArticleId, usize), f32)> {
    let sentence = &note.sentences[statement.sentence as usize].span;
    let note_text = note.prose_of_sentence(statement.sentence as usize);
    let relative = statement.span.start - sentence.start..statement.span.end - sentence.start;
    let note_context = role::context_terms(&note_text, &relative);
    let counts_nothing_named = unit == "count" && phrase.is_empty() && !from_lexicon;
    // Aligned on the words around the figure, not on the figure itself (which may be the error).
    let mut query = sentence_query(note, statement.sentence as usize);
    query.retain(|term| !term.term.chars().any(|c| c.is_ascii_digit()));
    let mut pairs: Vec<((ArticleId, usize), f32)> = Vec::new();
    for &id in articles {
        let Some(article) = corpus.article(id) else { continue };
        let statements = corpus.statements(id);
        if !statements.iter().any(|s| role_of(&s.measure).is_some_and(|(u, _)| role::unit_distance(unit, u).is_some())) {
            continue;
        }
        let coverage: HashMap<u32, f32> =
            corpus.rank_within(id, &query, ALIGNED_SENTENCES).into_iter().map(|hit| (hit.sentence.index, hit.coverage)).collect();
        for (index, source) in statements.iter().enumerate() {
            let Some((source_unit, source_phrase)) = role_of(&source.measure) else { continue };
            let Some(unit_cost) = role::unit_distance(unit, source_unit) else { continue };
            let source_sentence = &article.sentences[source.sentence as usize].span.range();
            let source_text = &article.text[source_sentence.clone()];
            let source_relative = source.span.start - source_sentence.start..source.span.end - source_sentence.start;
            let source_context = role::context_terms(source_text, &source_relative);
            let local = role::context_overlap(&note_context, &source_context, |term| corpus.idf(term));
            let aligned = coverage.get(&source.sentence).copied().unwrap_or(0.0);
            let in_context =
                |phrase: &[Word], context: &[(String, usize)]| phrase.last().is_some_and(|h| context.iter().any(|(t, _)| t == h));
            let score = if role::is_frequency(phrase) != role::is_frequency(source_phrase) {
                // How often something happened is not how many of something there were.
                continue;
            } else if role::is_frequency(phrase) {
                // `for the first time`, `watched 2,645,000 times`: how often the clause's event
                // happened, so only a source sentence saying the same thing pairs it.
                aligned
            } else if phrase.is_empty() && source_phrase.is_empty() {
                local.max(aligned)
            } else if phrase.is_empty() || source_phrase.is_empty() {
                // One side names no noun: its head may stand elsewhere in the other's clause; the
                // sentences' likeness says nothing about which of their figures this one is.
                let head_in_clause = in_context(phrase, &source_context) || in_context(source_phrase, &note_context);
                let on_one_scale = role::on_one_scale(&note_text, relative.start, source_text, source_relative.start);
                // A note's count of nothing named against a count of something (`the quake
                // measured 7.6` and `gusts measuring 92 mph`): only that something in the note's
                // clause pairs them, or its being a property the count may be the value of (`the
                // quake had a magnitude of 7.9`).
                if !head_in_clause
                    && !on_one_scale
                    && counts_nothing_named
                    && !role::values_a_property(source_text, source_relative.start, source_phrase)
                {
                    continue;
                }
                let bonus = if head_in_clause || on_one_scale { HEAD_BONUS / 2.0 } else { 0.0 };
                (local + bonus).min(1.0)
            } else if let Some(shared) = role::shared_word(phrase, source_phrase) {
                // A rare shared noun says more than a common one (`deductible` against `time`).
                let idf = corpus.idf(&index_term(shared));
                (local + HEAD_BONUS * idf / (idf + 1.0)).min(1.0).max(aligned)
            } else {
                // Two figures that count or qualify different things play different roles, however
                // alike their sentences are (`two shows and a five-star hotel`).
                continue;
            };
            pairs.push(((id, index), score - unit_cost));
        }
    }
    pairs.sort_by(|a, b| b.1.total_cmp(&a.1));
    pairs
}

/// The source statement in the note figure's unit: a span of time in hours read in minutes
/// (`half an hour` against `ten minutes`); any other statement as it is.
fn in_unit_of<'a>(note: &Statement, source: &'a Statement) -> std::borrow::Cow<'a, Statement> {
    let factor = match (&note.measure, &source.measure) {
        (Measure::Role { unit: note_unit, .. }, Measure::Role { unit: source_unit, .. }) if note_unit != source_unit => {
            role::duration_factor(note_unit, source_unit)
        }
        _ => None,
    };
    match factor {
        Some(factor) => std::borrow::Cow::Owned(Statement {
            interval: source.interval.scaled(factor),
            value: source.value * factor,
            ..source.clone()
        }),
        None => std::borrow::Cow::Borrowed(source),
    }
}

/// The unit and noun phrase a source figure is paired by: a role's own, and a named person's age
/// as an age (a note may name the person the source calls `the 26-year-old`).
fn role_of(measure: &Measure) -> Option<(&str, &[Word])> {
    match measure {
        Measure::Role { unit, phrase } => Some((unit, phrase)),
        Measure::Age(_) => Some((AGE, &[])),
        _ => None,
    }
}

/// Whether a figure is a day of the week: one of seven values.
fn is_weekday(statement: &Statement) -> bool {
    role_of(&statement.measure).is_some_and(|(unit, _)| unit.starts_with("weekday"))
}

/// Precision first: an agreeing source figure in a comparable role silences the note's; only a
/// strong pair with another value contradicts it.
fn verdict_of_pairs(
    corpus: &Snapshot,
    statement: Statement,
    cited: Vec<ArticleId>,
    pairs: Vec<((ArticleId, usize), f32)>,
    trust: PairTrust,
) -> Judgement {
    let source = |&(id, index): &(ArticleId, usize)| in_unit_of(&statement, &corpus.statements(id)[index]);
    let best = pairs.first().map_or(0.0, |p| p.1);
    // One day in seven: the same weekday elsewhere in an article is as likely a coincidence as
    // not, unless the sentence that writes it retells another of the note's figures.
    let few_values = is_weekday(&statement);
    let same_number_pair = if trust.anchored || few_values { AGREEING_PAIR } else { SAME_NUMBER_PAIR };
    let agreeing: Vec<(ArticleId, usize)> = pairs
        .iter()
        .filter(|(pair, score)| {
            let source = source(pair);
            let anchored = few_values && trust.anchors.contains(&(pair.0, source.sentence));
            (*score >= AGREEING_PAIR * best && source.agrees_with(&statement))
                || ((anchored || *score >= same_number_pair * best) && source.same_number(&statement))
        })
        .map(|p| p.0)
        .collect();
    // A number the sources write nowhere, against the only figure of its kind they give: one fact
    // told two ways unless the two share nothing at all.
    let threshold = match (trust.unwritten, pairs.len()) {
        (true, 1) => SOLE_PAIR,
        (true, _) => UNWRITTEN_PAIR,
        (false, _) => STRONG_PAIR,
    };
    let (verdict, basis) = if !agreeing.is_empty() {
        (Verdict::Agrees, agreeing)
    } else if best >= threshold && !statement.partial {
        let strong: Vec<(ArticleId, usize)> = pairs.iter().filter(|(_, score)| *score >= CLOSE_PAIR * best).map(|p| p.0).collect();
        if strong.iter().all(|pair| source(pair).partial) {
            (Verdict::Unknown, Vec::new())
        } else {
            (Verdict::Contradicts, strong)
        }
    } else {
        (Verdict::Unknown, Vec::new())
    };
    Judgement { statement, cited, basis, verdict }
}

/// Source statements in date order (oldest first, undated last), then by article key.
fn in_date_order(corpus: &Snapshot, basis: &[(ArticleId, usize)]) -> Vec<(ArticleId, usize)> {
    let mut ordered = basis.to_vec();
    // From a library's list: the sources of a figure stated in many articles are ordered
    // without fetching each.
    ordered.sort_by_key(|&(id, index)| {
        let date = corpus.date(id);
        (date.is_none(), date, corpus.key(id), index)
    });
    ordered
}

fn figure_text(text: &str, statement: &Statement) -> String {
    collapse_whitespace(&text[statement.span.clone()])
}

/// What the note says, in its words: `150 killed`, `March 17 as the date of the attack`, or the
/// words around a figure paired by role (`“sentenced to 20 years”`).
fn note_says(note: &Note, statement: &Statement) -> String {
    let written = figure_text(&note.text, statement);
    let sentence = &note.sentences[statement.sentence as usize].span;
    let written = if opens_sentence(&note.text, sentence.start, statement.span.start) { mid_sentence(&written, statement) } else { written };
    match &statement.measure {
        Measure::Counted { measure, group: None } => format!("{written} {measure}"),
        Measure::Counted { measure, group: Some(group) } => format!("{written} {group} {measure}"),
        Measure::EventDate(event) => format!("{written} as the date of the {event}"),
        Measure::Age(name) => format!("{written} as the age of {name}"),
        Measure::Role { .. } | Measure::Superlative => {
            let sentence = &note.sentences[statement.sentence as usize].span;
            let citations: Vec<std::ops::Range<usize>> = note.citations.iter().map(|c| c.span.clone()).collect();
            format!("“{}”", role::snippet(&note.text, sentence, &statement.span, &citations))
        }
    }
}

/// A source figure in a message or hover: the figure itself, or for a figure paired by role the
/// words around it, so that the reader sees the pair.
fn source_says(corpus: &Snapshot, id: ArticleId, source: &Statement) -> String {
    let Some(article) = corpus.article(id) else { return String::new() };
    if source.measure.needs_alignment() {
        let sentence = &article.sentences[source.sentence as usize].span.range();
        format!("“{}”", role::snippet(&article.text, sentence, &source.span, &[]))
    } else {
        format!("“{}”", figure_text(&article.text, source))
    }
}

/// "“at least 139” to “more than 140”", or the one figure when all sources give it.
fn range_said(corpus: &Snapshot, basis: &[(ArticleId, usize)]) -> String {
    let statements: Vec<(ArticleId, &Statement)> = basis
        .iter()
        .filter_map(|&(id, index)| Some((id, corpus.statements(id).get(index)?)))
        .filter(|(_, statement)| !statement.partial)
        .collect();
    let text = |&(id, statement): &(ArticleId, &Statement)| {
        corpus.article(id).map(|a| figure_text(&a.text, statement)).unwrap_or_default()
    };
    // By the number written, then by what its qualifier allows: "139" before "at least 139",
    // "more than 140" after "nearly 140".
    let low = |s: &Statement| s.interval.low.map_or(f64::NEG_INFINITY, |b| b.value);
    let high = |s: &Statement| s.interval.high.map_or(f64::INFINITY, |b| b.value);
    let lowest = statements.iter().min_by(|a, b| a.1.value.total_cmp(&b.1.value).then(high(a.1).total_cmp(&high(b.1))));
    let highest = statements.iter().rev().max_by(|a, b| a.1.value.total_cmp(&b.1.value).then(low(a.1).total_cmp(&low(b.1))));
    match (lowest, highest) {
        (Some(lowest), Some(highest)) if !text(lowest).eq_ignore_ascii_case(&text(highest)) => {
            format!("“{}” to “{}”", text(lowest), text(highest))
        }
        (Some(one), _) => format!("“{}”", text(one)),
        _ => String::new(),
    }
}

/// Whether only punctuation or markup stands between a sentence's start and `at`.
fn opens_sentence(text: &str, sentence_start: usize, at: usize) -> bool {
    !text[sentence_start..at.max(sentence_start)].chars().any(char::is_alphanumeric)
}

/// A figure that began a sentence, as it reads mid-sentence: `Two` → `two`, `More than a dozen` →
/// `more than a dozen`; names of days and months, and words in capitals, keep their case.
fn mid_sentence(text: &str, statement: &Statement) -> String {
    let names_a_day = statement.date.is_some()
        || matches!(&statement.measure, Measure::EventDate(_))
        || matches!(&statement.measure, Measure::Role { unit, .. } if ["date", "weekday", "year", "time of day"].iter().any(|moment| unit.starts_with(moment)));
    let mut chars = text.chars();
    let Some(first) = chars.next() else { return String::new() };
    let rest = chars.as_str();
    let first_word_is_plain = rest.split_whitespace().next().unwrap_or(rest).chars().all(|c| !c.is_uppercase());
    if !names_a_day && first.is_uppercase() && first_word_is_plain {
        format!("{}{rest}", first.to_lowercase())
    } else {
        text.to_string()
    }
}

/// `the cited source, AFP [@001],` · `the sources` — who a message says disagrees.
fn who(corpus: &Snapshot, cited: &[ArticleId]) -> (String, &'static str) {
    match cited {
        [] => ("the sources".to_string(), "say"),
        [one] => (format!("the cited source, {},", corpus.source_label(*one)), "says"),
        _ => ("the cited sources".to_string(), "say"),
    }
}

/// The source's figure written as the note writes its numbers: `4` for a note that wrote `5`,
/// `four` for one that wrote `five`. Qualifiers and units stay the source's; a number the note
/// spells is spelled only up to ninety-nine.
fn in_note_style(note_value: &str, source_text: &str, source: &Statement) -> String {
    let written = collapse_whitespace(&source_text[source.span.clone()]);
    let source_value = &source_text[source.value_span.clone()];
    let (Some(start), true) = (written.find(source_value), source.date.is_none()) else { return written };
    let note_in_digits = note_value.chars().any(|c| c.is_ascii_digit());
    let source_in_digits = source_value.chars().any(|c| c.is_ascii_digit());
    let restyled = match (note_in_digits, source_in_digits) {
        (true, false) if source.value.fract() == 0.0 && source.value.abs() < 1e15 => format!("{}", source.value as i64),
        (false, true) => match crate::analysis::checks::quantities::small_number_in_words(source.value) {
            Some(words) if source_value.chars().all(|c| c.is_ascii_digit()) => words,
            _ => return written,
        },
        _ => return written,
    };
    format!("{}{restyled}{}", &written[..start], &written[start + source_value.len()..])
}

/// Whether a figure is written joined to its unit by a hyphen (`26-year`, `a five-year deal`).
fn hyphenated(text: &str, statement: &Statement) -> bool {
    text.get(statement.value_span.end..statement.span.end).is_some_and(|unit| unit.starts_with('-'))
}

/// The source's figure, cased for where it goes in the note: a capital that only began the
/// source's sentence is dropped mid-sentence, and one is added at the start of the note's.
fn cased_for(note: &Note, statement: &Statement, source_text: &str, source: &Statement, source_sentence_start: bool) -> String {
    let sentence = &note.sentences[statement.sentence as usize].span;
    if opens_sentence(&note.text, sentence.start, statement.span.start) {
        let mut chars = source_text.chars();
        chars.next().map_or_else(String::new, |first| format!("{}{}", first.to_uppercase(), chars.as_str()))
    } else if source_sentence_start {
        mid_sentence(source_text, source)
    } else {
        source_text.to_string()
    }
}

pub fn check(corpus: &Snapshot, note: &Note) -> Vec<Finding> {
    check_sentences(corpus, note, 0..note.sentences.len(), &CancelToken::never()).unwrap_or_default()
}

/// The findings about the figures of the sentences in `sentences`; once `cancel` is cancelled it
/// stops before the next figure.
pub fn check_sentences(
    corpus: &Snapshot,
    note: &Note,
    sentences: std::ops::Range<usize>,
    cancel: &CancelToken,
) -> Result<Vec<Finding>, Cancelled> {
    let mut judgements = Vec::new();
    let statements = statements_of_sentences(corpus, note, sentences);
    for siblings in by_sentence(&statements) {
        for statement in siblings {
            cancel.check()?;
            judgements.push(judge(corpus, note, statement.clone(), siblings));
        }
    }
    let mut findings = Vec::new();
    for judgement in &judgements {
        cancel.check()?;
        findings.extend(finding(corpus, note, judgement));
    }
    Ok(findings)
}

fn finding(corpus: &Snapshot, note: &Note, judgement: &Judgement) -> Option<Finding> {
    let statement = &judgement.statement;
    match judgement.verdict {
        Verdict::Agrees | Verdict::Unknown => None,
        Verdict::Unsupported => {
            let (noun, verb) = if judgement.cited.len() == 1 { ("source", "says") } else { ("sources", "say") };
            let labels: Vec<String> = judgement.cited.iter().map(|&id| corpus.source_label(id)).collect();
            Some(Finding {
                range: statement.value_span.clone(),
                severity: Code::FigureUnsupported.severity(),
                code: Code::FigureUnsupported,
                message: format!(
                    "Your note says {}, but the cited {noun}, {}, {verb} nothing about it",
                    note_says(note, statement),
                    in_words(&labels, NAMED)
                ),
                related: Vec::new(),
                fixes: Vec::new(),
            })
        }
        Verdict::Contradicts => Some(contradiction(corpus, note, judgement)),
    }
}

fn contradiction(corpus: &Snapshot, note: &Note, judgement: &Judgement) -> Finding {
    let statement = &judgement.statement;
    let written = figure_text(&note.text, statement);
    let ordered = in_date_order(corpus, &judgement.basis);
    // Each source once, with everything it says about the measure.
    let mut by_source: Vec<(ArticleId, Vec<String>)> = Vec::new();
    let mut related = Vec::new();
    let mut replacements: Vec<(bool, String, ArticleId)> = Vec::new();
    for &(id, index) in &ordered {
        let article = corpus.article(id).expect("basis articles are live");
        let source = &corpus.statements(id)[index];
        if source.partial {
            continue; // `three other people` counts a part: not what the source says of the whole
        }
        let said = source_says(corpus, id, source);
        match by_source.iter_mut().find(|(article, _)| *article == id) {
            Some((_, says)) if !says.contains(&said) => says.push(said.clone()),
            Some(_) => {}
            None => by_source.push((id, vec![said.clone()])),
        }
        let sentence = article.sentences[source.sentence as usize].span.range();
        related.push(Related {
            place: Place::Article { article: id, range: sentence.clone() },
            message: format!("{} says {said}", corpus.source_label(id)),
        });
        if !source.partial {
            let note_value = &note.text[statement.value_span.clone()];
            let text = if hyphenated(&article.text, source) != hyphenated(&note.text, statement) {
                // `26-year` for `29 years old`: the number in the note's own words.
                let number = in_note_style(note_value, &article.text, &Statement { span: source.value_span.clone(), ..source.clone() });
                note.text[statement.span.clone()].replacen(note_value, &number, 1)
            } else {
                in_note_style(note_value, &article.text, source)
            };
            let at_sentence_start = opens_sentence(&article.text, sentence.start, source.span.start);
            let new_text = cased_for(note, statement, &text, source, at_sentence_start);
            let exact = source.interval.low.zip(source.interval.high).is_some_and(|(l, h)| l.value == h.value);
            if !replacements.iter().any(|(_, t, _)| *t == new_text) {
                replacements.push((exact, new_text, id));
            }
        }
    }
    // The exact figures first: "139" is a better replacement than "about 139".
    replacements.sort_by_key(|(exact, _, _)| !exact);
    let sentence_cites = has_citation(corpus, note, statement.sentence as usize);
    let mut fixes: Vec<Fix> = replacements
        .into_iter()
        .take(REPLACEMENTS)
        .map(|(_, new_text, id)| {
            let key = corpus.preferred_key(id);
            let mut edits = vec![Edit { range: statement.span.clone(), new_text: new_text.clone() }];
            let title = if sentence_cites {
                format!("Replace with “{new_text}”, as [@{key}] says")
            } else {
                // The value comes from a source: the sentence then cites it, or it stays unsupported.
                edits.extend(cite_fix(corpus, note, statement.sentence as usize, id).edits);
                format!("Replace with “{new_text}” and cite [@{key}]")
            };
            Fix { title, edits, preferred: false }
        })
        .collect();
    let mut entries: Vec<String> =
        by_source.iter().take(NAMED).map(|(id, says)| format!("{} {}", corpus.source_label(*id), in_words(says, says.len()))).collect();
    if by_source.len() > NAMED {
        let rest = by_source.len() - NAMED;
        entries.push(format!("and {rest} more source{}", if rest == 1 { "" } else { "s" }));
    }
    let (who, verb) = who(corpus, &judgement.cited);
    let listed = if judgement.cited.len() == 1 {
        String::new() // the one cited source is already named
    } else {
        format!(": {}", entries.join("; "))
    };
    let said = if judgement.cited.len() == 1 && statement.measure.needs_alignment() {
        // The pair in the source's words, so that the reader sees what was compared.
        let snippets: Vec<String> = by_source.iter().flat_map(|(_, says)| says.iter().cloned()).collect();
        in_words(&snippets, snippets.len())
    } else {
        range_said(corpus, &judgement.basis)
    };
    let mut message = format!("Your note says {}, but {who} {verb} {said}{listed}", note_says(note, statement));
    if let Some(other) = other_measure_that_fits(corpus, judgement).filter(|_| !statement.measure.needs_alignment()) {
        message.push_str(&format!(" ({written} is the number {})", super::facts::measure_in_words(&other)));
    }
    // A source about the same event that does support the figure can be cited instead.
    let mut events = event_articles(corpus, note, statement.sentence as usize, Some(statement.span.clone()));
    if let Some(stating) = corpus.stating(&events, &statement.measure) {
        events.retain(|id| stating.binary_search(id).is_ok());
    }
    // Read together: a contradicted figure's event seldom holds a source that supports it, so
    // most of them are read before the search ends.
    corpus.prefetch(&events);
    corpus.prefetch_statements(&events);
    if let Some(&supporting) = events.iter().find(|&&id| {
        !judgement.cited.contains(&id)
            && corpus.statements(id).iter().any(|s| s.measure.matches(&statement.measure) && s.agrees_with(statement))
    }) {
        let mut fix = cite_fix(corpus, note, statement.sentence as usize, supporting);
        fix.title = format!("{}, which says {written}", fix.title);
        fixes.push(fix);
    }
    Finding { range: statement.value_span.clone(), severity: Code::FigureContradiction.severity(), code: Code::FigureContradiction, message, related, fixes }
}

/// When the figure matches what the same sources say about another measure (182 dead vs 182 injured).
fn other_measure_that_fits(corpus: &Snapshot, judgement: &Judgement) -> Option<Measure> {
    let articles: Vec<ArticleId> = judgement.basis.iter().map(|&(id, _)| id).collect();
    articles.iter().flat_map(|&id| corpus.statements(id).iter()).find_map(|s| {
        let exact = s.interval.low.zip(s.interval.high).is_some_and(|(l, h)| l.value == h.value);
        // Only a count of another lexicon measure says what the number is (`182 injured`); a figure
        // paired by role or a date is no such reading.
        let counted = matches!(s.measure, Measure::Counted { .. });
        (counted && s.measure != judgement.statement.measure && exact && s.agrees_with(&judgement.statement) && s.date.is_none())
            .then(|| s.measure.clone())
    })
}

/// The judgement of the figure under `offset`, if any.
pub fn figure_at(corpus: &Snapshot, note: &Note, offset: usize) -> Option<Judgement> {
    let sentence = note.sentence_index_at(offset)?;
    let siblings = statements_of_sentences(corpus, note, sentence..sentence + 1);
    let statement = siblings.iter().find(|s| s.span.start <= offset && offset <= s.span.end)?.clone();
    Some(judge(corpus, note, statement, &siblings))
}

/// Source statements listed in a figure's hover; the rest are counted.
const HOVER_STATEMENTS: usize = 5;

/// What the note's figure says, and what each source says about it: the cited first, then the
/// earliest. A list, not a table: editors' floats are narrow and some show tables as raw text.
pub fn hover(corpus: &Snapshot, note: &Note, judgement: &Judgement) -> String {
    let what = escape(&note_says(note, &judgement.statement));
    if judgement.basis.is_empty() {
        return format!(
            "**{what}**\n\n{}",
            match judgement.verdict {
                Verdict::Unsupported => "The cited source says nothing about this.",
                _ => "No source about this event states this figure.",
            }
        );
    }
    let mut ordered = in_date_order(corpus, &judgement.basis);
    ordered.retain(|&(id, index)| corpus.statements(id).get(index).is_some_and(|s| !s.partial));
    ordered.sort_by_key(|(id, _)| !judgement.cited.contains(id));
    let (whose, verb) = match judgement.cited.len() {
        0 => ("the sources", "say"),
        1 => ("the cited source", "says"),
        _ => ("the cited sources", "say"),
    };
    let mut markdown = match judgement.verdict {
        Verdict::Contradicts => format!("**{what}**, but {whose} {verb} {}:", escape(&range_said(corpus, &judgement.basis))),
        Verdict::Agrees => format!("**{what}**, as {whose} {verb}:"),
        _ => format!("**{what}**: what {whose} {verb}"),
    };
    markdown.push('\n');
    // Their articles in one call, where a library keeps them.
    let shown: Vec<ArticleId> = ordered.iter().take(HOVER_STATEMENTS).map(|&(id, _)| id).collect();
    corpus.prefetch(&shown);
    for &(id, index) in ordered.iter().take(HOVER_STATEMENTS) {
        let article = corpus.article(id).expect("basis articles are live");
        let source = &corpus.statements(id)[index];
        let sentence = &article.sentences[source.sentence as usize].span.range();
        let cited = if judgement.cited.contains(&id) { " (cited)" } else { "" };
        markdown.push_str(&format!(
            "\n- {}{cited}: “{}” {}",
            markdown_label(&corpus.source_label(id)),
            escape(&role::snippet(&article.text, sentence, &source.span, &[])),
            line_link(article, sentence.start)
        ));
    }
    if ordered.len() > HOVER_STATEMENTS {
        let rest = ordered.len() - HOVER_STATEMENTS;
        markdown.push_str(&format!("\n\nand {rest} more statement{}", if rest == 1 { "" } else { "s" }));
    }
    markdown
}

/// The source sentences that state the figure: the cited first, then the earliest.
pub fn definition(corpus: &Snapshot, judgement: &Judgement) -> Vec<Place> {
    let agreeing: Vec<(ArticleId, usize)> = judgement
        .basis
        .iter()
        .copied()
        .filter(|&(id, index)| corpus.statements(id).get(index).is_some_and(|s| s.agrees_with(&judgement.statement)))
        .collect();
    let chosen = if agreeing.is_empty() { judgement.basis.clone() } else { agreeing };
    let mut ordered = in_date_order(corpus, &chosen);
    ordered.sort_by_key(|(id, _)| !judgement.cited.contains(id));
    ordered
        .into_iter()
        .filter_map(|(id, index)| {
            let statement = corpus.statements(id).get(index)?;
            Some(Place::Article { article: id, range: statement.span.clone() })
        })
        .collect()
}
