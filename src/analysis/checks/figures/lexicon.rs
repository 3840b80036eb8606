//! The measure lexicon: which words say what a figure counts.
//!
//! Ships with defaults for what news copy counts (the dead, the injured, the
//! arrested, attackers…) and is extended by `noteproof.json`'s `lexicon`.
//! Words are matched on lowercase word sequences, so a cue may be a phrase
//! (`death toll`, `lives lost`).

use crate::analysis::text::collapse_whitespace;
use std::collections::BTreeMap;

/// Default measures and their cue words. A cue names the measure when it stands next to the figure:
/// as its counted noun (`four attackers`), its predicate (`139 people dead`, `killed 140 people`)
/// or the noun it completes (`the death toll rose to 139`, `the arrest of 11 people`).
const DEFAULT_MEASURES: &[(&str, &[&str])] = &[
    (
        "killed",
        &[
            "killed",
            "kill",
            "kills",
            "killing",
            "dead",
            "died",
            "die",
            "dies",
            "death",
            "deaths",
            "death toll",
            "toll",
            "lives",
            "lives lost",
            "fatalities",
            "fatality",
            "slain",
            "perished",
            "massacre of",
            "slaughter of",
            "bodies",
            "killings of",
            "murdered",
            "lost their lives",
        ],
    ),
    ("injured", &["injured", "injuring", "injuries", "wounded", "wounding", "hurt", "hospitalised", "hospitalized", "injury"]),
    (
        "arrested",
        &[
            "arrested",
            "arrest",
            "arrests",
            "detained",
            "detain",
            "detention of",
            "detentions",
            "held",
            "in custody",
            "custody",
            "remanded",
            "apprehended",
            "rounded up",
        ],
    ),
    ("attackers", &["attackers", "attacker", "gunmen", "gunman", "assailants", "assailant", "shooters", "perpetrators", "terrorists"]),
    ("missing", &["missing", "unaccounted for"]),
    (
        "evacuated",
        &["evacuated", "evacuation of", "displaced", "fled their homes", "forced from their homes", "forced to flee", "left homeless"],
    ),
];

/// Nouns that count people without saying what happened to them: the measure comes from the predicate.
/// The first group stands for everyone; the others are a part (`three children` among the dead).
const EVERYONE: &[&str] = &["people", "persons", "person", "individuals", "victims", "civilians", "suspects", "others", "residents"];
const GROUPS: &[&str] = &[
    "children",
    "child",
    "women",
    "men",
    "girls",
    "boys",
    "teenagers",
    "students",
    "soldiers",
    "officers",
    "police officers",
    "policemen",
    "foreigners",
    "tourists",
    "workers",
    "firefighters",
    "journalists",
    "concertgoers",
    "spectators",
    "minors",
];

/// Words that make a count partial (`three other people`): never a basis for a contradiction.
pub const PARTIAL_MARKERS: &[&str] = &["other", "another", "more", "additional", "further", "new", "extra"];

/// Events a date can belong to (`the March 22 attack`, `the attack took place on March 24`).
const EVENTS: &[(&str, &[&str])] = &[
    (
        "attack",
        &[
            "attack",
            "attacks",
            "attacked",
            "assault",
            "massacre",
            "shooting",
            "stormed",
            "storming",
            "raid",
            "bombing",
            "attackers",
            "gunmen",
            "opened fire",
            "rampage",
            "slaughter",
            "killings",
        ],
    ),
    ("flood", &["flood", "floods", "flooding"]),
    ("earthquake", &["earthquake", "quake", "tremor"]),
    ("fire", &["fire", "blaze", "wildfire"]),
    ("explosion", &["explosion", "blast", "exploded"]),
    ("crash", &["crash", "crashed", "collision", "derailment"]),
    ("election", &["election", "vote", "polls", "referendum"]),
];

/// Superlatives that time an event against history (`the deadliest attack in two decades`).
pub const SUPERLATIVES: &[&str] = &["deadliest", "worst", "bloodiest", "most deadly", "deadliest-ever", "biggest", "largest"];

#[derive(Clone, Debug, PartialEq)]
pub struct Lexicon {
    /// Measure name → cue phrases (lowercase, words separated by single spaces).
    pub measures: BTreeMap<String, Vec<String>>,
    pub events: BTreeMap<String, Vec<String>>,
}

