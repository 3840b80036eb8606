//! The report as a browser shows it: `noteproof report` on the seeds and the demo note, loaded in
//! headless Chromium, whose DOM must hold the timeline's points with their values (139 in March,
//! the range of "more than 140" in May) and the findings' rows. A screenshot is kept as an
//! artifact (`target/tmp/report-browser/report.png`), not committed.
//!
//! Chromium is required, not optional: `.ci/run` installs it (apt `chromium`); set
//! `NOTEPROOF_CHROMIUM` to use another binary.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{binary, scaled, Workspace};

fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("NOTEPROOF_CHROMIUM") {
        return PathBuf::from(path);
    }
    let on_path = std::env::var_os("PATH").map(|path| std::env::split_paths(&path).collect::<Vec<_>>()).unwrap_or_default();
    for name in ["chromium", "chromium-browser"] {
        if let Some(found) = on_path.iter().map(|dir| dir.join(name)).find(|candidate| candidate.is_file()) {
            return found;
        }
    }
    panic!("headless Chromium is required for this test and was not found: install it (`apt-get install -y chromium`, as .ci/run does) or set NOTEPROOF_CHROMIUM to its path");
}

/// Runs Chromium headless on `url` with `extra` arguments, in a fresh profile; returns its stdout.
fn run_chromium(url: &str, extra: &[String], profile: &Path) -> String {
    let mut command = Command::new(chromium());
    command
        .args([
            "--headless",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()));
    // Root cannot use Chromium's sandbox (the CI machines run the tests as root).
    if running_as_root() {
        command.arg("--no-sandbox");
    }
    let mut child = command.args(extra).arg(url).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("start chromium");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).unwrap();
        text
    });
    let deadline = Instant::now() + scaled(Duration::from_secs(60));
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium failed: {status}");
            break;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            panic!("chromium did not finish within the time limit");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader.join().unwrap()
}

/// Whether the tests run as root, read from `/proc` (no `libc` dependency for one call).
fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| status.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(1) == Some("0")))
        .unwrap_or(false)
}

/// The `data-…` attributes of every element whose opening tag starts with `tag` in `html`.
fn elements<'a>(html: &'a str, tag: &str) -> Vec<Vec<(&'a str, String)>> {
    let attribute = regex::Regex::new(r#"data-([a-z-]+)="([^"]*)""#).unwrap();
    html.match_indices(tag)
        .map(|(at, _)| {
            let end = html[at..].find('>').map_or(html.len(), |e| at + e);
            attribute
                .captures_iter(&html[at..end])
                .map(|c| (c.get(1).unwrap().as_str(), c[2].replace("&amp;", "&").replace("&quot;", "\"")))
                .collect()
        })
        .collect()
}

fn get<'a>(element: &'a [(&str, String)], name: &str) -> &'a str {
    element.iter().find(|(n, _)| *n == name).map_or("", |(_, v)| v.as_str())
}

#[test]
fn the_report_in_headless_chromium_shows_the_timeline_and_the_findings() {
    let workspace = Workspace::with_seeds();
    workspace.write("examples/brief.md", include_str!("../examples/brief.md"));
    let output =
        Command::new(binary()).args(["report", "examples/", "--out", "report.html"]).current_dir(workspace.root()).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let url = url::Url::from_file_path(workspace.path("report.html")).unwrap().to_string();

    let dom = run_chromium(&url, &["--dump-dom".into()], &workspace.path("profile-dom"));
    assert!(dom.contains("<svg"), "the page has its charts:\n{dom}");

    // The death toll's timeline: 139 in March, more than 140 (140 to 150) in May, undated copy kept.
    let start = dom.find(r#"data-measure="killed""#).expect("a timeline of the dead");
    let killed = &dom[start..start + dom[start..].find("</figure>").unwrap()];
    let points = elements(killed, r#"<g class="point""#);
    let march: Vec<_> = points.iter().filter(|p| get(p, "date").starts_with("2024-03")).collect();
    assert!(march.iter().any(|p| get(p, "value") == "139" && get(p, "source") == "27 Mar 2024 [@003]"), "{march:?}");
    let may: Vec<_> = points.iter().filter(|p| get(p, "date").starts_with("2024-05")).collect();
    assert!(!may.is_empty());
    for point in &may {
        assert_eq!((get(point, "figure"), get(point, "low"), get(point, "high")), ("more than 140", "140", "150"));
    }
    assert_eq!(points.iter().filter(|p| get(p, "date") == "undated").count(), 5);
    assert!(killed.contains("<title>27 Mar 2024 [@003]: "), "each point carries the source's words");
    let notes = elements(killed, r#"<g class="note-figure"#);
    let marked: Vec<(&str, &str)> = notes.iter().map(|n| (get(n, "value"), get(n, "verdict"))).collect();
    assert_eq!(marked, [("139", "supported"), ("140", "supported"), ("150", "contradicted")]);

    // The findings, beside the note's sentence and the sources'.
    let rows = elements(&dom, r#"<tr class="finding"#);
    let codes: Vec<(&str, &str)> = rows.iter().map(|r| (get(r, "code"), get(r, "line"))).collect();
    assert_eq!(
        codes,
        [("figure-contradiction", "10"), ("quote-wrong-source", "15"), ("figure-contradiction", "21"), ("unknown-source", "27")]
    );
    assert!(dom.contains("The assault killed <mark>150</mark> people"), "the flagged words are marked in the note's sentence");

    let artifacts = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-browser");
    std::fs::create_dir_all(&artifacts).unwrap();
    let screenshot = artifacts.join("report.png");
    std::fs::remove_file(&screenshot).ok();
    std::fs::copy(workspace.path("report.html"), artifacts.join("report.html")).unwrap();
    run_chromium(
        &url,
        &[format!("--screenshot={}", screenshot.display()), "--window-size=1200,2200".into()],
        &workspace.path("profile-shot"),
    );
    let size = std::fs::metadata(&screenshot).expect("chromium wrote the screenshot").len();
    assert!(size > 20_000, "a screenshot of a drawn page, not a blank one ({size} bytes)");
    eprintln!("screenshot: {}", screenshot.display());
}
