//! A shared archive in PostgreSQL, against a real throwaway cluster: `noteproof ingest` writes it,
//! `check` and the server read it and answer exactly as they do from the folders.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::postgres::{Cluster, ADMIN_PASSWORD};
use common::{binary, LspClient, Workspace};
use serde_json::{json, Value};

/// A note with a finding of every family: an unknown key, a figure the source contradicts, a quote
/// the source does not hold, and sentences the sources back; curly quotes and dashes throughout.
const NOTE: &str = "# Crocus — “the attack”\n\n\
The FSB detained 14 people [@000]. The toll rose to 139 [@0042].\n\n\
Putin called it “a barbaric terrorist act that shook the nation” [@002].\n\n\
The city’s mayor said the venue “will be rebuilt” [@report].\n";

/// The seeds, a saved page, a PDF and a sources file: every kind of article the loader reads.
fn workspace() -> Workspace {
    let workspace = Workspace::with_seeds();
    workspace.write("notes/brief.md", NOTE);
    workspace.write(
        "seeds/page.html",
        "<html><head><title>Crocus update — Wire</title><meta property=\"og:site_name\" content=\"Wire\"></head>\
         <body><article><h1>Crocus update</h1><p>Officials said 11 people were detained on Saturday.</p></article></body></html>",
    );
    let pdf = common::pdf::pdf(Some("Report"), &[&["The mayor said the venue “would be rebuilt within a year”."]]);
    std::fs::write(workspace.path("seeds/report.pdf"), pdf).unwrap();
    add_sources_row(&workspace, "report,City Hall,2024-03-30,,,,");
    workspace
}

/// A throwaway cluster with an empty database `news`, and the superuser's URL of it.
fn archive() -> (Cluster, String) {
    let cluster = Cluster::start();
    cluster.create_database("news");
    let url = cluster.admin_url("news");
    (cluster, url)
}

fn add_sources_row(workspace: &Workspace, row: &str) {
    let mut sources = std::fs::read_to_string(workspace.path("seeds/sources.csv")).unwrap();
    if !sources.ends_with('\n') {
        sources.push('\n');
    }
    sources.push_str(row);
    sources.push('\n');
    workspace.write("seeds/sources.csv", &sources);
}

fn run(workspace: &Workspace, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(binary());
    command.args(args).current_dir(workspace.root()).env_remove("NOTEPROOF_DATABASE_URL").env_remove("PGPASSWORD");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(output.status.code().is_some_and(|code| code < 2), "failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn ingest(workspace: &Workspace, url: &str) -> String {
    ingest_with(workspace, url, &[])
}

fn ingest_with(workspace: &Workspace, url: &str, env: &[(&str, &str)]) -> String {
    let output = run(workspace, &["ingest", "--database", url], env);
    assert!(output.status.success(), "ingest failed: {}", stderr(&output));
    stdout(&output)
}

/// An ingest that gives a term a posting list once `sentences` hold it (1,000 by default, which
/// no word of these small corpora reaches): searches then read lists and the GIN index both.
fn ingest_with_posting_lists_from(workspace: &Workspace, url: &str, sentences: &str) -> String {
    ingest_with(workspace, url, &[("NOTEPROOF_TEST_HOOKS", "1"), ("NOTEPROOF_TEST_POSTING_LISTS_FROM", sentences)])
}

/// `check --format json` of every note: through the folders, or through the archive at `url`.
fn findings(workspace: &Workspace, url: Option<&str>) -> Value {
    let env: Vec<(&str, &str)> = url.map(|url| ("NOTEPROOF_DATABASE_URL", url)).into_iter().collect();
    let output = run(workspace, &["check", "--no-cache", "--format", "json", "--fail-on", "never"], &env);
    serde_json::from_str(&stdout(&output)).unwrap()
}

fn codes(findings: &Value) -> Vec<String> {
    let mut codes = Vec::new();
    collect_codes(findings, &mut codes);
    codes.sort();
    codes
}

fn collect_codes(value: &Value, codes: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(code)) = map.get("code") {
                codes.push(code.clone());
            }
            map.values().for_each(|v| collect_codes(v, codes));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_codes(v, codes)),
        _ => {}
    }
}

#[test]
fn the_archive_answers_exactly_as_the_folders_do() {
    let (cluster, url) = archive();
    let workspace = workspace();
    workspace.write("notes/pasted.md", &pasted_blob(&workspace));
    // A quotation cited to the wrong article, found in another by the archive's paragraph index.
    workspace.write("notes/elsewhere.md", "# Warnings\n\nWashington warned of “imminent plans to target large gatherings in Moscow” [@000].\n");
    // A figure with no citation, checked against what a search of the archive finds.
    workspace.write("notes/uncited.md", "# Toll\n\nThe death toll from the Crocus City Hall attack rose to 250 on Monday.\n");
    let from_folders = findings(&workspace, None);
    let facts_from_folders = stdout(&run(&workspace, &["facts", "--no-cache", "--format", "json"], &[]));

    let said = ingest(&workspace, &url);
    assert!(said.starts_with("ingested seeds into postgresql://postgres:***@127.0.0.1:"), "{said}");
    assert!(said.contains(": 7 added, 0 changed, 0 removed, 0 unchanged"), "{said}");
    assert!(!said.contains(ADMIN_PASSWORD), "{said}");
    // The same archive with posting lists for every term two sentences hold.
    cluster.create_database("lists");
    let lists_url = cluster.admin_url("lists");
    ingest_with_posting_lists_from(&workspace, &lists_url, "2");
    let lists = assert_posting_lists_are_exact(&cluster, "lists", 2);
    assert!(lists > 200, "{lists} posting lists");

    // The folders are gone: whatever is found now comes from the archive.
    std::fs::remove_dir_all(workspace.path("seeds")).unwrap();
    let from_archive = findings(&workspace, Some(&url));
    assert_eq!(from_archive, from_folders);
    assert_eq!(findings(&workspace, Some(&lists_url)), from_folders);
    // Those answers came from the lists: emptied, they change.
    cluster.sql("lists", "UPDATE noteproof_posting_lists SET list = ''");
    assert_ne!(findings(&workspace, Some(&lists_url)), from_folders);
    // Paragraphs ingested before their text was kept beside their terms (schema 3) are cut from
    // their articles' bodies, with the same answers.
    cluster.sql("news", "UPDATE noteproof_paragraphs SET text = NULL");
    assert_eq!(findings(&workspace, Some(&url)), from_folders);
    let wanted = ["figure-contradiction", "quote-not-found", "quote-wrong-source", "unknown-source"];
    assert!(wanted.iter().all(|code| codes(&from_folders).iter().any(|c| c == code)), "{:?}", codes(&from_folders));
    let facts_from_archive = stdout(&run(&workspace, &["facts", "--format", "json"], &[("NOTEPROOF_DATABASE_URL", &url)]));
    assert_eq!(facts_from_archive, facts_from_folders);
    assert!(facts_from_archive.contains("City Hall"), "the sources file's row travels with its article");
}

