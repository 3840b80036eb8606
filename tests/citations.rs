//! Citation checks over fixtures: a small corpus and a note inline, expected ranges marked.

mod common;

use common::fixture::{assert_findings, Fixture};
use noteproof::analysis::checks::findings::Place;
use noteproof::analysis::ide::definition;
use noteproof::analysis::ide::hover;

fn check(fixture: &str) {
    assert_findings(&Fixture::parse(fixture), &["unknown-source", "ambiguous-source"]);
}

const CORPUS: &str = "
    //- /seeds/003_0374629e18bf1a2b.txt
     date 2024-03-27 MOSCOW - Russia sought to shift blame, despite the massacre of at least 139 people.

    The Kremlin’s security services have been scrambling to explain how gunmen managed to carry out the attack.
    //- /seeds/010_aaa.txt
    Flood in Narvik

    The river rose 2.5 metres.
    //- /seeds/010_bbb.txt
    Fire in Bergen

    The fire burned for three days.
    //- /seeds/flood.md
    ---
    id: narvik-flood
    outlet: NRK
    ---
    Flood report

    Water everywhere.
";

#[test]
fn resolvable_citations_in_every_form_are_silent() {
    check(&format!(
        "{CORPUS}
        //- /notes/brief.md
        Massacre of 139 [@003]. Full stem [@003_0374629e18bf1a2b]. Front matter [@narvik-flood].
        Grouped [see @003, p. 2; @010_aaa]. Bare @003 too. [The article](../seeds/003_0374629e18bf1a2b.txt#L3).
        Footnote[^1].

        [^1]: From [@flood].
        "
    ));
}

#[test]
fn unknown_and_ambiguous_keys_are_errors_at_the_key() {
    check(&format!(
        "{CORPUS}
        //- /notes/brief.md
        Toll [@999] and “quoted” [@010] and [@003; @nope].
               ^^^ unknown-source: `@999` names no article
                                   ^^^ ambiguous-source: `@010` could be any of 2 articles: [@010_aaa] or [@010_bbb]
                                                    ^^^^ unknown-source
        "
    ));
}

#[test]
fn links_to_missing_corpus_files_are_unknown_but_links_to_other_notes_are_not_citations() {
    check(&format!(
        "{CORPUS}
        //- /notes/brief.md
        See [gone](../seeds/gone.txt) and [other note](other.md).
            ^^^^^^^^^^^^^^^^^^^^^^^^^ unknown-source: gone.txt
        "
    ));
}

#[test]
fn bare_mentions_that_look_nothing_like_keys_are_not_reported() {
    check(&format!(
        "{CORPUS}
        //- /notes/brief.md
        Thanks to @elonmusk and mail me@example.org; but @0033 is a typo.
                                                          ^^^^ unknown-source: `@0033` names no article in the corpus; did you mean 27 Mar 2024 [@003]?
        "
    ));
}

#[test]
fn hover_on_a_key_quotes_the_best_matching_sentence() {
    let fixture = Fixture::parse(&format!(
        "{CORPUS}
        //- /notes/brief.md
        Gunmen managed the attack, security services said [@0$003].
        "
    ));
    let found = hover::hover(&fixture.corpus, &fixture.note, fixture.cursor()).unwrap();
    assert_eq!(fixture.note_text(&found.range), "003");
    // The source's label and file, its title, then the sentences closest to the note's, each with
    // a link to its line: short enough for an 80-column float.
    assert_eq!(
        found.markdown,
        [
            "**27 Mar 2024 `[@003]`** · *MOSCOW - Russia sought to shift blame, despite the",
            "massacre of at least 139…*",
            "",
            "[seeds/003_0374629e18bf1a2b.txt](file:///w/seeds/003_0374629e18bf1a2b.txt)",
            "",
            "> The Kremlin’s security services have been scrambling to explain how gunmen",
            "> managed to carry out the attack.",
            "> [line 3](file:///w/seeds/003_0374629e18bf1a2b.txt#L3)",
        ]
        .join("\n")
    );
}

#[test]
fn definition_of_a_line_link_is_that_line() {
    let fixture = Fixture::parse(&format!(
        "{CORPUS}
        //- /notes/brief.md
        [The a$0rticle](../seeds/003_0374629e18bf1a2b.txt#L3).
        "
    ));
    let targets = definition::definition(&fixture.corpus, &fixture.note, fixture.cursor());
    let [Place::Article { article, range }] = targets.as_slice() else { panic!("{targets:?}") };
    let article = fixture.corpus.article(*article).unwrap();
    assert!(article.text[range.clone()].starts_with("The Kremlin’s security services"));
}
