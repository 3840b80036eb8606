//! Sources as analysts keep them: saved web pages, PDFs and a sources file, read from disk as the
//! server and `check` read them, and answered over JSON-RPC by the real binary.

mod common;

use std::path::Path;

use common::pdf::{encrypted_pdf, pdf};
use common::{position_of, LspClient, Workspace};
use noteproof::analysis::checks::findings::Code;
use noteproof::analysis::corpus::Resolution;
use noteproof::workspace::{load_workspace, Config};
use serde_json::{json, Value};

const PAGE: &str = include_str!("data/pages/harbour_fire.html");

/// The report, as a PDF: the quotation the notes use is on page 2.
fn report_pdf() -> Vec<u8> {
    pdf(
        Some("Review of the south quay warehouse fire"),
        &[
            &[
                "Review of the south quay warehouse fire",
                "The fire service was called at 02:14 on 9 February 2025.",
                "Six stations sent crews; 120 firefighters attended in all.",
            ],
            &[
                "Findings",
                "The review found that the alarm system had been disabled in 2019.",
                "The chief officer said the site was “a tinderbox waiting for a spark”.",
            ],
            &["Recommendations", "Empty buildings on the quay should be inspected every six months."],
        ],
    )
}

fn workspace_with_documents() -> Workspace {
    let workspace = Workspace::empty();
    workspace.write("seeds/harbour_fire.html", PAGE);
    std::fs::write(workspace.path("seeds/quay_review.pdf"), report_pdf()).unwrap();
    workspace.write(
        "seeds/001_wire.txt",
        "Quay fire under control\n\nA warehouse fire on the south quay was brought under control on Tuesday, officials said.\n",
    );
    workspace
}

fn line_holding(text: &str, needle: &str) -> u64 {
    text[..text.find(needle).unwrap_or_else(|| panic!("{needle:?} in the text"))].matches('\n').count() as u64
}

#[test]
fn a_saved_page_reads_as_its_article_with_the_pages_metadata() {
    let workspace = workspace_with_documents();
    let loaded = load_workspace(&workspace.root(), &Config::default()).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let id = loaded.corpus.article_by_path(&workspace.path("seeds/harbour_fire.html").to_string_lossy()).unwrap();
    let article = loaded.corpus.article(id).unwrap();
    let sentences: Vec<&str> = article.sentences.iter().map(|s| article.sentence_text(s)).collect();
    assert!(
        sentences.contains(
            &"Fourteen firefighters were taken to hospital after a fire tore through a disused grain warehouse on the city’s south quay, the fire service said on Tuesday."
        ),
        "{sentences:#?}"
    );
    assert!(sentences.iter().any(|s| s.contains("the river & the old town")), "entities decoded: {sentences:#?}");
    // The page's furniture is left out, and a paywall teaser inside the article is no evidence.
    for furniture in ["cookies", "QuayWatcher", "Most read", "Flats fire", "Sponsored", "injured\": 99", "All rights reserved"] {
        assert!(!article.text.contains(furniture), "{furniture:?} is furniture:\n{}", article.text);
    }
    assert!(!sentences.iter().any(|s| s.contains("Subscribe")), "{sentences:#?}");
    assert_eq!(article.outlet.as_deref(), Some("Northern Courier"));
    assert_eq!(article.date.map(|d| d.to_string()).as_deref(), Some("2025-02-11"));
    assert_eq!(article.url.as_deref(), Some("https://www.northern-courier.example/news/harbour-warehouse-fire"));
    assert_eq!(article.author.as_deref(), Some("Aisling Ó Riain"));
    assert_eq!(article.title, "Harbour warehouse fire: 14 firefighters hurt as blaze burns for two days");
    assert_eq!(loaded.corpus.source_label(id), "Northern Courier, 11 Feb 2025 [@harbour]");
}