/// The figure statements an ingest read are what readers use, while they were read as the reader
/// would read them (this build of noteproof, its lexicon); others are read again from the text,
/// by the reader at once and by the next ingest for good.
#[test]
fn readers_use_the_figure_statements_kept_in_the_archive_only_while_they_would_read_the_same() {
    let (cluster, url) = archive();
    let workspace = workspace();
    workspace.write("notes/uncited.md", "# Toll\n\nThe death toll from the Crocus City Hall attack rose to 250 on Monday.\n");
    let from_folders = findings(&workspace, None);
    assert!(codes(&from_folders).iter().filter(|c| *c == "figure-contradiction").count() >= 2, "{:?}", codes(&from_folders));
    let facts = |url: &str| stdout(&run(&workspace, &["facts", "--format", "json"], &[("NOTEPROOF_DATABASE_URL", url)]));
    let facts_from_folders = stdout(&run(&workspace, &["facts", "--no-cache", "--format", "json"], &[]));
    let said = ingest(&workspace, &url);
    assert!(!said.contains("figure statements"), "read as each article was written: {said}");
    let sql = |query: &str| cluster.sql("news", query).trim().to_string();
    assert_eq!(sql("SELECT count(*) FROM noteproof_statements"), "7", "every article's statements are kept");
    assert_eq!(sql("SELECT count(DISTINCT extractor) FROM noteproof_statements"), "1");
    assert_eq!(sql("SELECT count(*) FROM noteproof_statements AS s JOIN noteproof_generations AS g ON g.extractor = s.extractor"), "7");
    assert_eq!(findings(&workspace, Some(&url)), from_folders);
    assert_eq!(facts(&url), facts_from_folders);

    // What the archive keeps is what readers use: with every article said to state nothing, no
    // figure has a basis, and the fact sheet is empty.
    sql("CREATE TABLE kept AS SELECT * FROM noteproof_statements; UPDATE noteproof_statements SET encoded = '\\x00'");
    assert!(!codes(&findings(&workspace, Some(&url))).contains(&"figure-contradiction".to_string()));
    assert!(facts(&url).contains("\"facts\": []"), "{}", facts(&url));
    // And the articles that state a measure are those the archive's index of measures names.
    sql("UPDATE noteproof_statements AS s SET encoded = k.encoded FROM kept AS k WHERE k.article = s.article");
    assert_eq!(findings(&workspace, Some(&url)), from_folders);
    sql("UPDATE noteproof_statements SET measures = '{}'");
    assert_ne!(findings(&workspace, Some(&url)), from_folders);
    assert!(facts(&url).contains("\"facts\": []"));

    // Read by another build or with another lexicon, they are not used: the reader reads the text.
    sql("UPDATE noteproof_generations SET extractor = 1");
    assert_eq!(findings(&workspace, Some(&url)), from_folders);
    assert_eq!(facts(&url), facts_from_folders);
    // The next ingest reads them again, though no article changed.
    sql("UPDATE noteproof_statements SET extractor = 1");
    let said = ingest(&workspace, &url);
    assert!(said.contains("7 unchanged"), "{said}");
    assert!(said.contains("read the figure statements of 7 articles again"), "{said}");
    assert_ne!(sql("SELECT DISTINCT extractor FROM noteproof_statements"), "1");
    // Read again article by article, they are those the first ingest read while its indexes were built.
    assert_eq!(
        sql("SELECT count(*) FROM noteproof_statements AS s JOIN kept AS k USING (article) WHERE s.encoded = k.encoded AND s.measures = k.measures"),
        "7"
    );
    assert_eq!(findings(&workspace, Some(&url)), from_folders);
    assert_eq!(facts(&url), facts_from_folders);
    // A reader with another lexicon reads the text, and finds what its lexicon finds.
    workspace.write("noteproof.json", &json!({"lexicon": {"evacuated": ["evacuated"]}}).to_string());
    assert_eq!(findings(&workspace, Some(&url)), findings(&workspace, None));
    assert_eq!(facts(&url), stdout(&run(&workspace, &["facts", "--no-cache", "--format", "json"], &[])));
}

