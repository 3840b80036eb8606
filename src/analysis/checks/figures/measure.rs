//! What a figure counts, read from its clause: the counted noun and the
//! predicate around it (`139 people dead`, `the death toll had risen to 139`,
//! `killed over 140 people`, `arrest of 11 people`, `four attackers`,
//! `including 3 children` as a part of the dead), an event for dates, a
//! superlative for spans of years, a person for ages. A figure whose measure
//! cannot be read has none, and is never compared: precision comes first.

use std::fmt;
use std::ops::Range;

use super::lexicon::{group_name, is_everyone, is_group, Lexicon, PARTIAL_MARKERS, SUPERLATIVES};
use super::role;
use crate::analysis::checks::quantities::{Quantity, QuantityKind};
use crate::analysis::text::interned::{Phrase, Word};
use crate::analysis::text::words;

/// The unit of an age paired by role (`the 26-year-old`), and of a named person's age when the
/// cited article does not name the same person's.
pub const AGE: &str = "age";
/// How far a predicate may stand from its figure, in words (`182 people were reportedly injured`).
const NEAR: usize = 4;
/// How far back a toll-like noun or an event may stand (`the death toll from the attack … had risen to 139`).
const FAR: usize = 25;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Measure {
    /// A lexicon measure, possibly of a group: `killed`, `killed: children`, `arrested: attackers`.
    Counted { measure: Word, group: Option<Word> },
    /// The date of an event: `date of attack`.
    EventDate(Word),
    /// The span of history a superlative reaches back: `deadliest in (years)`.
    Superlative,
    /// The age of a named person.
    Age(Word),
    /// A figure outside the lexicon: its unit (`count`, `money USD per month`, `percent`, `date`…)
    /// and the noun it counts or modifies, when there is one. Compared only with source figures of
    /// the same unit that play the same role (see `role.rs`), never across an event's articles.
    /// `phrase` is the noun phrase after the figure (its head last), as index terms.
    Role { unit: Word, phrase: Phrase },
}

impl Measure {
    /// Whether two figures count the same thing. Ages match by name: `Kerry` is `Kerry Lowther`.
    pub fn matches(&self, other: &Measure) -> bool {
        match (self, other) {
            (Measure::Age(a), Measure::Age(b)) => {
                let (a, b): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
                a.iter().all(|n| b.contains(n)) || b.iter().all(|n| a.contains(n))
            }
            _ => self == other,
        }
    }

    /// Compared only between figures that play the same role, never across an event's articles.
    pub fn needs_alignment(&self) -> bool {
        matches!(self, Measure::Role { .. })
    }

    /// What an index of measures files this one under, so that the figures that `matches` it
    /// are all found under the same key: the measure itself, or `age` for any age (names match
    /// in part). None for a figure outside the lexicon, which is paired by role, not by measure.
    pub fn index_key(&self) -> Option<std::borrow::Cow<'static, str>> {
        match self {
            Measure::Age(_) => Some("age".into()),
            Measure::Role { .. } => None,
            _ => Some(self.to_string().into()),
        }
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Measure::Counted { measure, group: None } => write!(f, "{measure}"),
            Measure::Counted { measure, group: Some(group) } => write!(f, "{measure}: {group}"),
            Measure::EventDate(event) => write!(f, "date of {event}"),
            Measure::Superlative => write!(f, "deadliest in (years)"),
            Measure::Age(name) => write!(f, "age of {name}"),
            Measure::Role { unit, phrase } => match phrase.last() {
                Some(head) if unit == "count" => write!(f, "number of {head}"),
                Some(head) => write!(f, "{unit} ({head})"),
                None => write!(f, "{unit}"),
            },
        }
    }
}

/// A figure's measure, and whether it counts only part of it (`three other people`).
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    pub measure: Measure,
    pub partial: bool,
}

struct Token {
    lower: String,
    original: Range<usize>,
}

