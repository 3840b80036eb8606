//! End-to-end: the real binary over stdio, as an editor drives it.

mod common;

use common::{position_of, LspClient, Workspace};
use serde_json::{json, Value};

const NOTE: &str = "# Brief — “Crocus” 😀\n\n\
Café owners said the toll rose to 139 [@000]. Four attackers set fire to the venue [@002].\n\
Ukraine’s “denial” is cited [@007].\n";

fn started(workspace: &Workspace) -> LspClient {
    let (mut client, _) = LspClient::initialized(&workspace.root(), json!({}));
    client.wait_ready();
    client
}

#[test]
fn initialize_advertises_features_and_negotiates_positions() {
    let workspace = Workspace::with_seeds();
    let (client, result) = LspClient::initialized(&workspace.root(), json!({}));
    let capabilities = &result["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    assert_eq!(capabilities["textDocumentSync"]["change"], 2, "incremental sync");
    for feature in ["hoverProvider", "definitionProvider", "referencesProvider", "documentSymbolProvider", "workspaceSymbolProvider"] {
        assert_eq!(capabilities[feature], true, "{feature}");
    }
    assert_eq!(capabilities["completionProvider"]["triggerCharacters"], json!(["@"]));
    assert!(client.shutdown().success());

    let (client, result) = LspClient::initialized(&workspace.root(), json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}));
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert!(client.shutdown().success());
}

#[test]
fn unknown_keys_are_reported_at_utf16_positions() {
    let workspace = Workspace::with_seeds();
    let mut client = started(&workspace);
    let uri = workspace.uri("notes/brief.md");
    client.open(&uri, NOTE);
    let diagnostics = client.diagnostics(&uri, Some(1));
    let codes: Vec<&str> = diagnostics.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["unknown-source"], "{diagnostics:#?}");
    let diagnostic = &diagnostics[0];
    assert_eq!(diagnostic["code"], "unknown-source");
    assert_eq!(diagnostic["source"], "noteproof");
    assert_eq!(diagnostic["severity"], 1);
    let start = position_of(NOTE, "007]");
    assert_eq!(diagnostic["range"]["start"], start);
    assert_eq!(diagnostic["range"]["end"]["character"], start["character"].as_u64().unwrap() + 3);
    client.shutdown();
}

#[test]
fn hover_on_a_citation_shows_the_article_and_matching_sentences() {
    let workspace = Workspace::with_seeds();
    let mut client = started(&workspace);
    let uri = workspace.uri("notes/brief.md");
    client.open(&uri, NOTE);
    let hover = client.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": position_of(NOTE, "000]")})).unwrap();
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(markdown.contains("Efforts to search for and rescue injured people"), "title: {markdown}");
    assert!(markdown.contains("Agencies"), "outlet: {markdown}");
    assert!(markdown.contains("had risen to 139, including 3 children"), "best sentence quoted: {markdown}");
    assert!(markdown.contains("#L"), "a link to the line: {markdown}");
    assert_eq!(hover["range"]["start"], position_of(NOTE, "000]"));
    client.shutdown();
}

#[test]
fn definition_lands_on_the_best_matching_sentence_of_the_cited_article() {
    let workspace = Workspace::with_seeds();
    let mut client = started(&workspace);
    let uri = workspace.uri("notes/brief.md");
    client.open(&uri, NOTE);
    let result =
        client.request("textDocument/definition", json!({"textDocument": {"uri": uri}, "position": position_of(NOTE, "002]")})).unwrap();
    let location = &result[0];
    assert!(location["uri"].as_str().unwrap().ends_with("seeds/002_768581a09abd6eab.txt"), "{result}");
    let seed = std::fs::read_to_string(workspace.path("seeds/002_768581a09abd6eab.txt")).unwrap();
    // The one sentence of 002 about four attackers and the fire at the venue.
    assert_eq!(location["range"]["start"], position_of(&seed, "Four attackers shot"));
    client.shutdown();
}

#[test]
fn completion_offers_keys_with_title_outlet_and_date() {
    let workspace = Workspace::with_seeds();
    let mut client = started(&workspace);
    let uri = workspace.uri("notes/brief.md");
    let text = "Toll “rose” [@00";
    client.open(&uri, text);
    let result =
        client.request("textDocument/completion", json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 16}})).unwrap();
    let items = result["items"].as_array().unwrap();
    let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["000", "001", "002", "003", "004"]);
    let three = items.iter().find(|i| i["label"] == "003").unwrap();
    assert!(three["detail"].as_str().unwrap().contains("2024-03-27"), "{three}");
    assert_eq!(three["textEdit"]["range"]["start"]["character"], 14, "replaces the typed `00`");
    client.shutdown();
}

