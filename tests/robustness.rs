//! Protocol abuse and bad input over stdio: the server answers with JSON-RPC
//! errors or empty results, keeps its document state exact, and never dies.

mod common;

use common::{position_of, LspClient, Workspace, TIMEOUT};
use serde_json::{json, Value};

fn started(workspace: &Workspace) -> LspClient {
    let (mut client, _) = LspClient::initialized(&workspace.root(), json!({}));
    client.wait_ready();
    client
}

/// The server still answers a plain request: the session goes on.
fn assert_alive(client: &mut LspClient) {
    let symbols = client.request("workspace/symbol", json!({"query": "Spymaster"})).expect("the server still answers");
    assert_eq!(symbols.as_array().unwrap().len(), 1);
}

fn error_code(response: Result<Value, Value>) -> i64 {
    response.expect_err("an error response")["code"].as_i64().unwrap()
}

#[test]
fn requests_before_initialize_are_refused_and_the_handshake_still_works() {
    let workspace = Workspace::with_seeds();
    let mut client = LspClient::start(&workspace.root());
    assert_eq!(
        error_code(
            client.request("textDocument/hover", json!({"textDocument": {"uri": "file:///x.md"}, "position": {"line": 0, "character": 0}}))
        ),
        -32002
    );
    let uri = workspace.uri("");
    client.request("initialize", json!({"capabilities": {}, "rootUri": uri})).unwrap();
    client.notify("initialized", json!({}));
    client.wait_ready();
    assert_alive(&mut client);
    assert!(client.shutdown().success());
}

#[test]
fn malformed_messages_get_errors_and_the_session_goes_on() {
    let workspace = Workspace::with_seeds();
    let mut client = started(&workspace);
    // Not JSON at all.
    client.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    let error = client.wait_for(|m| m["error"]["code"] == -32700, *TIMEOUT);
    assert_eq!(error["id"], Value::Null);
    // A Content-Length that is not a number, then one that is too short: the reader resynchronises.
    client.send_raw(b"Content-Length: many\r\n\r\n{}");
    client.send_raw(b"Content-Length: 5\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"shutdown\"}");
    assert_alive(&mut client);
    // Valid JSON that is no request; an unknown method; wrong parameters.
    client.send(&json!({"jsonrpc": "2.0", "id": 7, "result": 1}));
    assert_eq!(error_code(client.request("noteproof/noSuchMethod", json!({}))), -32601);
    assert_eq!(error_code(client.request("textDocument/hover", json!({"bogus": true}))), -32602);
    client.notify("textDocument/didChange", json!({"nonsense": 1}));
    assert_alive(&mut client);
    assert!(client.shutdown().success());
}

#[test]
fn documents_never_opened_and_positions_out_of_range_give_empty_answers() {
    let workspace = Workspace::with_seeds();
    let mut client = started(&workspace);
    let never = workspace.uri("notes/never.md");
    for method in ["textDocument/hover", "textDocument/definition", "textDocument/completion", "textDocument/references"] {
        let mut params = json!({"textDocument": {"uri": never}, "position": {"line": 0, "character": 0}});
        if method == "textDocument/references" {
            params["context"] = json!({"includeDeclaration": true});
        }
        assert_eq!(client.request(method, params).unwrap(), Value::Null, "{method}");
    }
    let uri = workspace.uri("notes/a.md");
    let text = "Toll “é” [@000].\n";
    client.open(&uri, text);
    for position in [json!({"line": 0, "character": 9999}), json!({"line": 9999, "character": 0}), json!({"line": 0, "character": 6})] {
        for method in ["textDocument/hover", "textDocument/definition", "textDocument/completion"] {
            let result = client.request(method, json!({"textDocument": {"uri": uri}, "position": position}));
            assert!(result.is_ok(), "{method} at {position}: {result:?}");
        }
    }
    let range = json!({"start": {"line": 5, "character": 3}, "end": {"line": 0, "character": 0}});
    assert!(client
        .request("textDocument/codeAction", json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": []}}))
        .is_ok());
    assert!(client.shutdown().success());
}

#[test]
fn stale_skipped_and_reversed_changes_keep_the_text_exact() {
    let workspace = Workspace::with_seeds();
    let mut client = started(&workspace);
    let uri = workspace.uri("notes/a.md");
    client.open(&uri, "abc “é” def\n");
    let change = |client: &mut LspClient, version: i64, range: Value, text: &str| {
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": range, "text": text}]}),
        );
    };
    let at = |c: u32| json!({"line": 0, "character": c});
    change(&mut client, 1, json!({"start": at(0), "end": at(3)}), "STALE"); // same version as open: ignored
    change(&mut client, 5, json!({"start": at(0), "end": at(3)}), "ABC"); // skipped versions: applied
    change(&mut client, 4, json!({"start": at(0), "end": at(3)}), "OLD"); // older: ignored
    change(&mut client, 6, json!({"start": at(11), "end": at(8)}), "DEF"); // reversed range: reordered
    change(&mut client, 7, json!({"start": {"line": 40, "character": 0}, "end": {"line": 41, "character": 0}}), "tail"); // past the end: appended
    let state = client.request("noteproof/documentState", json!({"uri": uri})).unwrap();
    assert_eq!(state, json!({"version": 7, "text": "ABC “é” DEF\ntail"}));
    assert!(client.shutdown().success());
}

