//! Reads one numeral written in digits, starting at a digit (or at a "." before one):
//! digit grouping ("1,234", "1 234", "12,34,567", "1.111,11"), decimals, fractions ("3/4",
//! "2 1/4"), powers ("1e10", "1.1^23", "1.3x10^6"), magnitude suffixes ("10k", "1.2bn",
//! "£3m") and ordinal suffixes ("21st").
//!
//! Must not: look at words around the numeral (except a currency sign just before it, which
//! turns "3m" into three million), handle signs (that is `numbers`), or split text into
//! tokens. Digits glued to letters ("180ml", "3D", "A380") are rejected whole.

/// What kind of digit numeral was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DigitForm {
    Int,
    Dec,
    Fraction,
    Power,
    /// Carries a magnitude suffix: "10k", "1.2bn".
    Suffixed,
    Ordinal,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct DigitAtom {
    pub end: usize,
    pub value: f64,
    pub form: DigitForm,
    /// Multiplier of a magnitude suffix (1e9 for "bn"), 1 otherwise.
    pub scale: f64,
}

impl DigitAtom {
    /// Plain integers and decimals can combine with number words ("3 hundred", "1.2 million").
    pub fn plain(&self) -> bool {
        matches!(self.form, DigitForm::Int | DigitForm::Dec)
    }
}

pub(crate) enum Scan {
    Atom(DigitAtom),
    /// Not a number: skip to this byte offset.
    Reject(usize),
}

/// Whitespace that may separate digit groups: space, no-break space, thin and narrow
/// no-break spaces (French and SI style "40 000").
const GROUP_SEPARATORS: [char; 4] = [' ', '\u{a0}', '\u{2009}', '\u{202f}'];

fn digits_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    i
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

/// End of the run of letters and digits starting at `i`: what a rejected numeral skips.
fn alnum_end(text: &str, i: usize) -> usize {
    let mut end = i;
    for c in text[i..].chars() {
        if !is_word_char(c) {
            break;
        }
        end += c.len_utf8();
    }
    end
}

fn parse_f64(digits: &str) -> f64 {
    digits.parse::<f64>().unwrap_or(f64::NAN)
}

