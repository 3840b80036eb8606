//! The `check` command, run as a user runs it.

mod common;

use std::process::Command;

use common::{binary, Workspace};
use serde_json::Value;

fn check(workspace: &Workspace, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(binary()).arg("check").args(args).current_dir(workspace.root()).output().unwrap();
    (output.status.code().unwrap(), String::from_utf8(output.stdout).unwrap(), String::from_utf8(output.stderr).unwrap())
}

const NOTE: &str = "# Brief “é”\n\nThe toll rose to 139 [@000]. Ukraine’s “role” [@0042].\n";

#[test]
fn text_output_reads_like_a_compiler() {
    let workspace = Workspace::with_seeds();
    workspace.write("notes/brief.md", NOTE);
    let (code, stdout, _) = check(&workspace, &[]);
    assert_eq!(code, 1, "an error is at or above the default --fail-on warning");
    // Column 49 in UTF-16 units, 1-based: the curly apostrophe and quotes count one each.
    assert_eq!(
        stdout.lines().next().unwrap(),
        "notes/brief.md:3:49: error[unknown-source]: `@0042` names no article in the corpus; did you mean 24 May 2024 [@002], [@004] or Agencies [@000]?"
    );
}

#[test]
fn json_output_uses_lsp_ranges() {
    let workspace = Workspace::with_seeds();
    workspace.write("notes/brief.md", NOTE);
    let (_, stdout, _) = check(&workspace, &["--format", "json"]);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["version"], 1);
    let diagnostic = &report["diagnostics"][0];
    assert_eq!(diagnostic["path"], "notes/brief.md");
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(diagnostic["code"], "unknown-source");
    assert_eq!(diagnostic["range"]["start"], serde_json::json!({"line": 2, "character": 48}));
    assert_eq!(diagnostic["range"]["end"], serde_json::json!({"line": 2, "character": 52}));
    assert!(diagnostic["related"].is_array());
}