#[test]
fn a_search_ranked_in_one_pass_over_the_lists_keeps_what_the_database_ranking_keeps() {
    use noteproof::analysis::corpus::library::{Library, Posting, Ranked, Ranking};
    use noteproof::analysis::corpus::search::query_terms;
    use noteproof::workspace::database::{read_listing, ArchiveLibrary, DatabaseUrl, Retry};

    let (cluster, _) = archive();
    let workspace = workspace();
    cluster.create_database("lists");
    let url = cluster.admin_url("lists");
    ingest_with_posting_lists_from(&workspace, &url, "3");
    let listing = read_listing(&DatabaseUrl::new(&url), Retry::ONCE).unwrap();
    let average_length = listing.totals.words as f32 / listing.totals.sentences as f32;
    let library = ArchiveLibrary::new(DatabaseUrl::new(&url), listing.ids, listing.with_posting_lists);
    let sorted = |mut postings: Vec<Posting>| {
        postings.sort_by_key(|posting| posting.sentence);
        postings
    };
    // Every line of the seeds as a search: common words and rare names, long and short.
    let (mut in_one_pass, mut in_steps) = (0, 0);
    for entry in std::fs::read_dir(workspace.path("seeds")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
        for line in text.lines() {
            let query = query_terms(line, &[]);
            let terms: Vec<&str> = query.iter().map(|term| term.term.as_str()).collect();
            if terms.is_empty() {
                continue;
            }
            // Weights as a search gives them, from how many sentences hold each term.
            let held = library.document_frequencies(&terms).unwrap();
            let weights: Vec<f32> =
                query.iter().zip(&held).map(|(term, &held)| term.weight * (1.0 + 100.0 / (1.0 + held as f32)).ln()).collect();
            for (floor, best) in [(None, Some(1)), (None, Some(4)), (None, Some(12)), (Some(1.5), Some(4))] {
                let ranking = Ranking { weights: weights.clone(), average_length, floor, best };
                let every_term_alone: Vec<Vec<&str>> = terms.iter().map(|&term| vec![term]).collect();
                let by_the_database = sorted(library.postings(&every_term_alone, &[], &terms, &ranking).unwrap());
                match library.ranked(&terms, &ranking, &|_| true) {
                    Ranked::Postings(postings) => {
                        assert_eq!(sorted(postings), by_the_database, "{line:?}, {floor:?}/{best:?}");
                        in_one_pass += 1;
                    }
                    Ranked::InSteps => in_steps += 1,
                    Ranked::Unanswered => panic!("the archive did not answer {line:?}"),
                }
            }
        }
    }
    assert!(in_one_pass > 200 && in_steps > 0, "{in_one_pass} searches in one pass, {in_steps} in steps");
}

/// Every word of the seeds, three times over, as one sentence with no full stop: what a note holds
/// when a page is pasted without its punctuation. Its search asks about far more words than a
/// sentence has, and must still answer as the folders do.
fn pasted_blob(workspace: &Workspace) -> String {
    let mut words = Vec::new();
    for entry in std::fs::read_dir(workspace.path("seeds")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
        words.extend(text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).map(str::to_string));
    }
    let blob = words.join(" ");
    format!("# Pasted\n\n{blob} {blob} {blob} [@000]\n")
}

#[test]
fn the_labelled_evaluation_finds_the_same_through_the_archive() {
    let (cluster, url) = archive();
    let workspace = Workspace::with_seeds();
    let eval = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/figures_eval");
    for (from, to) in [("articles", "seeds"), ("notes", "notes")] {
        for entry in std::fs::read_dir(eval.join(from)).unwrap().flatten() {
            std::fs::copy(entry.path(), workspace.path(to).join(entry.file_name())).unwrap_or_else(|_| {
                std::fs::create_dir_all(workspace.path(to)).unwrap();
                std::fs::copy(entry.path(), workspace.path(to).join(entry.file_name())).unwrap()
            });
        }
    }
    let from_folders = findings(&workspace, None);
    ingest(&workspace, &url);
    let from_archive = findings(&workspace, Some(&url));
    assert!(codes(&from_folders).iter().filter(|c| *c == "figure-contradiction").count() >= 20, "{:?}", codes(&from_folders));
    assert_eq!(from_archive, from_folders);
    // Through posting lists for every word in eight sentences or more.
    cluster.create_database("lists");
    let lists_url = cluster.admin_url("lists");
    ingest_with_posting_lists_from(&workspace, &lists_url, "8");
    assert_eq!(findings(&workspace, Some(&lists_url)), from_folders);
}

/// An ingest of some folders removes what they no longer hold and nothing else: the articles of
/// folders it was not given stay, even those whose names differ from its folders' only where SQL
/// patterns read a wildcard (`_`, `%`).
#[test]
fn an_ingest_of_some_folders_leaves_the_articles_of_the_others() {
    let (cluster, url) = archive();
    let workspace = Workspace::empty();
    let article = |folder: &str, name: &str| {
        workspace.write(&format!("{folder}/{name}.txt"), &format!("{name} — “wire”\n\nOfficials in Łódź said {name} was closed."));
    };
    article("wire_1", "harbour");
    article("wire_1", "airport");
    article("wireX1", "station");
    article("wire%", "bridge");
    let ingest_folders = |folders: &[&str]| {
        let mut args = vec!["ingest", "--database", url.as_str()];
        args.extend(folders);
        stdout(&run(&workspace, &args, &[]))
    };
    let said = ingest_folders(&["wire_1", "wireX1", "wire%"]);
    assert!(said.contains("4 added, 0 changed, 0 removed, 0 unchanged"), "{said}");
    std::fs::remove_file(workspace.path("wire_1/airport.txt")).unwrap();
    let said = ingest_folders(&["wire_1"]);
    assert!(said.contains("0 added, 0 changed, 1 removed, 1 unchanged"), "{said}");
    let stored = cluster.sql("news", "SELECT string_agg(display_path, ' ' ORDER BY display_path) FROM noteproof_articles");
    assert_eq!(stored.trim(), "wire%/bridge.txt wireX1/station.txt wire_1/harbour.txt");
    std::fs::remove_file(workspace.path("wire%/bridge.txt")).unwrap();
    let said = ingest_folders(&["wire%"]);
    assert!(said.contains("0 added, 0 changed, 1 removed, 0 unchanged"), "{said}");
    assert_eq!(cluster.sql("news", "SELECT count(*) FROM noteproof_articles").trim(), "2");
}