#[test]
fn references_find_citations_in_open_and_unopened_notes() {
    let workspace = Workspace::with_seeds();
    workspace.write("notes/other.md", "Another note cites [@003] and [see @003_0374629e18bf1a2b, p. 2].\n");
    let mut client = started(&workspace);
    let uri = workspace.uri("notes/brief.md");
    let text = "Putin blamed Ukraine [@003].\n";
    client.open(&uri, text);
    let result = client
        .request(
            "textDocument/references",
            json!({"textDocument": {"uri": uri}, "position": position_of(text, "003]"), "context": {"includeDeclaration": true}}),
        )
        .unwrap();
    let mut found: Vec<(String, u64)> = result
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["uri"].as_str().unwrap().rsplit('/').next().unwrap().to_string(), l["range"]["start"]["character"].as_u64().unwrap()))
        .collect();
    found.sort();
    assert_eq!(found, [("brief.md".to_string(), 23), ("other.md".to_string(), 21), ("other.md".to_string(), 36)]);

    // From inside the article file itself.
    let article_uri = workspace.uri("seeds/003_0374629e18bf1a2b.txt");
    let article = std::fs::read_to_string(workspace.path("seeds/003_0374629e18bf1a2b.txt")).unwrap();
    client.open(&article_uri, &article);
    let result = client
        .request(
            "textDocument/references",
            json!({"textDocument": {"uri": article_uri}, "position": {"line": 2, "character": 5}, "context": {"includeDeclaration": true}}),
        )
        .unwrap();
    assert_eq!(result.as_array().unwrap().len(), 3, "{result}");
    client.shutdown();
}

#[test]
fn incremental_changes_with_non_ascii_text_move_diagnostics() {
    let workspace = Workspace::with_seeds();
    let mut client = started(&workspace);
    let uri = workspace.uri("notes/brief.md");
    client.open(&uri, NOTE);
    client.diagnostics(&uri, Some(1));
    // Insert “é😀” before the bad key on line 3: its range moves by 1 + 2 UTF-16 units... and fix it.
    let line = 3;
    let bad = position_of(NOTE, "007]");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": "é😀 "}
        ]}),
    );
    let diagnostics = client.diagnostics(&uri, Some(2));
    let unknown = diagnostics.iter().find(|d| d["code"] == "unknown-source").unwrap();
    assert_eq!(unknown["range"]["start"]["character"], bad["character"].as_u64().unwrap() + 4);
    let start = unknown["range"]["start"].clone();
    let end = unknown["range"]["end"].clone();
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"range": {"start": start, "end": end}, "text": "004"}]}),
    );
    let codes: Vec<Value> = client.diagnostics(&uri, Some(3)).iter().map(|d| d["code"].clone()).collect();
    assert_eq!(codes, [json!("quote-wrong-source")], "only a hint is left: “denial” is in 000, not 004");
    let state = client.request("noteproof/documentState", json!({"uri": uri})).unwrap();
    assert!(state["text"].as_str().unwrap().contains("é😀 Ukraine’s “denial” is cited [@004]."));
    client.shutdown();
}

#[test]
fn code_actions_offer_the_similar_keys_for_an_unknown_one() {
    let workspace = Workspace::with_seeds();
    let mut client = started(&workspace);
    let uri = workspace.uri("notes/brief.md");
    let text = "The toll rose [@0003].\n";
    client.open(&uri, text);
    let diagnostics = client.diagnostics(&uri, Some(1));
    let range = diagnostics[0]["range"].clone();
    let actions = client
        .request("textDocument/codeAction", json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": diagnostics}}))
        .unwrap();
    let titles: Vec<&str> = actions.as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert!(titles.contains(&"Cite 27 Mar 2024 [@003] instead"), "{titles:?}");
    let fix = actions.as_array().unwrap().iter().find(|a| a["title"] == "Cite 27 Mar 2024 [@003] instead").unwrap();
    assert_eq!(fix["edit"]["changes"][&uri][0]["newText"], "003");
    client.shutdown();
}

#[test]
fn document_and_workspace_symbols() {
    let workspace = Workspace::with_seeds();
    let mut client = started(&workspace);
    let uri = workspace.uri("notes/brief.md");
    let text = "# Brief — “é”\n\n## 1. Events\n\nText.\n\n### Detail\n\n## 2. Timeline\n";
    client.open(&uri, text);
    let symbols = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}})).unwrap();
    assert_eq!(symbols[0]["name"], "Brief — “é”");
    let children: Vec<&str> = symbols[0]["children"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(children, ["1. Events", "2. Timeline"]);
    assert_eq!(symbols[0]["children"][0]["children"][0]["name"], "Detail");

    let found = client.request("workspace/symbol", json!({"query": "spymaster"})).unwrap();
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert!(found[0]["name"].as_str().unwrap().starts_with("@004 Russian Spymaster"));
    // Its copy names two outlets (a picture credit, another's furniture): none is vouched for.
    assert_eq!(found[0]["containerName"], "outlet and date unknown");
    client.shutdown();
}

