#!/usr/bin/env python3
"""Drives the real noteproof binary over stdio and measures what a user feels.

  python3 benches/lsp_bench.py BINARY BENCH_DATA_ROOT [--sessions-only]

For each generated corpus (folders named by article count): cold and warm start of
`noteproof check` (wall time and peak RSS). On the 10,000-article corpus: hover and
definition latency (p50/p99) over many positions of a 1,000-line note; the latency from a
one-character didChange to the next publishDiagnostics (debounce reported separately), for
the 1,000- and 10,000-line notes; the same edits with a client that pulls diagnostics
(LSP 3.17 `textDocument/diagnostic`): didChange then a pull naming the last report, and a
pull when nothing changed; and the server's memory across 10,000 mixed requests.
`--sessions-only` skips the start-up table. Standard library only. Prints markdown tables.
"""

import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
import queue
import urllib.parse

DEBOUNCE_MS = 80  # DIAGNOSTICS_DEBOUNCE in src/lsp/publish.rs


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round((len(ordered) - 1) * p))] if ordered else float("nan")


def run_measured(args, cwd):
    """Runs a command; returns (seconds, peak RSS in MB of that very child, from wait4)."""
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = 0  # reaped above
    return seconds, usage.ru_maxrss / 1024.0


def file_uri(path):
    return "file://" + urllib.parse.quote(path, safe="/")


class Client:
    def __init__(self, binary, root):
        self.process = subprocess.Popen([binary, "lsp"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.messages = queue.Queue()
        self.backlog = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        stream = self.process.stdout
        while True:
            length = None
            arrived = None
            while True:
                line = stream.readline()
                if not line:
                    return
                arrived = arrived or time.perf_counter()
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            message = json.loads(stream.read(length))
            # When its first byte came, apart from when this client had read and parsed it: a
            # 10,000-line note's diagnostics are megabytes of JSON, which Python parses slower
            # than the editors do.
            message["_arrived"] = arrived
            self.messages.put((time.perf_counter(), message))

    def send(self, message):
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        self.next_id += 1
        ident = self.next_id
        self.send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == ident and "method" not in m)

    def wait(self, wanted, timeout=120):
        # Diagnostics that arrived while waiting for something else (an answer to a hover sent
        # right after an edit) are kept for the next wait: the last few suffice.
        for kept in self.backlog:
            if wanted(kept[1]):
                self.backlog.remove(kept)
                return kept
        deadline = time.perf_counter() + timeout
        while True:
            at, message = self.messages.get(timeout=max(0.01, deadline - time.perf_counter()))
            if "method" in message and "id" in message:  # a server request: answer it
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None if message["method"] != "workspace/configuration" else [None]})
                continue
            if wanted(message):
                return at, message
            if message.get("method") == "textDocument/publishDiagnostics":
                self.backlog = self.backlog[-49:] + [(at, message)]

    def rss_mb(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
        return float("nan")

    def close(self):
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()


def positions(text):
    """Positions (LSP, UTF-16) of citations, quotations, figures and plain words, by kind."""
    kinds = {"citation": re.compile(r"\[@[0-9]"), "quotation": re.compile(r"[“\"][A-Za-z]"), "figure": re.compile(r"\b[0-9]{2,}\b"), "word": re.compile(r"\b[a-z]{6,}\b")}
    found = {kind: [] for kind in kinds}
    for number, line in enumerate(text.split("\n")):
        for kind, pattern in kinds.items():
            for match in pattern.finditer(line):
                character = len(line[: match.start() + 1].encode("utf-16-le")) // 2
                found[kind].append({"line": number, "character": character})
    return found


def first_note(root, note_lines):
    """The first generated note of that many lines: its path, text and URI (None when there is none)."""
    notes = sorted(n for n in os.listdir(os.path.join(root, "notes")) if n.startswith(f"note_{note_lines}_"))
    if not notes:
        return None
    path = os.path.join(root, "notes", notes[0])
    return path, open(path, encoding="utf-8").read(), file_uri(os.path.abspath(path))


def session(binary, root, note_lines, report, full=True):
    note = first_note(root, note_lines)
    if not note:
        return
    path, text, uri = note
    client = Client(binary, root)
    started = time.perf_counter()
    client.request("initialize", {"processId": None, "rootUri": file_uri(os.path.abspath(root)), "capabilities": {}})
    client.notify("initialized", {})
    client.wait(lambda m: m.get("method") == "noteproof/status" and m["params"]["state"] == "ready")
    ready = time.perf_counter() - started
    opened = time.perf_counter()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}})
    at, first = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)
    rows = [(f"didOpen → first publishDiagnostics ({len(first['params']['diagnostics'])} findings)", 1, (at - opened) * 1000, (at - opened) * 1000)]
    clean = sorted(n for n in os.listdir(os.path.join(root, "notes")) if n.startswith(f"note_clean_{note_lines}_"))
    if clean:
        clean_path = os.path.join(root, "notes", clean[0])
        clean_uri = file_uri(os.path.abspath(clean_path))
        opened = time.perf_counter()
        client.notify("textDocument/didOpen", {"textDocument": {"uri": clean_uri, "languageId": "markdown", "version": 1, "text": open(clean_path, encoding="utf-8").read()}})
        at, first = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == clean_uri)
        rows.append((f"didOpen → first publishDiagnostics, clean note ({len(first['params']['diagnostics'])} findings)", 1, (at - opened) * 1000, (at - opened) * 1000))
        client.notify("textDocument/didClose", {"textDocument": {"uri": clean_uri}})
    if note_lines == 1000:
        rng = random.Random(7)
        for kind, places in positions(text).items():
            sample = rng.sample(places, min(200, len(places)))
            for method in ("textDocument/hover", "textDocument/definition"):
                latencies = []
                for position in sample:
                    sent = time.perf_counter()
                    at, _ = client.request(method, {"textDocument": {"uri": uri}, "position": position})
                    latencies.append((at - sent) * 1000)
                rows.append((f"{method.split('/')[1]} on a {kind}", len(latencies), percentile(latencies, 0.5), percentile(latencies, 0.99)))
    # Typing: one character per edit, waiting for the diagnostics of each version.
    lines = text.split("\n")
    candidates = [i for i, line in enumerate(lines) if len(line) > 20]
    rng = random.Random(11)
    edit_latencies = []
    first_bytes = []
    hover_while_typing = []
    figures = positions(text).get("figure", [])
    for version in range(2, 2 + (60 if note_lines >= 10000 else 120)):
        line = rng.choice(candidates)
        character = len(lines[line][:10].encode("utf-16-le")) // 2
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [
            {"range": {"start": {"line": line, "character": character}, "end": {"line": line, "character": character}}, "text": "x"}]})
        lines[line] = lines[line][:10] + "x" + lines[line][10:]
        sent = time.perf_counter()
        if figures and note_lines == 1000:
            # A hover while the edit's analysis is pending or running (positions after the edit's
            # line may be off by the inserted characters: a hover anywhere is what is timed).
            asked = time.perf_counter()
            answered, _ = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": rng.choice(figures)})
            hover_while_typing.append((answered - asked) * 1000)
        at, published = client.wait(lambda m, v=version: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == v)
        edit_latencies.append((at - sent) * 1000)
        first_bytes.append(max(0.0, (published["_arrived"] - sent) * 1000 - DEBOUNCE_MS))
    work = [max(0.0, l - DEBOUNCE_MS) for l in edit_latencies]
    rows.append(("didChange → publishDiagnostics, total", len(edit_latencies), percentile(edit_latencies, 0.5), percentile(edit_latencies, 0.99)))
    rows.append((f"didChange → publishDiagnostics, minus the {DEBOUNCE_MS} ms debounce", len(work), percentile(work, 0.5), percentile(work, 0.99)))
    rows.append(("the same, to its first byte (before this client parses it)", len(first_bytes), percentile(first_bytes, 0.5), percentile(first_bytes, 0.99)))
    if hover_while_typing:
        rows.append(("hover on a figure right after each edit", len(hover_while_typing), percentile(hover_while_typing, 0.5), percentile(hover_while_typing, 0.99)))
    rows.append(("server RSS after the session, MB", 1, client.rss_mb(), client.rss_mb()))
    report.append((note_lines, ready, rows))
    if note_lines == 1000 and full:
        memory(client, uri, text, report)
    client.close()