#[test]
fn an_ingest_writes_only_what_changed_and_removes_what_is_gone() {
    let (cluster, url) = archive();
    let workspace = workspace();
    // Posting lists for every term three sentences hold: each ingest below must keep them exact.
    let ingest = |workspace: &Workspace, url: &str| ingest_with_posting_lists_from(workspace, url, "3");
    ingest(&workspace, &url);
    assert_posting_lists_are_exact(&cluster, "news", 3);
    assert!(ingest(&workspace, &url).contains("as generation 2: 0 added, 0 changed, 0 removed, 7 unchanged"));

    let seed = std::fs::read_dir(workspace.path("seeds")).unwrap().flatten().find(|e| e.file_name().to_string_lossy().starts_with("000_")).unwrap().path();
    let text = std::fs::read_to_string(&seed).unwrap().replace("arrest of 11 people", "arrest of 12 people");
    std::fs::write(&seed, text).unwrap();
    std::fs::remove_file(workspace.path("seeds/page.html")).unwrap();
    workspace.write("seeds/new.txt", "New — “copy”\n\nThe FSB detained 14 people, officials said.");
    // A new row for an unchanged PDF changes only its row.
    let sources = std::fs::read_to_string(workspace.path("seeds/sources.csv")).unwrap().replace("City Hall", "Town Hall");
    workspace.write("seeds/sources.csv", &sources);
    let said = ingest(&workspace, &url);
    assert!(said.contains("as generation 3: 1 added, 2 changed, 1 removed, 4 unchanged"), "{said}");
    // What it added to the search indexes is merged into them: every search would read it whole.
    let pending = "SELECT gin_clean_pending_list('noteproof_sentences_terms'::regclass) + gin_clean_pending_list('noteproof_paragraphs_terms'::regclass)";
    assert_eq!(cluster.sql("news", pending).trim(), "0");

    let stored = cluster.sql("news", "SELECT count(*), count(*) FILTER (WHERE generation = 3) FROM noteproof_articles");
    assert_eq!(stored.trim(), "7|3");
    let listed = cluster.sql("news", "SELECT listed FROM noteproof_articles WHERE path LIKE '%report.pdf'");
    assert!(listed.contains("Town Hall"), "{listed}");
    // The archive's corpus is the folders' corpus as they are now.
    assert_eq!(findings(&workspace, Some(&url)), findings(&workspace, None));
    // The term counts kept up ingest by ingest are those of the sentences the archive holds, and
    // so are the posting lists.
    assert_index_counts_are_exact(&cluster);
    assert_posting_lists_are_exact(&cluster, "news", 3);
    // A term in fewer sentences than a list needs gains one when an ingest brings it more.
    let rare = "Zygomorphic quillwort";
    workspace.write("seeds/rare1.txt", &format!("Rare — one\n\nThe {rare} grew by the river, officials said."));
    ingest(&workspace, &url);
    let hash = noteproof::workspace::database::schema::term_hash(&noteproof::analysis::corpus::search::sentence_index_terms(rare).1[0]);
    let has_list = || cluster.sql("news", &format!("SELECT count(*) FROM noteproof_posting_lists WHERE term = {hash}")).trim() == "1";
    assert!(!has_list());
    workspace.write("seeds/rare2.txt", &format!("Rare — two\n\nA {rare} was seen. Another {rare} was not."));
    ingest(&workspace, &url);
    assert!(has_list());
    assert_posting_lists_are_exact(&cluster, "news", 3);
    // And loses it when no sentence holds it any longer.
    std::fs::remove_file(workspace.path("seeds/rare1.txt")).unwrap();
    std::fs::remove_file(workspace.path("seeds/rare2.txt")).unwrap();
    ingest(&workspace, &url);
    assert!(!has_list());
    assert_posting_lists_are_exact(&cluster, "news", 3);
    assert_eq!(findings(&workspace, Some(&url)), findings(&workspace, None));

    // An archive with articles and no sentence index (schema 1 had none; the upgrade to schema 3
    // empties it) is indexed by the next ingest, paragraphs left from before and all.
    cluster.sql("news", "DELETE FROM noteproof_sentences; DELETE FROM noteproof_terms; DELETE FROM noteproof_totals; UPDATE noteproof_articles SET indexed = false, key = NULL, title = NULL");
    assert!(ingest(&workspace, &url).contains("0 added, 0 changed, 0 removed, 7 unchanged"));
    assert_index_counts_are_exact(&cluster);
    assert_posting_lists_are_exact(&cluster, "news", 3);
    assert_eq!(findings(&workspace, Some(&url)), findings(&workspace, None));
}