/// Auxiliaries and adverbs that may stand between a noun and its predicate.
const FILLERS: &[&str] = &[
    "were",
    "was",
    "have",
    "has",
    "had",
    "been",
    "are",
    "is",
    "be",
    "being",
    "reportedly",
    "also",
    "now",
    "later",
    "all",
    "who",
    "that",
    "confirmed",
    "officially",
    "believed",
    "thought",
    "feared",
    "said",
    "to",
    "have",
    "already",
    "still",
    "among",
    "the",
    "those",
];
/// Words between a backward predicate and its figure: `killed over 140`, `arrest of 11`, `left about 139`.
const LINKS: &[&str] = &["the", "of", "a", "an", "some", "at", "least", "up", "to", "another", "left", "than", "more", "were", "was"];
/// Verbs that link a toll-like noun to its figure: `the death toll rose to 139`.
const TOLL_LINKS: &[&str] = &["to", "at", "reached", "hit", "stood", "was", "is", "of", "climbed", "rose", "risen", "now"];
/// Measure cues that are nouns naming a total (`death toll`, `deaths`), usable from afar.
const TOLL_NOUNS: &[&str] = &["toll", "death toll", "deaths", "fatalities", "injuries", "arrests", "detentions"];
/// Verbs after which a date is when something was said, not when the event happened.
const SPEECH: &[&str] = &[
    "said", "says", "saying", "told", "telling", "announced", "reported", "claimed", "added", "stated", "declared", "warned",
    "confirmed", "quoted", "quoting",
];
/// Words that follow figures without being what they count.
const NOT_NOUNS: &[&str] = &[
    "per", "percent", "cent", "times", "out", "across", "among", "against", "toward", "towards", "near", "amid", "despite", "without",
    "within",
];
/// Words after `N times` that make it a multiplier (`three times as many`, `twice the size`).
const MULTIPLIED: &[&str] = &[
    "as", "more", "less", "fewer", "higher", "lower", "larger", "bigger", "smaller", "greater", "faster", "slower", "the", "that",
    "what", "over",
];
/// Prepositions after which a date is a deadline or a starting point.
const DEADLINES: &[&str] = &["until", "till", "by", "before", "after", "since", "from", "through", "ahead"];
/// Words that open a clause about something else.
const RELATIVES: &[&str] = &["whose", "which", "who", "whom", "where", "while", "although", "because"];
/// Modifiers that may stand between a number and its counted noun (`four suspected gunmen`).
const MODIFIERS: &[&str] =
    &["suspected", "alleged", "armed", "masked", "young", "unidentified", "foreign", "local", "directly", "injured", "dead"];

/// A sentence's words, read once for all of its figures: a sentence of thousands of words and
/// hundreds of figures (a page pasted without full stops) costs their sum, not their product.
pub struct SentenceWords {
    tokens: Vec<Token>,
    lower: Vec<String>,
}

impl SentenceWords {
    pub fn of(sentence: &str) -> SentenceWords {
        let tokens: Vec<Token> =
            words(sentence).map(|(span, word)| Token { lower: word.to_lowercase().replace('’', "'"), original: span }).collect();
        let lower = tokens.iter().map(|t| t.lower.clone()).collect();
        SentenceWords { tokens, lower }
    }
}

/// The measure of `quantity`, one of `all` (the sentence's quantities, in order, with the readings of those before it).
pub fn measure_of(
    sentence: &str,
    words: &SentenceWords,
    quantity: &Quantity,
    before: &[(Quantity, Option<Reading>)],
    lexicon: &Lexicon,
) -> Option<Reading> {
    let (tokens, lower) = (&words.tokens, &words.lower);
    // Tokens are in order: the first at or after the figure's start, the last within its end.
    let first = tokens.partition_point(|t| t.original.start < quantity.span.start);
    if first == tokens.len() {
        return None;
    }
    let last = tokens.partition_point(|t| t.original.end <= quantity.span.end).checked_sub(1).filter(|&l| l >= first).unwrap_or(first);
    let role = || {
        let unit = role::unit_of(sentence, quantity)?;
        Some(Reading { measure: Measure::Role { unit: unit.into(), phrase: role::noun_phrase_after(sentence, quantity.span.end).into() }, partial: false })
    };
    match &quantity.kind {
        QuantityKind::Count => count_measure(sentence, quantity, tokens, lower, first, last, before, lexicon),
        QuantityKind::Date(_) => event_of_date(lower, first, last, lexicon)
            .map(|event| Reading { measure: Measure::EventDate(event.into()), partial: false })
            .or_else(role),
        QuantityKind::Duration { .. } if lower.get(last + 1).is_some_and(|w| w == "old" || w == "old's") => {
            // `16-year-old Anya Sukhova`: an age, of the name that follows. Without a name (`the
            // 26-year-old has revealed`, `he was just 8 years old in 1940`), an age all the same,
            // paired by role with the ages of the sources.
            let measure = match name_after(sentence, tokens, last + 2) {
                Some(name) => Measure::Age(name.into()),
                None => Measure::Role { unit: AGE.into(), phrase: role::noun_phrase_after(sentence, tokens[last + 1].original.end).into() },
            };
            Some(Reading { measure, partial: false })
        }
        QuantityKind::Duration { .. } => {
            let window = &lower[first.saturating_sub(8)..first];
            let superlative = window.iter().any(|w| SUPERLATIVES.contains(&w.as_str()))
                || window.windows(2).any(|pair| SUPERLATIVES.contains(&format!("{} {}", pair[0], pair[1]).as_str()));
            if superlative {
                Some(Reading { measure: Measure::Superlative, partial: false })
            } else {
                role()
            }
        }
        _ => role(),
    }
}

