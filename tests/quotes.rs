//! Quotation verdicts over the bundled seeds: every quotation is checked
//! against the sources, modulo typography and never modulo wording.

mod common;

use common::fixture::{assert_findings, Fixture};
use noteproof::analysis::checks::diagnostics;
use noteproof::analysis::checks::findings::{Place, Severity};
use noteproof::analysis::ide::actions;
use noteproof::analysis::ide::definition;
use noteproof::analysis::ide::hover;

const QUOTE_CODES: &[&str] = &["quote-wrong-source", "quote-not-found", "quote-uncited"];

fn check(note: &str) {
    assert_findings(&Fixture::with_seeds(note), QUOTE_CODES);
}

#[test]
fn quotations_found_in_the_cited_article_are_silent() {
    check(
        r#"
        //- /notes/brief.md
        Putin accused Washington of “blackmail” [@001]. Zakharova used the "scarecrow" of ISIS [@004].
        Bortnikov said the terrorists had “clear instructions to move toward the Ukrainian border” [@002].
        He said "we believe the action was prepared both by the radical Islamists themselves" [@003].
        "#,
    );
}

#[test]
fn typography_line_breaks_and_first_letter_case_do_not_matter() {
    check(
        r#"
        //- /notes/brief.md
        He said a "'window' had been
        prepared for them" [@001] and that “Ukrainian military intelligence is directly implicated in the attack” [@001].
        "#,
    );
}

#[test]
fn ellipses_and_bracketed_insertions() {
    check(
        r#"
        //- /notes/brief.md
        Bortnikov said “preparations, the financing, the attack … were coordinated via the internet” [@001].
        He named “members of Khorasan Province [ISIS-K]” [@001] and “the retreat of the terrorists [...] by members of Khorasan Province” [@002].
        "#,
    );
}

#[test]
fn brackets_the_source_itself_holds_are_quoted_words() {
    // CNN/Daily Mail copy brackets text of its own; a note that copies it verbatim is right.
    check(
        r#"
        //- /seeds/901_cnn.txt
        Toxin builds up in the food chain

        LONDON, England (CNN) — The study found that the compound “accumulates in animals [such as mammals, fish and birds] — and, eventually, in the people who eat them,” its authors wrote.
        //- /notes/brief.md
        The authors wrote that it “accumulates in animals [such as mammals, fish and birds] — and, eventually, in the people who eat them” [@901].
        They warn of harm to “…animals [such as mammals, fish and birds] …” [@901] and to “the people who eat them” [@901].
        It builds up “in animals [such as mammals, fish and birds]” [@901] — the brackets are the source’s.
        It builds up “in animals [such as mammals, reptiles and birds] — and, eventually, in the people” [@901].
                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ quote-not-found: closest passage
        "#,
    );
}

#[test]
fn an_editorial_insertion_still_stands_for_the_source_words() {
    check(
        r#"
        //- /seeds/902_wire.txt
        Kremlin vows response

        MOSCOW — “We will not leave this without an answer,” he said on Tuesday, as Putin said the strikes “would go on for as long as needed.”
        //- /notes/brief.md
        “[Putin] said on Tuesday” [@902] that “[the strikes] would go on for as long as needed” [@902].
        “He [Putin] said on Tuesday” that there would be an answer [@902].
        “He [the Russian president] said on Tuesday” [@902].
        “[Putin] said the strikes” [@902], in the source’s own words.
        He “[Putin] said on Thursday” [@902].
           ^^^^^^^^^^^^^^^^^^^^^^^^^^ quote-not-found
        "#,
    );
}

#[test]
fn definition_of_a_quotation_with_the_sources_brackets_spans_them() {
    let fixture = Fixture::with_seeds(
        r#"
        //- /seeds/901_cnn.txt
        Toxin builds up in the food chain

        LONDON, England (CNN) — The compound “accumulates in animals [such as mammals, fish and birds] — and in people.”
        //- /notes/brief.md
        It “accumulates $0in animals [such as mammals, fish and birds] — and in people” [@901].
        "#,
    );
    let targets = definition::definition(&fixture.corpus, &fixture.note, fixture.cursor());
    let found: Vec<&str> = targets
        .iter()
        .map(|t| {
            let Place::Article { article, range } = t else { panic!() };
            &fixture.corpus.article(*article).unwrap().text[range.clone()]
        })
        .collect();
    assert_eq!(found, ["accumulates in animals [such as mammals, fish and birds] — and in people"]);
    let shown = hover::hover(&fixture.corpus, &fixture.note, fixture.cursor()).unwrap().markdown;
    // The source's own brackets are shown as they are, without markdown escapes.
    assert_eq!(
        shown,
        [
            "**Quoted from 1 source**",
            "",
            "> LONDON, England (CNN) — The compound “accumulates in animals",
            "> [such as mammals, fish and birds] — and in people.” — CNN `[@901]` (cited),",
            "> [line 3](file:///w/seeds/901_cnn.txt#L3)",
        ]
        .join("\n")
    );
}

