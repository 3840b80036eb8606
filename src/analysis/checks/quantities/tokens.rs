//! Tokenizer for the numeral grammar: splits text into words (looked up in the number
//! lexicon), digit numerals (read by `digits`) and single punctuation characters, each with
//! its byte span and the kind of whitespace in front of it.
//!
//! Must not: decide what a sequence of tokens means (that is `numbers`), allocate per word,
//! or look at more than one word at a time.

use super::digits::{self, DigitAtom, Scan};

/// How a word in the number lexicon can take part in a numeral.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum OrdClass {
    Unit,
    Teen,
    Tens,
    Hundred,
    Scale,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Lex {
    Zero,
    Unit(u8),
    Teen(u8),
    Tens(u8),
    Hundred,
    Scale(f64),
    /// "hundreds", "thousands": a multiplier after a number ("five hundreds"), vague alone.
    PluralScale(f64),
    Dozen,
    A,
    And,
    Point,
    Minus,
    Half,
    Halves,
    Quarter,
    Quarters,
    Ord {
        value: f64,
        class: OrdClass,
        plural: bool,
    },
    Over,
    Out,
    Of,
    In,
    The,
    /// Words after which a lone "one" is a pronoun ("which one", "that one").
    Det,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Gap {
    None,
    Space,
    /// A paragraph break (two or more newlines): numerals never continue across it.
    Break,
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum TokKind {
    Word(Lex),
    Digits(DigitAtom),
    Punct(char),
    /// Digits that are not a number on their own (glued to letters: "180ml", "A380").
    Junk,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    pub kind: TokKind,
    pub gap: Gap,
}

impl Lex {
    pub fn is_hundred(self) -> bool {
        matches!(self, Lex::Hundred) || matches!(self, Lex::PluralScale(s) if s == 1e2)
    }
}

impl Tok {
    pub fn lex(&self) -> Option<Lex> {
        match self.kind {
            TokKind::Word(l) => Some(l),
            _ => None,
        }
    }
}

pub(crate) fn tokenize(text: &str) -> Vec<Tok> {
    let bytes = text.as_bytes();
    let mut toks = Vec::with_capacity(text.len() / 4);
    let mut i = 0;
    let mut newlines = 0;
    let mut spaced = false;
    while i < text.len() {
        let c = match text[i..].chars().next() {
            Some(c) => c,
            None => break,
        };
        let len = c.len_utf8();
        if c.is_whitespace() {
            if c == '\n' {
                newlines += 1;
            }
            spaced = true;
            i += len;
            continue;
        }
        let gap = if newlines >= 2 {
            Gap::Break
        } else if spaced {
            Gap::Space
        } else {
            Gap::None
        };
        newlines = 0;
        spaced = false;
        let starts_number = c.is_ascii_digit()
            || (c == '.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) && !(i > 0 && bytes[i - 1].is_ascii_digit()));
        if starts_number {
            let (kind, end) = match digits::scan(text, i) {
                Scan::Atom(a) => (TokKind::Digits(a), a.end),
                Scan::Reject(end) => (TokKind::Junk, end),
            };
            toks.push(Tok { start: i, end, kind, gap });
            i = end.max(i + 1);
            continue;
        }
        if let Some(atom) = digits::vulgar_fraction(c, i) {
            toks.push(Tok { start: i, end: i + len, kind: TokKind::Digits(atom), gap });
            i += len;
            continue;
        }
        if c.is_alphabetic() {
            let mut end = i + len;
            for ch in text[end..].chars() {
                if !ch.is_alphabetic() {
                    break;
                }
                end += ch.len_utf8();
            }
            let kind = TokKind::Word(lookup(&text[i..end]));
            toks.push(Tok { start: i, end, kind, gap });
            i = end;
            continue;
        }
        toks.push(Tok { start: i, end: i + len, kind: TokKind::Punct(c), gap });
        i += len;
    }
    toks
}

/// Looks a word up in the number lexicon, case-insensitively and without allocating.
pub(crate) fn lookup(word: &str) -> Lex {
    let n = word.len();
    if n > 16 || !word.is_ascii() {
        return Lex::Other;
    }
    let mut buf = [0u8; 16];
    for (d, s) in buf.iter_mut().zip(word.bytes()) {
        *d = s.to_ascii_lowercase();
    }
    let w = std::str::from_utf8(&buf[..n]).unwrap_or("");
    use Lex::*;
    let ord = |value: f64, class: OrdClass, plural: bool| Ord { value, class, plural };
    match w {
        "zero" | "nought" | "naught" => Zero,
        "one" => Unit(1),
        "two" => Unit(2),
        "three" => Unit(3),
        "four" => Unit(4),
        "five" => Unit(5),
        "six" => Unit(6),
        "seven" => Unit(7),
        "eight" => Unit(8),
        "nine" => Unit(9),
        "ten" => Teen(10),
        "eleven" => Teen(11),
        "twelve" => Teen(12),
        "thirteen" => Teen(13),
        "fourteen" => Teen(14),
        "fifteen" => Teen(15),
        "sixteen" => Teen(16),
        "seventeen" => Teen(17),
        "eighteen" => Teen(18),
        "nineteen" => Teen(19),
        "twenty" => Tens(20),
        "thirty" => Tens(30),
        "forty" | "fourty" => Tens(40),
        "fifty" => Tens(50),
        "sixty" => Tens(60),
        "seventy" => Tens(70),
        "eighty" => Tens(80),
        "ninety" => Tens(90),
        "hundred" => Hundred,
        "hundreds" => PluralScale(1e2),
        "thousand" => Scale(1e3),
        "lakh" => Scale(1e5),
        "million" => Scale(1e6),
        "crore" => Scale(1e7),
        "billion" => Scale(1e9),
        "trillion" => Scale(1e12),
        "thousands" => PluralScale(1e3),
        "lakhs" => PluralScale(1e5),
        "millions" => PluralScale(1e6),
        "crores" => PluralScale(1e7),
        "billions" => PluralScale(1e9),
        "trillions" => PluralScale(1e12),
        "dozen" | "dozens" | "dz" | "dzs" | "doz" | "dozs" => Dozen,
        "a" | "an" => A,
        "and" => And,
        "point" => Point,
        "minus" | "negative" => Minus,
        "half" => Half,
        "halves" => Halves,
        "quarter" => Quarter,
        "quarters" => Quarters,
        "over" => Over,
        "out" => Out,
        "of" => Of,
        "in" => In,
        "the" => The,
        "this" | "that" | "which" | "each" | "every" | "any" | "no" | "another" | "whichever" => Det,
        _ => ordinal_word(w).map_or(Other, |(v, c, p)| ord(v, c, p)),
    }
}

/// Ordinal words; "seconds" and "firsts" are left out on purpose: "two seconds" is a
/// duration, not the fraction 2/2.
fn ordinal_word(w: &str) -> Option<(f64, OrdClass, bool)> {
    let (stem, plural) = match w.strip_suffix('s') {
        Some(s) if s != "second" => (s, true),
        _ => (w, false),
    };
    use OrdClass::*;
    let (v, c) = match stem {
        "first" => (1.0, Unit),
        "second" => (2.0, Unit),
        "third" => (3.0, Unit),
        "fourth" => (4.0, Unit),
        "fifth" => (5.0, Unit),
        "sixth" => (6.0, Unit),
        "seventh" => (7.0, Unit),
        "eighth" => (8.0, Unit),
        "ninth" | "nineth" => (9.0, Unit),
        "tenth" => (10.0, Teen),
        "eleventh" => (11.0, Teen),
        "twelfth" => (12.0, Teen),
        "thirteenth" => (13.0, Teen),
        "fourteenth" => (14.0, Teen),
        "fifteenth" => (15.0, Teen),
        "sixteenth" => (16.0, Teen),
        "seventeenth" => (17.0, Teen),
        "eighteenth" => (18.0, Teen),
        "nineteenth" => (19.0, Teen),
        "twentieth" => (20.0, Tens),
        "thirtieth" => (30.0, Tens),
        "fortieth" => (40.0, Tens),
        "fiftieth" => (50.0, Tens),
        "sixtieth" => (60.0, Tens),
        "seventieth" => (70.0, Tens),
        "eightieth" => (80.0, Tens),
        "ninetieth" => (90.0, Tens),
        "hundredth" => (1e2, Hundred),
        "thousandth" => (1e3, Scale),
        "millionth" => (1e6, Scale),
        "billionth" => (1e9, Scale),
        "trillionth" => (1e12, Scale),
        _ => return None,
    };
    Some((v, c, plural))
}