/// A deterministic stream of edits: splitmix64.
struct Random(u64);
impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn utf16_position(text: &str, offset: usize) -> Value {
    position_of(&format!("{}\u{0}", &text[..offset]), "\u{0}")
}

#[test]
fn a_thousand_rapid_incremental_edits_leave_the_exact_text_and_its_diagnostics() {
    let workspace = Workspace::with_seeds();
    let mut client = started(&workspace);
    let uri = workspace.uri("notes/edits.md");
    let mut text = String::from("Start “é” [@001].\n");
    client.open(&uri, &text);
    let pieces = ["é", "’", "“q”", "😀", " [@00", "3]", " [@9", "\n", "The toll rose to 139. ", "Ж", "a"];
    let mut random = Random(42);
    for version in 2..1002 {
        let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        let start = boundaries[random.below(boundaries.len())];
        let delete = random.below(4) == 0;
        let end = if delete { boundaries.iter().copied().filter(|&b| b >= start).nth(random.below(4)).unwrap_or(start) } else { start };
        let insert = if delete { "" } else { pieces[random.below(pieces.len())] };
        let (start_position, end_position) = (utf16_position(&text, start), utf16_position(&text, end));
        text.replace_range(start..end, insert);
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [
                {"range": {"start": start_position, "end": end_position}, "text": insert}
            ]}),
        );
    }
    let state = client.request("noteproof/documentState", json!({"uri": uri})).unwrap();
    assert_eq!(state["version"], 1001);
    assert_eq!(state["text"].as_str().unwrap(), text, "the server's text is the edited text");
    let after_edits = client.diagnostics(&uri, Some(1001));
    // Debounced: an edit that a newer edit superseded within the debounce is never analysed. The
    // 1,000 edits arrive in well under a second, so they cost a handful of analyses, not 1,000.
    let published = client
        .notifications
        .iter()
        .filter(|n| n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri.as_str())
        .count()
        + 1;
    assert!(published <= 500, "a burst of 1,000 edits is not analysed edit by edit: {published} publishes");
    // The same text opened fresh gives the same diagnostics.
    let fresh_uri = workspace.uri("notes/fresh.md");
    client.open(&fresh_uri, &text);
    let fresh = client.diagnostics(&fresh_uri, Some(1));
    let strip = |d: &Vec<Value>| d.iter().map(|d| (d["range"].clone(), d["code"].clone(), d["message"].clone())).collect::<Vec<_>>();
    assert_eq!(strip(&after_edits), strip(&fresh));
    assert!(!fresh.is_empty(), "the edits planted unknown keys");
    client.shutdown();
}

#[test]
fn a_new_article_updates_open_notes_through_the_servers_own_watcher() {
    let workspace = Workspace::with_seeds();
    let mut client = started(&workspace);
    let uri = workspace.uri("notes/brief.md");
    let text = "A new report [@105] says more.\n";
    client.open(&uri, text);
    assert_eq!(client.diagnostics(&uri, Some(1))[0]["code"], "unknown-source");
    workspace.write("seeds/105_new.txt", "A new report\n\nThe toll rose again, a new report says.\n");
    // The citation resolves once the file exists, and breaks again when it is deleted.
    client.diagnostics_until(&uri, |d| d.is_empty());
    std::fs::remove_file(workspace.path("seeds/105_new.txt")).unwrap();
    let diagnostics = client.diagnostics_until(&uri, |d| !d.is_empty());
    assert_eq!(diagnostics[0]["code"], "unknown-source");
    client.shutdown();
}

#[test]
fn exit_after_shutdown_ends_the_process_cleanly() {
    let workspace = Workspace::with_seeds();
    let client = started(&workspace);
    assert!(client.shutdown().success());
}

