//! Figures outside the lexicon: what kind of value they are and the words that give them a role,
//! and how well a note's figure and a source's figure play the same role.
//!
//! A figure's *unit* comes from the number reader (a count, a sum of money in a currency and per
//! unit, a percentage, an ordinal, a year, a date, a time of day, a duration in its unit); its
//! *head* is the noun it counts or modifies (`16 eye-wateringly expensive timepieces`, `a 15%
//! discount`); its *context* is the content words around it in its clause. Two figures are
//! compared only when their units agree; how strongly they pair decides whether a difference is a
//! contradiction or two figures about different things. No word list of a domain is involved:
//! the roles come from the text on both sides.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::analysis::checks::quantities::{Quantity, QuantityKind};
use crate::analysis::text::interned::Word;
use crate::analysis::text::terms::index_term;
use crate::analysis::text::{is_stopword, last_words, words};

/// Content words read on each side of a figure, within its sentence.
const CONTEXT_WORDS: usize = 6;
/// Prepositions and particles that end a noun phrase but are not on the stop list (`15% off your
/// first purchase` names no noun `off`). Closed-class English words, not a domain's.
const PARTICLES: &[&str] = &[
    "off", "per", "via", "plus", "minus", "versus", "vs", "than", "like", "onto", "upon", "within", "without", "across", "against",
    "among", "toward", "towards", "until", "since", "ago",
];
/// What pairing a rate with a plain amount of the same unit costs.
const UNIT_MISMATCH: f32 = 0.1;
/// Words a noun phrase after a figure may run to before its head (`seven Environment Agency flood alerts`).
const NOUN_PHRASE_WORDS: usize = 4;

/// The kind of value a figure is, with its unit: `count`, `money USD per month`, `percent`, …
pub fn unit_of(sentence: &str, quantity: &Quantity) -> Option<String> {
    let unit = match &quantity.kind {
        QuantityKind::Count => "count".to_string(),
        QuantityKind::Fraction => "fraction".to_string(),
        QuantityKind::Ordinal => "ordinal".to_string(),
        QuantityKind::Percent => "percent".to_string(),
        QuantityKind::Money { currency } => format!("money {currency}"),
        QuantityKind::Date(_) => "date".to_string(),
        QuantityKind::Year => "year".to_string(),
        QuantityKind::Decade => "decade".to_string(),
        QuantityKind::Duration { unit } => format!("duration {unit:?}").to_lowercase(),
        QuantityKind::TimeOfDay => "time of day".to_string(),
        QuantityKind::Score => "score".to_string(),
        QuantityKind::Quarter => "quarter".to_string(),
    };
    let unit = match per_unit(sentence, quantity.span.end) {
        Some(per) if matches!(quantity.kind, QuantityKind::Money { .. } | QuantityKind::Count) => format!("{unit} per {per}"),
        _ => unit,
    };
    // `a five-year deal`, `a five-star hotel`, `a 20-time champion`: a figure joined to its word by
    // a hyphen describes the noun after it; it plays another role than `three years after`.
    let unit = if is_modifier(sentence, quantity) { format!("{unit} modifier") } else { unit };
    let moment = matches!(quantity.kind, QuantityKind::Date(_) | QuantityKind::Year | QuantityKind::TimeOfDay | QuantityKind::Quarter);
    Some(if moment { with_time_relation(unit, sentence, quantity.span.start) } else { unit })
}

/// A moment's unit with the preposition that makes it a deadline rather than the time something
/// happened: `by Tuesday`, `until 7 pm`, `before 2030` (`weekday by`, `time of day until`), which
/// pair only with deadlines alike, never with `on Friday`. (A starting point, `since February`,
/// names when something happened: `absent since damaging his knee on February 26`.)
pub fn with_time_relation(unit: String, sentence: &str, start: usize) -> String {
    const BOUNDS: &[&str] = &["until", "till", "by", "before"];
    let before = sentence.get(..start).unwrap_or("");
    let previous = last_words(before, 1).pop().map(|(_, word)| word.to_lowercase());
    match previous.as_deref().and_then(|word| BOUNDS.iter().find(|b| **b == word)) {
        Some(bound) => format!("{unit} {bound}"),
        None => unit,
    }
}