#[test]
fn a_quotation_from_another_article_names_where_it_is() {
    check(
        r#"
        //- /notes/brief.md
        Bortnikov said “we believe the action was prepared both by the radical Islamists themselves” [@000].
                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ quote-wrong-source: The cited source, Agencies [@000], does not contain “we believe the action was prepared both by the radical…”; it is in 27 Mar 2024 [@003]
        "#,
    );
}

#[test]
fn the_wrong_source_fix_cites_the_one_that_has_it() {
    let fixture = Fixture::with_seeds(
        r#"
        //- /notes/brief.md
        Bortnikov said “we believe the action was prepared both by the radical Islamists themselves” [@000].
        "#,
    );
    let finding = diagnostics::check_note(&fixture.corpus, &fixture.note).into_iter().find(|f| f.code.name() == "quote-wrong-source").unwrap();
    assert_eq!(finding.fixes[0].title, "Cite [@003] instead");
    assert_eq!(
        fixture.after_fix(&finding.fixes[0]).trim_end(),
        "Bortnikov said “we believe the action was prepared both by the radical Islamists themselves” [@003]."
    );
}

#[test]
fn a_changed_word_is_not_found_and_the_closest_passage_and_variant_are_named() {
    let fixture = Fixture::with_seeds(
        r#"
        //- /notes/brief.md
        Bortnikov said “the terrorists received clear orders to move toward the Ukrainian border” [@001].
                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ quote-not-found: The cited source, AFP [@001], does not contain “the terrorists received clear orders to move toward the…”; the closest passage is “the terrorists received clear instructions to move toward the Ukrainian border” in AFP [@001], 91% alike
        "#,
    );
    assert_findings(&fixture, QUOTE_CODES);
    let finding = diagnostics::check_note(&fixture.corpus, &fixture.note).into_iter().find(|f| f.code.name() == "quote-not-found").unwrap();
    assert_eq!(finding.severity, Severity::Warning);
    assert!(finding.message.contains("91% alike"), "one word of eleven differs: {}", finding.message);
    let fix = &finding.fixes[0];
    assert_eq!(fix.edits[0].new_text, "the terrorists received clear instructions to move toward the Ukrainian border");
}

#[test]
fn the_exact_words_fix_keeps_the_notes_line_breaks() {
    let fixture = Fixture::with_seeds(
        "
        //- /notes/brief.md
        Bortnikov said “the terrorists received clear orders to move
        toward the Ukrainian border” [@001].
        ",
    );
    let finding = diagnostics::check_note(&fixture.corpus, &fixture.note).into_iter().find(|f| f.code.name() == "quote-not-found").unwrap();
    let fix = &finding.fixes[0];
    assert_eq!(fix.title, "Quote the exact words of [@001]");
    assert_eq!(
        fixture.after_fix(fix).trim_end(),
        "Bortnikov said “the terrorists received clear instructions to move\ntoward the Ukrainian border” [@001]."
    );
}

#[test]
fn another_outlets_rendering_of_the_same_statement_is_named_as_a_variant() {
    // 000 and 003 carry two translations of Bortnikov's remark; the note quotes 000's, slightly off, citing 003.
    let fixture = Fixture::with_seeds(
        r#"
        //- /notes/brief.md
        Bortnikov: “we believe that the action was prepared by Islamic extremists and of course facilitated by Western intelligence services” [@003].
        "#,
    );
    let finding = diagnostics::check_note(&fixture.corpus, &fixture.note).into_iter().find(|f| f.code.name() == "quote-not-found").unwrap();
    assert!(finding.message.starts_with("The cited source, 27 Mar 2024 [@003], does not contain"), "{}", finding.message);
    assert!(finding.message.ends_with("; a close variant is “We believe that the action was prepared by Islamic extremists and of course was…” in Agencies [@000], 95% alike"), "{}", finding.message);
    assert!(finding.related.iter().any(|r| r.message == "a close variant in another outlet"));
}

#[test]
fn found_but_uncited_is_a_hint_with_a_fix_that_adds_the_citation() {
    let fixture = Fixture::with_seeds(
        r#"
        //- /notes/brief.md
        Bortnikov said the attack was planned “via the internet by members of Khorasan Province”.
                                              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ quote-uncited: “via the internet by members of Khorasan Province” is from 24 May 2024 [@002] and AFP [@001], but this sentence cites no source
        "#,
    );
    assert_findings(&fixture, QUOTE_CODES);
    let finding = &diagnostics::check_note(&fixture.corpus, &fixture.note)[0];
    assert_eq!(finding.severity, Severity::Hint);
    assert_eq!(finding.fixes[0].title, "Cite [@002]");
    assert_eq!(
        fixture.after_fix(&finding.fixes[0]).trim_end(),
        "Bortnikov said the attack was planned “via the internet by members of Khorasan Province” [@002]."
    );
}