#[test]
fn quotations_over_stdio_hover_definition_and_fixes() {
    let workspace = Workspace::with_seeds();
    let mut client = started(&workspace);
    let uri = workspace.uri("notes/quotes.md");
    let text = "Putin accused Washington of “blackmail” [@001].\n\n\
                Bortnikov said “the terrorists received clear orders to move toward the Ukrainian border” [@001].\n\n\
                The plot was run “via the internet by members of Khorasan Province”.\n";
    client.open(&uri, text);
    let diagnostics = client.diagnostics(&uri, Some(1));
    let codes: Vec<&str> = diagnostics.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["quote-not-found", "quote-uncited"]);

    let hover =
        client.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": position_of(text, "mail”")})).unwrap();
    assert!(hover["contents"]["value"].as_str().unwrap().starts_with("**Quoted in 2 sources**"), "{hover}");

    let result =
        client.request("textDocument/definition", json!({"textDocument": {"uri": uri}, "position": position_of(text, "mail”")})).unwrap();
    let targets: Vec<&str> = result.as_array().unwrap().iter().map(|l| l["uri"].as_str().unwrap().rsplit('/').next().unwrap()).collect();
    assert_eq!(targets, ["002_768581a09abd6eab.txt", "001_76ee82237eabb591.txt"], "the dated, originating article first");
    let seed = std::fs::read_to_string(workspace.path("seeds/001_76ee82237eabb591.txt")).unwrap();
    let start = position_of(&seed, "blackmail");
    assert_eq!(
        result[1]["range"],
        json!({"start": start, "end": {"line": start["line"], "character": start["character"].as_u64().unwrap() + 9}})
    );

    let actions = |client: &mut LspClient, diagnostic: &Value| {
        let actions = client
            .request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}}),
            )
            .unwrap();
        actions
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["title"].as_str().unwrap().to_string(), a["edit"]["changes"][&uri][0]["newText"].clone()))
            .collect::<Vec<_>>()
    };
    let replace = actions(&mut client, &diagnostics[0]);
    assert_eq!(
        replace[0],
        (
            "Quote the exact words of [@001]".to_string(),
            json!("the terrorists received clear instructions to move toward the Ukrainian border")
        )
    );
    let cite = actions(&mut client, &diagnostics[1]);
    assert!(cite.contains(&("Cite [@002]".to_string(), json!(" [@002]"))), "{cite:?}");
    client.shutdown();
}

#[test]
fn figures_over_stdio_diagnostics_hover_and_the_fact_sheet_command() {
    let workspace = Workspace::with_seeds();
    let mut client = started(&workspace);
    let uri = workspace.uri("notes/figures.md");
    let text = "# Crocus “City” Hall — é\n\nThe FSB detained 14 people [@000].\n";
    client.open(&uri, text);
    let diagnostics = client.diagnostics(&uri, Some(1));
    assert_eq!(diagnostics[0]["code"], "figure-contradiction");
    assert_eq!(diagnostics[0]["range"]["start"], position_of(text, "14 people"));
    assert!(diagnostics[0]["relatedInformation"][0]["location"]["uri"].as_str().unwrap().ends_with("000_e88b43032ae58550.txt"));
    let hover =
        client.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": position_of(text, "14 people")})).unwrap();
    assert!(hover["contents"]["value"].as_str().unwrap().starts_with("**14 arrested**, but the cited source says “11”:"), "{hover}");
    let facts = client.request("workspace/executeCommand", json!({"command": "noteproof.facts", "arguments": []})).unwrap();
    let markdown = facts.as_str().unwrap();
    assert!(markdown.starts_with("# Fact sheet"), "{markdown}");
    // A list per measure, wrapped for a pane beside the note.
    assert!(
        markdown.contains("## Injured\n\n- **182** (exactly 182) — Agencies `[@000]`: “…including 3 children, while 182\n  people were injured.” (seeds/000_e88b43032ae58550.txt:7)"),
        "{markdown}"
    );
    assert!(markdown.lines().all(|line| line.chars().count() <= 78), "{markdown}");
    let unknown = client.request("workspace/executeCommand", json!({"command": "noteproof.nope"}));
    assert!(unknown.is_err(), "an unknown command is an error, not a crash");
    client.shutdown();
}