/// Whether the figure is written as a hyphenated modifier (`five-year`, `five-star`), as opposed to
/// a numeral with hyphens of its own (`twenty-one`).
fn is_modifier(sentence: &str, quantity: &Quantity) -> bool {
    let hyphen_then_letter = |text: &str| {
        let mut chars = text.chars();
        chars.next() == Some('-') && chars.next().is_some_and(char::is_alphabetic)
    };
    let unit_part = sentence.get(quantity.value_span.end..quantity.span.end).unwrap_or("");
    let after = sentence.get(quantity.span.end..).unwrap_or("");
    !matches!(quantity.kind, QuantityKind::Money { .. } | QuantityKind::Date(_))
        && (hyphen_then_letter(unit_part) || hyphen_then_letter(after))
}

/// `$150 per month`, `$100/month`, `£100,000-a-week`, `$15 an hour`: the unit a rate is per.
fn per_unit(sentence: &str, end: usize) -> Option<String> {
    let rest = sentence.get(end..)?;
    let rest = rest.trim_start_matches(['-', ' ', '\u{a0}']);
    let after = if let Some(after) = rest.strip_prefix('/') {
        after
    } else {
        let lower = rest.to_lowercase();
        let marker = ["per", "a", "an", "each"].into_iter().find(|m| lower.starts_with(m) && lower[m.len()..].starts_with([' ', '-']))?;
        &rest[marker.len() + 1..]
    };
    let word: String = after.chars().take_while(|c| c.is_alphabetic()).collect::<String>().to_lowercase();
    let is_period_or_item = word.len() > 2 && !is_stopword(&word);
    // `a week`, `per share`, `/user`; not `a 20% discount` (no word) nor `an the` (a stop word).
    is_period_or_item.then(|| index_term(&word))
}

/// The run of content words right after a figure, lowercase (`1,836 mile flight` → `mile`,
/// `flight`), stopped by a stop word, punctuation or a number; a second figure right after the
/// first is skipped (`a five-year £100,000-a-week contract`).
pub fn noun_phrase_after(sentence: &str, span_end: usize) -> Vec<String> {
    let Some(rest) = sentence.get(span_end..) else { return Vec::new() };
    let mut phrase = Vec::new();
    let mut previous_end = 0;
    for (range, word) in words(rest) {
        let gap = &rest[previous_end..range.start];
        let joined = gap.chars().all(|c| c.is_whitespace() || c == '-');
        let lower = word.to_lowercase();
        let content = word.chars().all(char::is_alphabetic)
            && !is_stopword(&lower)
            && !PARTICLES.contains(&lower.as_str())
            && lower.chars().count() > 1;
        if phrase.len() >= NOUN_PHRASE_WORDS || !joined || !content || (!phrase.is_empty() && gap.is_empty()) {
            break;
        }
        phrase.push(lower);
        previous_end = range.end;
    }
    if phrase.last().is_some_and(|head| head.chars().count() <= 2) {
        phrase.clear();
    }
    phrase
}

/// Whether two units can be compared, and at what cost to the pair: the same unit (0), two spans of
/// time in different units (`in less than ten minutes` and `in half an hour`, 0), or the same but
/// one a rate and the other not (`$424.15/month` and `a monthly cost of $430.15`, 0.1).
pub fn unit_distance(note: &str, source: &str) -> Option<f32> {
    let base = |unit: &str| unit.split(" per ").next().unwrap_or(unit).to_string();
    if note == source || duration_factor(note, source).is_some() {
        Some(0.0)
    } else if base(note) == base(source) && (base(note) == note || base(source) == source) {
        Some(UNIT_MISMATCH)
    } else {
        None
    }
}

/// What a span of time in unit `source` is multiplied by to be in unit `note` (`duration hour` to
/// `duration minute`: 60), when both are spans of time written alike (free, or both modifiers).
pub fn duration_factor(note: &str, source: &str) -> Option<f64> {
    let seconds = |unit: &str| -> Option<(f64, bool)> {
        let rest = unit.strip_prefix("duration ")?;
        let (name, modifier) = match rest.strip_suffix(" modifier") {
            Some(name) => (name, true),
            None => (rest, false),
        };
        const YEAR: f64 = 365.25 * 86_400.0;
        let seconds = match name {
            "second" => 1.0,
            "minute" => 60.0,
            "hour" => 3_600.0,
            "day" => 86_400.0,
            "week" => 7.0 * 86_400.0,
            "month" => YEAR / 12.0,
            "year" => YEAR,
            _ => return None,
        };
        Some((seconds, modifier))
    };
    let ((note_seconds, note_modifier), (source_seconds, source_modifier)) = (seconds(note)?, seconds(source)?);
    (note_modifier == source_modifier).then(|| source_seconds / note_seconds)
}

