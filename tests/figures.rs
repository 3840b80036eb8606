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
                           ^^^ figure-contradiction: Your note says 150 killed, but the sources say “139” to “more than 140”: 27 Mar 2024 [@003] “at least 139”; 24 May 2024 [@002] “more than 140”; Agencies [@000] “about 139” and “139”; AFP [@001] “over 140”; and 1 more source

        139 people died [@001].
        ^^^ figure-contradiction: Your note says 139 killed, but the cited source, AFP [@001], says “over 140”

        About 140 people died [@001].

        The death toll stood at 139, with 182 wounded [@004].

        Investigators said 182 people died.
                           ^^^ figure-contradiction: (182 is the number injured)

        Seven children were killed [@004].
        ^^^^^ figure-contradiction: Your note says seven children killed, but the cited source, [@004], says “three”

        The FSB detained eleven people [@000].

        The FSB detained 14 people [@000].
                         ^^ figure-contradiction: Your note says 14 arrested, but the cited source, Agencies [@000], says “11”

        Two suspects were arrested [@001].
        ^^^ figure-contradiction: Your note says two arrested, but the cited source, AFP [@001], says “More than a dozen”

        The attack took place on March 24 [@001].
                                 ^^^^^^^^ figure-contradiction: Your note says March 24 as the date of the attack, but the cited source, AFP [@001], says “March 22”

        It was Russia’s deadliest attack in five decades [@001].
                                            ^^^^ figure-contradiction: two decades
        ",
    );
}

/// What a new user tried on the seeds (issue 12): a synonym of the counted noun (`gunmen`, `men`),
/// a date that is not the attack's, the day a statement was made, a sentence that names no event
/// (its heading does), a subset of the arrests.
#[test]
fn the_seed_examples_a_new_user_tried() {
    check(
        "
        //- /notes/brief.md
        # Crocus City Hall attack

        Officials later identified five gunmen, all Tajik nationals [@004].
                                   ^^^^ figure-contradiction: but the cited source, [@004], says “…enforcement officials have identified four men as responsible for…”

        Officials later identified four gunmen, all Tajik nationals [@004].

        The United States warned its citizens on March 17 [@004].
                                                 ^^^^^^^^ figure-contradiction: says “…warning to citizens on March 7 to avoid large gatherings…”

        The attack took place on May 24 [@002].
                                 ^^^^^^ figure-contradiction: Your note says May 24 as the date of the attack, but the cited source, 24 May 2024 [@002], says “March 22”

        The attack was carried out by two gunmen.
                                      ^^^ figure-contradiction: Your note says two attackers, but the sources say “Four”: 24 May 2024 [@002] “Four” and “four”; AFP [@001] “four”

        By late May more than 200 people had been arrested at Crocus City Hall.
                              ^^^ figure-contradiction: Your note says more than 200 arrested, but the sources say “11” to “more than 20”: 24 May 2024 [@002] “more than 20”; Agencies [@000] “11”; AFP [@001] “More than a dozen”
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
        ^^^^^ figure-unsupported: Your note says three injured, but the cited source, 27 Mar 2024 [@003], says nothing about it
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
                                                                     ^^ figure-contradiction: Your note says 30 killed, but the sources say “12”: 2 Jun 2024 [@101] “12”
        ",
    );
}

/// The finding about the figure of a fixture's note, and the note's text after each of its fixes.
fn fixed(note: &str) -> (Fixture, Vec<(String, String)>) {
    let fixture = Fixture::with_seeds(note);
    let finding = diagnostics::check_note(&fixture.corpus, &fixture.note)
        .into_iter()
        .find(|f| f.code.name() == "figure-contradiction")
        .expect("a contradicted figure");
    let fixes = finding.fixes.iter().map(|fix| (fix.title.clone(), fixture.after_fix(fix).trim_end().to_string())).collect();
    (fixture, fixes)
}