#[test]
fn a_corpus_larger_than_a_write_arrives_whole_with_its_references_checked() {
    let (cluster, url) = archive();
    let workspace = Workspace::empty();
    // More articles than one statement writes (128), and more text than one carries in a test's
    // time; curly quotes, dashes and non-ASCII names in each.
    let article = |i: usize, detained: usize| {
        format!(
            "Łódź desk — “Update {i}”\n\nPolice in Łódź said {detained} people were detained after the protest on Friday.\n\n\
             “We will not tolerate violence,” said Zofia Wójcik, the city’s spokesperson, in statement {i}.\n"
        )
    };
    for i in 0..300 {
        workspace.write(&format!("seeds/{i:03}_wire.txt"), &article(i, i % 7 + 3));
    }
    workspace.write("notes/brief.md", "# Łódź\n\nPolice said 9 people were detained [@000]. “We will not tolerate violence” [@150].\n");
    let said = ingest(&workspace, &url);
    assert!(said.contains("as generation 1: 300 added, 0 changed, 0 removed, 0 unchanged"), "{said}");
    let stored = cluster.sql("news", "SELECT count(*), count(DISTINCT path), count(*) FILTER (WHERE indexed) FROM noteproof_articles");
    assert_eq!(stored.trim(), "300|300|300");
    // A first ingest checks the sentences' and paragraphs' references to their articles once, at
    // the end: the constraints are back, and hold.
    let references = cluster.sql(
        "news",
        "SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid IN ('noteproof_sentences'::regclass, 'noteproof_paragraphs'::regclass) ORDER BY 1",
    );
    assert_eq!(references.trim(), "noteproof_paragraphs_article_fkey\nnoteproof_sentences_article_fkey");
    let orphans = cluster.sql(
        "news",
        "SELECT count(*) FROM noteproof_sentences s WHERE NOT EXISTS (SELECT 1 FROM noteproof_articles a WHERE a.id = s.article)",
    );
    assert_eq!(orphans.trim(), "0");
    let from_folders = findings(&workspace, None);
    assert_eq!(findings(&workspace, Some(&url)), from_folders);
    assert_eq!(codes(&from_folders), ["figure-contradiction"], "9 detained, where the cited article says 3");

    workspace.write("seeds/007_wire.txt", &article(7, 40));
    workspace.write("seeds/200_wire.txt", &article(200, 41));
    std::fs::remove_file(workspace.path("seeds/299_wire.txt")).unwrap();
    let said = ingest(&workspace, &url);
    assert!(said.contains("as generation 2: 0 added, 2 changed, 1 removed, 297 unchanged"), "{said}");
    assert_index_counts_are_exact(&cluster);
    assert_eq!(findings(&workspace, Some(&url)), findings(&workspace, None));
}

/// A first ingest holds a few hundred megabytes of posting lists at most, whatever the size of
/// the corpus: past that it stages them in the database, part by part, and at the end builds
/// each list again from its parts. The lists are byte for byte those built whole, and the term
/// counts written a few at a time are those counted at once.
#[test]
fn a_first_ingest_that_stages_its_posting_lists_writes_the_lists_it_would_have_built_whole() {
    let (cluster, url) = archive();
    let workspace = Workspace::empty();
    // Three batches of articles (256 are indexed at a time); words shared by all, by some, by few,
    // and more lists than are read back at once (512 parts).
    let outlets = ["Łódź Wire", "Kraków Daily", "Gdańsk Post", "Poznań Herald"];
    for i in 0..700 {
        let outlet = outlets[i % outlets.len()];
        workspace.write(
            &format!("seeds/{i:03}_wire.txt"),
            &format!(
                "{outlet} — “Flood update {i}”\n\nRescuers in district {d} said {n} people were evacuated from Zy{z}ra on Friday.\n\n\
                 “The water is still rising near bridge {b},” said Zofia Wójcik, the {outlet} correspondent.\n",
                d = i % 13,
                n = i % 17 + 3,
                b = i % 29,
                z = i % 200,
            ),
        );
    }
    workspace.write("notes/brief.md", "# Floods\n\nRescuers said 9 people were evacuated [@000]. “The water is still rising” [@150].\n");
    let lists_from = ("NOTEPROOF_TEST_POSTING_LISTS_FROM", "3");
    let said = ingest_with(&workspace, &url, &[("NOTEPROOF_TEST_HOOKS", "1"), lists_from]);
    assert!(said.contains("700 added") && !said.contains("staged"), "{said}");
    let lists = "SELECT term, sentences, md5(list) FROM noteproof_posting_lists ORDER BY term";
    let counts = "SELECT hash, term, sentences FROM noteproof_terms ORDER BY hash";
    let (whole, counted) = (cluster.sql("news", lists), cluster.sql("news", counts));
    assert!(whole.lines().count() > 250, "{whole}");

    // Emptied, the index is built again in bulk, holding four kilobytes of lists and a hundred
    // terms' counts at a time.
    cluster.sql("news", "DELETE FROM noteproof_sentences; DELETE FROM noteproof_terms; DELETE FROM noteproof_totals; UPDATE noteproof_articles SET indexed = false");
    let held = [("NOTEPROOF_TEST_HOOKS", "1"), lists_from, ("NOTEPROOF_TEST_LISTS_HELD_BYTES", "4096"), ("NOTEPROOF_TEST_COUNTS_HELD", "100")];
    let said = ingest_with(&workspace, &url, &held);
    assert!(said.contains("its posting lists were built in 3 parts"), "{said}");
    assert_eq!(cluster.sql("news", lists), whole);
    assert_eq!(cluster.sql("news", counts), counted);
    assert_posting_lists_are_exact(&cluster, "news", 3);
    assert_index_counts_are_exact(&cluster);
    assert_eq!(findings(&workspace, Some(&url)), findings(&workspace, None));
}

