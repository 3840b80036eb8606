//! The cardinal state machine: reads number words and digit numerals left to right
//! ("twenty-one trillion and three hundred", "4 thousand 3 hundred and 21", "322 hundred",
//! "a dozen"), possibly ending in an ordinal word ("twenty-fifth", "two hundredth").
//!
//! Must not: decide between fraction and ordinal, read signs, decimals after "point" or
//! mixed numbers (that is `fractions`), or look beyond the token limit it is given.

use super::digits::DigitForm;
use super::numbers::Parser;
use super::tokens::{Gap, Lex, OrdClass, TokKind};

/// The kind of the previous atom: it decides which words may follow ("twenty" may take
/// "one", "one" may not take "two").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Last {
    Start,
    Zero,
    Unit,
    Teen,
    Tens,
    Digits,
    A,
    Hundred,
    Scale,
    Done,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct OrdEnd {
    pub(super) class: OrdClass,
    pub(super) plural: bool,
}

/// State of a cardinal being read word by word. The value is kept in three parts so that
/// each multiplier applies to the right part: "hundred" only to a `small` with no hundreds
/// yet, "dozen" only to the last `small` ("three hundred and two dozens" = 324), a scale word
/// to `group + small`, which then moves into `total`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Card {
    /// Completed scale groups: "twenty-one trillion" in "twenty-one trillion and three hundred".
    pub(super) total: f64,
    /// Hundreds of the current group.
    pub(super) group: f64,
    /// Below a hundred in the current group (or a whole digit numeral: "322" in "322 hundred").
    pub(super) small: f64,
    pub(super) last: Last,
    /// Scales must fall ("million ... thousand"): the last one used, ∞ before any.
    pub(super) last_scale: f64,
    /// Value of the scale word the cardinal ends with ("one million" → 1e6), else 0.
    pub(super) end_scale: f64,
    pub(super) end: usize,
    pub(super) atoms: u32,
    pub(super) words: bool,
    /// A digit numeral that takes no words after it ("3/4", "10k", "21st").
    pub(super) digit_form: Option<DigitForm>,
    pub(super) ord: Option<OrdEnd>,
    /// Token index of the last "and" inside the cardinal.
    pub(super) and_at: Option<usize>,
}

impl Card {
    /// Whether the cardinal ended in a word that closes it (an ordinal): nothing may follow.
    pub(super) fn is_closed(&self) -> bool {
        self.last == Last::Done
    }

    pub(super) fn new(start: usize) -> Self {
        Card {
            total: 0.0,
            group: 0.0,
            small: 0.0,
            last: Last::Start,
            last_scale: f64::INFINITY,
            end_scale: 0.0,
            end: start,
            atoms: 0,
            words: false,
            digit_form: None,
            ord: None,
            and_at: None,
        }
    }
    pub(super) fn value(&self) -> f64 {
        self.total + self.group + self.small
    }
    pub(super) fn can_multiply(&self) -> bool {
        matches!(self.last, Last::Unit | Last::Teen | Last::Tens | Last::Digits | Last::A)
    }
}

pub(super) enum Step {
    Ok,
    Stop,
    /// A multiplier that does not fit: end the numeral before the current small group
    /// ("3 hundred and 2 hundred" is two numbers).
    Rollback,
}

