//! Cardinals, fractions and ordinals, in digits and in words: "139", "1.2 million",
//! "one hundred and three", "a dozen", "two thirds", "one and a half", "twenty-fifth",
//! "minus five point five", "1 in 5". `find_numbers` is the lowest public layer: the
//! qualifier, unit and date passes are built on it.
//!
//! Must not: read qualifiers ("more than"), units ("%", "$", "years") or dates; decide
//! whether a number is worth reporting (a lone "one" is filtered by the caller).

use super::digits::DigitForm;
use super::tokens::{tokenize, Gap, Lex, OrdClass, Tok, TokKind};
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberForm {
    Integer,
    Decimal,
    Fraction,
    Power,
    Ordinal,
}

/// A numeral as written, before qualifiers and units.
#[derive(Clone, Debug, PartialEq)]
pub struct NumberMatch {
    pub span: Range<usize>,
    pub value: f64,
    pub form: NumberForm,
    /// The magnitude word or suffix that ends the numeral ("million" = 1e6, "k" = 1e3), or 1.
    pub scale: f64,
    pub in_words: bool,
}

/// Every numeral in `text`, in order, non-overlapping.
pub fn find_numbers(text: &str) -> Vec<NumberMatch> {
    let toks = tokenize(text);
    let p = Parser { toks: &toks };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match p.numeral(i) {
            Some((m, next)) => {
                out.push(m);
                i = next.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Last {
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
struct OrdEnd {
    class: OrdClass,
    plural: bool,
}

/// State of a cardinal being read word by word.
#[derive(Clone, Copy, Debug)]
struct Card {
    total: f64,
    group: f64,
    small: f64,
    last: Last,
    last_scale: f64,
    /// Value of the scale word the cardinal ends with ("one million" → 1e6), else 0.
    end_scale: f64,
    end: usize,
    atoms: u32,
    words: bool,
    /// A digit numeral that takes no words after it ("3/4", "10k", "21st").
    digit_form: Option<DigitForm>,
    ord: Option<OrdEnd>,
    /// Token index of the last "and" inside the cardinal.
    and_at: Option<usize>,
}

impl Card {
    fn new(start: usize) -> Self {
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
    fn value(&self) -> f64 {
        self.total + self.group + self.small
    }
    fn can_multiply(&self) -> bool {
        matches!(self.last, Last::Unit | Last::Teen | Last::Tens | Last::Digits | Last::A)
    }
}

/// Result of reading one numeral: value, token range end, form, trailing scale.
#[derive(Clone, Copy, Debug)]
struct Core {
    value: f64,
    end: usize,
    form: NumberForm,
    scale: f64,
    words: bool,
}

struct Parser<'a> {
    toks: &'a [Tok],
}

enum Step {
    Ok,
    Stop,
    /// A multiplier that does not fit: end the numeral before the current small group
    /// ("3 hundred and 2 hundred" is two numbers).
    Rollback,
}

impl Parser<'_> {
    fn lex(&self, i: usize) -> Option<Lex> {
        self.toks.get(i).and_then(Tok::lex)
    }

    fn is_word_lex(&self, i: usize, want: Lex) -> bool {
        self.lex(i) == Some(want)
    }

    /// Index of the next atom after `i` when it is joined by plain space or a hyphen.
    fn joined(&self, i: usize) -> Option<usize> {
        let t = self.toks.get(i)?;
        match t.kind {
            TokKind::Punct('-') if t.gap != Gap::Break => {
                let n = self.toks.get(i + 1)?;
                (n.gap != Gap::Break && matches!(n.kind, TokKind::Word(_))).then_some(i + 1)
            }
            _ => (t.gap == Gap::Space).then_some(i),
        }
    }

    fn span(&self, start: usize, end: usize) -> Range<usize> {
        self.toks[start].start..self.toks[end - 1].end
    }

    fn numeral(&self, i: usize) -> Option<(NumberMatch, usize)> {
        let t = &self.toks[i];
        let (neg, core_at) = match t.kind {
            TokKind::Word(Lex::Minus) => {
                let n = self.toks.get(i + 1)?;
                if n.gap != Gap::Space {
                    return None;
                }
                (true, i + 1)
            }
            TokKind::Punct('-' | '−') if self.sign_ok(i) => (true, i + 1),
            _ => (false, i),
        };
        let c = self.core(core_at, false)?;
        let value = if neg { -c.value } else { c.value };
        let m = NumberMatch { span: self.span(i, c.end), value, form: c.form, scale: c.scale, in_words: c.words };
        Some((m, c.end))
    }

    /// A minus sign: glued to digits and not part of "130-140" or "SCP-173"; spaced only
    /// at the start of a line or after an operator ("- 10 k", "<= - 30").
    fn sign_ok(&self, i: usize) -> bool {
        let Some(next) = self.toks.get(i + 1) else { return false };
        if !matches!(next.kind, TokKind::Digits(_)) {
            return false;
        }
        let prev = i.checked_sub(1).map(|p| &self.toks[p]);
        let at_line_start = prev.is_none() || self.toks[i].gap == Gap::Break;
        let after_operator = prev.is_some_and(|p| matches!(p.kind, TokKind::Punct('=' | '<' | '>' | '(' | '[' | ':')));
        match next.gap {
            Gap::None => {
                at_line_start
                    || after_operator
                    || (self.toks[i].gap != Gap::None && prev.is_some_and(|p| !matches!(p.kind, TokKind::Punct('-'))))
            }
            Gap::Space => at_line_start || after_operator,
            Gap::Break => false,
        }
    }

    /// Reads a cardinal (possibly ending in an ordinal word) from `start`, not past `limit`.
    fn card(&self, start: usize, limit: usize) -> Option<Card> {
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

    fn apply_word(&self, st: &mut Card, lex: Lex, sep_and: bool) -> Step {
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

    fn apply_scale(&self, st: &mut Card, s: f64, plural: bool) -> Step {
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

    /// A fraction's denominator starting at `j`: "half", "quarters", "fifths",
    /// "twenty-firsts", "one hundred fifth". Returns (value, plural, end, first/second alone).
    fn denominator(&self, j: usize) -> Option<(f64, bool, usize, bool)> {
        match self.lex(j)? {
            Lex::Half => Some((2.0, false, j + 1, false)),
            Lex::Halves => Some((2.0, true, j + 1, false)),
            Lex::Quarter => Some((4.0, false, j + 1, false)),
            Lex::Quarters => Some((4.0, true, j + 1, false)),
            Lex::Ord { .. } | Lex::Unit(_) | Lex::Teen(_) | Lex::Tens(_) => {
                let c = self.card(j, self.toks.len())?;
                let ord = c.ord?;
                let v = c.value();
                Some((v, ord.plural, c.end, c.atoms == 1 && v <= 2.0))
            }
            _ => None,
        }
    }

    /// One numeral without sign. `nested` reads just a fraction or cardinal (no mixed
    /// numbers, ratios or trailing scales), for use inside a bigger numeral.
    fn core(&self, i: usize, nested: bool) -> Option<Core> {
        let n = self.toks.len();
        let frac = |value: f64, end: usize| Core { value, end, form: NumberForm::Fraction, scale: 1.0, words: true };
        match self.lex(i) {
            Some(Lex::Half) => {
                let (a, b) = (self.joined(i + 1), self.joined(i + 2));
                if let (Some(a), Some(b)) = (a, b) {
                    if self.is_word_lex(a, Lex::A) {
                        match self.lex(b) {
                            Some(Lex::Dozen) => return Some(Core { form: NumberForm::Integer, ..frac(6.0, b + 1) }),
                            Some(Lex::Scale(s)) if !nested => return Some(Core { scale: s, ..frac(0.5 * s, b + 1) }),
                            _ => {}
                        }
                    }
                }
                return Some(self.trailing_scale(frac(0.5, i + 1), nested));
            }
            Some(Lex::Quarter) => {
                let a = self.joined(i + 1)?;
                let Lex::Scale(s) = self.lex(a)? else { return None };
                return (!nested).then(|| Core { scale: s, ..frac(0.25 * s, a + 1) });
            }
            Some(Lex::A) => {
                let j = self.joined(i + 1)?;
                if let Some((d, plural, end, tiny)) = self.denominator(j) {
                    if !plural && !tiny {
                        return Some(self.trailing_scale(frac(1.0 / d, end), nested));
                    }
                }
            }
            _ => {}
        }
        let st = self.card(i, n)?;
        if st.atoms == 1 && self.is_word_lex(i, Lex::Unit(1)) && i > 0 && matches!(self.lex(i - 1), Some(Lex::Det | Lex::The)) {
            return None;
        }
        if st.ord.is_some() {
            return self.resolve_ordinal(i, &st);
        }
        let words = st.words;
        let scale = if st.end_scale > 0.0 { st.end_scale } else { 1.0 };
        let mut c = Core { value: st.value(), end: st.end, form: NumberForm::Integer, scale, words };
        if let Some(f) = st.digit_form {
            c.form = match f {
                DigitForm::Fraction => NumberForm::Fraction,
                DigitForm::Power => NumberForm::Power,
                DigitForm::Ordinal => NumberForm::Ordinal,
                _ => NumberForm::Integer,
            };
            if f == DigitForm::Ordinal || nested {
                return Some(c);
            }
        } else if c.value.fract() != 0.0 {
            c.form = NumberForm::Decimal;
        }
        if st.digit_form.is_none() && words && st.last != Last::Done {
            if let Some(d) = self.point_decimals(&st) {
                return Some(d);
            }
            if let Some(j) = self.joined(st.end) {
                if let Some((d, plural, end, tiny)) = self.denominator(j) {
                    let split = self.and_split(i, &st);
                    let single_one = |at: usize, atoms: u32| atoms == 1 && matches!(self.lex(at), Some(Lex::A | Lex::Unit(1)));
                    let right_one = split.is_some_and(|(_, r)| single_one(st.and_at.unwrap_or(i) + 1, r.atoms));
                    if !tiny && (plural || single_one(i, st.atoms) || right_one) {
                        // "one hundred and three quarters" = 100 + 3/4, "one hundred and
                        // thirty fifths" = 130/5: the part after "and" is a numerator
                        // only when it makes a proper fraction.
                        return Some(match split {
                            Some((l, r)) if r.value() < d && !nested => self.join_mixed(&l, r.value() / d, end),
                            Some((l, r)) if r.value() < d => frac(l.value() + r.value() / d, end),
                            _ => self.trailing_scale(frac(c.value / d, end), nested),
                        });
                    }
                }
            }
        }
        if nested {
            return Some(c);
        }
        if st.last != Last::Done && st.digit_form.is_none() {
            if let Some(m) = self.mixed(&st, c) {
                return Some(m);
            }
        }
        if st.digit_form.is_none() || st.digit_form == Some(DigitForm::Int) {
            if let Some(r) = self.ratio(c) {
                return Some(r);
            }
        }
        Some(c)
    }

    /// Value before and after the last "and" of a cardinal: "one hundred and three" → (100, 3).
    fn and_split(&self, start: usize, st: &Card) -> Option<(Card, Card)> {
        let k = st.and_at?;
        let left = self.card(start, k)?;
        let right = self.card(k + 1, st.end)?;
        (left.end == k && right.end == st.end).then_some((left, right))
    }

    /// "two hundred point zero three", "nine point nought four", "point seventy-one".
    fn point_decimals(&self, st: &Card) -> Option<Core> {
        if st.value().fract() != 0.0 || !matches!(self.toks.get(st.end)?, t if t.gap == Gap::Space) || !self.is_word_lex(st.end, Lex::Point)
        {
            return None;
        }
        let mut digits = String::new();
        let mut j = st.end + 1;
        while let Some(k) = self.joined(j) {
            let piece = match self.lex(k) {
                Some(Lex::Zero) => 0,
                Some(Lex::Unit(u)) => u as u32,
                Some(Lex::Teen(t)) => t as u32,
                Some(Lex::Tens(t)) => match self.joined(k + 1).and_then(|h| self.lex(h).map(|l| (h, l))) {
                    Some((h, Lex::Unit(u))) => {
                        digits.push_str(&(t as u32 + u as u32).to_string());
                        j = h + 1;
                        continue;
                    }
                    _ => t as u32,
                },
                _ => break,
            };
            digits.push_str(&piece.to_string());
            j = k + 1;
        }
        if digits.is_empty() || digits.len() > 30 {
            return None;
        }
        let value = st.value() + format!("0.{digits}").parse::<f64>().ok()?;
        let c = Core { value, end: j, form: NumberForm::Decimal, scale: 1.0, words: true };
        Some(self.trailing_scale(c, false))
    }

    /// "three quarters million", "two thirds of a million".
    fn trailing_scale(&self, c: Core, nested: bool) -> Core {
        if nested {
            return c;
        }
        let mut j = c.end;
        if let (Some(a), Some(b)) = (self.joined(j), self.joined(j + 1)) {
            if self.is_word_lex(a, Lex::Of) && self.is_word_lex(b, Lex::A) {
                j = b + 1;
            }
        }
        match self.joined(j).and_then(|k| self.lex(k).map(|l| (k, l))) {
            Some((k, Lex::Scale(s))) => Core { value: c.value * s, end: k + 1, scale: s, ..c },
            _ => c,
        }
    }

    /// "one and a half", "3 million and a quarter", "five and a half million".
    fn mixed(&self, st: &Card, c: Core) -> Option<Core> {
        let and = self.toks.get(c.end)?;
        if and.gap != Gap::Space || !self.is_word_lex(c.end, Lex::And) || self.toks.get(c.end + 1)?.gap != Gap::Space {
            return None;
        }
        let f = self.core(c.end + 1, true)?;
        if f.form != NumberForm::Fraction || !(f.value > 0.0 && f.value < 1.0) || !f.words {
            return None;
        }
        Some(self.join_mixed(st, f.value, f.end))
    }

    /// Whole part `whole` and a proper fraction `f` ending at token `end`. After a large
    /// scale the fraction is of that scale ("two million and a half" = 2.5 million), and a
    /// scale after the fraction multiplies both ("five and a half million") unless the whole
    /// part already has a larger one ("one billion and a half million").
    fn join_mixed(&self, whole: &Card, f: f64, end: usize) -> Core {
        let w = whole.value();
        let scale = if whole.end_scale > 0.0 { whole.end_scale } else { 1.0 };
        let mut out = Core { value: w + f, end, form: NumberForm::Decimal, scale, words: true };
        match self.joined(end).and_then(|k| self.lex(k).map(|l| (k, l))) {
            Some((k, Lex::Scale(s))) => {
                out.value = if whole.end_scale > s { w + f * s } else { (w + f) * s };
                out.end = k + 1;
                out.scale = s;
            }
            _ if whole.last == Last::Scale && whole.end_scale >= 1e6 => out.value = w + f * whole.end_scale,
            _ => {}
        }
        out
    }

    /// "one over three", "two out of five hundred", "1 in twenty-one".
    fn ratio(&self, c: Core) -> Option<Core> {
        if c.value.fract() != 0.0 {
            return None;
        }
        let k = self.joined(c.end)?;
        let (den_at, kind) = match self.lex(k)? {
            Lex::Over => (self.joined(k + 1)?, Lex::Over),
            Lex::In => (self.joined(k + 1)?, Lex::In),
            Lex::Out if self.joined(k + 1).is_some_and(|o| self.is_word_lex(o, Lex::Of)) => (self.joined(k + 2)?, Lex::Out),
            _ => return None,
        };
        let d = self.core(den_at, true)?;
        if d.form != NumberForm::Integer || d.value <= 0.0 {
            return None;
        }
        let followed_by_word = self.toks.get(d.end).is_some_and(|t| t.gap != Gap::Break && matches!(t.kind, TokKind::Word(_)));
        let year_like = !d.words && (1000.0..3000.0).contains(&d.value);
        let ok = match kind {
            Lex::Over => !followed_by_word,
            Lex::In => c.value >= 1.0 && c.value < d.value && !year_like,
            _ => c.value <= d.value,
        };
        ok.then(|| Core { value: c.value / d.value, end: d.end, form: NumberForm::Fraction, scale: 1.0, words: c.words || d.words })
    }

    /// A cardinal that ends in an ordinal word: an ordinal ("twenty-fifth", "two hundredth")
    /// or a fraction ("two thirds", "a hundred trillionths", "one hundred and thirty fifths").
    fn resolve_ordinal(&self, start: usize, st: &Card) -> Option<Core> {
        let ord = st.ord?;
        let atoms: Vec<usize> = (start..st.end)
            .filter(|&t| match self.toks[t].kind {
                TokKind::Word(Lex::And) | TokKind::Punct(_) => false,
                TokKind::Word(_) | TokKind::Digits(_) => true,
                TokKind::Junk => false,
            })
            .collect();
        let n = atoms.len();
        let ordinal = Core { value: st.value(), end: st.end, form: NumberForm::Ordinal, scale: 1.0, words: st.words };
        let frac = |value: f64| Core { value, end: st.end, form: NumberForm::Fraction, scale: 1.0, words: true };
        let is_one = |t: usize| matches!(self.lex(t), Some(Lex::A | Lex::Unit(1)));
        // Denominator = the ordinal word, plus "twenty" before a unit ordinal, plus
        // "one hundred"/"one thousand" before it.
        let den_start = |within: &[usize]| -> usize {
            let m = within.len();
            let prev = |k: usize| self.lex(within[m - 1 - k]);
            if ord.class == OrdClass::Unit && m >= 2 && matches!(prev(1), Some(Lex::Tens(_))) {
                m - 2
            } else if matches!(ord.class, OrdClass::Unit | OrdClass::Teen | OrdClass::Tens)
                && m >= 3
                && matches!(prev(1), Some(Lex::Hundred | Lex::Scale(_)))
                && is_one(within[m - 3])
            {
                m - 3
            } else {
                m - 1
            }
        };
        if let Some(k) = st.and_at {
            let right: Vec<usize> = atoms.iter().copied().filter(|&t| t > k).collect();
            if right.len() >= 2 {
                let mut d0 = den_start(&right);
                if d0 == 0 {
                    d0 = right.len() - 1;
                }
                let numer_one = d0 == 1 && is_one(right[0]);
                if ord.plural || numer_one {
                    let num = self.card(right[0], right[d0])?;
                    let den = self.card(right[d0], st.end)?;
                    let left = self.card(start, k)?;
                    if num.end == right[d0 - 1] + 1 && left.end == k && den.end == st.end {
                        let (l, nv, dv) = (left.value(), num.value(), den.value());
                        return Some(frac(if nv < dv { l + nv / dv } else { (l + nv) / dv }));
                    }
                }
            }
        }
        let mut d0 = den_start(&atoms);
        if d0 == 0 {
            if n == 1 {
                return (!ord.plural).then_some(ordinal);
            }
            d0 = n - 1;
        }
        let num = self.card(start, atoms[d0])?;
        let den = self.card(atoms[d0], st.end)?;
        if num.end != atoms[d0 - 1] + 1 || den.end != st.end {
            return (!ord.plural).then_some(ordinal);
        }
        if ord.plural {
            if !num.words {
                // "100 millionths": a digit numerator is not read as a fraction.
                let scale = if num.end_scale > 0.0 { num.end_scale } else { 1.0 };
                return Some(Core { value: num.value(), end: num.end, form: NumberForm::Integer, scale, words: false });
            }
            return Some(frac(num.value() / den.value()));
        }
        let the_before = start > 0 && self.is_word_lex(start - 1, Lex::The);
        let tiny = den.atoms == 1 && den.value() <= 2.0;
        if d0 == 1 && is_one(atoms[0]) && !the_before && !tiny {
            return Some(frac(1.0 / den.value()));
        }
        Some(ordinal)
    }
}