impl Default for Lexicon {
    fn default() -> Self {
        let owned = |table: &[(&str, &[&str])]| -> BTreeMap<String, Vec<String>> {
            table.iter().map(|(name, cues)| (name.to_string(), cues.iter().map(|c| c.to_string()).collect())).collect()
        };
        Lexicon { measures: owned(DEFAULT_MEASURES), events: owned(EVENTS) }
    }
}

/// A cue found in text: what it names, and how many words it spans.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cue<'a> {
    pub name: &'a str,
    pub words: usize,
}

impl Lexicon {
    /// The defaults extended by the user's table: new cues for existing measures, or new measures.
    pub fn with_extensions(extensions: &BTreeMap<String, Vec<String>>) -> Lexicon {
        let mut lexicon = Lexicon::default();
        for (measure, cues) in extensions {
            let entry = lexicon.measures.entry(measure.to_lowercase()).or_default();
            for cue in cues {
                let cue = collapse_whitespace(cue).to_lowercase();
                if !cue.is_empty() && !entry.contains(&cue) {
                    entry.push(cue);
                }
            }
        }
        lexicon
    }

    /// The longest measure cue that starts at `words[at]`.
    pub fn measure_at<'a>(&'a self, words: &[String], at: usize) -> Option<Cue<'a>> {
        longest_cue(&self.measures, words, at)
    }

    /// The longest event cue that starts at `words[at]`.
    pub fn event_at<'a>(&'a self, words: &[String], at: usize) -> Option<Cue<'a>> {
        longest_cue(&self.events, words, at)
    }
}

fn longest_cue<'a>(table: &'a BTreeMap<String, Vec<String>>, words: &[String], at: usize) -> Option<Cue<'a>> {
    let first = words.get(at)?.as_str();
    let mut best: Option<Cue<'a>> = None;
    for (name, cues) in table {
        for cue in cues {
            // Asked at every word of every sentence: most cues fail on their first word, so that
            // is tested before the cue is split.
            let starts_here = cue.strip_prefix(first).is_some_and(|rest| rest.is_empty() || rest.starts_with(' '));
            if !starts_here {
                continue;
            }
            let length = cue.split(' ').count();
            let matches = words.get(at..at + length).is_some_and(|window| cue.split(' ').zip(window).all(|(c, w)| c == w));
            if matches && best.as_ref().is_none_or(|b| length > b.words) {
                best = Some(Cue { name, words: length });
            }
        }
    }
    best
}

pub fn is_everyone(word: &str) -> bool {
    EVERYONE.contains(&word)
}

pub fn is_group(word: &str) -> bool {
    GROUPS.contains(&word)
}

/// A group noun in its plural form, for naming sub-measures (`killed: children`).
pub fn group_name(word: &str) -> &str {
    match word {
        "child" => "children",
        "policemen" | "police officers" => "officers",
        "minors" => "children",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split(' ').map(String::from).collect()
    }

    #[test]
    fn the_longest_cue_wins() {
        let lexicon = Lexicon::default();
        let text = words("the death toll rose");
        assert_eq!(lexicon.measure_at(&text, 1), Some(Cue { name: "killed", words: 2 }));
        assert_eq!(lexicon.measure_at(&text, 0), None);
        assert_eq!(lexicon.event_at(&words("gunmen opened fire"), 1), Some(Cue { name: "attack", words: 2 }));
    }

    #[test]
    fn users_extend_measures_and_add_new_ones() {
        let extensions = BTreeMap::from([
            ("killed".to_string(), vec!["Slain  outright".to_string()]),
            ("rescued".to_string(), vec!["rescued".to_string(), "pulled alive".to_string()]),
        ]);
        let lexicon = Lexicon::with_extensions(&extensions);
        assert_eq!(lexicon.measure_at(&words("were slain outright"), 1), Some(Cue { name: "killed", words: 2 }));
        assert_eq!(lexicon.measure_at(&words("pulled alive"), 0), Some(Cue { name: "rescued", words: 2 }));
        assert_eq!(lexicon.measure_at(&words("died"), 0), Some(Cue { name: "killed", words: 1 }), "defaults stay");
    }
}