/// Digits of `text[a..b]` without separators, for parsing.
fn strip_separators(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

pub(crate) fn vulgar_fraction(c: char, at: usize) -> Option<DigitAtom> {
    let value = match c {
        '½' => 0.5,
        '⅓' => 1.0 / 3.0,
        '⅔' => 2.0 / 3.0,
        '¼' => 0.25,
        '¾' => 0.75,
        '⅕' => 0.2,
        '⅖' => 0.4,
        '⅗' => 0.6,
        '⅘' => 0.8,
        '⅙' => 1.0 / 6.0,
        '⅚' => 5.0 / 6.0,
        '⅛' => 0.125,
        '⅜' => 0.375,
        '⅝' => 0.625,
        '⅞' => 0.875,
        _ => return None,
    };
    Some(DigitAtom { end: at + c.len_utf8(), value, form: DigitForm::Fraction, scale: 1.0 })
}

/// A currency sign right before the numeral: then "3m" means three million.
fn currency_before(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches(' ');
    matches!(before.chars().next_back(), Some('$' | '£' | '€' | '¥' | '₹' | '₩'))
}

/// Integer part: plain digits or one of the grouping conventions. Returns (end, digits
/// string, is decimal already (a decimal comma), grouped).
fn integer_part(text: &str, start: usize, chained: bool) -> (usize, String, bool, bool) {
    let b = text.as_bytes();
    let g0_end = digits_end(b, start);
    let g0_len = g0_end - start;
    // Comma groups: "1,234,567" (Western), "12,34,567" (Indian), "5,00" (decimal comma),
    // otherwise a list such as "22,24,26".
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut p = g0_end;
    while groups.len() < 64 && b.get(p) == Some(&b',') && b.get(p + 1).is_some_and(u8::is_ascii_digit) {
        let e = digits_end(b, p + 1);
        groups.push((p + 1, e));
        let len = e - (p + 1);
        p = e;
        // Only groups of two or three digits can continue a grouped number.
        if !(2..=3).contains(&len) {
            break;
        }
    }
    let more = b.get(p) == Some(&b',') && b.get(p + 1).is_some_and(u8::is_ascii_digit);
    if !groups.is_empty() {
        let lens: Vec<usize> = groups.iter().map(|(a, e)| e - a).collect();
        let last = *lens.last().unwrap_or(&0);
        let western = g0_len <= 3 && lens.iter().all(|&l| l == 3) && !more;
        let indian = !more && groups.len() >= 2 && g0_len <= 2 && last == 3 && lens[..lens.len() - 1].iter().all(|&l| l == 2);
        if western || indian {
            let end = groups.last().map_or(g0_end, |g| g.1);
            return (end, strip_separators(&text[start..end]), false, true);
        }
        let listed = start >= 2 && b[start - 1] == b',' && b[start - 2].is_ascii_digit();
        if groups.len() == 1 && (1..=2).contains(&last) && !chained && !listed && !more {
            let (a, e) = groups[0];
            let s = format!("{}.{}", &text[start..g0_end], &text[a..e]);
            return (e, s, true, false);
        }
        return (g0_end, text[start..g0_end].to_string(), false, false);
    }
    if chained || g0_len > 3 {
        return (g0_end, text[start..g0_end].to_string(), false, false);
    }
    // European "1.111,11": dot thousands then a decimal comma.
    let mut q = g0_end;
    let mut dot_groups = 0;
    while b.get(q) == Some(&b'.') && digits_end(b, q + 1) == q + 4 {
        q += 4;
        dot_groups += 1;
    }
    if dot_groups > 0 && b.get(q) == Some(&b',') && b.get(q + 1).is_some_and(u8::is_ascii_digit) {
        let e = digits_end(b, q + 1);
        let s = format!("{}.{}", strip_separators(&text[start..q]), &text[q + 1..e]);
        return (e, s, true, true);
    }
    // Space-grouped "1 234 567": groups of exactly three, not followed by more digits or a
    // fraction/time ("2 1/4" and "3 10:30" are not one number).
    let mut end = g0_end;
    let mut grouped = false;
    loop {
        let sep = match char_at(text, end) {
            Some(c) if GROUP_SEPARATORS.contains(&c) => c,
            _ => break,
        };
        let q = end + sep.len_utf8();
        let e = digits_end(b, q);
        if e - q != 3 {
            break;
        }
        match char_at(text, e) {
            Some(c) if is_word_char(c) || c == '/' || c == ':' => break,
            Some(',') if b.get(e + 1).is_some_and(u8::is_ascii_digit) => break,
            _ => {}
        }
        end = e;
        grouped = true;
    }
    (end, strip_separators(&text[start..end]), false, grouped)
}

pub(crate) fn scan(text: &str, start: usize) -> Scan {
    let b = text.as_bytes();
    if text[..start].chars().next_back().is_some_and(|c| c.is_alphabetic() || c == '_') {
        return Scan::Reject(alnum_end(text, start));
    }
    // Inside a chain such as an IP address, a date or a phone number ("192.168.1.2",
    // "5/17/2018", "222-2222/2222"): only plain integers, no decimals or fractions.
    let after_dot = start >= 2 && b[start - 1] == b'.' && b[start - 2].is_ascii_digit();
    let chained = start >= 2 && matches!(b[start - 1], b'.' | b'/' | b'-') && b[start - 2].is_ascii_digit();

    let (mut p, mut value, mut form, grouped);
    if b[start] == b'.' {
        let e = digits_end(b, start + 1);
        value = parse_f64(&format!("0{}", &text[start..e]));
        form = DigitForm::Dec;
        p = e;
        grouped = false;
    } else {
        let (e, digits, decimal, g) = integer_part(text, start, chained);
        value = parse_f64(&digits);
        form = if decimal { DigitForm::Dec } else { DigitForm::Int };
        p = e;
        grouped = g;
        if form == DigitForm::Int && b.get(p) == Some(&b'.') && b.get(p + 1).is_some_and(u8::is_ascii_digit) && !after_dot {
            let e = digits_end(b, p + 1);
            let dotted_chain = b.get(e) == Some(&b'.') && b.get(e + 1).is_some_and(u8::is_ascii_digit);
            if !dotted_chain || grouped {
                value = parse_f64(&format!("{}.{}", digits, &text[p + 1..e]));
                form = DigitForm::Dec;
                p = e;
            }
        }
    }

    if form == DigitForm::Int && !grouped && !chained {
        if let Some((v, e)) = fraction_after(text, start, p, value) {
            value = v;
            form = DigitForm::Fraction;
            p = e;
        }
    }
    if matches!(form, DigitForm::Int | DigitForm::Dec) {
        if let Some((v, e)) = power_after(text, p, value) {
            value = v;
            form = DigitForm::Power;
            p = e;
        }
    }
    let mut scale = 1.0;
    let letters_end = {
        let mut e = p;
        while e < b.len() && b[e].is_ascii_alphabetic() {
            e += 1;
        }
        e
    };
    if letters_end > p {
        let suffix = &text[p..letters_end];
        let next_ok = !char_at(text, letters_end).is_some_and(is_word_char);
        let ordinal = ["st", "nd", "rd", "th"].iter().any(|s| suffix.eq_ignore_ascii_case(s));
        if next_ok && ordinal && form == DigitForm::Int {
            return Scan::Atom(DigitAtom { end: letters_end, value, form: DigitForm::Ordinal, scale });
        }
        match glued_multiplier(suffix, value, form, currency_before(text, start)) {
            Some(m) if next_ok => {
                scale = m;
                value *= m;
                form = DigitForm::Suffixed;
                p = letters_end;
            }
            _ => return Scan::Reject(alnum_end(text, p)),
        }
    } else if matches!(form, DigitForm::Int | DigitForm::Dec) {
        if let Some((m, e)) = spaced_multiplier(text, p) {
            scale = m;
            value *= m;
            form = DigitForm::Suffixed;
            p = e;
        }
    }
    if char_at(text, p).is_some_and(is_word_char) {
        return Scan::Reject(alnum_end(text, p));
    }
    Scan::Atom(DigitAtom { end: p, value, form, scale })
}

/// "3/4" right after the integer, or " 1/4" after a whole number ("2 1/4"). Not when more
/// slashes or dashes follow (dates, phone numbers).
fn fraction_after(text: &str, start: usize, p: usize, whole: f64) -> Option<(f64, usize)> {
    let b = text.as_bytes();
    let simple = |at: usize| -> Option<(f64, f64, usize)> {
        let ne = digits_end(b, at);
        if ne == at || b.get(ne) != Some(&b'/') {
            return None;
        }
        let de = digits_end(b, ne + 1);
        if de == ne + 1 {
            return None;
        }
        if matches!(b.get(de), Some(b'/' | b'-' | b'.')) && b.get(de + 1).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let num = parse_f64(&text[at..ne]);
        let den = parse_f64(&text[ne + 1..de]);
        (den != 0.0).then_some((num, den, de))
    };
    if b.get(p) == Some(&b'/') {
        // Prose writes proper fractions with a slash; "24/7" is an idiom, not 3.43.
        return simple(start).filter(|(n, d, _)| n < d).map(|(n, d, e)| (n / d, e));
    }
    let mut q = p;
    while q < b.len() && q - p < 3 && b[q] == b' ' {
        q += 1;
    }
    if q > p {
        if let Some((n, d, e)) = simple(q) {
            if n < d {
                return Some((whole + n / d, e));
            }
        }
    }
    if let Some(c) = char_at(text, p) {
        if let Some(v) = vulgar_fraction(c, p) {
            return Some((whole + v.value, v.end));
        }
    }
    None
}

/// "1e10", "12.32e+14", "1.1^23", "2.5^-1", "1.3x10^6".
fn power_after(text: &str, p: usize, base: f64) -> Option<(f64, usize)> {
    let b = text.as_bytes();
    let exponent = |mut i: usize, many_signs: bool| -> Option<(f64, usize)> {
        let mut negative = false;
        let mut signs = 0;
        while i < b.len() && (b[i] == b'+' || b[i] == b'-') && (many_signs || signs == 0) {
            negative ^= b[i] == b'-';
            signs += 1;
            i += 1;
        }
        let e = digits_end(b, i);
        if e == i || e - i > 4 || char_at(text, e).is_some_and(is_word_char) {
            return None;
        }
        let x = parse_f64(&text[i..e]);
        Some((if negative { -x } else { x }, e))
    };
    match b.get(p) {
        Some(b'e' | b'E') => exponent(p + 1, false).map(|(x, e)| (base * 10f64.powf(x), e)),
        Some(b'^') => exponent(p + 1, true).map(|(x, e)| (base.powf(x), e)),
        Some(b'x') if text[p..].starts_with("x10^") => exponent(p + 4, false).map(|(x, e)| (base * 10f64.powf(x), e)),
        _ => None,
    }
}

/// Suffix glued to the digits. Lower-case "m" is metres unless a currency sign precedes
/// ("£3m"); "G" after a single digit is a network generation ("5G"), not giga.
fn glued_multiplier(suffix: &str, value: f64, form: DigitForm, currency: bool) -> Option<f64> {
    if !matches!(form, DigitForm::Int | DigitForm::Dec) {
        return None;
    }
    Some(match suffix {
        "k" | "K" => 1e3,
        "M" | "MM" | "mil" | "mln" | "Mln" => 1e6,
        "m" | "mn" if currency => 1e6,
        "G" if value >= 10.0 || form == DigitForm::Dec => 1e9,
        "b" | "B" | "bn" | "Bn" | "BN" | "bln" => 1e9,
        "tn" | "tln" | "Tn" => 1e12,
        _ => return None,
    })
}

/// Suffix after one or two spaces: "2.33 k", "1,674.5 G", "10 bln".
fn spaced_multiplier(text: &str, p: usize) -> Option<(f64, usize)> {
    let b = text.as_bytes();
    let mut q = p;
    while q < b.len() && q - p < 2 && b[q] == b' ' {
        q += 1;
    }
    if q == p {
        return None;
    }
    let mut e = q;
    while e < b.len() && b[e].is_ascii_alphabetic() {
        e += 1;
    }
    if char_at(text, e).is_some_and(is_word_char) {
        return None;
    }
    let m = match &text[q..e] {
        "k" | "K" => 1e3,
        "M" | "mln" => 1e6,
        "G" | "bn" | "bln" => 1e9,
        "tln" => 1e12,
        _ => return None,
    };
    Some((m, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (end, value, form) of the numeral at the start of the text, None when rejected.
    type Reading = Option<(usize, f64, DigitForm)>;

    fn read(text: &str) -> Reading {
        match scan(text, 0) {
            Scan::Atom(a) => Some((a.end, a.value, a.form)),
            Scan::Reject(_) => None,
        }
    }

    #[test]
    fn digit_conventions() {
        use DigitForm::*;
        let table: &[(&str, Reading)] = &[
            ("1,234,567 people", Some((9, 1234567.0, Int))),
            ("12,34,567.89", Some((12, 1234567.89, Dec))),
            ("1.111,11", Some((8, 1111.11, Dec))),
            ("5,00", Some((4, 5.0, Dec))),
            ("22,24,26", Some((2, 22.0, Int))),
            ("40\u{202f}000 fans", Some((8, 40000.0, Int))),
            ("423 0000", Some((3, 423.0, Int))),
            ("4.800", Some((5, 4.8, Dec))),
            ("192.168.1.2", Some((3, 192.0, Int))),
            ("5/17/2018", Some((1, 5.0, Int))),
            ("24/7", Some((2, 24.0, Int))),
            ("3/4", Some((3, 0.75, Fraction))),
            ("21st", Some((4, 21.0, Ordinal))),
            ("180ml", None),
            ("3D", None),
            ("1m", None),
            ("5G", None),
            ("10G", Some((3, 1e10, Suffixed))),
        ];
        for (text, want) in table {
            assert_eq!(read(text), *want, "{text:?}");
        }
        assert!(matches!(scan("£3m", 2), Scan::Atom(DigitAtom { value: 3e6, .. })));
    }
}
