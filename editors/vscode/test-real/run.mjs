// The packaged extension in a real VS Code: code-server (VS Code 1.100 in the browser) driven by
// Debian's headless Chromium through playwright-core, against the real noteproof server.
//
//   node run.mjs --code-server DIR --vsix FILE --server BIN --repo ROOT --artifacts DIR
//
// DIR is a code-server install (scripts/test-editors caches one); the .vsix is the one
// `npm run package` builds. Everything else lives in a fresh temporary folder: a copy of the
// repository's seeds/ and examples/ as the workspace, code-server's config, data, user data and
// extensions, Chromium's profile. Every wait polls the page for a condition, with a limit scaled by
// NOTEPROOF_TEST_TIMEOUT_SCALE; there is no fixed sleep. A screenshot of each step is written to
// the artifacts folder (and one of the page when a step fails). Exits 0 when every step passed.

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';

const args = parseArgs(process.argv.slice(2));
const SCALE = (() => {
  const s = Number(process.env.NOTEPROOF_TEST_TIMEOUT_SCALE ?? '1');
  return Number.isFinite(s) && s > 0 ? s : 1;
})();
/** A wait's limit: generous, times NOTEPROOF_TEST_TIMEOUT_SCALE. Waits end when their condition holds. */
const limit = (ms) => Math.round(ms * SCALE);
const CHROMIUM = process.env.NOTEPROOF_CHROMIUM ?? '/usr/bin/chromium';
const NOTE = 'examples/brief.md';
const NEW_KEY = '007';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'noteproof-vscode-real-'));
const ws = path.join(tmp, 'ws');
const artifacts = path.resolve(args.artifacts);
fs.mkdirSync(artifacts, { recursive: true });
let codeServer;
let browser;
let page;
let shot = 0;
const results = [];

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    out[argv[i].replace(/^--/, '').replace(/-(.)/g, (_, c) => c.toUpperCase())] = argv[i + 1];
  }
  for (const required of ['codeServer', 'vsix', 'server', 'repo', 'artifacts']) {
    if (!out[required]) {
      console.error(`run.mjs: --${required.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is required`);
      process.exit(2);
    }
  }
  return out;
}

function log(message) {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function assert(condition, message) {
  if (!condition) {
    throw new Error(`assertion failed: ${message}`);
  }
}

function assertEqual(actual, expected, message) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) {
    throw new Error(`assertion failed: ${message}\n  expected: ${e}\n  actual:   ${a}`);
  }
}