#[test]
fn cancelled_requests_are_answered_and_the_session_goes_on() {
    let workspace = Workspace::with_seeds();
    let mut client = started(&workspace);
    let uri = workspace.uri("notes/a.md");
    let text = "The toll rose to 139 [@000]. ".repeat(2000);
    client.open(&uri, &text);
    let id = client.send_request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 5}}));
    client.notify("$/cancelRequest", json!({"id": id}));
    let response = client.response(id);
    assert!(response.is_ok() || error_code(response) == -32800);
    assert_alive(&mut client);
    assert!(client.shutdown().success());
}

#[test]
fn a_missing_corpus_folder_is_reported_and_notes_still_work() {
    let workspace = Workspace::empty();
    workspace.write("noteproof.json", r#"{"corpus": ["archive"]}"#);
    let (mut client, _) = LspClient::initialized(&workspace.root(), json!({}));
    let message = client.wait_notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.contains("does not exist")));
    assert!(message["message"].as_str().unwrap().contains("archive"));
    client.wait_ready();
    let uri = workspace.uri("notes/a.md");
    let text = "# Headings work\n\nCites [@000].\n";
    client.open(&uri, text);
    let diagnostics = client.diagnostics(&uri, Some(1));
    assert_eq!(diagnostics[0]["code"], "unknown-source");
    let symbols = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}})).unwrap();
    assert_eq!(symbols[0]["name"], "Headings work");
    assert!(client.shutdown().success());
}

#[test]
fn bad_corpus_files_are_skipped_or_read_lossily_with_a_warning() {
    let workspace = Workspace::with_seeds();
    std::fs::write(workspace.path("seeds/900_binary.txt"), [0u8, 1, 2, 3, 0, 0, 0, 7, 8, 0, 0, 0, 5, 6]).unwrap();
    std::fs::write(workspace.path("seeds/901_latin1.txt"), b"Caf\xe9 report\r\n\r\nThe toll rose to 12.\r\n").unwrap();
    std::fs::write(workspace.path("seeds/902_empty.txt"), b"").unwrap();
    std::fs::write(workspace.path("seeds/903_bom.txt"), "\u{feff}BOM title\n\nNUL\0 bytes inside.\n").unwrap();
    std::fs::write(
        workspace.path("seeds/904_long.txt"),
        format!("Long line\n\n{}\n", "The toll rose again, officials said. ".repeat(280_000)),
    )
    .unwrap();
    std::fs::write(workspace.path("seeds/905_lines.txt"), "Many lines\n".repeat(100_000)).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(workspace.path("seeds"), workspace.path("seeds/loop")).unwrap();
    let (mut client, _) = LspClient::initialized(&workspace.root(), json!({}));
    let ready = client.wait_ready();
    let message = client.wait_notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.contains("900_binary.txt")));
    assert!(message["message"].as_str().unwrap().contains("looks like a binary file; skipped"));
    client
        .wait_notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.contains("901_latin1.txt is not valid UTF-8")));
    assert!(ready["articles"].as_u64().unwrap() >= 10, "{ready}");
    let uri = workspace.uri("notes/a.md");
    let text = "Café [@901], [@902], [@903] and [@904].\n";
    client.open(&uri, text);
    assert_eq!(client.diagnostics(&uri, Some(1)).iter().filter(|d| d["code"] == "unknown-source").count(), 0);
    let hover = client.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": position_of(text, "901")})).unwrap();
    assert!(hover["contents"]["value"].as_str().unwrap().contains("Caf\u{FFFD} report"), "{hover}");
    assert!(client.shutdown().success());
}