PULL_CAPABILITIES = {"textDocument": {"diagnostic": {"dynamicRegistration": False}}, "workspace": {"diagnostics": {"refreshSupport": True}}}


def pull_session(binary, root, note_lines, report):
    """A client that pulls diagnostics: each one-character edit is followed by a pull naming the
    last report (answered in full, no debounce), then by a pull naming the new one (unchanged)."""
    note = first_note(root, note_lines)
    if not note:
        return
    path, text, uri = note
    client = Client(binary, root)
    client.request("initialize", {"processId": None, "rootUri": file_uri(os.path.abspath(root)), "capabilities": PULL_CAPABILITIES})
    client.notify("initialized", {})
    client.wait(lambda m: m.get("method") == "noteproof/status" and m["params"]["state"] == "ready")
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}})
    sent = time.perf_counter()
    at, first = client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
    opened_ms = (at - sent) * 1000
    if "result" not in first:  # a server without pull diagnostics
        client.close()
        return
    result_id = first["result"]["resultId"]
    findings = len(first["result"]["items"])
    lines = text.split("\n")
    candidates = [i for i, line in enumerate(lines) if len(line) > 20]
    rng = random.Random(11)
    full, unchanged = [], []
    for version in range(2, 2 + (60 if note_lines >= 10000 else 120)):
        line = rng.choice(candidates)
        character = len(lines[line][:10].encode("utf-16-le")) // 2
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [
            {"range": {"start": {"line": line, "character": character}, "end": {"line": line, "character": character}}, "text": "x"}]})
        lines[line] = lines[line][:10] + "x" + lines[line][10:]
        sent = time.perf_counter()
        at, answer = client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}, "previousResultId": result_id})
        assert answer["result"]["kind"] == "full", answer
        full.append((at - sent) * 1000)
        result_id = answer["result"]["resultId"]
        sent = time.perf_counter()
        at, answer = client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}, "previousResultId": result_id})
        assert answer["result"]["kind"] == "unchanged", answer
        unchanged.append((at - sent) * 1000)
    rows = [
        ("didOpen → first pulled report", 1, opened_ms, opened_ms),
        ("didChange → pulled full report (no debounce)", len(full), percentile(full, 0.5), percentile(full, 0.99)),
        ("pull of an unchanged note → unchanged", len(unchanged), percentile(unchanged, 0.5), percentile(unchanged, 0.99)),
    ]
    report.append((f"{note_lines} (pulled, {findings} diagnostics)", 0.0, rows))
    client.close()