impl Parser<'_> {
    /// Reads a cardinal (possibly ending in an ordinal word) from `start`, not past `limit`.
    pub(super) fn card(&self, start: usize, limit: usize) -> Option<Card> {
        let mut st = Card::new(start);
        let mut group_start: Option<Card> = None;
        let mut i = start;
        while i < limit {
            let mut j = i;
            let mut sep_and = false;
            let mut sep_hyphen = false;
            if st.atoms > 0 {
                if st.last == Last::Done || st.digit_form.is_some() {
                    break;
                }
                let t = &self.toks[j];
                match t.kind {
                    TokKind::Punct('-') if t.gap != Gap::Break => {
                        sep_hyphen = true;
                        j += 1;
                    }
                    TokKind::Word(Lex::And) if t.gap == Gap::Space && matches!(st.last, Last::Hundred | Last::Scale) => {
                        sep_and = true;
                        j += 1;
                    }
                    _ => {}
                }
                if j >= limit {
                    break;
                }
                let n = &self.toks[j];
                if n.gap == Gap::Break || (!sep_hyphen && n.gap == Gap::None) {
                    break;
                }
                if sep_hyphen && (!st.words || !matches!(n.kind, TokKind::Word(_))) {
                    break;
                }
            }
            let before = st;
            let step = match self.toks[j].kind {
                TokKind::Word(lex) => self.apply_word(&mut st, lex, sep_and),
                TokKind::Digits(a) => {
                    if st.atoms == 0 {
                        st.small = a.value;
                        st.last = Last::Digits;
                        if !a.plain() {
                            st.digit_form = Some(a.form);
                            st.end_scale = if a.scale > 1.0 { a.scale } else { 0.0 };
                        }
                        Step::Ok
                    } else if a.form == DigitForm::Int
                        && a.value > 0.0
                        && a.value.fract() == 0.0
                        && ((st.last == Last::Hundred && a.value < 100.0) || (st.last == Last::Scale && a.value < st.last_scale))
                    {
                        st.small = a.value;
                        st.last = Last::Digits;
                        Step::Ok
                    } else {
                        Step::Stop
                    }
                }
                _ => Step::Stop,
            };
            match step {
                Step::Ok => {
                    if matches!(before.last, Last::Hundred | Last::Scale)
                        && matches!(st.last, Last::Unit | Last::Teen | Last::Tens | Last::Digits)
                    {
                        group_start = Some(before);
                    } else if matches!(st.last, Last::Hundred | Last::Scale) {
                        group_start = None;
                    }
                    if sep_and {
                        st.and_at = Some(j - 1);
                    }
                    st.atoms += 1;
                    st.end = j + 1;
                    if !matches!(self.toks[j].kind, TokKind::Digits(_)) {
                        st.words = true;
                    }
                    let scale_word = matches!(self.toks[j].kind, TokKind::Word(Lex::Scale(_) | Lex::PluralScale(_)));
                    if !scale_word && st.digit_form.is_none() {
                        st.end_scale = 0.0;
                    }
                    i = j + 1;
                }
                Step::Stop => break,
                Step::Rollback => {
                    if let Some(g) = group_start {
                        return Some(g);
                    }
                    break;
                }
            }
        }
        if st.atoms == 0 || st.last == Last::A {
            return None;
        }
        Some(st)
    }

    pub(super) fn apply_word(&self, st: &mut Card, lex: Lex, sep_and: bool) -> Step {
        let fresh = matches!(st.last, Last::Start | Last::Hundred | Last::Scale);
        let after_tens = st.last == Last::Tens && !sep_and && st.small % 10.0 == 0.0;
        match lex {
            Lex::Zero if st.atoms == 0 => {
                st.last = Last::Zero;
            }
            Lex::Unit(u) if fresh || after_tens => {
                st.small = if after_tens { st.small + u as f64 } else { u as f64 };
                st.last = Last::Unit;
            }
            Lex::Teen(v) | Lex::Tens(v) if fresh => {
                st.small = v as f64;
                st.last = if matches!(lex, Lex::Teen(_)) { Last::Teen } else { Last::Tens };
            }
            Lex::A if st.atoms == 0 => {
                st.small = 1.0;
                st.last = Last::A;
            }
            Lex::Hundred | Lex::PluralScale(_) if lex.is_hundred() && st.can_multiply() && st.group == 0.0 => {
                st.group = st.small * 100.0;
                st.small = 0.0;
                st.last = if lex == Lex::Hundred { Last::Hundred } else { Last::Done };
            }
            Lex::Scale(s) | Lex::PluralScale(s) if s >= 1e3 => return self.apply_scale(st, s, matches!(lex, Lex::PluralScale(_))),
            Lex::Dozen if st.can_multiply() && st.small > 0.0 => {
                st.small *= 12.0;
                st.last = Last::Done;
            }
            Lex::Ord { value, class, plural } => {
                let ok = match class {
                    OrdClass::Unit => fresh || after_tens,
                    OrdClass::Teen | OrdClass::Tens => fresh,
                    OrdClass::Hundred => st.atoms == 0 || (st.can_multiply() && st.group == 0.0),
                    OrdClass::Scale => st.atoms == 0 || ((st.can_multiply() || st.group > 0.0) && value < st.last_scale),
                };
                if !ok {
                    return if matches!(class, OrdClass::Hundred | OrdClass::Scale) { Step::Rollback } else { Step::Stop };
                }
                match class {
                    OrdClass::Unit if after_tens => st.small += value,
                    OrdClass::Unit | OrdClass::Teen | OrdClass::Tens => st.small = value,
                    OrdClass::Hundred if st.atoms == 0 => st.group = 100.0,
                    OrdClass::Hundred => {
                        st.group = st.small * 100.0;
                        st.small = 0.0;
                    }
                    OrdClass::Scale if st.atoms == 0 => st.total = value,
                    OrdClass::Scale => {
                        st.total += (st.group + st.small) * value;
                        st.group = 0.0;
                        st.small = 0.0;
                    }
                }
                st.ord = Some(OrdEnd { class, plural });
                st.last = Last::Done;
            }
            Lex::Hundred | Lex::PluralScale(_) => return Step::Rollback,
            _ => return Step::Stop,
        }
        Step::Ok
    }

    pub(super) fn apply_scale(&self, st: &mut Card, s: f64, plural: bool) -> Step {
        let amount = st.group + st.small;
        if (st.can_multiply() || st.last == Last::Hundred) && amount > 0.0 && s < st.last_scale {
            st.total += amount * s;
        } else if st.last == Last::Scale && amount == 0.0 && s > st.last_scale {
            // Compound scales: "three lakh crore", "a thousand million".
            st.total *= s;
        } else {
            return Step::Rollback;
        }
        st.group = 0.0;
        st.small = 0.0;
        st.last_scale = s;
        st.end_scale = s;
        st.last = if plural { Last::Done } else { Last::Scale };
        Step::Ok
    }
}