#[test]
fn pathological_notes_are_analysed_without_hanging() {
    let workspace = Workspace::with_seeds();
    let mut client = started(&workspace);
    let notes = [
        format!("He said “never closed [@000] and [unbalanced ( [[ {}", "x ".repeat(1000)),
        format!("{}\n", "[@000] ".repeat(5000)),
        (0..200).map(|depth| format!("{}- level {depth} [@001]\n", "  ".repeat(depth))).collect::<String>(),
        format!("| a | b |\n|---|---|\n{}", "| 139 killed [@000] | “quote” |\n".repeat(3000)),
        format!("{}\n", "The toll rose to 150 and 182 people died at Crocus City Hall. ".repeat(5_000)),
        // A page pasted without full stops: one line of 300,000 bytes and 10,000 figures.
        format!("{} [@000]\n", "the toll rose to 150 and 182 people died at Crocus City Hall on March 22 ".repeat(4_000)),
        "\u{0}\u{feff}\r\n\r\n> “\r\n> ”\r\n`unterminated code\r\n```\r\nfence".to_string(),
    ];
    for (index, text) in notes.iter().enumerate() {
        let uri = workspace.uri(&format!("notes/bad{index}.md"));
        client.open(&uri, text);
        client.diagnostics(&uri, Some(1));
        let hover = client.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 3}}));
        assert!(hover.is_ok(), "note {index}: {hover:?}");
    }
    assert_alive(&mut client);
    assert!(client.shutdown().success());
}

#[test]
fn an_article_deleted_or_renamed_while_open_is_dropped_from_the_corpus() {
    let workspace = Workspace::with_seeds();
    let mut client = started(&workspace);
    let article_uri = workspace.uri("seeds/004_fb2ae5532553813c.txt");
    let article = std::fs::read_to_string(workspace.path("seeds/004_fb2ae5532553813c.txt")).unwrap();
    client.open(&article_uri, &article);
    let uri = workspace.uri("notes/a.md");
    client.open(&uri, "Spymaster [@004].\n");
    assert!(client.diagnostics(&uri, Some(1)).is_empty());
    std::fs::rename(workspace.path("seeds/004_fb2ae5532553813c.txt"), workspace.path("seeds/040_renamed.txt")).unwrap();
    let diagnostics = client.diagnostics_until(&uri, |d| !d.is_empty());
    assert_eq!(diagnostics[0]["code"], "unknown-source");
    let symbols = client.request("workspace/symbol", json!({"query": "Spymaster"})).unwrap();
    assert!(symbols[0]["location"]["uri"].as_str().unwrap().ends_with("040_renamed.txt"), "{symbols}");
    assert!(client.shutdown().success());
}

#[test]
fn a_panic_in_one_request_is_answered_as_an_error_and_the_session_goes_on() {
    let workspace = Workspace::with_seeds();
    let mut client = started(&workspace);
    let error = client.request("noteproof/debugPanic", Value::Null).expect_err("the panic becomes an error response");
    assert_eq!(error["code"], -32603);
    assert!(error["message"].as_str().unwrap().contains("internal error"), "{error}");
    assert_alive(&mut client);
    let uri = workspace.uri("notes/a.md");
    client.open(&uri, "Still [@404] checked.\n");
    assert_eq!(client.diagnostics(&uri, Some(1))[0]["code"], "unknown-source");
    assert!(client.shutdown().success());
}

