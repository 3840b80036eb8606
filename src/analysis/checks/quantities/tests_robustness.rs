//! Robustness tests: the reader never panics and its spans are always valid, on a few
//! thousand pseudo-random strings over an alphabet rich in numerals, qualifier words and
//! multibyte characters; plus byte-span checks around curly quotes, dashes and NBSP.
//!
//! Must not: depend on crates beyond the library's own, or on wall-clock time.

use super::*;

/// xorshift64*: tiny, deterministic, good enough to shuffle test inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const PIECES: &[&str] = &[
    "0",
    "1",
    "7",
    "12",
    "139",
    "2024",
    "1,200",
    "1 234",
    "2.5",
    ".5",
    "3/4",
    "1e10",
    "10k",
    "£",
    "$",
    "€",
    "%",
    "-",
    "–",
    "—",
    "~",
    "<",
    ">",
    "=",
    "/",
    ":",
    ".",
    ",",
    " ",
    " ",
    " ",
    "\u{a0}",
    "\u{202f}",
    "\n",
    "\n\n",
    "“",
    "”",
    "’",
    "'",
    "(",
    ")",
    "+",
    "^",
    "x10^",
    "e",
    "one",
    "two",
    "twenty",
    "hundred",
    "thousand",
    "million",
    "and",
    "a",
    "an",
    "half",
    "quarter",
    "thirds",
    "fifth",
    "first",
    "second",
    "dozen",
    "dozens",
    "hundreds",
    "of",
    "over",
    "out",
    "in",
    "point",
    "minus",
    "more than",
    "less than",
    "at least",
    "up to",
    "between",
    "from",
    "to",
    "or more",
    "or equal",
    "nearly",
    "about",
    "percent",
    "per cent",
    "years",
    "decades",
    "a week",
    "March",
    "May",
    "Tuesday",
    "last",
    "next",
    "the",
    "1980s",
    "10:30",
    "9 pm",
    "st",
    "th",
    "ml",
    "é",
    "ß",
    "😀",
    "中",
    "Ω",
    "\u{301}",
    "http://x.io/5",
    "k",
    "M",
    "bn",
];

fn check_spans(text: &str, spans: &[(std::ops::Range<usize>, std::ops::Range<usize>)]) {
    let mut last_end = 0;
    for (span, value_span) in spans {
        assert!(span.start <= span.end && span.end <= text.len(), "span {span:?} out of bounds in {text:?}");
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end), "span {span:?} splits a char in {text:?}");
        assert!(value_span.start <= value_span.end && value_span.end <= text.len(), "value span {value_span:?} in {text:?}");
        assert!(
            text.is_char_boundary(value_span.start) && text.is_char_boundary(value_span.end),
            "value span {value_span:?} splits a char in {text:?}"
        );
        assert!(span.start <= value_span.start && value_span.end <= span.end, "value span {value_span:?} outside {span:?} in {text:?}");
        assert!(span.start >= last_end, "overlap at {span:?} in {text:?}");
        last_end = span.end;
    }
}

#[test]
fn never_panics_and_spans_are_valid_on_random_text() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let ctx = ReadContext { reference_date: Some(CalendarDate { year: Some(2024), month: 3, day: Some(27) }) };
    for round in 0..3000 {
        let n = 1 + (rng.next() % 40) as usize;
        let mut text = String::new();
        for _ in 0..n {
            text.push_str(rng.pick(PIECES));
            if rng.next().is_multiple_of(3) {
                text.push(' ');
            }
        }
        let context = if round % 2 == 0 { ctx } else { ReadContext::default() };
        let q: Vec<_> = read_quantities(&text, &context).into_iter().map(|q| (q.span, q.value_span)).collect();
        check_spans(&text, &q);
        let n: Vec<_> = find_numbers(&text).into_iter().map(|m| (m.span.clone(), m.span)).collect();
        check_spans(&text, &n);
        let r: Vec<_> = read_number_ranges(&text).into_iter().map(|r| (r.quantity.span, r.quantity.value_span)).collect();
        check_spans(&text, &r);
        let o: Vec<_> = read_ordinals(&text).into_iter().map(|o| (o.span.clone(), o.span)).collect();
        check_spans(&text, &o);
    }
}

#[test]
fn never_panics_on_pathological_input() {
    let long_digits = "9".repeat(5000);
    let long_words = "one hundred and ".repeat(2000);
    let separators = "1,".repeat(3000);
    let dots = "1.".repeat(3000);
    let spaces = "1 000 ".repeat(2000);
    let signs = "- ".repeat(3000) + "5";
    let weird = "\u{feff}\u{200b}½⅔ 1½ ２０２４ ٣ 5\u{301}0 🎉3🎉";
    for text in [&long_digits, &long_words, &separators, &dots, &spaces, &signs, &weird.to_string(), &String::new()] {
        let q: Vec<_> = read_quantities(text, &ReadContext::default()).into_iter().map(|q| (q.span, q.value_span)).collect();
        check_spans(text, &q);
    }
}

/// (text, expected spans as substrings of the text and their byte starts).
#[test]
fn byte_spans_around_typographic_characters() {
    let cases: &[(&str, &[&str])] = &[
        ("“over 140”—people", &["over 140"]),
        ("‘about 139’ – died", &["about 139"]),
        ("killed\u{a0}182\u{a0}people", &["182"]),
        ("toll: 40\u{202f}000 — roughly", &["40\u{202f}000"]),
        ("the “more than a dozen” raids", &["more than a dozen"]),
        ("é 3 ß — twenty-one “eighth”", &["3", "twenty-one", "eighth"]),
        ("price €5 million…and 40 %", &["€5 million", "40 %"]),
        ("«between 130 and 140»", &["between 130 and 140"]),
    ];
    for (text, want) in cases {
        let got = read_quantities(text, &ReadContext::default());
        let got_text: Vec<&str> = got.iter().map(|q| &text[q.span.clone()]).collect();
        assert_eq!(&got_text, want, "in {text:?}");
        let mut from = 0;
        for (q, w) in got.iter().zip(want.iter()) {
            let at = text[from..].find(w).map(|p| p + from).expect("expected text present");
            assert_eq!(q.span, at..at + w.len(), "byte span of {w:?} in {text:?}");
            from = q.span.end;
        }
    }
}