def memory(client, uri, text, report):
    """10,000 mixed requests and edits; RSS before, during and after."""
    places = [p for group in positions(text).values() for p in group]
    rng = random.Random(3)
    samples = [client.rss_mb()]
    version = 1000
    started = time.perf_counter()
    for step in range(10_000):
        kind = step % 10
        if kind < 6:
            client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": rng.choice(places)})
        elif kind < 8:
            client.request("textDocument/definition", {"textDocument": {"uri": uri}, "position": rng.choice(places)})
        elif kind == 8:
            client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": rng.choice(places)})
        else:
            version += 1
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [
                {"range": {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 0}}, "text": "é" if version % 2 else ""}]})
        if step % 2000 == 1999:
            samples.append(client.rss_mb())
    report.append(("memory", time.perf_counter() - started, samples))


def main():
    binary, data_root = os.path.abspath(sys.argv[1]), sys.argv[2]
    sizes = sorted(int(d) for d in os.listdir(data_root) if d.isdigit() and os.path.isdir(os.path.join(data_root, d, "seeds")))
    if os.environ.get("LSP_BENCH_SIZES"):  # only these corpora, e.g. "1000 10000"
        sizes = [size for size in sizes if str(size) in os.environ["LSP_BENCH_SIZES"].split()]
    if "--sessions-only" in sys.argv[3:]:
        sizes = []
    print("## Start-up of `noteproof check` (release binary, one note: 100 lines, else the smallest)\n")
    print("| articles | corpus MB | cold s | cold peak RSS MB | RSS limit MB | warm s | warm / cold | warm peak RSS MB |\n|---|---|---|---|---|---|---|---|")
    for size in sizes:
        root = os.path.join(data_root, str(size))
        notes = sorted(n for n in os.listdir(os.path.join(root, "notes")) if n.startswith("note_"))
        note = next((n for n in notes if n.startswith("note_100_")), notes[0])
        corpus_bytes = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(root, "seeds")) for f in fs)
        shutil.rmtree(os.path.join(root, ".noteproof"), ignore_errors=True)
        cold, cold_rss = run_measured([binary, "check", "--fail-on", "never", os.path.join("notes", note)], root)
        warm, warm_rss = run_measured([binary, "check", "--fail-on", "never", os.path.join("notes", note)], root)
        limit = 3 * corpus_bytes / 1e6 + 100
        print(f"| {size} | {corpus_bytes / 1e6:.1f} | {cold:.2f} | {cold_rss:.0f} | {limit:.0f} | {warm:.3f} | {100 * warm / cold:.1f}% | {warm_rss:.0f} |")
    # The server on each corpus named in LSP_BENCH_SERVER_SIZES (default the 10,000-article one):
    # the 1,000-line note on each, the 10,000-line note and the memory run on 10,000 only.
    report = []
    for size in os.environ.get("LSP_BENCH_SERVER_SIZES", "10000").split():
        root = os.path.join(data_root, size)
        if not os.path.isdir(root):
            continue
        start = len(report)
        for lines in (1000, 10000) if size == "10000" else (1000,):
            session(binary, root, lines, report, full=size == "10000")
        if size == "10000":
            for lines in (1000, 10000):
                pull_session(binary, root, lines, report)
        for entry in report[start:]:
            if entry[0] != "memory":
                entry[2].insert(0, (f"corpus: {size} articles", 0, 0.0, 0.0))
    for entry in report:
        if entry[0] == "memory":
            _, seconds, samples = entry
            print(f"\n## Memory over 10,000 mixed requests ({seconds:.1f} s)\n\nServer RSS (MB) before and after every 2,000 requests: " + ", ".join(f"{s:.0f}" for s in samples))
            continue
        lines, ready, rows = entry
        corpus = rows[0][0].split(": ")[1]
        indexed = f" (indexed in {ready:.2f} s)" if ready else ""
        print(f"\n## Server latencies, {corpus}, {lines}-line note{indexed}\n")
        print("| operation | samples | p50 ms | p99 ms |\n|---|---|---|---|")
        for name, count, p50, p99 in rows[1:]:
            print(f"| {name} | {count} | {p50:.2f} | {p99:.2f} |")


if __name__ == "__main__":
    main()