#[test]
fn a_pdf_reads_page_by_page_and_a_quotation_cited_on_the_wrong_page_gets_a_hint_and_fix() {
    let workspace = workspace_with_documents();
    let note = "# Quay fire\n\nThe chief officer called the site “a tinderbox waiting for a spark” [@quay_review, p. 3].\n";
    workspace.write("notes/fire.md", note);
    let loaded = load_workspace(&workspace.root(), &Config::default()).unwrap();
    let id = loaded.corpus.article_by_path(&workspace.path("seeds/quay_review.pdf").to_string_lossy()).unwrap();
    let article = loaded.corpus.article(id).unwrap();
    assert_eq!(article.title, "Review of the south quay warehouse fire");
    let at = article.text.find("The review found").unwrap();
    assert_eq!(article.page_of(at), Some(2));
    assert_eq!(article.page_of(article.text.find("Empty buildings").unwrap()), Some(3));
    assert!(article.text.contains("“a tinderbox waiting for a spark”"), "curly quotes survive: {}", article.text);

    let findings = noteproof::analysis::checks::diagnostics::check_note(&loaded.corpus, &loaded.notes[0]);
    let wrong_page: Vec<_> = findings.iter().filter(|f| f.code == Code::QuoteWrongPage).collect();
    assert_eq!(wrong_page.len(), 1, "{findings:#?}");
    let finding = wrong_page[0];
    assert_eq!(&note[finding.range.clone()], "quay_review, p. 3");
    assert_eq!(finding.message, "“a tinderbox waiting for a spark” is on page 2 of [@quay], not on page 3");
    let fix = &finding.fixes[0];
    assert_eq!(fix.title, "Cite page 2");
    let mut fixed = note.to_string();
    fixed.replace_range(fix.edits[0].range.clone(), &fix.edits[0].new_text);
    assert!(fixed.contains("[@quay_review, p. 2]."), "{fixed}");

    // In a terminal, the PDF is pointed at by its page, not by lines of the text read from it.
    let output = std::process::Command::new(common::binary()).args(["check", "notes"]).current_dir(workspace.root()).output().unwrap();
    let printed = String::from_utf8(output.stdout).unwrap();
    assert!(printed.contains("notes/fire.md:3:") && printed.contains("hint[quote-wrong-page]"), "{printed}");
    assert!(printed.contains("    seeds/quay_review.pdf, page 2: note: on page 2 of [@quay]\n"), "{printed}");

    // Cited on the right page, or without a page: nothing to say.
    for good in ["[@quay_review, p. 2]", "[@quay_review, pp. 1–2]", "[@quay_review]"] {
        let text = note.replace("[@quay_review, p. 3]", good);
        let note = noteproof::analysis::note::Note::parse(&workspace.path("notes/fire.md").to_string_lossy(), &text);
        let findings = noteproof::analysis::checks::diagnostics::check_note(&loaded.corpus, &note);
        assert!(findings.is_empty(), "{good}: {findings:#?}");
    }
}

#[test]
fn extracted_texts_are_kept_in_the_index_and_not_extracted_again() {
    let workspace = workspace_with_documents();
    let first = noteproof::workspace::cache::load_corpus(&workspace.root(), &Config::default(), &mut Vec::new());
    assert_eq!(first.1.parsed, 3);
    let (corpus, report) = noteproof::workspace::cache::load_corpus(&workspace.root(), &Config::default(), &mut Vec::new());
    assert_eq!((report.reused, report.parsed), (3, 0), "{report:?}");
    let id = corpus.article_by_path(&workspace.path("seeds/quay_review.pdf").to_string_lossy()).unwrap();
    let article = corpus.article(id).unwrap();
    assert_eq!(article.page_of(article.text.find("The review found").unwrap()), Some(2), "the text and its pages come back");
    // A changed PDF is read again.
    std::fs::write(
        workspace.path("seeds/quay_review.pdf"),
        pdf(None, &[&["A new first page about something else entirely, with 12 figures."]]),
    )
    .unwrap();
    let (corpus, report) = noteproof::workspace::cache::load_corpus(&workspace.root(), &Config::default(), &mut Vec::new());
    assert_eq!(report.parsed, 1, "{report:?}");
    let id = corpus.article_by_path(&workspace.path("seeds/quay_review.pdf").to_string_lossy()).unwrap();
    assert!(corpus.article(id).unwrap().text.contains("A new first page"));
}

