//! Cardinals, fractions and ordinals, in digits and in words: "139", "1.2 million",
//! "one hundred and three", "a dozen", "two thirds", "one and a half", "twenty-fifth",
//! "minus five point five", "1 in 5". `find_numbers` is the lowest public layer: the
//! qualifier, unit and date passes are built on it. This file holds the entry point and
//! signs; the grammar itself is in `cardinal` (number words) and `fractions`.
//!
//! Must not: read qualifiers ("more than"), units ("%", "$", "years") or dates; decide
//! whether a number is worth reporting (a lone "one" is filtered by the caller).

use super::digits::DigitForm;
use super::tokens::{tokenize, Gap, Lex, Tok, TokKind};
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

/// Result of reading one numeral: value, token range end, form, trailing scale.
#[derive(Clone, Copy, Debug)]
pub(super) struct Core {
    pub(super) value: f64,
    pub(super) end: usize,
    pub(super) form: NumberForm,
    pub(super) scale: f64,
    pub(super) words: bool,
}

pub(super) struct Parser<'a> {
    pub(super) toks: &'a [Tok],
}

impl Parser<'_> {
    pub(super) fn lex(&self, i: usize) -> Option<Lex> {
        self.toks.get(i).and_then(Tok::lex)
    }

    pub(super) fn is_word_lex(&self, i: usize, want: Lex) -> bool {
        self.lex(i) == Some(want)
    }

    /// Index of the next atom after `i` when it is joined by plain space or a hyphen.
    pub(super) fn joined(&self, i: usize) -> Option<usize> {
        let t = self.toks.get(i)?;
        match t.kind {
            TokKind::Punct('-') if t.gap != Gap::Break => {
                let n = self.toks.get(i + 1)?;
                (n.gap != Gap::Break && matches!(n.kind, TokKind::Word(_))).then_some(i + 1)
            }
            _ => (t.gap == Gap::Space).then_some(i),
        }
    }

    pub(super) fn span(&self, start: usize, end: usize) -> Range<usize> {
        self.toks[start].start..self.toks[end - 1].end
    }

    pub(super) fn numeral(&self, i: usize) -> Option<(NumberMatch, usize)> {
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
    /// after an operator ("<= - 30").
    pub(super) fn sign_ok(&self, i: usize) -> bool {
        let Some(next) = self.toks.get(i + 1) else {
            return false;
        };
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
            // A spaced "- 3" at the start of a line is a markdown bullet, not minus three.
            Gap::Space => after_operator,
            Gap::Break => false,
        }
    }

    /// One numeral without sign. `nested` reads just a fraction or cardinal (no mixed
    /// numbers, ratios or trailing scales), for use inside a bigger numeral.
    pub(super) fn core(&self, i: usize, nested: bool) -> Option<Core> {
        let n = self.toks.len();
        let frac = |value: f64, end: usize| Core { value, end, form: NumberForm::Fraction, scale: 1.0, words: true };
        match self.lex(i) {
            // "the first half", "the second half": a part of a period, not the number 0.5.
            Some(Lex::Half) if i > 0 && matches!(self.lex(i - 1), Some(Lex::Ord { .. } | Lex::The)) => return None,
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
                let Lex::Scale(s) = self.lex(a)? else {
                    return None;
                };
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
        if st.digit_form.is_none() && words && !st.is_closed() {
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
        if !st.is_closed() && st.digit_form.is_none() {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (text, [(numeral as written, value, form)])
    fn numerals(text: &str) -> Vec<(String, f64, NumberForm)> {
        find_numbers(text).into_iter().map(|n| (text[n.span].to_string(), n.value, n.form)).collect()
    }

    #[test]
    fn reads_numerals_in_words_and_digits() {
        use NumberForm::*;
        type Expected<'a> = &'a [(&'a str, f64, NumberForm)];
        let table: &[(&str, Expected)] = &[
            ("one hundred and sixty-one", &[("one hundred and sixty-one", 161.0, Integer)]),
            ("twenty-one trillion and three hundred", &[("twenty-one trillion and three hundred", 21e12 + 300.0, Integer)]),
            ("4 thousand 3 hundred and 21", &[("4 thousand 3 hundred and 21", 4321.0, Integer)]),
            ("3 hundred and 2 hundred", &[("3 hundred", 300.0, Integer), ("2 hundred", 200.0, Integer)]),
            ("three hundred and two dozens", &[("three hundred and two dozens", 324.0, Integer)]),
            ("minus five point five", &[("minus five point five", -5.5, Decimal)]),
            ("-4/5 and 2 1/4", &[("-4/5", -0.8, Fraction), ("2 1/4", 2.25, Fraction)]),
            ("five and a half million", &[("five and a half million", 5.5e6, Decimal)]),
            ("3 million and a quarter", &[("3 million and a quarter", 3.25e6, Decimal)]),
            ("one hundred and three quarters", &[("one hundred and three quarters", 100.75, Decimal)]),
            ("one hundred and thirty fifths", &[("one hundred and thirty fifths", 26.0, Fraction)]),
            ("a hundred trillionths", &[("a hundred trillionths", 1e-10, Fraction)]),
            ("a hundred trillionth", &[("a hundred trillionth", 1e14, Ordinal)]),
            ("one hundred twenty fifth", &[("one hundred twenty fifth", 125.0, Ordinal)]),
            ("one twenty-fifth", &[("one twenty-fifth", 0.04, Fraction)]),
            ("two out of five hundred", &[("two out of five hundred", 0.004, Fraction)]),
            ("12 out of 10", &[("12", 12.0, Integer), ("10", 10.0, Integer)]),
            ("1e10 and 1.3x10^6", &[("1e10", 1e10, Power), ("1.3x10^6", 1.3e6, Power)]),
            ("10k, 1.2bn, 10 bln", &[("10k", 1e4, Integer), ("1.2bn", 1.2e9, Integer), ("10 bln", 1e10, Integer)]),
            ("Which one do you prefer?", &[]),
            ("a first class seat", &[("first", 1.0, Ordinal)]),
            ("one second", &[("one", 1.0, Integer), ("second", 2.0, Ordinal)]),
        ];
        for (text, want) in table {
            let want: Vec<(String, f64, NumberForm)> = want.iter().map(|(s, v, f)| (s.to_string(), *v, *f)).collect();
            let got = numerals(text);
            assert_eq!(got.len(), want.len(), "{text:?}: {got:?}");
            for (g, w) in got.iter().zip(&want) {
                assert_eq!((&g.0, g.2), (&w.0, w.2), "{text:?}");
                assert!((g.1 - w.1).abs() <= 1e-9 * w.1.abs().max(1.0), "{text:?}: {} != {}", g.1, w.1);
            }
        }
    }
}