#[test]
fn fixes_offer_each_sourced_value_and_a_supporting_citation() {
    let (fixture, fixes) = fixed(
        "
        //- /notes/brief.md
        139 people died at Crocus City Hall [@001].
        ",
    );
    // Sentence-initial: the source's "over 140" takes the capital.
    assert_eq!(fixes[0], ("Replace with “Over 140”, as [@001] says".to_string(), "Over 140 people died at Crocus City Hall [@001].".to_string()));
    let cite = fixes.iter().find(|(title, _)| title.starts_with("Cite ")).expect("a supporting citation");
    assert_eq!(cite.0, "Cite [@004], which says 139");
    assert_eq!(cite.1, "139 people died at Crocus City Hall [@001] [@004].");
    let finding = diagnostics::check_note(&fixture.corpus, &fixture.note).into_iter().find(|f| f.code.name() == "figure-contradiction").unwrap();
    assert_eq!(finding.severity, Severity::Warning);
    assert!(finding.related.iter().all(|r| matches!(r.place, Place::Article { .. })));
}

#[test]
fn a_fix_takes_the_case_of_its_place_in_the_sentence() {
    // "More than a dozen" begins @001's sentence; mid-sentence in the note it loses the capital.
    let (_, fixes) = fixed(
        "
        //- /notes/brief.md
        By Tuesday, two suspects had been arrested [@001].
        ",
    );
    assert_eq!(fixes[0].1, "By Tuesday, more than a dozen suspects had been arrested [@001].");
}

#[test]
fn a_fix_from_a_source_cites_it_when_the_sentence_cites_nothing() {
    let (_, fixes) = fixed(
        "
        //- /notes/brief.md
        # Crocus City Hall attack

        The assault on Crocus City Hall killed 150 people.
        ",
    );
    let (title, text) = &fixes[0];
    assert!(title.ends_with(" and cite [@000]"), "{title}");
    // The exact figure comes first, and the sentence then cites where it comes from.
    assert_eq!(text, "# Crocus City Hall attack\n\nThe assault on Crocus City Hall killed 139 people [@000].");
    assert!(fixes.iter().all(|(title, _)| !title.starts_with("Replace") || title.contains(" and cite ")), "{fixes:?}");
}

#[test]
fn a_fix_writes_the_number_as_the_note_does() {
    // @000 writes "11"; the note spells its numbers.
    let (_, fixes) = fixed(
        "
        //- /notes/brief.md
        The FSB detained fourteen people [@000].
        ",
    );
    assert_eq!(fixes[0].1, "The FSB detained eleven people [@000].");
    // @004 writes "four men"; the note uses digits.
    let (_, fixes) = fixed(
        "
        //- /notes/brief.md
        Officials later identified 5 gunmen, all Tajik nationals [@004].
        ",
    );
    assert_eq!(fixes[0].1, "Officials later identified 4 gunmen, all Tajik nationals [@004].");
}

#[test]
fn an_exact_figure_is_offered_before_an_approximate_one() {
    let (_, fixes) = fixed(
        "
        //- /notes/brief.md
        The head of the FSB said the attack left 137 people dead [@000].
        ",
    );
    let titles: Vec<&str> = fixes.iter().map(|(title, _)| title.as_str()).collect();
    assert_eq!(titles[..2], ["Replace with “139”, as [@000] says", "Replace with “about 139”, as [@000] says"]);
}

#[test]
fn hover_on_a_figure_lists_what_each_source_says_cited_first() {
    let fixture = Fixture::with_seeds(
        "
        //- /notes/brief.md
        # Crocus City Hall attack

        The assault killed 1$050 people [@002].
        ",
    );
    let found = hover::hover(&fixture.corpus, &fixture.note, fixture.cursor()).unwrap();
    assert_eq!(fixture.note_text(&found.range), "150");
    assert_eq!(
        found.markdown,
        [
            "**150 killed**, but the cited source says “more than 140”:",
            "",
            "- 24 May 2024 `[@002]` (cited): “…in Moscow, in which more than 140 people",
            "  died.”",
            "  [line 1](file:///w/seeds/002_768581a09abd6eab.txt#L1)",
            "- 24 May 2024 `[@002]` (cited): “…an attack that killed more than 140 people",
            "  at a concert…”",
            "  [line 3](file:///w/seeds/002_768581a09abd6eab.txt#L3)",
        ]
        .join("\n")
    );
}