/// The figure at `figure` with a few words of its clause on each side, on one line, never
/// reaching into `stops` (a note's citations): what a message shows of a pair
/// (`…rewarded with a new five-year £100,000-a-week contract…`).
pub fn snippet(text: &str, sentence: &Range<usize>, figure: &Range<usize>, stops: &[Range<usize>]) -> String {
    const BEFORE: usize = 4;
    const AFTER: usize = 4;
    let mut bounds = sentence.clone();
    for stop in stops {
        if stop.end <= figure.start && stop.end > bounds.start {
            bounds.start = stop.end;
        } else if stop.start >= figure.end && stop.start < bounds.end {
            bounds.end = stop.start;
        }
    }
    let within = &text[bounds.clone()];
    let relative = figure.start - bounds.start..figure.end - bounds.start;
    let spans: Vec<Range<usize>> = words(within).map(|(range, _)| range).collect();
    let before: Vec<&Range<usize>> = spans.iter().filter(|r| r.end <= relative.start).collect();
    let after: Vec<&Range<usize>> = spans.iter().filter(|r| r.start >= relative.end).collect();
    let start = before.len().checked_sub(BEFORE).map_or(0, |i| before[i].start).min(relative.start);
    let mut end = after.get(AFTER - 1).or(after.last()).map_or(relative.end, |r| r.end).max(relative.end);
    let rest_is_punctuation = !within[end..].chars().any(char::is_alphanumeric);
    if rest_is_punctuation {
        end = within.trim_end().len().max(end);
    }
    let mut shown = crate::analysis::text::collapse_whitespace(&within[start..end]);
    if !within[..start].trim().is_empty() {
        shown.insert(0, '…');
    }
    if !rest_is_punctuation {
        shown.push('…');
    }
    shown
}

/// Whether a figure counts occasions (`the first time`, `2,645,000 times`): its meaning is the
/// event of its clause, not a thing it names.
pub fn is_frequency(phrase: &[Word]) -> bool {
    matches!(phrase, [word] if word == "time" || word == "times")
}

/// A word both noun phrases hold, the head first. A closed compound counts as its last part
/// (`gunmen` holds `men`, `firefighters` holds `fighters`) when what precedes is a word of its own
/// (three letters at least: `women` does not hold `men`).
pub fn shared_word<'a>(note: &'a [Word], source: &[Word]) -> Option<&'a str> {
    let source: Vec<String> = source.iter().map(|word| index_term(word)).collect();
    let compound_of = |long: &str, short: &str| {
        short.len() >= 3 && long.len() >= short.len() + 3 && long.ends_with(short) && long.is_char_boundary(long.len() - short.len())
    };
    note.iter()
        .rev()
        .find(|word| {
            let word = index_term(word);
            source.iter().any(|other| *other == word || compound_of(&word, other) || compound_of(other, &word))
        })
        .map(Word::as_str)
}

// Every sentence of every article is asked for lone months, weekdays and `single`s, and few hold
// one: the words they look for (ASCII case aside, as the word comparisons below) are looked for
// in the sentence first, so that the others are not split into words three times for nothing (a
// tenth of an ingest's time). A sentence without the letters holds no such word.
static ANY_WEEKDAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("(?i-u)monday|tuesday|wednesday|thursday|friday|saturday|sunday").unwrap());
static ANY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("(?i-u)january|february|march|april|may|june|july|august|september|october|november|december").unwrap()
});
static ANY_SINGLE: LazyLock<Regex> = LazyLock::new(|| Regex::new("(?i-u)single").unwrap());

