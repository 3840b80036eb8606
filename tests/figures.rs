//! Figure checks over the bundled seeds: the examples, and what hover,
//! definition, fixes and the fact sheet say.

mod common;

use common::fixture::{assert_findings, Fixture};
use noteproof::analysis::checks::diagnostics;
use noteproof::analysis::checks::figures::facts::fact_sheet;
use noteproof::analysis::checks::findings::{Place, Severity};
use noteproof::analysis::ide::definition;
use noteproof::analysis::ide::hover;

const FIGURE_CODES: &[&str] = &["figure-contradiction", "figure-unsupported"];

fn check(note: &str) {
    assert_findings(&Fixture::with_seeds(note), FIGURE_CODES);
}

#[test]
fn the_examples_over_the_seeds() {
    check(
        "
        //- /notes/brief.md
        # Crocus City Hall attack

        The assault killed 150 people.
                           ^^^ figure-contradiction: note: 150 killed; sources: at least 139 (@003, 27 Mar), more than 140 (@002, 24 May)

        139 people died [@001].
        ^^^ figure-contradiction: @001: over 140 (AFP, undated)

        About 140 people died [@001].

        The death toll stood at 139, with 182 wounded [@004].

        Investigators said 182 people died.
                           ^^^ figure-contradiction: (182 is the number injured)

        Seven children were killed [@004].
        ^^^^^ figure-contradiction: note: Seven (killed: children); @004: three

        The FSB detained eleven people [@000].

        The FSB detained 14 people [@000].
                         ^^ figure-contradiction: @000: 11 (Agencies, undated)

        Two suspects were arrested [@001].
        ^^^ figure-contradiction: More than a dozen

        The attack took place on March 24 [@001].
                                 ^^^^^^^^ figure-contradiction: March 22

        It was Russia’s deadliest attack in five decades [@001].
                                            ^^^^ figure-contradiction: two decades
        ",
    );
}

#[test]
fn look_alikes_are_never_compared() {
    check(
        "
        //- /notes/brief.md
        # Crocus City Hall attack

        ## 2. Timeline

        1. First item
        2. Second item, in 2024, at 10:30, see page 4 [@003].

        The 1980s were different [@000]. It came two years into the offensive [@003].

        An eighth person was remanded [@004]. Russia arrested three other people [@002].

        She said “the attack killed 150 people” [@000], which no source says.
        ",
    );
}

#[test]
fn a_cited_article_that_says_nothing_about_the_measure() {
    check(
        "
        //- /notes/brief.md
        Three people were injured in the stampede [@003].
        ^^^^^ figure-unsupported: @003 says nothing about “injured”
        ",
    );
}

#[test]
fn figures_from_another_event_are_not_compared_with_this_one() {
    check(
        "
        //- /seeds/101_aaaaaaaaaaaaaaaa.txt
         date 2024-06-02 Flood in Narvik leaves 12 dead

        Floodwaters in Narvik killed 12 people and forced 3,000 residents from their homes, officials said.
        //- /notes/brief.md
        # Narvik flood

        The flood killed 12 people in Narvik. The water later killed 30 people.
                                                                     ^^ figure-contradiction: @101
        ",
    );
}

#[test]
fn fixes_offer_each_sourced_value_and_a_supporting_citation() {
    let fixture = Fixture::with_seeds(
        "
        //- /notes/brief.md
        # Crocus City Hall attack

        139 people died at Crocus City Hall [@001].
        ",
    );
    let finding =
        diagnostics::check_note(&fixture.corpus, &fixture.note).into_iter().find(|f| f.code.name() == "figure-contradiction").unwrap();
    assert_eq!(finding.severity, Severity::Warning);
    let titles: Vec<&str> = finding.fixes.iter().map(|f| f.title.as_str()).collect();
    assert_eq!(titles[0], "Replace with “over 140” (@001)");
    assert!(titles.iter().any(|t| t.starts_with("Cite [@0") && t.ends_with(", which says 139")), "{titles:?}");
    assert_eq!(finding.fixes[0].edits[0].new_text, "over 140");
    assert_eq!(fixture.note_text(&finding.fixes[0].edits[0].range), "139");
    assert!(finding.related.iter().all(|r| matches!(r.place, Place::Article { .. })));
}

#[test]
fn hover_on_a_figure_tabulates_what_each_source_says_oldest_first() {
    let fixture = Fixture::with_seeds(
        "
        //- /notes/brief.md
        # Crocus City Hall attack

        The assault killed 1$050 people [@002].
        ",
    );
    let found = hover::hover(&fixture.corpus, &fixture.note, fixture.cursor()).unwrap();
    assert_eq!(fixture.note_text(&found.range), "150");
    assert!(found.markdown.starts_with("**150** — counts: *killed*"), "{}", found.markdown);
    let first = found.markdown.find("| ★ | more than 140 ✗ |").expect(&found.markdown);
    assert!(found.markdown.contains("2024-05-24"), "{}", found.markdown);
    assert!(first > 0);
}

#[test]
fn definition_of_a_figure_leads_to_the_sentences_that_state_it() {
    let fixture = Fixture::with_seeds(
        "
        //- /notes/brief.md
        182 people were inj$0ured [@000].
        ",
    );
    // The cursor is on the predicate, not the figure: that is evidence for the sentence.
    let on_sentence = definition::definition(&fixture.corpus, &fixture.note, fixture.cursor());
    assert_eq!(on_sentence.len(), 1);
    let fixture = Fixture::with_seeds(
        "
        //- /notes/brief.md
        18$02 people were injured [@000].
        ",
    );
    let targets = definition::definition(&fixture.corpus, &fixture.note, fixture.cursor());
    let Place::Article { article, range } = &targets[0] else { panic!() };
    let article = fixture.corpus.article(*article).unwrap();
    assert_eq!(article.key, "000_e88b43032ae58550");
    assert_eq!(&article.text[range.clone()], "182");
}