#[test]
fn sarif_output_is_version_2_1_0_with_rules() {
    let workspace = Workspace::with_seeds();
    workspace.write("notes/brief.md", NOTE);
    let (_, stdout, _) = check(&workspace, &["--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "noteproof");
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "unknown-source");
    assert_eq!(result["level"], "error");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!((region["startLine"].as_u64(), region["startColumn"].as_u64()), (Some(3), Some(49)));
    let rule = &run["tool"]["driver"]["rules"][result["ruleIndex"].as_u64().unwrap() as usize];
    assert_eq!(rule["id"], "unknown-source");
}

#[test]
fn fail_on_sets_the_exit_code() {
    let workspace = Workspace::with_seeds();
    workspace.write("notes/brief.md", NOTE);
    assert_eq!(check(&workspace, &["--fail-on", "error"]).0, 1);
    assert_eq!(check(&workspace, &["--fail-on", "never"]).0, 0);
    workspace.write("notes/brief.md", "The toll rose to 139 [@000].\n");
    assert_eq!(check(&workspace, &[]).0, 0, "a clean note passes");
}

#[test]
fn paths_select_notes_and_folders() {
    let workspace = Workspace::with_seeds();
    workspace.write("notes/a.md", "Bad [@404].\n");
    workspace.write("drafts/b.md", "Also bad [@405].\n");
    let (_, stdout, _) = check(&workspace, &["notes"]);
    assert!(stdout.contains("notes/a.md") && !stdout.contains("drafts/b.md"), "{stdout}");
    let (_, stdout, _) = check(&workspace, &["drafts/b.md"]);
    assert!(stdout.contains("drafts/b.md") && !stdout.contains("notes/a.md"), "{stdout}");
    let (_, stdout, _) = check(&workspace, &[]);
    assert!(stdout.contains("drafts/b.md") && stdout.contains("notes/a.md"), "every note of the workspace: {stdout}");
}

#[test]
fn the_workspace_is_found_from_a_subfolder_through_noteproof_json() {
    let workspace = Workspace::with_seeds();
    std::fs::rename(workspace.path("seeds"), workspace.path("archive")).unwrap();
    workspace.write("noteproof.json", r#"{"corpus": ["archive"], "notes": ["notes/**/*.md"]}"#);
    workspace.write("notes/deep/a.md", "Toll [@000] and [@404].\n");
    workspace.write("other/ignored.md", "Not a note by the globs [@404].\n");
    let output = Command::new(binary()).args(["check", "--format", "json"]).current_dir(workspace.path("notes")).output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let paths: Vec<&str> = report["diagnostics"].as_array().unwrap().iter().map(|d| d["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["notes/deep/a.md"]);
}

#[test]
fn usage_and_io_errors_exit_2_with_a_clear_message() {
    let workspace = Workspace::with_seeds();
    workspace.write("notes/a.md", "Text.\n");
    let (code, _, stderr) = check(&workspace, &["--corpus", "missing"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("corpus folder") && stderr.contains("missing") && stderr.contains("does not exist"), "{stderr}");
    let (code, _, stderr) = check(&workspace, &["notes/nope.md"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("nope.md does not exist"), "{stderr}");
    let (code, _, stderr) = check(&workspace, &["--format", "yaml"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid value 'yaml'"), "{stderr}");
    workspace.write("noteproof.json", "{ not json");
    let (code, _, stderr) = check(&workspace, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("noteproof.json is not a valid configuration"), "{stderr}");
}

#[test]
fn bad_files_are_warned_about_and_never_crash_the_run() {
    let workspace = Workspace::with_seeds();
    std::fs::write(workspace.path("seeds/900_binary.txt"), [0u8, 1, 2, 3, 0, 0, 0, 7, 8, 0, 0, 0]).unwrap();
    std::fs::write(workspace.path("seeds/901_latin1.txt"), b"Caf\xe9 report\n\nThe toll rose.\n").unwrap();
    workspace.write("notes/a.md", "See [@901].\n");
    let (code, _, stderr) = check(&workspace, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("900_binary.txt looks like a binary file; skipped"), "{stderr}");
    assert!(stderr.contains("901_latin1.txt is not valid UTF-8"), "{stderr}");
}

#[test]
fn facts_prints_the_fact_sheet_as_text_and_json() {
    let workspace = Workspace::with_seeds();
    let output = Command::new(binary()).args(["facts"]).current_dir(workspace.root()).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    let killed = text.find("\nKilled\n").expect(&text);
    assert!(text[killed..].contains("27 Mar 2024 [@003]             at least 139       between 139 and 149"), "{text}");
    let output = Command::new(binary()).args(["facts", "--format", "json"]).current_dir(workspace.root()).output().unwrap();
    let facts: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(facts["version"], 2);
    let row = facts["facts"].as_array().unwrap().iter().find(|r| r["measure"] == "injured").unwrap();
    assert_eq!(row["figure"], "182");
    assert_eq!(row["interval"], "[182,182]");
    assert_eq!(row["reads_as"], "exactly 182");
    assert_eq!(row["source"], "Agencies [@000]");
    assert!(row["quote"].as_str().unwrap().contains("182 people were injured"));
    let output = Command::new(binary()).args(["facts", "--corpus", "nowhere"]).current_dir(workspace.root()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn figures_are_checked_by_the_command_too() {
    let workspace = Workspace::with_seeds();
    workspace.write("notes/brief.md", "# Crocus City Hall\n\nThe FSB detained 14 people [@000].\n");
    let (code, stdout, _) = check(&workspace, &["--format", "json"]);
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let diagnostic = &report["diagnostics"][0];
    assert_eq!(diagnostic["code"], "figure-contradiction");
    assert_eq!(diagnostic["range"]["start"], serde_json::json!({"line": 2, "character": 17}));
    assert_eq!(diagnostic["related"][0]["path"], "seeds/000_e88b43032ae58550.txt");
}

#[test]
fn quotation_codes_are_reported_in_every_format() {
    let workspace = Workspace::with_seeds();
    workspace.write(
        "notes/quotes.md",
        "He said “Ukrainian military intelligence is directly implicated in the attack” [@003].\n\nThey said “clear orders to move toward the Ukrainian border” [@001].\n\nIt was run “via the internet by members of Khorasan Province”.\n",
    );
    let (_, stdout, _) = check(&workspace, &["--fail-on", "never"]);
    assert!(
        stdout.contains("warning[quote-wrong-source]")
            && stdout.contains("warning[quote-not-found]")
            && stdout.contains("hint[quote-uncited]"),
        "{stdout}"
    );
    let (_, stdout, _) = check(&workspace, &["--format", "json"]);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let codes: Vec<&str> = report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["quote-wrong-source", "quote-not-found", "quote-uncited"]);
    let (_, stdout, _) = check(&workspace, &["--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&stdout).unwrap();
    let levels: Vec<(&str, &str)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["ruleId"].as_str().unwrap(), r["level"].as_str().unwrap()))
        .collect();
    assert_eq!(levels, [("quote-wrong-source", "warning"), ("quote-not-found", "warning"), ("quote-uncited", "note")]);
}

#[test]
fn the_lexicon_is_extended_by_noteproof_json() {
    let workspace = Workspace::with_seeds();
    workspace
        .write("seeds/200_rescue.txt", " date 2024-06-01 Mine rescue\n\nRescuers brought 12 miners to the surface alive on Saturday.\n");
    workspace.write("noteproof.json", r#"{"lexicon": {"rescued": ["brought", "rescued"]}}"#);
    workspace.write("notes/mine.md", "# Mine rescue\n\nRescuers brought 30 miners to the surface [@200].\n");
    let (code, stdout, _) = check(&workspace, &["--format", "json"]);
    assert_eq!(code, 1, "{stdout}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["code"], "figure-contradiction");
    assert!(report["diagnostics"][0]["message"].as_str().unwrap().contains("30 rescued"), "{stdout}");
    // Without the extension the figure is still compared, as a count of miners paired by its role,
    // and the message shows the pair in their words.
    workspace.write("noteproof.json", "{}");
    let (_, stdout, _) = check(&workspace, &["--format", "json"]);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let message = report["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("“Rescuers brought 30 miners to the surface”"), "{stdout}");
    assert!(message.contains("“Rescuers brought 12 miners to the surface…”"), "{stdout}");
}