/// Weekdays named in `sentence` outside the figures already read (`taken`), with their number
/// (Monday 1 … Sunday 7): the days a text without a date of its own can still be checked on. A
/// weekday next to another capitalised word is part of a name (`Saturday Evening Post`, `Joe
/// Friday said`) and is left out, except a named day after a preposition of time (`on Ash Wednesday`,
/// `since Good Friday`, `after Super Tuesday`): such a day falls on its weekday, and the span
/// covers the whole name, so that a fix replaces all of it.
pub fn unresolved_weekdays(sentence: &str, taken: &[Range<usize>]) -> Vec<(Range<usize>, u32)> {
    const DAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    const BEFORE_A_DAY: [&str; 8] = ["on", "since", "until", "till", "by", "before", "after", "from"];
    if !ANY_WEEKDAY.is_match(sentence) {
        return Vec::new();
    }
    let all: Vec<(Range<usize>, &str)> = words(sentence).collect();
    let capitalised = |word: &str| word.chars().next().is_some_and(char::is_uppercase);
    let mut found = Vec::new();
    for (i, (range, word)) in all.iter().enumerate() {
        let Some(day) = DAYS.iter().position(|d| word.eq_ignore_ascii_case(d)) else { continue };
        if !capitalised(word) || taken.iter().any(|t| t.start < range.end && range.start < t.end) {
            continue;
        }
        let named_before = i > 0 && capitalised(all[i - 1].1) && !opens_clause(&sentence[..all[i - 1].0.start]);
        let named_after = all.get(i + 1).is_some_and(|(next, w)| capitalised(w) && sentence[range.end..next.start].trim().is_empty());
        if named_after {
            continue;
        }
        if !named_before {
            found.push((range.clone(), day as u32 + 1));
        } else if i >= 2 && BEFORE_A_DAY.iter().any(|p| all[i - 2].1.eq_ignore_ascii_case(p)) {
            let name = all[i - 1].0.start..range.end;
            if !taken.iter().any(|t| t.start < name.end && name.start < t.end) {
                found.push((name, day as u32 + 1));
            }
        }
    }
    found
}

/// Whether a word after `before` opens its sentence or a clause after a colon (`Luke: It's
/// February`), where a capital says nothing about a name.
fn opens_clause(before: &str) -> bool {
    let before = before.trim_end();
    before.is_empty() || before.ends_with([':', '"', '“', '('])
}

/// Month names standing alone in `sentence` outside the figures already read (`taken`), with their
/// number (`since January`, `it is July`): a month of an unknown year. Left out: a month next to
/// another capitalised word (part of a name or of a date the reader did not take), a sentence's
/// first word (`May I…`), and `May` or `March` not preceded by a preposition (the verbs).
pub fn lone_months(sentence: &str, taken: &[Range<usize>]) -> Vec<(Range<usize>, u8)> {
    const MONTHS: [&str; 12] =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
    const BEFORE_A_MONTH: [&str; 9] = ["in", "since", "until", "by", "from", "of", "during", "is", "early"];
    if !ANY_MONTH.is_match(sentence) {
        return Vec::new();
    }
    let all: Vec<(Range<usize>, &str)> = words(sentence).collect();
    let capitalised = |word: &str| word.chars().next().is_some_and(char::is_uppercase);
    let mut found = Vec::new();
    for (i, (range, word)) in all.iter().enumerate() {
        let Some(month) = MONTHS.iter().position(|m| word.eq_ignore_ascii_case(m)) else { continue };
        if i == 0 || !capitalised(word) || taken.iter().any(|t| t.start < range.end && range.start < t.end) {
            continue;
        }
        let previous = all[i - 1].1.to_lowercase();
        let named_before = capitalised(all[i - 1].1) && !opens_clause(&sentence[..all[i - 1].0.start]);
        let named_after = all.get(i + 1).is_some_and(|(next, w)| {
            (capitalised(w) || w.chars().all(|c| c.is_ascii_digit())) && sentence[range.end..next.start].trim().is_empty()
        });
        let verb_like = matches!(month, 2 | 4) && !BEFORE_A_MONTH.contains(&previous.as_str());
        if !named_before && !named_after && !verb_like {
            found.push((range.clone(), month as u8 + 1));
        }
    }
    found
}

/// `single` before the noun it describes (`a single-story house`, `a single lane`), outside the
/// figures already read (`taken`): one of that noun, written as a word the number reader leaves
/// alone because it is no numeral (`single mothers` is not a count, and pairs with nothing). Left
/// out after a negation (`not a single shot`, `without a single`), which counts none.
pub fn lone_singles(sentence: &str, taken: &[Range<usize>]) -> Vec<Range<usize>> {
    const NEGATIONS: [&str; 5] = ["not", "no", "without", "never", "nor"];
    if !ANY_SINGLE.is_match(sentence) {
        return Vec::new();
    }
    let all: Vec<(Range<usize>, &str)> = words(sentence).collect();
    let mut found = Vec::new();
    for (i, (range, word)) in all.iter().enumerate() {
        if !word.eq_ignore_ascii_case("single") || taken.iter().any(|t| t.start < range.end && range.start < t.end) {
            continue;
        }
        let negated = all[i.saturating_sub(2)..i].iter().any(|(_, before)| NEGATIONS.iter().any(|n| before.eq_ignore_ascii_case(n)));
        if !negated && !noun_phrase_after(sentence, range.end).is_empty() {
            found.push(range.clone());
        }
    }
    found
}