/// Every posting list of `database` reads back as exactly the sentences holding its term, and
/// every term that `from` sentences hold has one; how many lists there are.
fn assert_posting_lists_are_exact(cluster: &common::postgres::Cluster, database: &str, from: usize) -> usize {
    use noteproof::workspace::database::posting_lists::decode;
    let held = cluster.sql(
        database,
        "SELECT hash, string_agg(article || ':' || position || ':' || length, ',' ORDER BY article, position)
         FROM noteproof_sentences, unnest(terms) AS hash GROUP BY hash ORDER BY hash",
    );
    let held: std::collections::BTreeMap<&str, &str> = held.lines().filter_map(|line| line.split_once('|')).collect();
    let stored = cluster.sql(database, "SELECT term, sentences, encode(list, 'hex') FROM noteproof_posting_lists ORDER BY term");
    let mut listed = std::collections::BTreeSet::new();
    for line in stored.lines() {
        let [term, sentences, hex] = line.splitn(3, '|').collect::<Vec<_>>()[..] else { panic!("{line}") };
        let bytes: Vec<u8> = (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
        let list = decode(&bytes).unwrap_or_else(|| panic!("the list of {term} does not read"));
        let read: Vec<String> = list.iter().map(|e| format!("{}:{}:{}", e.article, e.position, e.length)).collect();
        assert_eq!(Some(&read.join(",").as_str()), held.get(term), "the list of {term}");
        assert_eq!(sentences, list.len().to_string());
        listed.insert(term);
    }
    for (term, sentences) in &held {
        assert!(sentences.split(',').count() < from || listed.contains(term), "{term} is in {sentences} and has no list");
    }
    listed.len()
}

fn assert_index_counts_are_exact(cluster: &common::postgres::Cluster) {
    let kept = cluster.sql("news", "SELECT hash, sentences FROM noteproof_terms ORDER BY hash");
    let counted = cluster.sql(
        "news",
        "SELECT hash, count(*) FROM noteproof_sentences, unnest(terms) AS hash GROUP BY hash ORDER BY hash",
    );
    assert!(kept.lines().count() > 100 && kept == counted, "kept:\n{kept}\ncounted:\n{counted}");
    let totals = cluster.sql("news", "SELECT sentences, words FROM noteproof_totals");
    let recount = cluster.sql("news", "SELECT count(*), sum(length) FROM noteproof_sentences");
    assert_eq!(totals, recount);
}

/// A reader's session only reads, and never compiles a query to machine code (JIT), even where the
/// database would compile every one: compiling cost more than the searches (docs/SCALE.md).
#[test]
fn a_readers_session_only_reads_and_never_compiles_a_query() {
    use noteproof::workspace::database::{read::reading_connection, DatabaseUrl, Retry};
    let (cluster, url) = archive();
    cluster.sql("news", "ALTER DATABASE news SET jit_above_cost = 0; ALTER DATABASE news SET jit_optimize_above_cost = 0");
    let url = DatabaseUrl::new(url);
    let compiled = |client: &mut postgres::Client| {
        let plan: Vec<String> = client
            .query("EXPLAIN ANALYZE SELECT count(*) FROM generate_series(1, 1000) AS n WHERE n % 7 = 0", &[])
            .unwrap()
            .iter()
            .map(|row| row.get(0))
            .collect();
        assert!(plan.iter().any(|line| line.starts_with("Execution Time")), "{plan:?}");
        plan.iter().any(|line| line.trim_start().starts_with("JIT"))
    };
    // Any other session compiles it, where this PostgreSQL can compile at all.
    let mut other = noteproof::workspace::database::connection::connect(&url, Retry::ONCE).unwrap();
    let can_compile: bool = other.query_one("SELECT pg_jit_available()", &[]).unwrap().get(0);
    assert_eq!(compiled(&mut other), can_compile);
    let mut reader = reading_connection(&url, Retry::ONCE).unwrap();
    assert!(!compiled(&mut reader));
    let refused = reader.batch_execute("CREATE TABLE written (x integer)").unwrap_err();
    assert!(format!("{refused:?}").contains("read-only transaction"), "{refused:?}");
}

#[test]
fn passwords_never_show_and_a_read_only_role_can_read_but_not_write() {
    let (cluster, url) = archive();
    let workspace = workspace();
    ingest(&workspace, &url);
    cluster.sql("news", "CREATE ROLE analyst LOGIN PASSWORD 'r3ader-Pass'; GRANT SELECT ON ALL TABLES IN SCHEMA public TO analyst");

    // The password from the environment, not the URL.
    let reader = cluster.url("analyst", None, "news");
    let env = [("NOTEPROOF_DATABASE_URL", reader.as_str()), ("PGPASSWORD", "r3ader-Pass")];
    let output = run(&workspace, &["check", "--format", "json", "--fail-on", "never"], &env);
    assert!(output.status.success(), "{}", stderr(&output));
    let read_as_admin = findings(&workspace, Some(&url));
    assert_eq!(serde_json::from_slice::<Value>(&output.stdout).unwrap(), read_as_admin);
    assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
    // A role that may read the articles but not their figure statements reads figures from the
    // text, the same findings, and is told once what to grant.
    cluster.sql("news", "REVOKE SELECT ON noteproof_statements FROM analyst");
    let output = run(&workspace, &["check", "--no-cache", "--format", "json", "--fail-on", "never"], &env);
    assert_eq!(serde_json::from_slice::<Value>(&output.stdout).unwrap(), read_as_admin);
    let said = stderr(&output);
    assert_eq!(said.matches("grant it SELECT on noteproof_statements").count(), 1, "{said}");
    assert!(!said.contains("permission denied"), "{said}");

    // A reader cannot ingest: the database says why, in its words.
    let output = run(&workspace, &["ingest"], &env);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("permission denied"), "{}", stderr(&output));

    // A wrong password in the URL: refused, and the message masks it.
    let wrong = cluster.url("analyst", Some("not-the-Pass"), "news");
    let output = run(&workspace, &["check"], &[("NOTEPROOF_DATABASE_URL", &wrong)]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("refused the connection: password authentication failed"), "{message}");
    assert!(message.contains("analyst:***@127.0.0.1"), "{message}");
    assert!(!message.contains("not-the-Pass"), "{message}");
}

