//! Test support: fixtures for the core, a workspace on disk, and a JSON-RPC
//! client that drives the real `noteproof` binary over stdio.

#![allow(dead_code)]

pub mod fixture;
pub mod pdf;
pub mod postgres;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long a test waits for an event before calling it a hang. Every wait ends as soon as its
/// event arrives, so a generous limit costs nothing when the server works; it only has to be
/// short enough that a real hang fails the run. `NOTEPROOF_TEST_TIMEOUT_SCALE` multiplies it for
/// slow or heavily loaded machines (e.g. `2` or `0.5`).
pub static TIMEOUT: LazyLock<Duration> = LazyLock::new(|| scaled(Duration::from_secs(90)));

/// `base` multiplied by `NOTEPROOF_TEST_TIMEOUT_SCALE` (default 1).
pub fn scaled(base: Duration) -> Duration {
    let scale = std::env::var("NOTEPROOF_TEST_TIMEOUT_SCALE")
        .ok()
        .and_then(|value| value.trim().parse::<f64>().ok())
        .filter(|scale| scale.is_finite() && *scale > 0.0)
        .unwrap_or(1.0);
    base.mul_f64(scale)
}

pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_noteproof")
}

/// A temporary workspace with the bundled seeds copied in.
pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Workspace {
    pub fn with_seeds() -> Workspace {
        let workspace = Workspace::empty();
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        std::fs::create_dir_all(workspace.path("seeds")).unwrap();
        for entry in std::fs::read_dir(seeds).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), workspace.path("seeds").join(entry.file_name())).unwrap();
        }
        workspace
    }

    pub fn empty() -> Workspace {
        Workspace { dir: tempfile::Builder::new().prefix("noteproof-test-").tempdir().unwrap() }
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().canonicalize().unwrap()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    pub fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    pub fn uri(&self, relative: &str) -> String {
        noteproof::analysis::text::file_uri(&self.path(relative).to_string_lossy())
    }
}

/// A language client speaking JSON-RPC to the real binary.
pub struct LspClient {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for something else.
    pub notifications: Vec<Value>,
    /// Requests from the server received (and answered) while waiting for something else.
    pub server_requests: Vec<Value>,
    /// Answers to the server's `workspace/configuration` requests.
    pub configuration: Value,
    /// Leave the server's requests unanswered (to test that it never blocks on them).
    pub ignore_server_requests: bool,
}

impl LspClient {
    pub fn start(cwd: &Path) -> LspClient {
        LspClient::start_with_env(cwd, &[])
    }

    /// Starts the server with these environment variables set.
    pub fn start_with_env(cwd: &Path, env: &[(&str, &str)]) -> LspClient {
        let mut child = Command::new(binary())
            .arg("lsp")
            .envs(env.iter().copied())
            .env("NOTEPROOF_TEST_HOOKS", "1")
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the noteproof binary starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        LspClient {
            child,
            stdin,
            messages,
            next_id: 0,
            notifications: Vec::new(),
            server_requests: Vec::new(),
            configuration: Value::Null,
            ignore_server_requests: false,
        }
    }

    /// Starts the server and completes the `initialize` handshake for `root`.
    pub fn initialized(root: &Path, capabilities: Value) -> (LspClient, Value) {
        let mut client = LspClient::start(root);
        let uri = noteproof::analysis::text::file_uri(&root.to_string_lossy());
        let result = client.request(
            "initialize",
            json!({"processId": null, "rootUri": uri, "capabilities": capabilities, "workspaceFolders": [{"uri": uri, "name": "test"}]}),
        );
        client.notify("initialized", json!({}));
        (client, result.expect("initialize succeeds"))
    }