#[test]
fn hover_on_an_uncited_figure_fits_a_float() {
    let fixture = Fixture::with_seeds(
        "
        //- /notes/brief.md
        # Crocus City Hall attack

        The assault killed 1$050 people.
        ",
    );
    let found = hover::hover(&fixture.corpus, &fixture.note, fixture.cursor()).unwrap();
    let lines: Vec<&str> = found.markdown.lines().collect();
    assert_eq!(lines[0], "**150 killed**, but the sources say “139” to “more than 140”:");
    assert_eq!(lines.last(), Some(&"and 3 more statements"));
    assert!(lines.len() <= 20, "{}", found.markdown);
    // Every line but a link's own fits an 80-column float: editors need not wrap inside words.
    for line in lines.iter().filter(|line| !line.trim_start().starts_with("[line ")) {
        assert!(line.chars().count() <= 78, "{line}");
    }
    assert!(!found.markdown.contains('|') && !found.markdown.contains('\\'), "no tables, no escapes: {}", found.markdown);
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
    assert!(rows.iter().any(|r| r.measure == "date of the attack" && r.figure == "March 22"));
    let measures: Vec<&str> = rows.iter().map(|r| r.measure.as_str()).collect();
    let mut sorted = measures.clone();
    sorted.dedup();
    let mut unique = sorted.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(sorted.len(), unique.len(), "each measure is one group: {measures:?}");
}