/// The content words around `span` in `sentence`, as index terms with their distance in content
/// words from the figure (1 = next to it), without numbers or the figure's own words.
pub fn context_terms(sentence: &str, span: &Range<usize>) -> Vec<(String, usize)> {
    let attributions = attributions(sentence, span);
    let tokens: Vec<(Range<usize>, String)> = words(sentence)
        .filter(|(range, _)| range.end <= span.start || range.start >= span.end)
        .filter(|(range, _)| !attributions.iter().any(|a| a.start <= range.start && range.end <= a.end))
        .filter(|(_, word)| word.chars().any(char::is_alphabetic) && !word.chars().any(|c| c.is_ascii_digit()))
        .map(|(range, word)| (range, word.to_lowercase()))
        .filter(|(_, word)| !is_stopword(word) && word.chars().count() > 1)
        .map(|(range, word)| (range, index_term(&word)))
        .collect();
    let split = tokens.iter().position(|(range, _)| range.start >= span.end).unwrap_or(tokens.len());
    let before = tokens[..split].iter().rev().take(CONTEXT_WORDS).enumerate();
    let after = tokens[split..].iter().take(CONTEXT_WORDS).enumerate();
    let mut terms: Vec<(String, usize)> = before.chain(after).map(|(distance, (_, term))| (term.clone(), distance + 1)).collect();
    // The nearest occurrence of each term counts.
    terms.sort();
    terms.dedup_by(|later, earlier| later.0 == earlier.0);
    terms
}

/// `According to The Meridian Post,` and `, according to officials`, and a label before a colon:
/// who says it or what the item is called, not what the figure is about; a source rarely names itself, so these words would only dilute the pair. Each
/// runs to the next comma or semicolon (or the sentence's end), and never holds the figure.
fn attributions(sentence: &str, figure: &Range<usize>) -> Vec<Range<usize>> {
    let lower = sentence.to_lowercase();
    if lower.len() != sentence.len() {
        return Vec::new(); // offsets would not line up; rare enough to go without
    }
    let mut found = Vec::new();
    // `Follow-up (Eastbridge Observer): Turnout was 52.6 percent`, `Life savers: The women survived…`:
    // a label before a colon that opens a clause of its own names the item, not what the figure is about.
    if let Some(colon) = sentence[..figure.start.min(sentence.len())].rfind(':') {
        let opens_a_clause = sentence[colon + 1..].trim_start().chars().next().is_some_and(char::is_uppercase);
        if opens_a_clause {
            found.push(0..colon);
        }
    }
    let mut from = 0;
    while let Some(at) = lower[from..].find("according to ").map(|i| from + i) {
        let end = lower[at..].find([',', ';']).map_or(lower.len(), |i| at + i);
        if !(at < figure.end && figure.start < end) {
            found.push(at..end);
        }
        from = end.max(at + 1);
    }
    found
}

/// How much the two figures' contexts share, weighted by how much each word says (`weight`, e.g.
/// an idf) and by how near it stands to its figure: 0 (nothing) to 1 (all of it).
pub fn context_overlap(note: &[(String, usize)], source: &[(String, usize)], weight: impl Fn(&str) -> f32) -> f32 {
    let nearness = |distance: usize| 2.0 / (1.0 + distance as f32);
    let covered = |from: &[(String, usize)], into: &[(String, usize)]| {
        let into: HashSet<&str> = into.iter().map(|(t, _)| t.as_str()).collect();
        let total: f32 = from.iter().map(|(t, d)| weight(t) * nearness(*d)).sum();
        if total <= f32::EPSILON {
            return 0.0;
        }
        from.iter().filter(|(t, _)| into.contains(t.as_str())).map(|(t, d)| weight(t) * nearness(*d)).sum::<f32>() / total
    };
    if note.is_empty() || source.is_empty() {
        return 0.0;
    }
    // Read from the smaller context (a long sentence around one figure dilutes nothing), but a
    // context of one or two words is too little to say two figures share a clause.
    let (small, large) = if note.len() <= source.len() { (note, source) } else { (source, note) };
    let from_small = covered(small, large);
    if small.len() >= 3 {
        from_small
    } else {
        (from_small + covered(large, small)) / 2.0
    }
}