#[allow(clippy::too_many_arguments)]
fn count_measure(
    sentence: &str,
    quantity: &Quantity,
    tokens: &[Token],
    lower: &[String],
    first: usize,
    last: usize,
    before: &[(Quantity, Option<Reading>)],
    lexicon: &Lexicon,
) -> Option<Reading> {
    if let Some(name) = age_of(sentence, tokens, first, last) {
        return Some(Reading { measure: Measure::Age(name.into()), partial: false });
    }
    // The counted noun: right after the number, past modifiers and partial markers.
    let mut partial = false;
    let mut at = last + 1;
    while let Some(word) = lower.get(at) {
        if PARTIAL_MARKERS.contains(&word.as_str()) {
            partial = true;
        } else if !MODIFIERS.contains(&word.as_str()) {
            break;
        }
        at += 1;
        if at > last + 3 {
            break;
        }
    }
    let noun_cue = lexicon.measure_at(lower, at).filter(|_| at <= last + 3);
    let noun = lower.get(at).filter(|w| is_everyone(w) || is_group(w)).cloned();
    // "including three children": a part of the figure before it in the sentence.
    if first > 0 && matches!(lower[first - 1].as_str(), "including" | "includes" | "include") {
        let parent = before
            .iter()
            .rev()
            .find_map(|(_, reading)| reading.as_ref().filter(|r| matches!(r.measure, Measure::Counted { group: None, .. })))?;
        let Measure::Counted { measure, .. } = &parent.measure else { return None };
        let group = match (&noun, &noun_cue) {
            (Some(noun), _) if is_group(noun) => group_name(noun).to_string(),
            (_, Some(cue)) => cue.name.to_string(),
            _ => return None,
        };
        return Some(Reading { measure: Measure::Counted { measure: measure.as_str().into(), group: Some(group.into()) }, partial });
    }
    // A noun that is itself a measure: `four attackers`, `139 deaths`.
    if let Some(cue) = &noun_cue {
        if noun.is_none() {
            return Some(Reading { measure: Measure::Counted { measure: cue.name.into(), group: None }, partial });
        }
    }
    let group = noun.as_deref().filter(|n| is_group(n)).map(|n| group_name(n).to_string());
    let after_noun = if noun.is_some() { at + 1 } else { last + 1 };
    let predicate = forward_predicate(lower, after_noun, lexicon)
        .or_else(|| backward_predicate(lower, first, lexicon))
        .or_else(|| toll_from_afar(lower, first, previous_figure_end(tokens, before), lexicon));
    match (predicate, &noun) {
        (Some(measure), _) => Some(Reading { measure: Measure::Counted { measure: measure.into(), group: group.map(Word::from) }, partial }),
        (None, None) => {
            // Outside the lexicon: `300 homes` counts homes, compared only with figures in the same role.
            let phrase = role::noun_phrase_after(sentence, quantity.span.end);
            let Some(word) = lower.get(last + 1).filter(|_| !phrase.is_empty()) else {
                // No noun after it: `a magnitude of 7.9`, `a population of 2.1 million` measure the
                // noun before `of`; `the quake measured 7.5`, `the index closed at 4,500` only
                // their clause, which the pairing reads.
                // `Episode two of the series`, `Apollo 11`, `Chapter 3`: a number after a name is part
                // of it, not a figure.
                let named_before = first >= 1
                    && tokens[first - 1].original.start > 0
                    && sentence[tokens[first - 1].original.clone()].starts_with(char::is_uppercase)
                    && sentence[tokens[first - 1].original.end..tokens[first].original.start].trim().is_empty();
                if named_before {
                    return None;
                }
                // `bullied aged nine`, `at the age of 12`: an age, of whoever the clause is about.
                let aged = first >= 1 && lower[first - 1] == "aged" || first >= 2 && lower[first - 2..first] == ["age", "of"];
                if aged {
                    return Some(Reading { measure: Measure::Role { unit: AGE.into(), phrase: Phrase::empty() }, partial });
                }
                let container = (first >= 2 && lower[first - 1] == "of")
                    .then(|| &lower[first - 2])
                    .filter(|w| w.len() > 2 && w.chars().all(char::is_alphabetic) && !crate::analysis::text::is_stopword(w));
                let phrase = container.map(|noun| vec![crate::analysis::text::terms::index_term(noun)]).unwrap_or_default();
                return Some(Reading { measure: Measure::Role { unit: role::unit_of(sentence, quantity)?.into(), phrase: phrase.into() }, partial });
            };
            // `was watched 2,645,000 times`: how often the clause's event happened (but `three
            // times as many` multiplies).
            if word == "times" && !lower.get(last + 2).is_some_and(|next| MULTIPLIED.contains(&next.as_str())) {
                return Some(Reading { measure: Measure::Role { unit: "count".into(), phrase: Phrase::new(&[word.as_str().into()]) }, partial });
            }
            let is_noun_like = word.chars().all(char::is_alphabetic)
                && !crate::analysis::text::is_stopword(word)
                && !["ing", "ed"].iter().any(|ending| word.ends_with(ending))
                && !NOT_NOUNS.contains(&word.as_str());
            if !is_noun_like {
                return None;
            }
            let unit = role::unit_of(sentence, quantity)?;
            Some(Reading { measure: Measure::Role { unit: unit.into(), phrase: phrase.into() }, partial })
        }
        // `a crowd of about 300 people` counts the crowd.
        (None, Some(noun)) => {
            let container = (first >= 2 && lower[first - 1] == "of")
                .then(|| &lower[first - 2])
                .filter(|w| w.len() > 2 && !crate::analysis::text::is_stopword(w));
            let head = crate::analysis::text::terms::index_term(container.unwrap_or(noun));
            Some(Reading { measure: Measure::Role { unit: "count".into(), phrase: Phrase::new(&[head.into()]) }, partial })
        }
    }
}