    /// The server process's resident memory, in kilobytes.
    pub fn rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
            .unwrap_or(0)
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    pub fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).unwrap();
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend(body);
        self.send_raw(&frame);
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request without waiting; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Sends a request and waits for its response: `Ok(result)` or `Err(error)`.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.send_request(method, params);
        self.response(id)
    }

    pub fn response(&mut self, id: i64) -> Result<Value, Value> {
        let message = self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none(), *TIMEOUT);
        match message.get("error") {
            Some(error) => Err(error.clone()),
            None => Ok(message.get("result").cloned().unwrap_or(Value::Null)),
        }
    }

    fn receive(&mut self, deadline: Instant) -> Option<Value> {
        let remaining = deadline.saturating_duration_since(Instant::now());
        match self.messages.recv_timeout(remaining) {
            Ok(message) => Some(message),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// Waits for a message matching `wanted`, answering server requests and keeping notifications.
    pub fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool, timeout: Duration) -> Value {
        if let Some(index) = self.notifications.iter().position(&wanted) {
            return self.notifications.remove(index);
        }
        let deadline = Instant::now() + timeout;
        loop {
            let Some(message) = self.receive(deadline) else {
                panic!(
                    "timed out waiting; received notifications: {:#?}",
                    self.notifications.iter().map(|n| &n["method"]).collect::<Vec<_>>()
                )
            };
            if wanted(&message) {
                return message;
            }
            self.answer_server_request(&message);
            if message.get("id").is_none() {
                self.notifications.push(message);
            }
        }
    }

    fn answer_server_request(&mut self, message: &Value) {
        let (Some(id), Some(method)) = (message.get("id"), message.get("method").and_then(Value::as_str)) else { return };
        if self.ignore_server_requests {
            return; // a client that never answers: the server must not wait for it forever
        }
        let result = match method {
            "workspace/configuration" => json!([self.configuration.clone()]),
            _ => Value::Null,
        };
        let id = id.clone();
        self.send(&json!({"jsonrpc": "2.0", "id": id, "result": result}));
        self.server_requests.push(message.clone());
    }

    /// Waits for a request of `method` from the server (answered already if it came while waiting
    /// for something else), answers it with `null` and returns it.
    pub fn wait_server_request(&mut self, method: &str) -> Value {
        if let Some(index) = self.server_requests.iter().position(|r| r["method"] == method) {
            return self.server_requests.remove(index);
        }
        let request = self.wait_for(|m| m["method"] == method && m.get("id").is_some(), *TIMEOUT);
        self.send(&json!({"jsonrpc": "2.0", "id": request["id"], "result": null}));
        request
    }

    /// Pulls the diagnostics of `uri` (`textDocument/diagnostic`), naming the report the client has.
    pub fn pull_diagnostics(&mut self, uri: &str, previous_result_id: Option<&str>) -> Value {
        let mut params = json!({"textDocument": {"uri": uri}});
        if let Some(previous) = previous_result_id {
            params["previousResultId"] = json!(previous);
        }
        self.request("textDocument/diagnostic", params).expect("a pull is answered")
    }

    /// Waits for a notification of `method` whose params satisfy `wanted`.
    pub fn wait_notification(&mut self, method: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        let method = method.to_string();
        self.wait_for(move |m| m["method"] == method.as_str() && wanted(&m["params"]), *TIMEOUT)["params"].clone()
    }

    /// Waits until the corpus is indexed (`noteproof/status` ready).
    pub fn wait_ready(&mut self) -> Value {
        self.wait_notification("noteproof/status", |p| p["state"] == "ready")
    }

    /// The diagnostics published for `uri` (at `version`, when given).
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let uri = uri.to_string();
        let params = self.wait_notification("textDocument/publishDiagnostics", move |p| {
            p["uri"] == uri.as_str() && version.is_none_or(|v| p["version"] == json!(v))
        });
        params["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    /// Waits for published diagnostics of `uri` that satisfy `wanted` (skipping older ones).
    pub fn diagnostics_until(&mut self, uri: &str, wanted: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let uri = uri.to_string();
        let params = self.wait_notification("textDocument/publishDiagnostics", move |p| {
            p["uri"] == uri.as_str() && wanted(p["diagnostics"].as_array().map_or(&[], |d| d.as_slice()))
        });
        params["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}));
    }

    /// Sends `shutdown` and `exit` and waits for the process to end.
    pub fn shutdown(mut self) -> std::process::ExitStatus {
        let _ = self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + *TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() > deadline {
                self.child.kill().unwrap();
                panic!("the server did not exit after `exit`");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// A position in `text` (LSP: 0-based line, UTF-16 character) of the first occurrence of `needle`.
pub fn position_of(text: &str, needle: &str) -> Value {
    let offset = text.find(needle).unwrap_or_else(|| panic!("`{needle}` not in the text"));
    let line = text[..offset].matches('\n').count();
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}