#[test]
fn broken_documents_are_warnings_that_name_the_file_and_the_rest_is_served() {
    let workspace = workspace_with_documents();
    workspace.write(
        "seeds/front_page.html",
        "<html><body><nav><a href=/a>Home</a> <a href=/b>World</a></nav><ul><li><a href=/c>Story</a></li></ul></body></html>",
    );
    workspace.write("seeds/garbage.html", "<<<div <p>>>> &&&; </span></html><html>");
    std::fs::write(workspace.path("seeds/locked.pdf"), encrypted_pdf()).unwrap();
    std::fs::write(workspace.path("seeds/scanned.pdf"), pdf(None, &[&[], &[]])).unwrap();
    let whole = report_pdf();
    std::fs::write(workspace.path("seeds/cut.pdf"), &whole[..whole.len() / 3]).unwrap();
    // 100 MB, sparse: refused by its size before a byte is read.
    std::fs::File::create(workspace.path("seeds/huge.pdf")).unwrap().set_len(100 * 1024 * 1024).unwrap();
    std::fs::write(workspace.path("seeds/binary.pdf"), [0u8, 159, 146, 150, 0, 0, 1, 2, 3]).unwrap();

    let loaded = load_workspace(&workspace.root(), &Config::default()).unwrap();
    let warning_for = |name: &str| {
        loaded
            .warnings
            .iter()
            .find(|w| w.contains(&format!("seeds/{name}")))
            .unwrap_or_else(|| panic!("a warning for {name}: {:#?}", loaded.warnings))
            .clone()
    };
    assert!(warning_for("front_page.html").contains("save the article's own page"));
    assert!(warning_for("garbage.html").contains("skipped"));
    assert!(warning_for("locked.pdf").contains("encrypted"), "{}", warning_for("locked.pdf"));
    assert!(warning_for("scanned.pdf").contains("run OCR"));
    assert!(warning_for("cut.pdf").contains("not a readable PDF"));
    assert!(warning_for("huge.pdf").contains("larger than 64 MB") && warning_for("huge.pdf").contains("maxFileMegabytes"));
    assert!(warning_for("binary.pdf").contains("not a readable PDF"));
    // The good articles are all there.
    let keys: Vec<&str> = loaded.corpus.live().map(|(_, a)| a.key.as_str()).collect();
    for key in ["harbour_fire", "quay_review", "001_wire"] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }
    // Limits come from the configuration.
    let config: Config = serde_json::from_value(json!({"maxPdfPages": 2})).unwrap();
    let loaded = load_workspace(&workspace.root(), &config).unwrap();
    assert!(loaded.warnings.iter().any(|w| w.contains("quay_review.pdf has 3 pages, more than the 2")), "{:#?}", loaded.warnings);
}