#[test]
fn the_fact_sheet_reads_in_words() {
    let fixture = Fixture::with_seeds("//- /notes/n.md\nx\n");
    let text = noteproof::analysis::checks::figures::facts::render_text(&fact_sheet(&fixture.corpus));
    let killed = &text[text.find("Killed\n").expect(&text)..];
    let first_rows: Vec<&str> = killed.lines().take(5).collect();
    assert_eq!(
        first_rows,
        [
            "Killed",
            "  27 Mar 2024 [@003]             at least 139       between 139 and 149",
            "      “…for the massacre of at least 139 people.” (seeds/003_0374629e18bf1a2b.txt:1)",
            "  24 May 2024 [@002]             more than 140      between 141 and 149",
            "      “…in Moscow, in which more than 140 people died.” (seeds/002_768581a09abd6eab.txt:1)",
        ]
    );
    assert!(text.contains("March 22           22 March (year not given)"), "{text}");
    // The machine notation is for JSON only.
    assert!(!text.contains("????") && !text.contains("(140,150)") && !text.contains("[11,11]"), "{text}");
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
                               ^^ figure-contradiction: Your note says “Marsh was sentenced to 20 years in prison”, but the cited source, [@court], says “…was sentenced Friday to 18 years in state prison for…”

        The company is increasing its dividend to $1.15 per share [@company].
                                                   ^^^^ figure-contradiction: but the cited source, [@company], says “…its quarterly dividend to $1.13 per share, up from…”

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

/// A ceiling is a fact of its own: `up to 50%` is not what a source that says `up to 30%` says.
#[test]
fn two_ceilings_agree_only_when_they_are_the_same() {
    check(
        "
        //- /seeds/growth.txt
        A growth platform

        The platform helps businesses increase revenues by up to 30%, the company says.

        //- /notes/brief.md
        # Brief

        The platform helps businesses increase revenues by up to 50% [@growth].
                                                                 ^^ figure-contradiction: says “…businesses increase revenues by up to 30%, the company says.”

        The platform helps businesses increase revenues by up to 30% [@growth].
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
        On Friday the promoter said the clip had been watched 40,000 times.
        The singer now owns 300 of them, the promoter said.

        //- /seeds/weather.txt
        Storm and ratings

        Wind gusts measuring 92 mph were recorded in the port.
        The four episodes were watched 9,047,000 times, while episode two alone was watched 2,645,000 times.

        //- /notes/brief.md
        # Brief

        The package includes two nights of guided walks [@tour].

        Fans paid £45 for the programme [@tour].

        The band sold out for the first time in years [@tour].

        By Tuesday the promoter had sold every ticket [@tour].

        Tickets sold three times faster than last year [@tour].

        The singer started collecting guitars aged nine [@tour].

        The quake measured 7.6 [@weather].

        Episode two of the show was watched 2,645,000 times [@weather].
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

const FIXTURE_OF_TWO_CONTRADICTIONS: &str = "
        //- /seeds/court.txt
        Sentencing in Leeds

        Daniel Marsh, 34, was sentenced Friday to 18 years in state prison for the robbery of a jewellery shop.
        Police said 12 officers and four dogs searched the estate on Tuesday.

        //- /notes/brief.md
        # Brief — “Leeds”

        Marsh was sentenced to 20 years in prison [@court]. Police said 12 officers searched the estate.

        Marsh was sentenced to 18 years in prison [@court].

        - Police said 14 officers and four dogs searched the estate.
        - The robbery of a jewellery shop was on Friday.
        ";

/// A sentence's hover reads its contradiction from the diagnostics' findings when the editor has
/// them (the server's fast path), and its evidence from what was found while the editor was idle,
/// and says exactly what it says when it finds both itself.
#[test]
fn hover_given_the_diagnostics_findings_says_the_same() {
    let fixture = common::fixture::Fixture::parse(FIXTURE_OF_TWO_CONTRADICTIONS);
    let (corpus, note) = (&fixture.corpus, &fixture.note);
    let blocks = noteproof::analysis::checks::diagnostics::check_blocks(
        corpus,
        note,
        &mut noteproof::analysis::checks::diagnostics::BlockCache::default(),
        &noteproof::analysis::cancel::CancelToken::never(),
    )
    .expect("never cancelled");
    let mut contradicted = 0;
    for sentence in &note.sentences {
        let offset = sentence.span.start;
        let checked = hover::hover(corpus, note, offset);
        let given = hover::hover_given(corpus, note, offset, Some(&blocks));
        assert_eq!(given, checked, "at {:?}", &note.text[sentence.span.clone()]);
        contradicted += usize::from(checked.is_some_and(|h| h.markdown.contains("they contradict")));
    }
    assert_eq!(contradicted, 2, "the fixture holds two contradicted sentences");
    // The evidence found while the editor is idle is a memo: hovers say the same after it.
    let before: Vec<_> = note.sentences.iter().map(|s| hover::hover(corpus, note, s.span.start)).collect();
    let fresh = common::fixture::Fixture::parse(FIXTURE_OF_TWO_CONTRADICTIONS);
    hover::prepare(&fresh.corpus, &[hover::Preparing { note: &fresh.note, focus: 0, wanted: &|| true }]);
    let after: Vec<_> = fresh.note.sentences.iter().map(|s| hover::hover(&fresh.corpus, &fresh.note, s.span.start)).collect();
    assert_eq!(after, before);
}

/// Every kind of figure a reader reads is compared: results, quarters, fractions, ranks, times of
/// day, ages without a name, spans of time in other units, how many times something happened.
/// The notes are written for this test; the sources imitate business, sport and weather copy.
#[test]
fn figures_of_every_kind_are_compared() {
    check(
        "
        //- /seeds/acme.txt
        Acme results

        LONDON, 14 February 2025 – Acme Corp said fourth-quarter revenue rose 12% to $4.2 billion and raised its dividend to 15 cents a share.
        The company, the third-largest maker of widgets in Europe, said one in five of its workers would move to the new plant.
        Chief executive Jane Doe said the plant would open in Q3. Acme ranked 12th on the Fortune list.
        Shares closed up 3.4 percentage points at 9:30 a.m. in New York.
        The new plant will serve a region with a population of 2.1 million.

        //- /seeds/match.txt
        Match report

        Jurgen Klopp conceded that Bayern were the better team in their 1–0 victory over Dortmund on Saturday.
        The 26-year-old striker, who scored the goal, was watched by 81,000 fans.

        //- /seeds/storm.txt
        Storms

        One town recorded more than two inches of rain in half an hour.
        The clip of the flooded road was watched 2,645,000 times.

        //- /notes/brief.md
        # Brief

        Acme's fourth-quarter revenue rose 12% to $4.2 billion [@acme].

        Acme's third-quarter revenue rose 12% to $4.2 billion [@acme].
               ^^^^^^^^^^^^^ figure-contradiction: fourth-quarter

        Acme, the second-largest maker of widgets in Europe, will move staff [@acme].
                  ^^^^^^ figure-contradiction: third-largest

        One in four of its workers will move to the new plant [@acme].
        ^^^^^^^^^^^ figure-contradiction: one in five

        Jane Doe said the plant would open in Q2 [@acme].
                                              ^^ figure-contradiction: Q3

        Acme ranked 15th on the Fortune list [@acme].
                    ^^^^ figure-contradiction: 12th

        Shares closed up 3.4 percentage points at 10:30 a.m. in New York [@acme].
                                                  ^^^^^^^^^^ figure-contradiction: 9:30 a.m.

        The plant will serve a region with a population of 2.4 million [@acme].
                                                           ^^^^^^^^^^^ figure-contradiction: 2.1 million

        Bayern beat Dortmund 2–0 on Saturday [@match].
                             ^^^ figure-contradiction: 1–0

        Bayern beat Dortmund 1–0 on Saturday [@match].

        The striker who scored the goal was 29 years old [@match].
                                            ^^ figure-contradiction: 26-year

        One town recorded more than two inches of rain in less than ten minutes [@storm].
                                                                    ^^^ figure-contradiction: half an hour

        One town recorded more than two inches of rain in 30 minutes [@storm].

        The clip was watched 2,745,000 times [@storm].
                             ^^^^^^^^^ figure-contradiction: 2,645,000
        ",
    );
}

/// A month in a background paragraph does not contradict the day of the event when the article
/// writes that day, whether or not its reader tied that day to the event.
#[test]
fn a_background_month_does_not_contradict_a_day_the_article_writes() {
    check(
        "
        //- /seeds/flood.txt
        Floods in Hansha

        Floods in Hansha Province have killed 12 people since the water began rising on December 10, the agency said.
        The disaster comes in the shadow of the floods in Çamouth in September 2024, which killed 130 people.

        //- /notes/brief.md
        # Brief

        The Hansha floods began on December 10, 2024 [@flood].
        ",
    );
}

/// The lexicon's phrases for one measure stand for each other: people `forced from their homes`
/// were displaced, and residents `left homeless` were evacuated.
#[test]
fn a_measure_told_in_other_words_is_the_same_measure() {
    check(
        "
        //- /seeds/flood.txt
        Floods in the south

        Some 4,000 people have been forced from their homes; a shopkeeper in Lörrach said people were angry.
        By Sunday 120 residents had been left homeless in the next valley.

        //- /notes/brief.md
        # Brief

        9 people were displaced by the floods [@flood].
        ^ figure-contradiction: Some 4,000

        About 4,000 people were displaced by the floods [@flood].
        ",
    );
}

/// A number that names nothing (`the quake measured 7.5`) is compared with the value of a property
/// the source names before `of` in a sentence about the same thing, never with a number of things
/// or a measure in another unit.
#[test]
fn a_value_that_names_nothing_is_compared_with_the_property_it_is() {
    check(
        "
        //- /seeds/quake.txt
        Earthquake in the north

        The survey said the quake had a magnitude of 7.9, and the town’s population of 12,000 fled.
        Wind gusts measuring 92 mph were recorded in the port the next day.

        //- /notes/brief.md
        # Brief

        The quake measured 7.5 [@quake].
                           ^^^ figure-contradiction: 7.9

        The quake measured 7.9 [@quake].

        The wind measured 80 in the port [@quake].
        ",
    );
}

/// A reading of nothing named (`the quake measured 7.5`) and a value labelled by its scale (`the
/// magnitude 7.9 tremor`) are two values on one scale, though their sentences share no word; but
/// only when the source gives one such value: with two, nothing says which scale the reading is on.
#[test]
fn a_reading_is_compared_with_the_one_value_labelled_by_its_scale() {
    check(
        "
        //- /seeds/quake.txt
        Strike at the port

        Dockers walked out on Monday, and 300 ships waited offshore.
        The magnitude 7.9 tremor was felt as far away as the capital.

        //- /seeds/storm.txt
        Storm warning

        Forecasters expect a category 4 hurricane, and the ministry raised a level 3 alert.

        //- /notes/brief.md
        # Brief

        The quake measured 7.5 [@quake].
                           ^^^ figure-contradiction: 7.9

        The quake measured 7.9 [@quake].

        The storm measured 5 on the scale [@storm].
        ",
    );
}

/// The same number elsewhere in a source silences a figure, unless the note's sentence is anchored
/// to another source sentence by a second figure that agrees with it.
#[test]
fn a_sentence_anchored_by_a_second_figure_is_the_one_retold() {
    check(
        "
        //- /seeds/derby.txt
        Derby report

        United were level until the 75th minute, when a penalty was saved.
        Rovers won with goals in the 12th and 80th minutes from their captain.

        //- /notes/brief.md
        # Brief

        Rovers won with goals in the 75th and 80th minutes [@derby].
                                     ^^^^ figure-contradiction: 12th

        Rovers won with goals in the 12th and 80th minutes [@derby].
        ",
    );
}

/// A named day falls on its weekday (`on Black Friday`); the same weekday written elsewhere in the
/// article about another thing (`on Friday the shop reopened`) does not silence the note's,
/// unless its sentence retells another figure of the note's (`the 2-1 win … on Sunday`).
#[test]
fn named_days_are_weekdays_and_a_weekday_elsewhere_is_a_coincidence() {
    check(
        "
        //- /seeds/sale.txt
        Store report

        The Lindqvist store was looted on Monday, its manager said.
        On Friday the store reopened to a queue of shoppers.
        Police said the looters entered the Lindqvist store through a back door.

        //- /seeds/cup.txt
        Cup report

        Hartley Town beat Oxmoor in the county cup semi-final on Wednesday, and trained on Saturday.
        Fans travelled home after the 2-1 win at Brookfield on Sunday.

        //- /notes/brief.md
        # Brief

        The Lindqvist store was looted on Black Friday, its manager said [@sale].
                                          ^^^^^^^^^^^^ figure-contradiction: Monday

        The Lindqvist store was looted on Monday, its manager said [@sale].

        Hartley Town won 2-1 in the county cup semi-final on Sunday [@cup].
        ",
    );
}

/// `single` counts one of the noun it describes, as `one-story` and `two-story` count theirs.
#[test]
fn single_counts_one_of_what_it_describes() {
    check(
        "
        //- /seeds/bridge.txt
        Bridge report

        The council approved a two-lane timber bridge over the Marrow river.
        Not a single objection was raised at the hearing.

        //- /notes/brief.md
        # Brief

        The council approved a single-lane timber bridge over the Marrow river [@bridge].
                               ^^^^^^ figure-contradiction: two

        The council approved a two-lane timber bridge over the Marrow river [@bridge].

        Not a single resident objected to the bridge [@bridge].
        ",
    );
}

/// A fix replaces the note's figure with the source's, whatever its kind: a span of time in
/// another unit, a result, an age without a name, a named day (the whole name), `single`.
#[test]
fn fixes_replace_figures_of_every_kind() {
    for (note, fixed_text) in [
        (
            "One town had more than two inches of rain in less than ten minutes [@storm].",
            "One town had more than two inches of rain in half an hour [@storm].",
        ),
        ("Bayern beat Dortmund 2–0 on Saturday [@storm].", "Bayern beat Dortmund 1–0 on Saturday [@storm]."),
        ("The striker who scored the goal was 29 years old [@storm].", "The striker who scored the goal was 26 years old [@storm]."),
        ("The county cup was cancelled on Ash Wednesday [@storm].", "The county cup was cancelled on Tuesday [@storm]."),
        ("They crossed a single-lane bridge to reach the ground [@storm].", "They crossed a two-lane bridge to reach the ground [@storm]."),
    ] {
        let (_, fixes) = fixed(&format!(
            "
            //- /seeds/storm.txt
            Weekend

            One town recorded more than two inches of rain in half an hour.
            Bayern were the better team in their 1–0 victory over Dortmund on Saturday.
            The 26-year-old striker, who scored the goal, was watched by 81,000 fans.
            The county cup was cancelled on Tuesday because of the flooding.
            Fans crossed a two-lane bridge to reach the ground.

            //- /notes/brief.md
            {note}
            "
        ));
        assert_eq!(fixes.first().map(|(_, text)| text.as_str()), Some(fixed_text), "fixes of {note:?}: {fixes:?}");
    }
}