#[test]
fn a_client_that_never_answers_the_servers_requests_does_not_stall_it() {
    let workspace = Workspace::with_seeds();
    let mut client = LspClient::start(&workspace.root());
    client.ignore_server_requests = true;
    let uri = noteproof::analysis::text::file_uri(&workspace.root().to_string_lossy());
    // Offers configuration, dynamic watcher registration and progress: the server asks for all three.
    let capabilities = json!({
        "workspace": {"configuration": true, "didChangeWatchedFiles": {"dynamicRegistration": true}},
        "window": {"workDoneProgress": true}
    });
    client.request("initialize", json!({"capabilities": capabilities, "rootUri": uri})).unwrap();
    client.notify("initialized", json!({}));
    // Requests keep being answered while the server's own requests wait for their timeouts.
    for _ in 0..20 {
        assert!(client.request("workspace/symbol", json!({"query": "x"})).is_ok());
    }
    client.wait_ready();
    assert_alive(&mut client);
    assert!(client.shutdown().success());
}

#[test]
fn ten_thousand_mixed_requests_and_edits_are_all_answered_with_flat_memory() {
    let workspace = Workspace::with_seeds();
    let mut client = started(&workspace);
    let uri = workspace.uri("notes/a.md");
    let text = "# Brief “é”\n\nThe FSB detained 14 people [@000]. Putin accused Washington of “blackmail” [@001].\n\nThe assault killed 150 people.\n";
    client.open(&uri, text);
    client.diagnostics(&uri, Some(1));
    let places = [position_of(text, "000]"), position_of(text, "mail”"), position_of(text, "14 people"), position_of(text, "assault")];
    let mut warmed = 0;
    let mut version = 1;
    for step in 0..10_000 {
        let position = places[step % places.len()].clone();
        match step % 5 {
            0 | 1 => assert!(client.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": position})).is_ok()),
            2 => assert!(client.request("textDocument/definition", json!({"textDocument": {"uri": uri}, "position": position})).is_ok()),
            3 => assert!(client.request("textDocument/completion", json!({"textDocument": {"uri": uri}, "position": position})).is_ok()),
            _ => {
                version += 1;
                let edit = if version % 2 == 0 { "é" } else { "" };
                let range = if version % 2 == 0 {
                    json!({"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 0}})
                } else {
                    json!({"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 1}})
                };
                client.notify(
                    "textDocument/didChange",
                    json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": range, "text": edit}]}),
                );
            }
        }
        if step == 1_000 {
            warmed = client.rss_kb();
        }
    }
    let state = client.request("noteproof/documentState", json!({"uri": uri})).unwrap();
    assert_eq!(state["text"], text, "an even number of insert/delete pairs leaves the text as it was");
    let end = client.rss_kb();
    // Flat: after warming up, 9,000 more requests add no more than a few megabytes.
    assert!(end < warmed + 16 * 1024, "RSS grew from {warmed} kB to {end} kB");
    assert!(client.shutdown().success());
}

#[test]
fn a_session_writes_nothing_outside_its_cache_folder() {
    let workspace = Workspace::with_seeds();
    workspace.write("notes/a.md", "Saved note [@000].\n");
    let snapshot = |root: &std::path::Path| {
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                let relative = path.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                if relative.starts_with(".noteproof") {
                    continue;
                }
                if path.is_dir() {
                    stack.push(path);
                } else {
                    files.push((relative, std::fs::read(&path).unwrap()));
                }
            }
        }
        files.sort();
        files
    };
    let before = snapshot(&workspace.root());
    let mut client = started(&workspace);
    let uri = workspace.uri("notes/a.md");
    let text = "Saved note [@0000] with “a quote” and 150 killed.\n";
    client.open(&uri, text);
    let diagnostics = client.diagnostics(&uri, Some(1));
    let _ = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diagnostics[0]["range"], "context": {"diagnostics": diagnostics}}),
    );
    client.request("workspace/executeCommand", json!({"command": "noteproof.reindex"})).unwrap();
    client.wait_ready();
    assert!(client.shutdown().success());
    assert!(workspace.path(".noteproof/index.bin").is_file(), "the cache is where it belongs");
    assert_eq!(snapshot(&workspace.root()), before, "no note or article was touched, nothing else was created");
}
