#!/usr/bin/env python3
"""A team at work on one archive: many editors at once, each with its own server, at a person's pace.

  NOTEPROOF_DATABASE_URL=postgresql://… python3 benches/team_bench.py BINARY BENCH_DATA_ROOT [EDITORS...]

BENCH_DATA_ROOT is a generated corpus (`bench-data/news/10000`) whose articles were ingested into
the archive the URL names; its notes are what the editors open. For each count of editors (default
1 and 20): that many servers start at once; each opens a 1,000-line note (the busy and clean notes
in turn) and, once the machine is quiet again, for SECONDS (default 60) does what an analyst writing does: types a character,
waits for the diagnostics of that version, pauses, hovers over a figure or a word, pauses (pauses
drawn between 0.5 and 1.5 s, so an editor asks about twice a second). Prints, per count, p50/p99
of edit → diagnostics beyond the debounce and of hover, the number of each, and the servers'
memory. `TEAM_BENCH_TIMELINE=PREFIX` also writes every request (seconds into the work, editor,
kind, ms) to PREFIX.COUNT.tsv. Standard library only, beside `lsp_bench.py`.
"""

import os
import random
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_bench import DEBOUNCE_MS, Client, file_uri, percentile, positions  # noqa: E402

SECONDS = float(os.environ.get("TEAM_BENCH_SECONDS", "60"))


def notes_of(root):
    """The 1,000-line notes, busy first: (path, text, uri)."""
    folder = os.path.join(root, "notes")
    names = sorted(n for n in os.listdir(folder) if n.startswith("note_1000_")) + sorted(
        n for n in os.listdir(folder) if n.startswith("note_clean_1000_")
    )
    notes = []
    for name in names:
        path = os.path.join(folder, name)
        notes.append((path, open(path, encoding="utf-8").read(), file_uri(os.path.abspath(path))))
    return notes


class Editor:
    def __init__(self, binary, root, note, seed):
        self.binary, self.root, self.note = binary, root, note
        self.rng = random.Random(seed)
        self.edits, self.hovers, self.errors = [], [], []
        # (when, what, ms) of every request, for TEAM_BENCH_TIMELINE.
        self.timeline = []
        self.rss = float("nan")
        self.started = threading.Event()

    def run(self, start_together, stop_at):
        try:
            self._run(start_together, stop_at)
        except Exception as error:  # reported with the results, never silently dropped
            self.errors.append(repr(error))
            self.started.set()

    def _run(self, start_together, stop_at):
        path, text, uri = self.note
        client = Client(self.binary, self.root)
        client.request("initialize", {"processId": None, "rootUri": file_uri(os.path.abspath(self.root)), "capabilities": {}})
        client.notify("initialized", {})
        client.wait(lambda m: m.get("method") == "noteproof/status" and m["params"]["state"] == "ready", timeout=600)
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}})
        client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri, timeout=600)
        self.started.set()
        # Everyone's first check is done before anyone is timed: start-up is measured elsewhere.
        start_together.wait()
        lines = text.split("\n")
        candidates = [i for i, line in enumerate(lines) if len(line) > 20]
        where = positions(text)
        targets = where.get("figure", []) + where.get("word", [])
        version = 1
        while time.perf_counter() < stop_at[0]:
            version += 1
            line = self.rng.choice(candidates)
            character = len(lines[line][:10].encode("utf-16-le")) // 2
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [
                {"range": {"start": {"line": line, "character": character}, "end": {"line": line, "character": character}}, "text": "x"}]})
            lines[line] = lines[line][:10] + "x" + lines[line][10:]
            sent = time.perf_counter()
            at, _ = client.wait(lambda m, v=version: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == v, timeout=600)
            self.edits.append(max(0.0, (at - sent) * 1000 - DEBOUNCE_MS))
            self.timeline.append((sent, "edit", self.edits[-1]))
            time.sleep(self.rng.uniform(0.5, 1.5))
            if targets:
                asked = time.perf_counter()
                answered, _ = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": self.rng.choice(targets)})
                self.hovers.append((answered - asked) * 1000)
                self.timeline.append((asked, "hover", self.hovers[-1]))
            time.sleep(self.rng.uniform(0.5, 1.5))
        self.rss = client.rss_mb()
        client.close()


def busy_seconds():
    fields = [int(field) for field in open("/proc/stat").readline().split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def wait_until_quiet(share=0.25, window=2.0, longest=600.0):
    """Seconds until the machine's cores were busy less than `share` of a `window`."""
    started = time.perf_counter()
    cores = os.cpu_count() or 1
    while time.perf_counter() - started < longest:
        before = busy_seconds()
        time.sleep(window)
        if (busy_seconds() - before) / (window * cores) < share:
            break
    return time.perf_counter() - started


def team(binary, root, count):
    notes = notes_of(root)
    editors = [Editor(binary, root, notes[i % len(notes)], seed=i) for i in range(count)]
    start_together = threading.Event()
    stop_at = [float("inf")]
    threads = [threading.Thread(target=editor.run, args=(start_together, stop_at), daemon=True) for editor in editors]
    for thread in threads:
        thread.start()
    for editor in editors:
        editor.started.wait()
    # After its first diagnostics each server looks up every sentence's evidence (the answers of
    # later hovers): at 20 editors opening at once that burst fills two cores for a while. What is
    # timed is the work after it, once the machine is quiet; how long the burst took is reported.
    settled = wait_until_quiet()
    stop_at[0] = time.perf_counter() + SECONDS
    start_together.set()
    for thread in threads:
        thread.join()
    edits = [latency for editor in editors for latency in editor.edits]
    hovers = [latency for editor in editors for latency in editor.hovers]
    errors = [error for editor in editors for error in editor.errors]
    rss = [editor.rss for editor in editors if editor.rss == editor.rss]
    if os.environ.get("TEAM_BENCH_TIMELINE"):
        with open(f"{os.environ['TEAM_BENCH_TIMELINE']}.{count}.tsv", "w") as out:
            for number, editor in enumerate(editors):
                for when, what, ms in editor.timeline:
                    out.write(f"{when - stop_at[0] + SECONDS:.3f}\t{number}\t{what}\t{ms:.1f}\n")
    return edits, hovers, errors, rss, settled


def main():
    if len(sys.argv) < 3 or not os.environ.get("NOTEPROOF_DATABASE_URL"):
        sys.exit(__doc__)
    binary, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    counts = [int(count) for count in sys.argv[3:]] or [1, 20]
    print(f"{root}, {SECONDS:.0f} s of work per count, {os.cpu_count()} cores\n")
    print("| editors | quiet after opening, s | edits | edit → diagnostics beyond the debounce, p50 / p99 ms | hovers | hover p50 / p99 ms | server RSS, mean / max MB |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for count in counts:
        edits, hovers, errors, rss, settled = team(binary, root, count)
        memory = f"{sum(rss) / len(rss):.0f} / {max(rss):.0f}" if rss else "n/a"
        print(f"| {count} | {settled:.0f} | {len(edits)} | {percentile(edits, 0.5):.1f} / {percentile(edits, 0.99):.1f} | {len(hovers)} | "
              f"{percentile(hovers, 0.5):.1f} / {percentile(hovers, 0.99):.1f} | {memory} |", flush=True)
        for error in errors:
            print(f"  error: {error}")


if __name__ == "__main__":
    main()