/// `people were injured`, `people dead`, `injured`: a cue within a few words after the figure.
fn forward_predicate(lower: &[String], from: usize, lexicon: &Lexicon) -> Option<String> {
    let mut at = from;
    while at < lower.len() && at < from + NEAR {
        if let Some(cue) = lexicon.measure_at(lower, at) {
            return Some(cue.name.to_string());
        }
        if !FILLERS.contains(&lower[at].as_str()) {
            return None;
        }
        at += 1;
    }
    None
}

/// `killed over 140 people`, `the arrest of 11 people`, `detained eleven people`.
fn backward_predicate(lower: &[String], first: usize, lexicon: &Lexicon) -> Option<String> {
    let mut end = first;
    while end > 0 && first - end < NEAR {
        // A cue ending right before `end`.
        for start in end.saturating_sub(3)..end {
            if let Some(cue) = lexicon.measure_at(lower, start).filter(|c| start + c.words == end) {
                return Some(cue.name.to_string());
            }
        }
        if !LINKS.contains(&lower[end - 1].as_str()) {
            return None;
        }
        end -= 1;
    }
    None
}

/// The token just past the count before this one in the sentence (0 when there is none). Only a
/// count could have taken a toll noun: a date between them (`the toll from the fire on June 14 has
/// risen to 6`) does not.
fn previous_figure_end(tokens: &[Token], before: &[(Quantity, Option<Reading>)]) -> usize {
    before
        .iter()
        .rev()
        .find(|(previous, _)| matches!(previous.kind, QuantityKind::Count))
        .map_or(0, |(previous, _)| tokens.iter().position(|t| t.original.start >= previous.span.end).unwrap_or(tokens.len()))
}

/// `the death toll from the attack … had risen to 139`: a toll-like noun earlier in the clause,
/// after a linking verb, and not beyond the figure before this one (which would have taken it).
fn toll_from_afar(lower: &[String], first: usize, floor: usize, lexicon: &Lexicon) -> Option<String> {
    if first == 0 || !TOLL_LINKS.contains(&lower[first - 1].as_str()) {
        return None;
    }
    (first.saturating_sub(FAR).max(floor)..first).rev().find_map(|start| {
        let cue = lexicon.measure_at(lower, start)?;
        let phrase = lower[start..start + cue.words].join(" ");
        TOLL_NOUNS.contains(&phrase.as_str()).then(|| cue.name.to_string())
    })
}