async function screenshot(name) {
  shot += 1;
  const file = path.join(artifacts, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Runs one step; its screenshot is taken after it, pass or fail. */
async function step(name, body) {
  const started = Date.now();
  log(`step: ${name}`);
  try {
    await body();
    const file = await screenshot(name);
    results.push({ name, ok: true });
    log(`  ok (${((Date.now() - started) / 1000).toFixed(1)} s) ${path.basename(file)}`);
  } catch (error) {
    results.push({ name, ok: false });
    let file = '';
    try {
      file = await screenshot(`${name}-FAILED`);
    } catch {
      // the page may be gone
    }
    log(`  FAILED (${((Date.now() - started) / 1000).toFixed(1)} s) ${path.basename(file)}\n${String(error?.stack ?? error)}`);
    throw error;
  }
}

/** Polls `predicate(arg)` in the page until it returns a truthy value, which it returns. */
async function until(description, predicate, arg, ms = 30_000) {
  try {
    const handle = await page.waitForFunction(predicate, arg, { timeout: limit(ms), polling: 100 });
    return await handle.jsonValue();
  } catch (error) {
    throw new Error(`timed out after ${limit(ms)} ms waiting for ${description}: ${String(error?.message ?? error).split('\n')[0]}`);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function copyTree(from, to) {
  fs.cpSync(from, to, { recursive: true, filter: (source) => !source.includes(`${path.sep}.noteproof`) });
}

// --- the editor -------------------------------------------------------------------------------

const keyOf = (file) => path.basename(file).split('_')[0].replace(/\.txt$/, '');
const articles = () => fs.readdirSync(path.join(ws, 'seeds')).filter((f) => f.endsWith('.txt')).sort();

function codeServerEnv() {
  return {
    ...process.env,
    HOME: path.join(tmp, 'home'),
    XDG_CONFIG_HOME: path.join(tmp, 'config'),
    XDG_DATA_HOME: path.join(tmp, 'data'),
    XDG_CACHE_HOME: path.join(tmp, 'cache'),
  };
}

function codeServerArgs() {
  const entry = path.join(args.codeServer, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  return [entry, '--user-data-dir', path.join(tmp, 'user-data'), '--extensions-dir', path.join(tmp, 'extensions')];
}

function installExtension() {
  const result = spawnSync(process.execPath, [...codeServerArgs(), '--install-extension', path.resolve(args.vsix)], {
    env: codeServerEnv(),
    encoding: 'utf8',
    timeout: limit(120_000),
  });
  const output = `${result.stdout}${result.stderr}`;
  assert(result.status === 0 && /successfully installed/.test(output), `code-server --install-extension: ${output}`);
  const installed = fs.readdirSync(path.join(tmp, 'extensions'));
  assert(installed.some((d) => d.startsWith('noteproof.noteproof-')), `extension folder in ${installed.join(', ')}`);
  log(`installed ${path.basename(args.vsix)}: ${installed.filter((d) => d.startsWith('noteproof')).join(', ')}`);
}

function writeSettings() {
  const settings = {
    'noteproof.server.path': path.resolve(args.server),
    'noteproof.trace.server': 'messages',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
    // One screen line per text line, so a squiggle's line is the line number beside it.
    'editor.wordWrap': 'off',
    '[markdown]': { 'editor.wordWrap': 'off' },
    'editor.minimap.enabled': false,
    'files.autoSave': 'off',
  };
  const file = path.join(tmp, 'user-data', 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
}

async function startCodeServer() {
  const port = await freePort();
  const out = fs.openSync(path.join(artifacts, 'code-server.log'), 'w');
  codeServer = spawn(
    process.execPath,
    [...codeServerArgs(), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', ws],
    { env: codeServerEnv(), stdio: ['ignore', out, out], detached: true },
  );
  const deadline = Date.now() + limit(120_000);
  for (;;) {
    if (codeServer.exitCode !== null) {
      throw new Error(`code-server exited (${codeServer.exitCode}); see ${path.join(artifacts, 'code-server.log')}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error('code-server did not answer /healthz');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  log(`code-server listening on 127.0.0.1:${port}`);
  return port;
}

async function stopCodeServer() {
  if (codeServer === undefined || codeServer.exitCode !== null) {
    return;
  }
  const exited = new Promise((resolve) => codeServer.once('exit', resolve));
  try {
    process.kill(-codeServer.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-codeServer.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}

// --- helpers in the page ----------------------------------------------------------------------

async function press(keys) {
  await page.keyboard.press(keys);
}

/** Ctrl+P, the file's name, a click on the match; waits until its tab is the active one. */
async function openFile(name) {
  await press('Escape');
  await press('Control+p');
  await until('the quick open box', () => window.noteproofTest.inputFocused());
  await page.keyboard.type(name);
  const row = page.locator(`.quick-input-list .monaco-list-row[aria-label*="${name}"]`).first();
  await row.waitFor({ timeout: limit(60_000) });
  await row.click();
  await page.mouse.move(1, 1); // off the editor, so that no mouse hover stands over what the keyboard opens
  await until(`${name} as the active tab`, (n) => document.querySelector('.tab.active')?.getAttribute('aria-label')?.startsWith(n), name);
  await until('the editor to have focus', () => window.noteproofTest.editorFocused());
}

/** The cursor to line:column (1-based) with Ctrl+G; waits for the status bar to say so. */
async function goTo(line, column) {
  await press('Control+g');
  await until('the go-to-line box', () => window.noteproofTest.inputFocused());
  await page.keyboard.type(`${line}:${column}`);
  await press('Enter');
  await until(
    `the cursor at Ln ${line}, Col ${column}`,
    (s) => document.querySelector('[id="status.editor.selection"]')?.textContent?.trim() === s && window.noteproofTest.editorFocused(),
    `Ln ${line}, Col ${column}`,
  );
}

/**
 * Helpers installed in the page (window.noteproofTest), so that waits can poll them:
 *   lines():     the visible lines of the active editor, {line number: text};
 *   squiggles(): [{line, kind, text}], text being the characters under the squiggle (those whose
 *                centre lies within it) and line the line number beside it;
 *   problems():  the Problems panel's top-level rows: line, column, severity, code, source, message.
 */
const PAGE_HELPERS = `
window.noteproofTest = (() => {
  const editor = () => document.querySelector('.editor-group-container.active .monaco-editor') ?? document.querySelector('.monaco-editor');
  const clean = (t) => t.replace(/\u00a0/g, ' ');
  function rows() {
    const e = editor();
    const numbers = new Map();
    const views = new Map();
    if (e === null) return { numbers, views };
    for (const n of e.querySelectorAll('.margin-view-overlays > div')) {
      const label = n.querySelector('.line-numbers')?.textContent?.trim();
      if (label) numbers.set(n.style.top, Number(label));
    }
    for (const l of e.querySelectorAll('.view-lines > .view-line')) views.set(l.style.top, l);
    return { e, numbers, views };
  }
  function lines() {
    const { numbers, views } = rows();
    const out = {};
    for (const [top, l] of views) if (numbers.has(top)) out[numbers.get(top)] = clean(l.textContent);
    return out;
  }
  function squiggles() {
    const { e, numbers, views } = rows();
    if (!e) return [];
    const found = [];
    for (const s of e.querySelectorAll('.view-overlays .squiggly-error, .view-overlays .squiggly-warning, .view-overlays .squiggly-info')) {
      const top = s.parentElement.style.top;
      const line = numbers.get(top);
      const view = views.get(top);
      if (line === undefined || view === undefined) continue;
      const box = s.getBoundingClientRect();
      let text = '';
      const walker = document.createTreeWalker(view, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        for (let i = 0; i < node.data.length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const r = range.getBoundingClientRect();
          const centre = r.left + r.width / 2;
          if (r.width > 0 && centre >= box.left && centre <= box.right) text += node.data[i];
        }
      }
      found.push({ line, kind: /squiggly-(error|warning|info)/.exec(s.className)[1], text: clean(text) });
    }
    return found.sort((a, b) => a.line - b.line || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  }
  function problems() {
    return [...document.querySelectorAll('.markers-panel .monaco-list-row')]
      .filter((row) => row.querySelector('.marker-source') !== null)
      .map((row) => {
        const at = /\\[Ln (\\d+), Col (\\d+)\\]/.exec(row.querySelector('.marker-line')?.textContent ?? '') ?? [];
        const icon = row.querySelector('.marker-icon')?.classList;
        return {
          line: Number(at[1]),
          column: Number(at[2]),
          severity: icon?.contains('error') ? 'error' : icon?.contains('warning') ? 'warning' : 'other',
          code: row.querySelector('.marker-code')?.textContent?.trim(),
          source: row.querySelector('.marker-source')?.textContent?.trim(),
          message: row.querySelector('.marker-message')?.textContent?.trim(),
        };
      })
      .sort((a, b) => a.line - b.line || a.column - b.column);
  }
  const inputFocused = () => document.activeElement?.closest('.quick-input-widget') != null && document.activeElement?.tagName === 'INPUT';
  const editorFocused = () => document.activeElement?.closest('.monaco-editor') != null;
  return { lines, squiggles, problems, inputFocused, editorFocused };
})();
`;

/** Runs a command by its title from the command palette (F1), once it is the first match. */
async function runCommand(title) {
  await press('Escape');
  await press('F1');
  await until('the command palette', () => window.noteproofTest.inputFocused());
  await page.keyboard.type(title);
  await until(
    `"${title}" as the first match`,
    (t) => document.querySelector('.quick-input-list .monaco-list-row[data-index="0"]')?.getAttribute('aria-label')?.startsWith(t),
    title,
  );
  await press('Enter');
  await until('the command palette closed', () => !window.noteproofTest.inputFocused());
}

/** Polls `probe()` in this process until it returns a truthy value, which it returns. */
async function poll(description, probe, ms = 30_000) {
  const deadline = Date.now() + limit(ms);
  for (;;) {
    const value = await probe();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${limit(ms)} ms waiting for ${description}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The status bar item the extension creates (id: publisher.name.itemId). */
const STATUS_ITEM = '[id="noteproof.noteproof.noteproof.status"]';
const statusText = () => page.evaluate((sel) => document.querySelector(sel)?.textContent?.trim() ?? null, STATUS_ITEM);

// --- expectations from the server's own command line ------------------------------------------

/** `noteproof check --format json` on the note: what the editor must show. */
function expectedFindings() {
  const result = spawnSync(path.resolve(args.server), ['check', '--format', 'json', '--no-cache', '--fail-on', 'never', NOTE], { cwd: ws, encoding: 'utf8' });
  assert(result.status === 0, `noteproof check: exit ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout).diagnostics;
}

/** The (line, text) pieces a diagnostic's range covers, one per line, as a squiggle shows them. */
function pieces(text, range) {
  const lines = text.split('\n');
  const out = [];
  for (let line = range.start.line; line <= range.end.line; line++) {
    const from = line === range.start.line ? range.start.character : 0;
    const to = line === range.end.line ? range.end.character : lines[line].length;
    if (to > from) {
      out.push({ line: line + 1, text: lines[line].slice(from, to) });
    }
  }
  return out;
}

// --- the run ----------------------------------------------------------------------------------

async function main() {
  log(`temporary folder ${tmp}; artifacts ${artifacts}; timeout scale ${SCALE}`);
  fs.mkdirSync(path.join(ws, 'examples'), { recursive: true });
  copyTree(path.join(args.repo, 'seeds'), path.join(ws, 'seeds'));
  fs.copyFileSync(path.join(args.repo, NOTE), path.join(ws, NOTE));
  const original = fs.readFileSync(path.join(ws, NOTE), 'utf8');
  const noteLines = original.split('\n');
  const expected = expectedFindings();
  assertEqual(
    expected.map((d) => d.code).sort(),
    ['figure-contradiction', 'figure-contradiction', 'quote-wrong-source', 'unknown-source'],
    'noteproof check finds the demo note’s four findings',
  );
  assert(!articles().some((f) => keyOf(f) === NEW_KEY), `no article ${NEW_KEY} in seeds/ yet`);

  installExtension();
  writeSettings();
  const port = await startCodeServer();

  // Playwright gives the browser a fresh profile (--user-data-dir) of its own.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: limit(60_000),
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.addInitScript({ content: PAGE_HELPERS });
  page = await context.newPage();
  page.setDefaultTimeout(limit(30_000));
  page.on('pageerror', (error) => log(`page error: ${String(error).split('\n')[0]}`));

  await step('workbench', async () => {
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`, { timeout: limit(120_000) });
    await until('the workbench', () => document.querySelector('.monaco-workbench .part.statusbar') !== null, undefined, 120_000);
    await until('the explorer to list seeds/', () => [...document.querySelectorAll('.explorer-folders-view .monaco-list-row')].some((r) => r.getAttribute('aria-label') === 'seeds'), undefined, 120_000);
  });

  await step('open-note', async () => {
    await openFile('brief.md');
    await until(`the last line of ${NOTE}`, (n) => window.noteproofTest.lines()[n] !== undefined, noteLines.length - 1);
  });

  // 7. The extension's status bar item: "noteproof: 5 articles" once the server has indexed.
  await step('status-bar', async () => {
    const want = `noteproof: ${articles().length} articles`;
    await until(`the status bar item to read "${want}"`, ([sel, w]) => document.querySelector(sel)?.textContent?.trim() === w, [STATUS_ITEM, want], 90_000);
    log(`  status bar: "${await statusText()}"`);
  });

  // 2. Squiggles: each finding's range underlined, on its line and characters, and nothing else.
  await step('squiggles', async () => {
    const want = expected
      .flatMap((d) => pieces(original, d.range).map((p) => ({ line: p.line, kind: d.severity, text: p.text })))
      .sort((a, b) => a.line - b.line || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
    try {
      await until(`the squiggles ${JSON.stringify(want)}`, (w) => JSON.stringify(window.noteproofTest.squiggles()) === w, JSON.stringify(want), 60_000);
    } catch (error) {
      throw new Error(`${error.message}\n  squiggles seen: ${JSON.stringify(await page.evaluate(() => window.noteproofTest.squiggles()))}`);
    }
    // Spelled out, so that the check does not only agree with the server's own command line:
    const seen = await page.evaluate(() => window.noteproofTest.squiggles());
    assert(seen.some((s) => s.line === 10 && s.kind === 'warning' && s.text === '150'), 'a warning squiggle under "150" on line 10');
    assert(seen.some((s) => s.line === 21 && s.kind === 'warning' && s.text === 'Two'), 'a warning squiggle under "Two" on line 21');
    assert(seen.some((s) => s.line === 16 && s.kind === 'warning' && s.text === 'intelligence is directly implicated in the attack”'), 'the quotation underlined on line 16');
    assert(seen.some((s) => s.line === 27 && s.kind === 'error' && s.text === NEW_KEY), `an error squiggle under "${NEW_KEY}" on line 27`);
    log(`  ${seen.length} squiggles: ${seen.map((q) => `${q.line}:${q.kind}:"${q.text}"`).join(', ')}`);
  });

  // 1. The Problems panel: the four findings, with their codes, lines and source "noteproof".
  await step('problems-panel', async () => {
    await press('Escape');
    await press('Control+Shift+M');
    await until('the Problems panel', () => document.querySelector('.markers-panel') !== null);
    await runCommand('View: Toggle Maximized Panel');
    const want = expected
      .map((d) => ({ line: d.range.start.line + 1, column: d.range.start.character + 1, severity: d.severity, code: d.code, source: 'noteproof', message: d.message }))
      .sort((a, b) => a.line - b.line || a.column - b.column);
    try {
      await until('the Problems panel to list the four findings', (w) => JSON.stringify(window.noteproofTest.problems()) === w, JSON.stringify(want), 60_000);
    } catch (error) {
      throw new Error(`${error.message}\n  rows seen: ${JSON.stringify(await page.evaluate(() => window.noteproofTest.problems()))}`);
    }
    const rows = await page.evaluate(() => window.noteproofTest.problems());
    assertEqual(rows.map((r) => `${r.line} ${r.severity} ${r.source}(${r.code})`), ['10 warning noteproof(figure-contradiction)', '15 warning noteproof(quote-wrong-source)', '21 warning noteproof(figure-contradiction)', '27 error noteproof(unknown-source)'], 'the Problems panel');
    for (const r of rows) {
      log(`  [Ln ${r.line}, Col ${r.column}] ${r.severity} ${r.source}(${r.code}): ${r.message.slice(0, 90)}…`);
    }
  });

  await step('back-to-note', async () => {
    await runCommand('View: Toggle Maximized Panel');
    await runCommand('View: Hide Panel');
    await until('the Problems panel hidden', () => document.querySelector('.markers-panel')?.offsetParent == null);
    await openFile('brief.md');
  });

  // 3. Hover on the citation [@001] of line 15: the article, and its sentence that the note's sentence quotes.
  await step('hover', async () => {
    const line = 15;
    const column = noteLines[line - 1].indexOf('[@001]') + 3;
    assert(column > 2, 'line 15 cites [@001]');
    const article = fs.readFileSync(path.join(ws, 'seeds', articles().find((f) => keyOf(f) === '001')), 'utf8').split('\n');
    const sourceLine = article.findIndex((l) => l.includes('coordinated via the internet by members of Khorasan Province')) + 1;
    assert(sourceLine > 0, 'article 001 has the sentence');
    const quoted = article[sourceLine - 1].slice(0, 100);
    await goTo(line, column);
    await press('Control+k');
    await press('Control+i');
    const text = await until(
      'a hover quoting article 001',
      (q) => {
        const hover = [...document.querySelectorAll('.monaco-hover')].find((h) => h.offsetParent !== null && h.innerText.includes(q));
        return hover?.innerText;
      },
      quoted,
      30_000,
    );
    assert(text.includes('AFP [@001]'), `the hover names the article: ${text}`);
    assert(text.includes('seeds/001_76ee82237eabb591.txt'), `the hover names the file: ${text}`);
    assert(text.includes(`line ${sourceLine}`), `the hover gives the quoted sentence's line ${sourceLine}: ${text}`);
    log(`  hover: ${JSON.stringify(text.slice(0, 300))}…`);
  });

  // 4. Go to definition (F12) on [@002] of line 5: the article opens on the sentence that supports the note's.
  await step('definition', async () => {
    await press('Escape');
    const line = 5;
    const column = noteLines[line - 1].indexOf('[@002]') + 3;
    const file = articles().find((f) => keyOf(f) === '002');
    const article = fs.readFileSync(path.join(ws, 'seeds', file), 'utf8').split('\n');
    const target = article.findIndex((l) => l.includes('Crocus City Hall near Moscow on March 22')) + 1;
    assert(target > 0, 'article 002 reports the attack of March 22');
    await goTo(line, column);
    await press('F12');
    await until(`${file} as the active tab`, (n) => document.querySelector('.tab.active')?.getAttribute('aria-label')?.startsWith(n), file);
    const at = await until(
      `the cursor on line ${target} of ${file}`,
      (t) => {
        const s = document.querySelector('[id="status.editor.selection"]')?.textContent?.trim() ?? '';
        return s.startsWith(`Ln ${t},`) ? s : false;
      },
      target,
    );
    const lines = await page.evaluate(() => window.noteproofTest.lines());
    assertEqual(lines[target], article[target - 1], `line ${target} shown in the editor`);
    log(`  ${file} at ${at}: ${article[target - 1].slice(0, 100)}…`);
  });

  // 5. A quick fix (Ctrl+.) on "150" of line 10, applied and saved: the note's line as the fix writes it.
  await step('quick-fix', async () => {
    await openFile('brief.md');
    const title = 'Replace with “at least 139” and cite [@003]';
    const fixed = 'at least 139 people, according to one early tally [@003].';
    await goTo(10, 2);
    await press('Control+.');
    await until('the quick fix menu', () => document.querySelector('.action-widget .monaco-list-row.action') !== null);
    const offered = await page.evaluate(() => [...document.querySelectorAll('.action-widget .monaco-list-row.action')].map((r) => r.getAttribute('aria-label')));
    log(`  offered: ${offered.join(' | ')}`);
    assert(offered.includes(title), `"${title}" among the fixes: ${offered.join(' | ')}`);
    for (let i = 0; i < offered.length; i++) {
      const focused = await page.evaluate(() => document.querySelector('.action-widget .monaco-list-row.focused')?.getAttribute('aria-label'));
      if (focused === title) {
        break;
      }
      await press('ArrowDown');
      await until('the next fix focused', (f) => document.querySelector('.action-widget .monaco-list-row.focused')?.getAttribute('aria-label') !== f, focused);
    }
    await screenshot('quick-fix-menu');
    await press('Enter');
    await until(`line 10 to read "${fixed}"`, (f) => window.noteproofTest.lines()[10] === f, fixed);
    await press('Control+s');
    const want = [...noteLines];
    want[9] = fixed;
    // Polled until the file on disk is the expected text (a read may catch the save half-written).
    let saved = original;
    await poll(`${NOTE} saved with the fix`, () => {
      saved = fs.readFileSync(path.join(ws, NOTE), 'utf8');
      return saved === want.join('\n');
    }).catch(() => undefined);
    assertEqual(saved.split('\n')[9], fixed, 'line 10 of the saved note');
    assertEqual(saved, want.join('\n'), 'the saved note: line 10 changed, nothing else');
    await until('the figure-contradiction squiggle on line 10 gone', () => !window.noteproofTest.squiggles().some((s) => s.line === 10), undefined, 30_000);
  });

  // 6. Completion after "[@": the corpus's article keys.
  await step('completion', async () => {
    const keys = articles().map(keyOf);
    await offeredKeys(keys, noteLines.length);
  });

  // 8. A new article written to disk while the note is open: [@007] resolves, its error goes.
  await step('new-article', async () => {
    fs.writeFileSync(
      path.join(ws, 'seeds', `${NEW_KEY}_regional.txt`),
      'Regional press: the toll of the Crocus City Hall attack\n\nRegional newspapers reported that the toll of the attack on the Crocus City Hall rose to 145.\n',
    );
    const want = `noteproof: ${articles().length} articles`;
    await until(`the status bar item to read "${want}"`, ([sel, w]) => document.querySelector(sel)?.textContent?.trim() === w, [STATUS_ITEM, want], 60_000);
    await until(`the error squiggle under ${NEW_KEY} gone`, () => !window.noteproofTest.squiggles().some((s) => s.line === 27), undefined, 60_000);
    await until('no error in the status bar count', () => /^\s*0\b/.test(document.querySelector('[id="status.problems"]')?.textContent ?? ''), undefined, 30_000);
    await offeredKeys(articles().map(keyOf), noteLines.length);
  });
}

/** Types "[@" at the start of `line` and waits for the suggestions to be exactly `keys`; then undoes. */
async function offeredKeys(keys, line) {
  await goTo(line, 1);
  await page.keyboard.type('See [@');
  let labels;
  try {
    labels = await until(
      `completion to offer ${keys.join(', ')}`,
      (want) => {
        const rows = [...document.querySelectorAll('.suggest-widget .monaco-list-row')].map((r) => r.querySelector('.label-name')?.textContent?.trim() ?? '');
        return JSON.stringify([...rows].sort()) === want ? rows : false;
      },
      JSON.stringify([...keys].sort()),
      30_000,
    );
  } catch (error) {
    const rows = await page.evaluate(() => [...document.querySelectorAll('.suggest-widget .monaco-list-row')].map((r) => r.getAttribute('aria-label')));
    throw new Error(`${error.message}\n  offered: ${JSON.stringify(rows)}`);
  }
  const details = await page.evaluate(() => [...document.querySelectorAll('.suggest-widget .monaco-list-row')].map((r) => r.textContent));
  log(`  completion offers ${labels.join(', ')}: ${details[0]?.slice(0, 120)}…`);
  await screenshot(`completion-${keys.length}-keys`);
  await press('Escape');
  await until('the suggestions closed', () => document.querySelector('.suggest-widget.visible') === null);
  // Undo the typing (one or two undo stops: the text, the auto-closed bracket).
  for (let i = 0; i < 5; i++) {
    const text = (await page.evaluate(() => window.noteproofTest.lines()))[line];
    if (text === '') {
      return;
    }
    await press('Control+z');
    await until('the undo', ([n, t]) => window.noteproofTest.lines()[n] !== t, [line, text]);
  }
  throw new Error(`line ${line} still not empty after undo`);
}

main()
  .then(() => 0)
  .catch((error) => {
    if (!results.some((r) => !r.ok)) {
      log(`FAILED: ${String(error?.stack ?? error)}`);
    }
    return 1;
  })
  .then(async (status) => {
    try {
      await browser?.close();
    } catch {
      // already gone
    }
    await stopCodeServer();
    dumpLogs(status !== 0);
    fs.rmSync(tmp, { recursive: true, force: true });
    const passed = results.filter((r) => r.ok).length;
    console.log(`\nscreenshots: ${artifacts}`);
    console.log(`vscode-real: ${passed} passed, ${results.length - passed} failed`);
    process.exit(status);
  });

/** On failure, the extension's output channel and the extension host log, for the reader. */
function dumpLogs(failed) {
  const logs = path.join(tmp, 'user-data', 'logs');
  if (!fs.existsSync(logs)) {
    return;
  }
  const files = fs.readdirSync(logs, { recursive: true }).map((f) => path.join(logs, String(f)));
  for (const file of files) {
    if (/^(\d+-noteproof|exthost|remoteexthost)\.log$/.test(path.basename(file)) && fs.statSync(file).isFile()) {
      const target = path.join(artifacts, path.basename(file));
      fs.copyFileSync(file, target);
      if (failed) {
        const text = fs.readFileSync(file, 'utf8');
        console.log(`\n--- ${path.relative(logs, file)} (last 40 lines) ---\n${text.split('\n').slice(-40).join('\n')}`);
      }
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    try {
      process.kill(-codeServer?.pid, 'SIGKILL');
    } catch {
      // not started or gone
    }
    fs.rmSync(tmp, { recursive: true, force: true });
    process.exit(1);
  });
}
