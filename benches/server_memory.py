"""The server's start and memory on one corpus, over stdio.

  python3 benches/server_memory.py BINARY CORPUS_ROOT [--warm]

Starts `BINARY lsp` in CORPUS_ROOT, prints the server's log and status while it indexes, waits
until it is ready, opens the first busy 1,000-line note (`notes/note_1000_*.md`) and times its
first diagnostics. Then, unless --warm (a start from a complete index file writes nothing), waits
until the index file has been written since the start and the resident memory has stayed within
2 MB for 10 s, and prints it with the peak (VmHWM). Delete CORPUS_ROOT/.noteproof/index.bin first
for a cold start. Standard library only; uses lsp_bench's client.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_bench import Client, file_uri, first_note  # noqa: E402

binary, root = os.path.abspath(sys.argv[1]), sys.argv[2]
warm = "--warm" in sys.argv[3:]
index = os.path.join(root, ".noteproof", "index.bin")
started_wall = time.time()
client = Client(binary, root)
t0 = time.perf_counter()
client.request("initialize", {"processId": None, "rootUri": file_uri(os.path.abspath(root)), "capabilities": {}})
client.notify("initialized", {})


def ready(message):
    if message.get("method") in ("window/logMessage", "noteproof/status", "window/showMessage"):
        print(f"{time.perf_counter() - t0:7.1f} s {message['method']} {json.dumps(message['params'])[:160]}", flush=True)
    return message.get("method") == "noteproof/status" and message["params"]["state"] == "ready"


client.wait(ready, timeout=900)
ready_s = time.perf_counter() - t0
path, text, uri = first_note(root, 1000)
opened = time.perf_counter()
client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}})
at, first = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri, timeout=900)
print(f"ready {ready_s:.1f} s, first diagnostics {1000 * (at - opened):.0f} ms ({len(first['params']['diagnostics'])} findings), RSS {client.rss_mb():.0f} MB", flush=True)
if warm:
    sys.exit(0)
last, still, rss = None, 0, 0.0
while still < 5 and time.perf_counter() - t0 < 1800:
    time.sleep(2)
    written = os.path.exists(index) and os.path.getmtime(index) > started_wall
    rss = client.rss_mb()
    still = still + 1 if (last is not None and abs(rss - last) < 2 and written) else 0
    last = rss
with open(f"/proc/{client.process.pid}/status") as status:
    peak = next(line.split(":")[1].strip() for line in status if line.startswith("VmHWM"))
print(f"index file written and memory still after {time.time() - started_wall:.0f} s: RSS {rss:.0f} MB, peak {peak}", flush=True)