#[test]
fn the_fact_sheet_groups_by_measure_in_date_order() {
    let fixture = Fixture::with_seeds("//- /notes/n.md\nx\n");
    let rows = fact_sheet(&fixture.corpus);
    let killed: Vec<(&str, &str)> =
        rows.iter().filter(|r| r.measure == "killed").map(|r| (r.figure.as_str(), r.article.as_str())).collect();
    // Dated articles first (003: 27 Mar, 002: 24 May), then undated ones by key.
    assert_eq!(killed.first(), Some(&("at least 139", "003")));
    assert!(killed.iter().position(|r| r.1 == "002").unwrap() < killed.iter().position(|r| r.1 == "000").unwrap());
    assert!(rows.iter().any(|r| r.measure == "injured" && r.figure == "182"));
    assert!(rows.iter().any(|r| r.measure == "date of attack" && r.figure == "March 22"));
    let measures: Vec<&str> = rows.iter().map(|r| r.measure.as_str()).collect();
    let mut sorted = measures.clone();
    sorted.dedup();
    let mut unique = sorted.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(sorted.len(), unique.len(), "each measure is one group: {measures:?}");
}

#[test]
fn the_same_slot_beyond_the_lexicon_ages_of_named_people() {
    check(
        "
        //- /seeds/300_court.txt
         date 2024-02-10 Driver jailed

        A driver who killed Abbie, 12, and Kerry, 13, was jailed on Friday.
        //- /notes/brief.md
        # Driver jailed

        Abbie, 17, and Kerry, 13, were targeted.
               ^^ figure-contradiction: age of Abbie
        ",
    );
}

/// Figures of any domain, paired with the source figure that plays the same role: money per unit,
/// percentages, durations, counts of any noun, dates and weekdays of undated copy. The notes are
/// written for this test; the sources imitate court, business, sport and sales copy.
#[test]
fn figures_of_any_domain_are_paired_by_role() {
    check(
        "
        //- /seeds/court.txt
        Sentencing in Leeds

        Daniel Marsh, 34, was sentenced Friday to 18 years in state prison for the robbery of a jewellery shop.

        //- /seeds/company.txt
        Quarterly results

        The board said the company would raise its quarterly dividend to $1.13 per share, up from $1.11.
        Revenue grew 12% to €4.2 billion, while the workforce stayed at 3,400 employees.

        //- /seeds/club.txt
        Transfer news

        Jordan Miles has signed a new five-year contract with the club, worth £90,000 a week.
        The winger joined in June 2019 from Rovers.

        //- /seeds/offer.txt
        Spring offer

        New customers get a 15% discount on the Pro plan, which costs $49 per month after the trial.
        The offer ends on Friday.

        //- /notes/brief.md
        # Brief

        Marsh was sentenced to 20 years in prison [@court].
                               ^^ figure-contradiction: note: “Marsh was sentenced to 20 years in prison”; @court: “…was sentenced Friday to 18 years in state prison for…”

        The company is increasing its dividend to $1.15 per share [@company].
                                                   ^^^^ figure-contradiction: @company: “…its quarterly dividend to $1.13 per share, up from…”

        Revenue grew 12% to €4.2 billion [@company].

        The workforce stayed at 3,400 employees [@company].

        Miles signed a new five-year contract [@club].

        Miles signed a new three-year contract [@club].
                           ^^^^^ figure-contradiction: five-year

        Miles joined in June 2021 from Rovers [@club].
                        ^^^^^^^^^ figure-contradiction: June 2019

        The Pro plan costs $59 per month after the trial [@offer].
                            ^^ figure-contradiction: $49 per month

        New customers get a 15% discount on the Pro plan [@offer].

        The offer ends on Sunday [@offer].
                          ^^^^^^ figure-contradiction: Friday
        ",
    );
}

/// Precision first: figures of the same kind that play other roles are never compared.
#[test]
fn figures_in_other_roles_stay_silent() {
    check(
        "
        //- /seeds/tour.txt
        A tour package

        The package includes three nights in a five-star hotel in London and a ticket to one show.
        The first show sold out; tickets for the second cost £120 each.

        //- /notes/brief.md
        # Brief

        The package includes two nights of guided walks [@tour].

        Fans paid £45 for the programme [@tour].

        The band sold out for the first time in years [@tour].
        ",
    );
}

/// A sentence whose figure the sources contradict is not said to be supported by them.
#[test]
fn hover_on_a_contradicted_sentence_says_what_the_sources_say() {
    let fixture = common::fixture::Fixture::parse(
        "
        //- /seeds/court.txt
        Sentencing in Leeds

        Daniel Marsh, 34, was sentenced Friday to 18 years in state prison for the robbery of a jewellery shop.

        //- /notes/brief.md
        Marsh was sente$0nced to 20 years in prison [@court].

        Marsh was sentenced to 18 years in prison [@court].
        ",
    );
    let contradicted = hover::hover(&fixture.corpus, &fixture.note, fixture.cursor.unwrap()).expect("a hover");
    assert!(
        contradicted.markdown.starts_with("**What the sources say** (they contradict a figure of this sentence)"),
        "{}",
        contradicted.markdown
    );
    assert!(contradicted.markdown.contains("sentenced Friday to 18 years"), "{}", contradicted.markdown);
    let agreeing = fixture.note.text.find("Marsh was sentenced to 18").unwrap() + 8;
    let supported = hover::hover(&fixture.corpus, &fixture.note, agreeing).expect("a hover");
    assert!(supported.markdown.starts_with("**Sources that support this sentence**"), "{}", supported.markdown);
}