#[test]
fn indexing_reports_progress_and_article_files_have_their_title_as_symbol() {
    let workspace = Workspace::with_seeds();
    let (mut client, _) = LspClient::initialized(&workspace.root(), json!({"window": {"workDoneProgress": true}}));
    let create = client.wait_for(|m| m["method"] == "window/workDoneProgress/create", *common::TIMEOUT);
    let token = create["params"]["token"].clone();
    // The client accepts the token; then the progress begins and ends.
    client.send(&json!({"jsonrpc": "2.0", "id": create["id"], "result": null}));
    client.wait_notification("$/progress", |p| p["value"]["kind"] == "begin");
    let end = client.wait_notification("$/progress", |p| p["value"]["kind"] == "end");
    assert_eq!(end["token"], token);
    assert!(end["value"]["message"].as_str().unwrap().contains("5 articles"), "{end}");
    client.wait_ready();
    let uri = workspace.uri("seeds/004_fb2ae5532553813c.txt");
    let text = std::fs::read_to_string(workspace.path("seeds/004_fb2ae5532553813c.txt")).unwrap();
    client.open(&uri, &text);
    let symbols = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}})).unwrap();
    assert_eq!(symbols[0]["name"], "Russian Spymaster: U.S. & U.K. Behind ISIS-Claimed Moscow Massacre");
    assert_eq!(symbols[0]["detail"], "outlet and date unknown");
    client.shutdown();
}

/// The capabilities of a client that pulls diagnostics (LSP 3.17) and can be asked to pull again.
fn pull_capabilities() -> Value {
    json!({
        "textDocument": {"diagnostic": {"dynamicRegistration": false, "relatedDocumentSupport": false}},
        "workspace": {"diagnostics": {"refreshSupport": true}}
    })
}

/// A session with a client that pulls diagnostics, once the corpus is indexed.
fn pulling(workspace: &Workspace) -> LspClient {
    let (mut client, result) = LspClient::initialized(&workspace.root(), pull_capabilities());
    assert_eq!(
        result["capabilities"]["diagnosticProvider"],
        json!({"identifier": "noteproof", "interFileDependencies": true, "workspaceDiagnostics": false})
    );
    client.wait_ready();
    // Indexing made every report outdated: the server asks the client to pull again.
    client.wait_server_request("workspace/diagnostic/refresh");
    client
}

fn codes(report: &Value) -> Vec<String> {
    report["items"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_string()).collect()
}

fn pushed(client: &LspClient) -> usize {
    client.notifications.iter().filter(|n| n["method"] == "textDocument/publishDiagnostics").count()
}

#[test]
fn a_pull_naming_the_current_report_is_answered_unchanged_until_the_note_changes() {
    let workspace = Workspace::with_seeds();
    let mut client = pulling(&workspace);
    let uri = workspace.uri("notes/brief.md");
    client.open(&uri, NOTE);
    let first = client.pull_diagnostics(&uri, None);
    assert_eq!(first["kind"], "full");
    assert_eq!(codes(&first), ["unknown-source"]);
    assert_eq!(first["items"][0]["range"]["start"], position_of(NOTE, "007]"), "UTF-16 positions, as pushed ones");
    let id = first["resultId"].as_str().expect("a full report names itself").to_string();

    let again = client.pull_diagnostics(&uri, Some(&id));
    assert_eq!(again, json!({"kind": "unchanged", "resultId": id}), "nothing changed: no diagnostics sent again");

    // “denial” now cites 004, which does not hold it: a new report, with a new id.
    let start = position_of(NOTE, "007]");
    let end = json!({"line": start["line"], "character": start["character"].as_u64().unwrap() + 3});
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {"start": start, "end": end}, "text": "004"}]}),
    );
    let edited = client.pull_diagnostics(&uri, Some(&id));
    assert_eq!(edited["kind"], "full");
    assert_eq!(codes(&edited), ["quote-wrong-source"]);
    let new_id = edited["resultId"].as_str().unwrap();
    assert_ne!(new_id, id);
    assert_eq!(client.pull_diagnostics(&uri, Some(new_id))["kind"], "unchanged");
    assert_eq!(client.pull_diagnostics(&uri, Some(&id))["kind"], "full", "an older id gets the current report");
    assert_eq!(pushed(&client), 0, "a client that pulls gets nothing pushed");
    assert!(client.shutdown().success());
}