#[test]
fn one_and_two_word_quotations_not_found_are_hints_only() {
    let fixture = Fixture::with_seeds(
        r#"
        //- /notes/brief.md
        Officials called the claims “absurd nonsense” and “blackmail” [@001].
                                    ^^^^^^^^^^^^^^^^^ quote-not-found
        "#,
    );
    assert_findings(&fixture, QUOTE_CODES);
    assert_eq!(diagnostics::check_note(&fixture.corpus, &fixture.note)[0].severity, Severity::Hint);
}

#[test]
fn quotations_with_non_ascii_letters() {
    check(
        r#"
        //- /seeds/900_fr.txt
        Réaction à Paris

        Le ministre a déclaré : « Ça n’a aucun sens », selon l’AFP.
        //- /notes/brief.md
        Le ministre a jugé que “ça n'a aucun sens” [@900]. Il a ajouté “ça n’a aucune logique” [@900].
                                                                       ^^^^^^^^^^^^^^^^^^^^^^^ quote-not-found
        "#,
    );
}

#[test]
fn blockquotes_next_to_a_citation_are_checked() {
    check(
        r#"
        //- /notes/brief.md
        > The investigation continues, but it can already be said with certainty
        > that Ukrainian military intelligence is directly implicated in the attack

        — Bortnikov [@001]

        > The investigation is over, and it can be said with certainty that Kyiv did it [@002]
          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ quote-not-found
        "#,
    );
}

#[test]
fn hover_on_a_quotation_lists_the_articles_that_carry_it_cited_first() {
    let fixture = Fixture::with_seeds(
        r#"
        //- /notes/brief.md
        Bortnikov said “upon completing the attack, the $0terrorists received clear instructions” [@002].
        "#,
    );
    let found = hover::hover(&fixture.corpus, &fixture.note, fixture.cursor()).unwrap();
    // Each source once, the cited first; a long sentence shows the words around the quotation.
    assert_eq!(
        found.markdown,
        [
            "**Quoted in 2 sources**, the cited first, then the earliest",
            "",
            "> …statements on Friday, for which it has not provided evidence, saying that",
            "> “upon completing the attack, the terrorists received clear instructions to",
            "> move toward the Ukrainian border, where from the other side a ‘window’… — 24",
            "> May 2024 `[@002]` (cited),",
            "> [line 9](file:///w/seeds/002_768581a09abd6eab.txt#L9)",
            "",
            "> …not discard the Ukrainian angle in his statements on Friday, saying that",
            "> “upon completing the attack, the terrorists received clear instructions to",
            "> move toward the Ukrainian border, where from the other side a ‘window’… —",
            "> AFP `[@001]`,",
            "> [line 6](file:///w/seeds/001_76ee82237eabb591.txt#L6)",
        ]
        .join("\n")
    );
}

#[test]
fn definition_of_a_quotation_is_its_exact_span_in_every_article_earliest_first() {
    let fixture = Fixture::with_seeds(
        r#"
        //- /notes/brief.md
        Putin accused Washington of “black$0mail” [@001].
        "#,
    );
    let targets = definition::definition(&fixture.corpus, &fixture.note, fixture.cursor());
    let found: Vec<(String, String)> = targets
        .iter()
        .map(|t| {
            let Place::Article { article, range } = t else { panic!() };
            let article = fixture.corpus.article(*article).unwrap();
            (article.key.clone(), article.text[range.clone()].to_string())
        })
        .collect();
    // 002 is dated (24 May 2024); 001 is undated and comes last.
    assert_eq!(
        found,
        [("002_768581a09abd6eab".to_string(), "blackmail".to_string()), ("001_76ee82237eabb591".to_string(), "blackmail".to_string())]
    );
}

#[test]
fn an_uncited_sentence_with_strong_support_offers_to_cite_it() {
    let fixture = Fixture::with_seeds(
        r#"
        //- /notes/brief.md
        Russian authorities confirmed 139 people dead, including three children and 182 $0injured.
        "#,
    );
    let findings = diagnostics::check_note(&fixture.corpus, &fixture.note);
    let offered = actions::actions(&fixture.corpus, &fixture.note, &findings, fixture.cursor()..fixture.cursor());
    let titles: Vec<&str> = offered.iter().map(|(_, fix)| fix.title.as_str()).collect();
    assert_eq!(titles.first(), Some(&"Cite [@004]"), "{titles:?}");
}