/// The event a date belongs to: `the March 22 attack`, `the attack took place on March 24`,
/// `gunmen stormed the hall … on the night of March 22` — unless speech intervenes
/// (`Putin said on Monday`).
fn event_of_date(lower: &[String], first: usize, last: usize, lexicon: &Lexicon) -> Option<String> {
    // `until August 22`, `since March 7`: a deadline or a starting point, not when the event happened.
    if first > 0 && DEADLINES.contains(&lower[first - 1].as_str()) {
        return None;
    }
    // `the March 22 attack`: the date names the event it stands before.
    for at in last + 1..(last + 3).min(lower.len()) {
        if let Some(cue) = lexicon.event_at(lower, at) {
            return Some(cue.name.to_string());
        }
    }
    // `was quoted as saying by the news agency on Friday that … the attack`: the day something was
    // said, whatever the quoted words go on to name. An event named first keeps the date (`he said
    // the attack on Friday killed 139`).
    for at in (first.saturating_sub(8)..first).rev() {
        if lexicon.event_at(lower, at).is_some() || RELATIVES.contains(&lower[at].as_str()) {
            break;
        }
        if SPEECH.contains(&lower[at].as_str()) {
            return None;
        }
    }
    // `the March 22 attack`, `on Friday managed to carry out the worst attack`.
    for at in last + 1..(last + 7).min(lower.len()) {
        if let Some(cue) = lexicon.event_at(lower, at) {
            return Some(cue.name.to_string());
        }
        if SPEECH.contains(&lower[at].as_str()) || RELATIVES.contains(&lower[at].as_str()) || lexicon.measure_at(lower, at).is_some() {
            break;
        }
    }
    for at in (first.saturating_sub(FAR)..first).rev() {
        // `said on Monday`; `gunmen, whose detention was extended …`; `died in hospital on Friday`:
        // the date belongs to another clause or another action.
        if SPEECH.contains(&lower[at].as_str()) || RELATIVES.contains(&lower[at].as_str()) || lexicon.measure_at(lower, at).is_some() {
            return None;
        }
        if let Some(cue) = lexicon.event_at(lower, at) {
            return Some(cue.name.to_string());
        }
    }
    None
}

/// `Abbie, 12,` `Abbie Lowther (12)` `12-year-old businessman Gennady Fomin` `Abbie, aged 12`:
/// the age of a named person, named by the run of capitalised words next to it.
fn age_of(sentence: &str, tokens: &[Token], first: usize, last: usize) -> Option<String> {
    let capitalised = |token: &Token| sentence[token.original.clone()].chars().next().is_some_and(char::is_uppercase);
    let between = |a: &Token, b: &Token| sentence.get(a.original.end..b.original.start).unwrap_or("").trim().to_string();
    // The capitalised words that end at `end` (inclusive), at most four, joined by single spaces.
    let name_ending_at = |end: usize| -> Option<String> {
        let mut start = end;
        while start > 0 && end - start < 3 && capitalised(&tokens[start - 1]) && between(&tokens[start - 1], &tokens[start]).is_empty() {
            start -= 1;
        }
        capitalised(&tokens[end]).then(|| tokens[start..=end].iter().map(|t| &sentence[t.original.clone()]).collect::<Vec<_>>().join(" "))
    };
    let number = &tokens[first];
    if first > 0 && first == last {
        let name = &tokens[first - 1];
        let opens = between(name, number);
        let rest = sentence[number.original.end..].trim_start();
        let closes = rest.is_empty() || rest.starts_with([',', ')', ';', '.', '[']);
        if (opens == "," || opens == "(") && closes {
            if let Some(name) = name_ending_at(first - 1) {
                return Some(name);
            }
        }
        if first > 1 && name.lower == "aged" {
            return name_ending_at(first - 2);
        }
    }
    let after: Vec<&str> = tokens[last + 1..].iter().take(2).map(|t| t.lower.as_str()).collect();
    if after.starts_with(&["year", "old"]) {
        return name_after(sentence, tokens, last + 3);
    }
    None
}

/// After `12-year-old`: skip up to two lowercase words (`businessman`), then take the capitalised run.
fn name_after(sentence: &str, tokens: &[Token], from: usize) -> Option<String> {
    let capitalised = |token: &Token| sentence[token.original.clone()].chars().next().is_some_and(char::is_uppercase);
    let start = (from..(from + 3).min(tokens.len())).find(|&i| capitalised(&tokens[i]))?;
    let mut end = start;
    while end + 1 < tokens.len()
        && end - start < 3
        && capitalised(&tokens[end + 1])
        && sentence[tokens[end].original.end..tokens[end + 1].original.start].trim().is_empty()
    {
        end += 1;
    }
    Some(tokens[start..=end].iter().map(|t| &sentence[t.original.clone()]).collect::<Vec<_>>().join(" "))
}