/// A team may ingest with a writing role that does not own the archive's tables: it writes what
/// changed, and says that it left the merging of the search indexes' new entries to autovacuum
/// (only their owner may merge them).
#[test]
fn a_writing_role_that_does_not_own_the_archive_ingests_and_says_what_it_left_to_autovacuum() {
    let (cluster, url) = archive();
    let workspace = workspace();
    ingest(&workspace, &url);
    cluster.sql(
        "news",
        "CREATE ROLE clerk LOGIN PASSWORD 'wr1ter-Pass';
         GRANT CREATE ON SCHEMA public TO clerk;
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO clerk;
         GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO clerk",
    );
    workspace.write("seeds/new.txt", "New — “copy”\n\nThe FSB detained 14 people in Łódź, officials said.");
    let writer = cluster.url("clerk", None, "news");
    let output = run(&workspace, &["ingest", "--database", &writer], &[("PGPASSWORD", "wr1ter-Pass")]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("1 added, 0 changed, 0 removed, 7 unchanged"), "{}", stdout(&output));
    let message = stderr(&output);
    assert!(message.contains("left for autovacuum to merge"), "{message}");
    assert!(!message.contains("wr1ter-Pass"), "{message}");
    assert_eq!(findings(&workspace, Some(&url)), findings(&workspace, None));
}

#[test]
fn a_database_that_is_away_is_named_and_an_empty_one_says_what_to_do() {
    let (mut cluster, url) = archive();
    let workspace = workspace();
    let output = run(&workspace, &["check"], &[("NOTEPROOF_DATABASE_URL", &url)]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("holds no noteproof archive yet; run `noteproof ingest --database URL` first"), "{}", stderr(&output));

    cluster.stop_server();
    let output = run(&workspace, &["check"], &[("NOTEPROOF_DATABASE_URL", &url)]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("cannot reach the database postgresql://postgres:***@127.0.0.1:"), "{message}");
    assert!(message.contains("(tried 4 times)"), "{message}");
    assert!(!message.contains(ADMIN_PASSWORD), "{message}");
    cluster.start_server();
}

/// A query the archive is slow to answer (here a lock held on the sentence index) is given up at
/// the statement timeout: `check` finishes and says why, reports only what needs no article (a
/// citation that names nothing), never a missing answer as a source's silence, and answers in
/// full once the archive does.
#[test]
fn a_query_the_archive_is_slow_to_answer_is_given_up_and_said() {
    let (cluster, url) = archive();
    let workspace = workspace();
    ingest(&workspace, &url);
    let from_folders = findings(&workspace, None);

    let lock = cluster.lock_table("news", "noteproof_sentences");
    let output = run(&workspace, &["check", "--no-cache", "--format", "json", "--fail-on", "never"], &[("NOTEPROOF_DATABASE_URL", &url)]);
    drop(lock);
    let message = stderr(&output);
    assert!(message.contains("did not answer: canceling statement due to statement timeout"), "{message}");
    assert!(!message.contains(ADMIN_PASSWORD), "{message}");
    let without_the_index = codes(&serde_json::from_str(&stdout(&output)).unwrap());
    let citation_keys: Vec<String> =
        codes(&from_folders).into_iter().filter(|code| code == "unknown-source" || code == "ambiguous-source").collect();
    assert!(!citation_keys.is_empty(), "the note cites a key no article has");
    assert_eq!(without_the_index, citation_keys);

    assert_eq!(findings(&workspace, Some(&url)), from_folders);
}

/// An ingest that the test hook stops, its transaction open, once it has written `articles`
/// articles, and that is then killed.
fn ingest_killed_after(workspace: &Workspace, url: &str, articles: usize) {
    let mut child = Command::new(binary())
        .args(["ingest", "--database", url])
        .current_dir(workspace.root())
        .env("NOTEPROOF_TEST_HOOKS", "1")
        .env("NOTEPROOF_TEST_INGEST_STALL_AFTER", articles.to_string())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stalled = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stderr.take().unwrap()), &mut stalled).unwrap();
    assert!(stalled.contains(&format!("stalled after {articles} articles")), "{stalled}");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn an_ingest_killed_midway_leaves_the_archive_as_it_was_and_the_next_one_finishes() {
    let (_cluster, url) = archive();
    let workspace = workspace();
    ingest(&workspace, &url);
    let before = findings(&workspace, Some(&url));
    for n in 0..20 {
        workspace.write(&format!("seeds/extra_{n}.txt"), &format!("Extra {n}\n\nThe FSB detained {n} people."));
    }
    ingest_killed_after(&workspace, &url, 2);

    assert_eq!(findings(&workspace, Some(&url)), before, "readers see the archive as it was");
    let said = ingest(&workspace, &url);
    assert!(said.contains("20 added, 0 changed, 0 removed, 7 unchanged"), "{said}");
    assert_eq!(findings(&workspace, Some(&url)), findings(&workspace, None));
}

#[test]
fn an_upgrade_commits_with_its_ingest_and_one_killed_midway_leaves_the_older_archive_whole() {
    let (cluster, url) = archive();
    let workspace = workspace();
    ingest(&workspace, &url);
    // The archive as schema 4 left it: indexed, without posting lists (5), the paths' index (6)
    // or figure statements (7).
    cluster.sql(
        "news",
        "DROP TABLE noteproof_posting_lists; DROP INDEX noteproof_articles_path_pattern; DROP TABLE noteproof_statements;
         ALTER TABLE noteproof_generations DROP COLUMN extractor; DELETE FROM noteproof_schema WHERE version >= 5",
    );
    let index = || cluster.sql("news", "SELECT count(*) FROM noteproof_sentences");
    let indexed = index();
    assert_ne!(indexed.trim(), "0");
    // The upgrade empties the index to build it again; the ingest is killed before it writes
    // anything else.
    ingest_killed_after(&workspace, &url, 0);

    assert_eq!(cluster.sql("news", "SELECT max(version) FROM noteproof_schema").trim(), "4");
    assert_eq!(index(), indexed, "the older archive is whole");
    let output = run(&workspace, &["check"], &[("NOTEPROOF_DATABASE_URL", &url)]);
    assert_eq!(output.status.code(), Some(2));
    let version = noteproof::workspace::database::schema::VERSION;
    let older = format!("version 4, this noteproof's is {version}: the archive is older; run `noteproof ingest`");
    assert!(stderr(&output).contains(&older), "{}", stderr(&output));
    let said = ingest(&workspace, &url);
    assert!(said.contains("0 added, 0 changed, 0 removed, 7 unchanged"), "{said}");
    assert_eq!(findings(&workspace, Some(&url)), findings(&workspace, None));
}