/// Whether the figure at `start` of `sentence` is the value of a property its phrase names
/// (`a magnitude of 7.9`, `a population of 2.1 million`) rather than a number of things: a count of
/// nothing named (`the quake measured 7.5`) may be the same property's value, but never a number of
/// children or of miles per hour.
pub fn values_a_property(sentence: &str, start: usize, phrase: &[Word]) -> bool {
    let [head] = phrase else { return false };
    let before: Vec<String> = last_words(sentence.get(..start).unwrap_or(""), 2).into_iter().map(|(_, word)| word.to_lowercase()).collect();
    matches!(before.as_slice(), [.., noun, of] if of == "of" && index_term(noun) == *head)
}

/// Verbs that give a figure as a reading on a scale rather than a number of things.
const READING_VERBS: &[&str] = &["measured", "measuring", "measures", "registered", "registering", "registers", "rated"];

/// Words that may stand between an article and a figure without naming a scale: they qualify
/// the number (`a further 5`, `the top 10`, `a record 12`). Adjectives in `-ed`, `-ing`, `-est`
/// and `-ly` (`an estimated 500`, `the remaining 12`, `the biggest 3`) are told by their endings.
const QUALIFYING_WORDS: &[&str] = &[
    "further", "additional", "extra", "mere", "total", "top", "first", "last", "next", "past", "final", "whole",
    "entire", "full", "record", "average", "whopping", "massive", "huge", "new", "same", "single", "initial", "latest",
    "previous", "other", "another", "few", "several", "many", "possible", "likely", "official", "reported",
];

/// Whether the figure at `start` of `sentence` is a reading on a scale that names nothing: `the
/// quake measured 7.5`, `registered at 6.1`, `was rated 4`.
pub fn is_a_reading(sentence: &str, start: usize) -> bool {
    let before: Vec<String> = last_words(sentence.get(..start).unwrap_or(""), 2).into_iter().map(|(_, word)| word.to_lowercase()).collect();
    match before.as_slice() {
        [.., verb, at] if at == "at" => READING_VERBS.contains(&verb.as_str()),
        [.., verb] => READING_VERBS.contains(&verb.as_str()),
        _ => false,
    }
}

/// Whether the figure at `start` of `sentence` is labelled by the scale it is read on, the noun
/// right before it (`the magnitude 5.5 tremor`, `a category 4 hurricane`, `a level 3 alert`): the
/// value of a property, like `a magnitude of 7.9`. A capitalised word there is a name (`the
/// Boeing 737`), and a qualifier (`a further 5`, `an estimated 500`) names no scale.
pub fn is_labelled_value(sentence: &str, start: usize) -> bool {
    let before = sentence.get(..start).unwrap_or("");
    let last_two = last_words(before, 2);
    let [(_, article), (label_span, label)] = last_two.as_slice() else { return false };
    let adjacent = before[label_span.end..].chars().all(|c| c == ' ');
    let qualifies = ["ed", "ing", "est", "ly"].iter().any(|ending| label.ends_with(ending));
    adjacent
        && matches!(article.to_lowercase().as_str(), "the" | "a" | "an")
        && label.len() > 2
        && label.chars().all(|c| c.is_lowercase())
        && !qualifies
        && !is_stopword(label)
        && !QUALIFYING_WORDS.contains(label)
}

