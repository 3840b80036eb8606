//! The README's table of diagnostic codes is what users go by: it must list exactly the codes the
//! checks report, at the severities they are reported at.

mod common;

use std::collections::BTreeMap;

use common::fixture::Fixture;
use noteproof::analysis::checks::diagnostics;
use noteproof::analysis::checks::findings::{Code, SCARE_QUOTE_WORDS};
use noteproof::analysis::checks::quotes::quote_text;

/// `code → severity` cells of the README's `| code | severity | meaning |` table.
fn readme_table() -> Vec<(String, String)> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let (_, table) = readme.split_once("| code | severity | meaning |").expect("README.md has a `| code | severity | meaning |` table");
    table
        .lines()
        .skip(2) // the rest of the header line, and the `| --- |` line
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            (cells[1].trim_matches('`').to_string(), cells[2].to_string())
        })
        .collect()
}

/// The severity cell the README should have for `code`.
fn documented_severity(code: Code) -> String {
    let (usual, scare) = (code.severity(), code.scare_quote_severity());
    if usual == scare {
        return usual.name().to_string();
    }
    let words = match SCARE_QUOTE_WORDS {
        1 => "one word",
        2 => "one or two words",
        n => panic!("say in the README and here how quotations of up to {n} words are reported"),
    };
    format!("{} ({} for a quotation of {words})", usual.name(), scare.name())
}

#[test]
fn the_readme_lists_every_code_at_the_severity_it_is_reported_at() {
    let documented = readme_table();
    let mut problems = Vec::new();
    for code in Code::ALL {
        match documented.iter().filter(|(name, _)| name == code.name()).collect::<Vec<_>>()[..] {
            [] => problems.push(format!("`{}` is reported but not in the README's table", code.name())),
            [(_, severity)] if *severity != documented_severity(*code) => problems.push(format!(
                "`{}`: the README says `{severity}`, the checks report `{}`",
                code.name(),
                documented_severity(*code)
            )),
            [_] => {}
            _ => problems.push(format!("`{}` has more than one row", code.name())),
        }
    }
    for (name, _) in &documented {
        if !Code::ALL.iter().any(|code| code.name() == name) {
            problems.push(format!("`{name}` is in the README's table but no check reports it"));
        }
    }
    assert!(problems.is_empty(), "README.md, Diagnostic codes:\n{}", problems.join("\n"));
}

#[test]
fn every_code_is_reported_at_its_severity() {
    let fixture = Fixture::with_seeds(
        r#"
        //- /seeds/010_aaa.txt
        Flood in Narvik

        The river rose 2.5 metres.
        //- /seeds/010_bbb.txt
        Fire in Bergen

        The fire burned for three days.
        //- /seeds/011_review.pdf
        Review of the fire

        The crews arrived at dawn.
        <<page>>
        The chief said the warehouse was “a tinderbox waiting for a spark” that night.
        //- /notes/brief.md
        The toll [@999] and the flood [@010].
        Bortnikov said “we believe the action was prepared both by the radical Islamists themselves” [@000].
        Ukraine’s “denial” is cited [@004].
        Bortnikov said “the terrorists received clear orders to move toward the Ukrainian border” [@001].
        Officials called the claims “absurd nonsense” [@001].
        Bortnikov said the attack was planned “via the internet by members of Khorasan Province”.
        The assault killed 150 people.
        Three people were injured in the stampede [@003].
        The chief called it “a tinderbox waiting for a spark” [@011, p. 1].
        "#,
    );
    let note = &fixture.note;
    let mut reported: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for finding in diagnostics::check_note(&fixture.corpus, note) {
        let expected = match note.quotes.iter().find(|q| q.span == finding.range) {
            Some(quote) => finding.code.quote_severity(quote_text(note, quote).word_count()),
            None => finding.code.severity(),
        };
        assert_eq!(finding.severity, expected, "{finding:#?}");
        reported.entry(finding.code.name()).or_default().push(finding.severity.name());
    }
    let mut all: Vec<&str> = Code::ALL.iter().map(|code| code.name()).collect();
    all.sort_unstable();
    assert_eq!(reported.keys().copied().collect::<Vec<_>>(), all, "the note should draw every code: {reported:?}");
    for code in Code::ALL.iter().filter(|code| code.severity() != code.scare_quote_severity()) {
        let both = [code.severity().name(), code.scare_quote_severity().name()];
        assert!(
            both.iter().all(|s| reported[code.name()].contains(s)),
            "`{}` should be seen at both severities: {reported:?}",
            code.name()
        );
    }
}