#[test]
fn a_corpus_change_asks_a_pulling_client_to_pull_again_and_the_next_pull_is_full() {
    let workspace = Workspace::with_seeds();
    let mut client = pulling(&workspace);
    let uri = workspace.uri("notes/new.md");
    client.open(&uri, "A new report — from the Café de Flore — says the toll rose again [@105].\n");
    let before = client.pull_diagnostics(&uri, None);
    assert_eq!(codes(&before), ["unknown-source"]);
    let mut id = before["resultId"].as_str().unwrap().to_string();

    // The article arrives whole (written aside, then moved in), as a sync tool delivers it.
    let aside = workspace.write("105_new.txt", "A new report\n\nThe toll rose again, a new report — “from the Café” — says.\n");
    std::fs::rename(aside, workspace.path("seeds/105_new.txt")).unwrap();
    client.wait_server_request("workspace/diagnostic/refresh");
    let after = client.pull_diagnostics(&uri, Some(&id));
    assert_eq!(after["kind"], "full", "a new corpus is a new report");
    id = after["resultId"].as_str().unwrap().to_string();
    // A watcher may see the file in more than one event; each new corpus asks for another pull.
    let mut items = after["items"].clone();
    while items != json!([]) {
        client.wait_server_request("workspace/diagnostic/refresh");
        let report = client.pull_diagnostics(&uri, Some(&id));
        if report["kind"] == "full" {
            id = report["resultId"].as_str().unwrap().to_string();
            items = report["items"].clone();
        }
    }
    assert_eq!(pushed(&client), 0, "a client that pulls gets nothing pushed");
    assert!(client.shutdown().success());
}

#[test]
fn a_client_that_does_not_pull_or_cannot_be_asked_to_pull_again_gets_diagnostics_pushed() {
    let workspace = Workspace::with_seeds();
    let clients = [
        // It could be asked to refresh pulled diagnostics, but it does not pull them.
        json!({"workspace": {"diagnostics": {"refreshSupport": true}}}),
        // It pulls, but could not be told that a corpus change outdated what it pulled (Neovim 0.11).
        json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}}),
    ];
    for (index, capabilities) in clients.into_iter().enumerate() {
        let (mut client, result) = LspClient::initialized(&workspace.root(), capabilities);
        assert!(result["capabilities"].get("diagnosticProvider").is_none(), "{result}");
        client.wait_ready();
        let uri = workspace.uri(&format!("notes/new{index}.md"));
        client.open(&uri, "A new report — from the Café de Flore — says the toll rose again [@105].\n");
        assert_eq!(client.diagnostics(&uri, Some(1))[0]["code"], "unknown-source");
        let pulled = client.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri}}));
        assert_eq!(pulled.unwrap_err()["code"], -32601, "pushed or pulled, never both");
        workspace.write("seeds/105_new.txt", "A new report\n\nThe toll rose again, a new report — “from the Café” — says.\n");
        client.diagnostics_until(&uri, |d| d.is_empty());
        let refreshes = client.server_requests.iter().filter(|r| r["method"] == "workspace/diagnostic/refresh").count();
        assert_eq!(refreshes, 0, "a corpus change re-publishes; it does not ask for a pull");
        assert!(client.shutdown().success());
        std::fs::remove_file(workspace.path("seeds/105_new.txt")).unwrap();
    }
}

/// A note long enough that checking it takes a while: different paragraphs, each with a figure the
/// cited source contradicts, a quotation it does not hold and a key that names nothing.
fn long_note(paragraphs: usize) -> String {
    (0..paragraphs)
        .map(|i| format!("Paragraph {i} — the FSB detained 14 people [@000]; “they said nothing {i}” [@001], and [@90{i}].\n\n"))
        .collect()
}

#[test]
fn a_cancelled_pull_is_answered_and_the_server_goes_on_with_nothing_stale_left_behind() {
    let workspace = Workspace::with_seeds();
    let mut client = pulling(&workspace);
    let uri = workspace.uri("notes/long.md");
    let text = long_note(300);
    client.open(&uri, &text);
    let id = client.send_request("textDocument/diagnostic", json!({"textDocument": {"uri": uri}}));
    client.notify("$/cancelRequest", json!({"id": id}));
    match client.response(id) {
        Ok(report) => assert_eq!(report["kind"], "full", "answered before the cancellation arrived"),
        Err(error) => assert_eq!(error["code"], -32800, "RequestCancelled: {error}"),
    }
    let hover = client.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": position_of(&text, "000]")})).unwrap();
    assert!(hover["contents"]["value"].as_str().unwrap().contains("Agencies"), "{hover}");
    // The cancelled run stored nothing; the next pull computes the whole note.
    let report = client.pull_diagnostics(&uri, None);
    let unknown = codes(&report).iter().filter(|c| *c == "unknown-source").count();
    assert_eq!(unknown, 300, "every paragraph's unknown key is reported");
    assert!(client.shutdown().success());
}
