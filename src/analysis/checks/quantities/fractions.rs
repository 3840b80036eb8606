//! Fractions, mixed numbers and ordinals built on the cardinal reader: "two thirds",
//! "a hundred trillionths", "one and a half", "3 million and a quarter", "one over three",
//! "1 in 5", "two hundred point zero three", and whether "X-th" is an ordinal or 1/X.
//!
//! Must not: read cardinals itself (that is `cardinal`), or read signs.

use super::cardinal::{Card, Last};
use super::numbers::{Core, NumberForm, Parser};
use super::tokens::{Gap, Lex, OrdClass, TokKind};

impl Parser<'_> {
    /// A fraction's denominator starting at `j`: "half", "quarters", "fifths",
    /// "twenty-firsts", "one hundred fifth". Returns (value, plural, end, first/second alone).
    pub(super) fn denominator(&self, j: usize) -> Option<(f64, bool, usize, bool)> {
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

    /// Value before and after the last "and" of a cardinal: "one hundred and three" → (100, 3).
    pub(super) fn and_split(&self, start: usize, st: &Card) -> Option<(Card, Card)> {
        let k = st.and_at?;
        let left = self.card(start, k)?;
        let right = self.card(k + 1, st.end)?;
        (left.end == k && right.end == st.end).then_some((left, right))
    }

    /// "two hundred point zero three", "nine point nought four", "point seventy-one".
    pub(super) fn point_decimals(&self, st: &Card) -> Option<Core> {
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
    pub(super) fn trailing_scale(&self, c: Core, nested: bool) -> Core {
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
    pub(super) fn mixed(&self, st: &Card, c: Core) -> Option<Core> {
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
    pub(super) fn join_mixed(&self, whole: &Card, f: f64, end: usize) -> Core {
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
    pub(super) fn ratio(&self, c: Core) -> Option<Core> {
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
    pub(super) fn resolve_ordinal(&self, start: usize, st: &Card) -> Option<Core> {
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