/// Whether one figure is a reading of nothing named and the other a labelled value (`the quake
/// measured 4.7` and `the magnitude 5.5 tremor`): two values on a scale, likely the same one,
/// though the sentences may share no word. Two readings are not such a pair (`the wind measured
/// 80`, `the quake measured 7.9`): nothing says which scale either is on.
pub fn on_one_scale(note: &str, note_start: usize, source: &str, source_start: usize) -> bool {
    (is_a_reading(note, note_start) && is_labelled_value(source, source_start))
        || (is_labelled_value(note, note_start) && is_a_reading(source, source_start))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::checks::quantities::{read_quantities, ReadContext};

    fn first(sentence: &str) -> Quantity {
        read_quantities(sentence, &ReadContext::default()).into_iter().next().expect("a quantity")
    }

    #[test]
    fn who_says_it_is_not_what_the_figure_is_about() {
        let sentence = "According to The Meridian Post, turnout was 40.6 percent.";
        let at = sentence.find("40.6").unwrap();
        let terms: Vec<String> = context_terms(sentence, &(at..at + 12)).into_iter().map(|(t, _)| t).collect();
        assert_eq!(terms, ["turnout"]);
        let sentence = "Follow-up (Eastbridge Observer): Turnout was 34.4 percent.";
        let at = sentence.find("34.4").unwrap();
        let terms: Vec<String> = context_terms(sentence, &(at..at + 12)).into_iter().map(|(t, _)| t).collect();
        assert_eq!(terms, ["turnout"]);
    }

    #[test]
    fn heads_are_the_end_of_the_noun_phrase_after_the_figure() {
        for (sentence, head) in [
            ("showing off some of the 16 eye-wateringly expensive timepieces on Friday", "timepiece"),
            ("It prompted seven Environment Agency flood alerts to be issued.", "alert"),
            ("They made it three Premier League wins in a row.", "wins"),
            ("Customers get a 15% discount on “Pro” plans.", "discount"),
        ] {
            let quantity = first(sentence);
            assert_eq!(noun_phrase_after(sentence, quantity.span.end).last().map(|h| index_term(h)).as_deref(), Some(head), "{sentence}");
        }
        let sentence = "The toll rose to 139.";
        assert!(noun_phrase_after(sentence, first(sentence).span.end).is_empty());
    }

    #[test]
    fn rates_carry_what_they_are_per() {
        for (sentence, unit) in [
            ("The cost would be $150 per month, with the discount.", "money USD per month"),
            ("Only $100/month for the bundle.", "money USD per month"),
            ("He earns £100,000-a-week at the club.", "money GBP per week"),
            ("He signed a five-year deal.", "duration year modifier"),
            ("A five-star hotel.", "count modifier"),
            ("Twenty-one people came.", "count"),
            ("The dividend is $0.13 per share.", "money USD per share"),
            ("It costs $2,500 in all.", "money USD"),
            ("Revenue rose 30% in a year.", "percent"),
        ] {
            assert_eq!(unit_of(sentence, &first(sentence)).as_deref(), Some(unit), "{sentence}");
        }
    }

    #[test]
    fn contexts_overlap_by_shared_content_words() {
        let note = "The company is increasing its dividend to $0.15 per share.";
        let source = "Directors raised the quarterly dividend to $0.13 per share on Monday.";
        let other = "Shares closed at $41.20 in New York.";
        let terms = |s: &str| context_terms(s, &first(s).span);
        let one = |_: &str| 1.0;
        assert!(context_overlap(&terms(note), &terms(source), one) > context_overlap(&terms(note), &terms(other), one));
        assert_eq!(context_overlap(&[], &terms(source), one), 0.0);
        assert!(shared_word(&["mile".into()], &["mile".into(), "flight".into()]).is_some());
    }

    #[test]
    fn snippets_show_the_figure_in_its_clause() {
        let text = "Henderson, 24, was rewarded with a new five-year £100,000-a-week contract in the summer.";
        let figure = text.find("five-year").unwrap()..text.find("five-year").unwrap() + "five-year".len();
        assert_eq!(snippet(text, &(0..text.len()), &figure, &[]), "…rewarded with a new five-year £100,000-a-week contract…");
        let short = "It costs $5.";
        assert_eq!(snippet(short, &(0..short.len()), &(9..11), &[]), "It costs $5.");
        let cited = "It cost $5 [@a001] and more.";
        let citation = 11..18;
        assert_eq!(snippet(cited, &(0..cited.len()), &(8..10), std::slice::from_ref(&citation)), "It cost $5");
    }

    #[test]
    fn spans_of_time_compare_across_units_but_not_with_modifiers() {
        assert_eq!(duration_factor("duration minute", "duration hour"), Some(60.0));
        assert_eq!(duration_factor("duration day", "duration week"), Some(7.0));
        assert_eq!(duration_factor("duration year", "duration month"), Some(1.0 / 12.0));
        assert_eq!(duration_factor("duration year modifier", "duration month"), None, "a five-year deal is not five years after");
        assert_eq!(duration_factor("count", "duration month"), None);
        assert_eq!(unit_distance("duration minute", "duration hour"), Some(0.0));
    }

    #[test]
    fn deadlines_are_moments_of_their_own() {
        let unit = |sentence: &str, at: &str| with_time_relation("weekday".into(), sentence, sentence.find(at).unwrap());
        assert_eq!(unit("By Tuesday, two suspects had been arrested.", "Tuesday"), "weekday by");
        assert_eq!(unit("They will stay until Friday.", "Friday"), "weekday until");
        assert_eq!(unit("Russia on Friday said it was IS.", "Friday"), "weekday");
        assert_eq!(unit("He has been out since Friday.", "Friday"), "weekday", "a starting point is when something happened");
    }

    #[test]
    fn the_words_looked_for_first_are_found_in_any_case_and_beside_curly_quotes() {
        assert_eq!(lone_months("They met in “SEPTEMBER”, not before.", &[]).len(), 1);
        assert_eq!(unresolved_weekdays("They left on a WEDNESDAY — late.", &[]).len(), 1);
        assert_eq!(lone_singles("A SINGLE-storey house burned.", &[]).len(), 1);
        assert!(lone_months("The marchers’ route was closed.", &[]).is_empty());
    }

    #[test]
    fn lone_months_are_months_of_an_unknown_year() {
        let months = |s: &str| lone_months(s, &[]).into_iter().map(|(_, m)| m).collect::<Vec<_>>();
        assert_eq!(months("Ibe has been out since January after the injury."), [1]);
        assert_eq!(months("Luke informs him it is July, not February."), [7, 2]);
        assert!(months("May I ask? They may March on the capital. The May Day parade.").is_empty());
        assert_eq!(months("Luke: It's February. Why?"), [2], "a capital that opens a clause is no name");
    }

    #[test]
    fn weekdays_are_days_unless_part_of_a_name() {
        let days = |s: &str| unresolved_weekdays(s, &[]).into_iter().map(|(_, d)| d).collect::<Vec<_>>();
        assert_eq!(days("Real Madrid drew 0-0 with Atletico on Tuesday."), [2]);
        assert_eq!(days("Friday was quiet; by Sunday it was over."), [5, 7]);
        assert!(days("He appeared on the Saturday Evening Post cover.").is_empty());
        assert!(days("Detective Joe Friday said the case was closed.").is_empty());
        assert_eq!(days("He went missing on Ash Wednesday, she said."), [3], "a named day falls on its weekday");
        let named = unresolved_weekdays("Shops opened early on Black Friday.", &[]);
        assert_eq!(named.iter().map(|(at, _)| &"Shops opened early on Black Friday."[at.clone()]).collect::<Vec<_>>(), ["Black Friday"]);
        assert!(shared_word(&["show".into()], &["star".into(), "hotel".into()]).is_none());
    }

    #[test]
    fn single_is_one_of_the_noun_it_describes_unless_negated() {
        let singles = |s: &str| lone_singles(s, &[]).into_iter().map(|at| s[at].to_string()).collect::<Vec<_>>();
        assert_eq!(singles("They built a single-story tower and a single lane."), ["single", "single"]);
        assert!(singles("Not a single shot was fired, without a single word.").is_empty());
        assert!(singles("She is single.").is_empty(), "no noun after it");
        assert_eq!(noun_phrase_after("a single-story tower", "a single".len()), ["story", "tower"]);
    }

    #[test]
    fn a_property_is_the_noun_before_of() {
        let sentence = "The quake had a magnitude of 7.9 and killed 12 people";
        let at = sentence.find("7.9").unwrap();
        assert!(values_a_property(sentence, at, &[index_term("magnitude").into()]));
        assert!(!values_a_property(sentence, at, &[index_term("quake").into()]));
        let people = sentence.find("12").unwrap();
        assert!(!values_a_property(sentence, people, &[index_term("people").into()]));
    }

    #[test]
    fn a_scale_is_named_before_its_value_or_by_the_verb_that_reads_it() {
        let at = |sentence: &str, figure: &str| sentence.find(figure).unwrap();
        for (sentence, figure) in [
            ("The magnitude 5.5 tremor was felt as far away as the capital.", "5.5"),
            ("Forecasters expect a category 4 hurricane by Friday.", "4"),
            ("The ministry raised a level 3 alert.", "3"),
        ] {
            assert!(is_labelled_value(sentence, at(sentence, figure)), "{sentence}");
        }
        for (sentence, figure) in [
            ("Police detained a further 5 people.", "5"),
            ("An estimated 500 people fled.", "500"),
            ("It is the biggest 3 days of the year.", "3"),
            ("He flew the Boeing 737 for years.", "737"),
            ("The quake measured 7.5 on Friday.", "7.5"),
            ("Wind gusts reached 92 mph.", "92"),
        ] {
            assert!(!is_labelled_value(sentence, at(sentence, figure)), "{sentence}");
        }
        assert!(is_a_reading("The quake measured 7.5 on Friday.", 19));
        assert!(is_a_reading("It registered at 6.1 in the capital.", 17));
        assert!(!is_a_reading("Wind gusts reached 92 mph.", 19));
    }
}