#[test]
fn the_sources_file_wins_over_the_copy_and_check_lists_what_is_unknown() {
    let workspace = Workspace::with_seeds();
    workspace.write("notes/brief.md", "# Brief\n\nAt least 139 people were killed [@003]. Bortnikov blamed the West [@004].\n");
    let check = |workspace: &Workspace| {
        let output = std::process::Command::new(common::binary()).args(["check", "notes"]).current_dir(workspace.root()).output().unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let before = check(&workspace);
    assert!(before.contains("info: the outlet of [@003] and [@004] is unknown, and the date of [@004]; "), "{before}");
    assert!(before.contains("add a row for each to seeds/sources.csv"), "{before}");
    workspace.write(
        "seeds/sources.csv",
        "key,outlet,date,url,title,author,comment\n003,The Moscow Desk,2024-03-26,,,,a test row\n004,Wire Review,2024-03-26,,,,\n",
    );
    let loaded = load_workspace(&workspace.root(), &Config::default()).unwrap();
    let Resolution::Found(id) = loaded.corpus.resolve("003") else { panic!("003 is one article") };
    assert_eq!(loaded.corpus.source_label(id), "The Moscow Desk, 26 Mar 2024 [@003]", "the row wins over the copy's date");
    let after = check(&workspace);
    assert!(!after.contains("info:"), "{after}");
}

fn definition(client: &mut LspClient, uri: &str, text: &str, needle: &str) -> Value {
    let mut position = position_of(text, needle);
    position["character"] = json!(position["character"].as_u64().unwrap() + 2);
    client.request("textDocument/definition", json!({"textDocument": {"uri": uri}, "position": position})).unwrap()
}

#[test]
fn definition_opens_the_html_at_its_line_and_the_pdf_as_served_text() {
    let workspace = workspace_with_documents();
    let note = "# Quay fire\n\nThe chief officer called it “a tinderbox waiting for a spark” [@harbour_fire].\n\n\
                The review says “the alarm system had been disabled in 2019” [@quay_review, p. 2].\n";
    workspace.write("notes/fire.md", note);
    let (mut client, _) = LspClient::initialized(&workspace.root(), json!({}));
    client.wait_ready();
    let uri = workspace.uri("notes/fire.md");
    client.open(&uri, note);
    let diagnostics = client.diagnostics(&uri, None);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");

    // Into the page: the line of the HTML file where the sentence stands.
    let page = definition(&mut client, &uri, note, "a tinderbox");
    let location = &page.as_array().unwrap()[0];
    assert_eq!(location["uri"], workspace.uri("seeds/harbour_fire.html"));
    assert_eq!(location["range"]["start"]["line"].as_u64(), Some(line_holding(PAGE, "a tinderbox waiting for a spark")), "{location}");

    // Into the PDF: its text, served under noteproof:, at the sentence.
    let served = definition(&mut client, &uri, note, "the alarm system");
    let location = &served.as_array().unwrap()[0];
    let served_uri = location["uri"].as_str().unwrap().to_string();
    assert!(served_uri.starts_with("noteproof:") && served_uri.ends_with("quay_review.pdf.txt"), "{served_uri}");
    let content = client.request("workspace/textDocumentContent", json!({"uri": served_uri})).unwrap();
    let text = content["text"].as_str().unwrap();
    assert_eq!(location["range"]["start"]["line"].as_u64(), Some(line_holding(text, "The review found")), "{location}\n{text}");
    let unknown = client.request("workspace/textDocumentContent", json!({"uri": "noteproof:///nowhere/x.pdf.txt"}));
    assert!(unknown.unwrap_err()["message"].as_str().unwrap().contains("not in the corpus"));

    // The hover names the page, and links the PDF itself at it.
    let mut position = position_of(note, "[@quay_review");
    position["character"] = json!(position["character"].as_u64().unwrap() + 3);
    let hover = client.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": position})).unwrap();
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(markdown.contains("[page 2](file://") && markdown.contains("quay_review.pdf#page=2)"), "{markdown}");
    client.shutdown();
}

#[test]
fn editing_the_sources_file_changes_hovers_without_a_restart() {
    let workspace = Workspace::with_seeds();
    let note = "# Brief\n\nBortnikov blamed the West [@004].\n";
    workspace.write("notes/brief.md", note);
    let (mut client, _) = LspClient::initialized(&workspace.root(), json!({}));
    client.wait_ready();
    let uri = workspace.uri("notes/brief.md");
    client.open(&uri, note);
    client.diagnostics(&uri, None);
    let hover_text = |client: &mut LspClient| {
        let mut position = position_of(note, "[@004]");
        position["character"] = json!(position["character"].as_u64().unwrap() + 3);
        let hover = client.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": position})).unwrap();
        hover["contents"]["value"].as_str().unwrap_or_default().to_string()
    };
    assert!(!hover_text(&mut client).contains("Wire Review"));
    client.notifications.clear();
    workspace.write("seeds/sources.csv", "key,outlet,date\n004,Wire Review,2024-03-26\n");
    // The server's own watcher re-reads the file and says so when the corpus is updated.
    client.wait_notification("noteproof/status", |p| p["message"] == "corpus updated");
    let text = hover_text(&mut client);
    assert!(text.contains("Wire Review, 26 Mar 2024"), "{text}");
    client.shutdown();
}

#[test]
fn the_bundled_seeds_have_a_sources_file_with_only_what_their_copy_says() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let text = std::fs::read_to_string(seeds.join("sources.csv")).unwrap();
    let (table, problems) = noteproof::analysis::corpus::sources_file::parse_sources_file(&text, "seeds/sources.csv");
    assert!(problems.is_empty(), "{problems:?}");
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        assert!(line.split(',').count() >= 7 && !line.rsplit(',').next().unwrap().trim().is_empty(), "every row says why: {line}");
    }
    assert!(!table.rows.is_empty());
}
