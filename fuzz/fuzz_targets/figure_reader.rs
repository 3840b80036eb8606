//! The quantity reader and the measure of every figure, on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use noteproof::analysis::checks::figures::{extract, lexicon::Lexicon};
use noteproof::analysis::checks::quantities::{read_quantities, CalendarDate, ReadContext};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let context = ReadContext { reference_date: Some(CalendarDate { year: Some(2024), month: 3, day: Some(27) }) };
    for quantity in read_quantities(&text, &context) {
        assert!(text.is_char_boundary(quantity.span.start) && text.is_char_boundary(quantity.span.end));
        assert!(quantity.span.start <= quantity.value_span.start && quantity.value_span.end <= quantity.span.end);
    }
    let _ = extract(&text, [(0, 0..text.len())], None, &Lexicon::default(), &[]);
});