fn server_with_archive(workspace: &Workspace, url: &str) -> LspClient {
    workspace.write("noteproof.json", &json!({"database": url}).to_string());
    let mut client = LspClient::start_with_env(&workspace.root(), &[("NOTEPROOF_ARCHIVE_POLL_MS", "200")]);
    let uri = noteproof::analysis::text::file_uri(&workspace.root().to_string_lossy());
    client
        .request("initialize", json!({"processId": null, "rootUri": uri, "capabilities": {}, "workspaceFolders": [{"uri": uri, "name": "test"}]}))
        .unwrap();
    client.notify("initialized", json!({}));
    client
}

fn has_code(diagnostics: &[Value], code: &str) -> bool {
    diagnostics.iter().any(|d| d["code"] == code)
}

#[test]
fn the_server_reads_the_archive_follows_its_ingests_and_rides_out_the_database_going_away() {
    let (mut cluster, url) = archive();
    let workspace = workspace();
    ingest(&workspace, &url);
    cluster.stop_server();

    // Started while the database is down: it says so, and waits for it.
    let mut client = server_with_archive(&workspace, &url);
    let shown = client.wait_notification("window/showMessage", |p| p["message"].as_str().is_some_and(|m| m.contains("cannot reach")));
    let message = shown["message"].as_str().unwrap();
    assert!(message.contains("postgres:***@127.0.0.1") && !message.contains(ADMIN_PASSWORD), "{message}");
    let uri = workspace.uri("notes/brief.md");
    client.open(&uri, NOTE);

    cluster.start_server();
    let ready = client.wait_notification("noteproof/status", |p| p["state"] == "ready" && p["articles"] == 7);
    assert!(ready["message"].as_str().unwrap().contains("from the archive postgresql://postgres:***@"), "{ready}");
    let before = client.diagnostics_until(&uri, |d| has_code(d, "figure-contradiction"));
    assert!(has_code(&before, "unknown-source"), "{before:?}");

    // The archive's files need not be on this machine: definitions open the text the server serves.
    let at = common::position_of(NOTE, "14 people");
    let definition = client.request("textDocument/definition", json!({"textDocument": {"uri": uri}, "position": at})).unwrap();
    let location = definition.as_array().and_then(|l| l.first()).cloned().unwrap_or(definition);
    let served = location["uri"].as_str().unwrap();
    assert!(served.starts_with("noteproof:///") && served.ends_with("/seeds/000_e88b43032ae58550.txt.txt"), "{location}");
    let content = client.request("workspace/textDocumentContent", json!({"uri": served})).unwrap();
    let line = location["range"]["start"]["line"].as_u64().unwrap() as usize;
    let text = content["text"].as_str().unwrap();
    assert!(text.lines().nth(line).unwrap().contains("arrest of 11 people"), "{location} in {text}");

    // The database goes away mid-session: the server keeps answering. An edited block is checked
    // with what the server kept (articles, posting lists); where its check needed the archive, it
    // reports only what the list of articles decides (citation keys): findings may be missing,
    // never false. Once the archive is back, the note is checked again in full.
    cluster.stop_server();
    let edited = NOTE.replace("14 people", "15 people");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": edited}]}),
    );
    let during = client.diagnostics(&uri, Some(2));
    let edited_line = at["line"].clone();
    let on_edited_line = |d: &&Value| d["range"]["start"]["line"] == edited_line;
    let codes_before: Vec<&Value> = before.iter().filter(on_edited_line).map(|d| &d["code"]).collect();
    for diagnostic in &during {
        if on_edited_line(&diagnostic) {
            // The same kinds of finding as before the edit (15 arrested contradicts 11 as 14 did).
            assert!(codes_before.contains(&&diagnostic["code"]), "{diagnostic} not among {codes_before:?}");
        } else {
            assert!(before.contains(diagnostic), "a block not edited keeps its findings: {diagnostic}");
        }
    }
    assert!(has_code(&during, "unknown-source"), "{during:?}");
    let hover = client.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": at}));
    assert!(hover.is_ok(), "{hover:?}");
    cluster.start_server();
    if !has_code(&during, "figure-contradiction") {
        // The check went without the archive: the server checks the note again once it is back.
        let diagnostics = client.diagnostics_until(&uri, |d| has_code(d, "figure-contradiction"));
        assert!(has_code(&diagnostics, "unknown-source"), "{diagnostics:?}");
    }

    // Another analyst ingests a new article: the server reads the new generation.
    std::fs::write(workspace.path("seeds/0042.txt"), "Agency — “update”\n\nThe toll rose to 139, officials said.").unwrap();
    ingest(&workspace, &url);
    client.wait_notification("noteproof/status", |p| p["state"] == "ready" && p["articles"] == 8);
    let diagnostics = client.diagnostics_until(&uri, |d| !has_code(d, "unknown-source"));
    assert!(has_code(&diagnostics, "figure-contradiction"), "{diagnostics:?}");
    client.shutdown();
}
