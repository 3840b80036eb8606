// Runs the bundled extension (dist/extension.js: the extension plus
// vscode-languageclient) under Node with a stand-in `vscode` module, against the
// REAL server: activation, the status bar, diagnostics, hover, definition, a quick
// fix, the commands, a settings change and a restart, all through the real client.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { CLIENT_COMMANDS } from '../src/protocol';
import {
  CancellationTokenSource,
  createFakeVscode,
  type Diagnostic,
  type FakeTextDocument,
  type Hover,
  installFakeVscode,
  type Location,
  MarkdownString,
  Position,
  Uri,
  WorkspaceEdit,
  type CodeAction,
} from './fake-vscode';
import { limit, minimalPdf, PDF_LINES, PDF_SENTENCE, positionOf, serverBinary, servedUriOf, VSCODE_DIR, withTimeout, Workspace } from './session';

const NOTE = [
  '# Test note',
  '',
  'The Russian Investigative Committee said the death toll had risen to 139 [@000].',
  'Four attackers set fire to the venue [@002].',
  'The toll rose again [@0003].',
  '',
].join('\n');

interface ExtensionModule {
  activate(context: unknown): Promise<void>;
  deactivate(): Promise<void>;
}

function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 15000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const value = probe();
      if (value !== undefined && value !== false) {
        resolve(value);
      } else if (Date.now() - started > limit(timeoutMs)) {
        reject(new Error(`timed out after ${limit(timeoutMs)} ms waiting for ${what}`));
      } else {
        setTimeout(tick, 20);
      }
    };
    tick();
  });
}

const token = () => new CancellationTokenSource().token;

interface ContentProvider {
  provideTextDocumentContent(uri: Uri, token: unknown): string | Promise<string>;
}

/** The content provider the extension registered for `scheme`, if any. */
function contentProvider(recorded: { contentProviders: Map<string, unknown> }, scheme: string): ContentProvider | undefined {
  return recorded.contentProviders.get(scheme) as ContentProvider | undefined;
}

/** A fresh copy of the shipped bundle, bound to `fake` as its `vscode` module. */
function loadExtension(fake: object): ExtensionModule {
  installFakeVscode(fake);
  const bundle = path.join(VSCODE_DIR, 'dist', 'extension.js');
  delete require.cache[require.resolve(bundle)];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(bundle) as ExtensionModule;
}

describe('the bundled extension in a stand-in VS Code, against the real server', { timeout: limit(120000) }, () => {
  const workspace = new Workspace();
  workspace.write('notes/brief.md', NOTE);
  workspace.write('more/200_more.txt', 'A single extra article\n\nNothing else is in this folder.\n');
  const fake = createFakeVscode({
    workspaceFolders: [workspace.root],
    settings: { 'noteproof.server.path': serverBinary(), 'noteproof.corpus': [], 'noteproof.trace.server': 'off' },
    extensionPath: VSCODE_DIR,
  });
  const { recorded, controls } = fake;
  const context = { subscriptions: [] as { dispose(): unknown }[], extensionPath: VSCODE_DIR, extensionUri: Uri.file(VSCODE_DIR) };
  let extension: ExtensionModule;
  let note: FakeTextDocument;
  const status = () => recorded.statusItems[0];
  const diagnosticsOf = (document: FakeTextDocument) => recorded.diagnostics.get(document.uri.toString()) ?? [];
  const provider = (kind: string) => {
    const found = recorded.providers.get(kind)?.[0]?.provider as Record<string, (...args: unknown[]) => Promise<unknown>> | undefined;
    assert.ok(found, `a ${kind} provider is registered: ${[...recorded.providers.keys()].join(', ')}`);
    return found;
  };

  before(async () => {
    extension = loadExtension(fake.module);
    await withTimeout(20000, 'activation', extension.activate(context));
  }, { timeout: limit(30000) });

  after(async () => {
    await withTimeout(10000, 'deactivation', extension?.deactivate() ?? Promise.resolve()).catch(() => undefined);
    workspace.remove();
  }, { timeout: limit(15000) });

  it('activation registers the four commands and starts the server (a workspace with seeds/)', async () => {
    for (const command of Object.values(CLIENT_COMMANDS)) {
      assert.ok(recorded.commands.has(command), `${command} registered`);
    }
    // vscode-languageclient registers the server's own commands as VS Code commands.
    await until('the server command noteproof.reindex', () => recorded.commands.has('noteproof.reindex'));
    assert.ok(recorded.contentProviders.has('noteproof-facts'), 'a content provider for the fact sheet');
    assert.equal(typeof contentProvider(recorded, 'noteproof')?.provideTextDocumentContent, 'function', 'a content provider for noteproof: documents');
    assert.deepEqual(
      recorded.messages.filter((m) => m.level === 'error'),
      [],
    );
  });

  it('the status bar shows the article count once indexed', async () => {
    await until('"noteproof: 5 articles" in the status bar', () => status()?.text === '$(book) noteproof: 5 articles');
    assert.equal(status().visible, true);
    assert.equal(status().command, CLIENT_COMMANDS.facts);
    assert.match(String(status().tooltip), /5 articles, 1 note/);
  });

  it('opening a note publishes its diagnostics into VS Code', async () => {
    note = await controls.open(workspace.path('notes/brief.md'));
    const diagnostics = await until('diagnostics for the note', () => (diagnosticsOf(note).length > 0 ? diagnosticsOf(note) : undefined));
    assert.deepEqual(
      diagnostics.map((d: Diagnostic) => [d.code, d.source, d.severity, d.range.start.line, d.range.start.character, d.range.end.character]),
      [['unknown-source', 'noteproof', 0, 4, positionOf(NOTE, '0003]').character, positionOf(NOTE, '0003]').character + 4]],
    );
  });

  it('hover on a citation: the article title and a quoted sentence', async () => {
    const hover = (await provider('Hover').provideHover(note, new Position(2, positionOf(NOTE, '000]').character), token())) as Hover;
    const markdown = hover.contents.map((c) => (c instanceof MarkdownString ? c.value : String(c))).join('\n');
    assert.match(markdown, /Efforts to search for and rescue injured people/);
    assert.match(markdown, /^> .*had risen to 139/m);
  });

  it('go to definition: the seeds file at the matching sentence', async () => {
    const result = (await provider('Definition').provideDefinition(note, new Position(3, positionOf(NOTE, '002]').character), token())) as Location[];
    const location = Array.isArray(result) ? result[0] : (result as Location);
    assert.equal(location.uri.fsPath, workspace.path('seeds/002_768581a09abd6eab.txt'));
    assert.equal(location.range.start.line, positionOf(workspace.read('seeds/002_768581a09abd6eab.txt'), 'Four attackers shot').line);
  });

  it('a quick fix applied through the workspace edit clears the diagnostic', async () => {
    const diagnostic = diagnosticsOf(note)[0];
    const actions = (await provider('CodeActions').provideCodeActions(note, diagnostic.range, { diagnostics: [diagnostic], only: undefined, triggerKind: 1 }, token())) as CodeAction[];
    const fix = actions.find((a) => a.title === 'Cite 27 Mar 2024 [@003] instead');
    assert.ok(fix?.edit instanceof WorkspaceEdit, `titles: ${actions.map((a) => a.title).join(', ')}`);
    await fake.module.workspace.applyEdit(fix.edit);
    assert.match(note.getText(), /The toll rose again \[@003\]\./);
    await until('no diagnostics after the fix', () => diagnosticsOf(note).length === 0);
  });

  it('"noteproof: Re-index corpus" re-indexes (status goes through indexing to ready)', async () => {
    const seen: string[] = [];
    const watch = setInterval(() => seen.push(status().text), 1);
    try {
      await fake.module.commands.executeCommand(CLIENT_COMMANDS.reindex);
      await until('ready again', () => seen.length > 0 && status().text === '$(book) noteproof: 5 articles' && seen.some((t) => t.includes('indexing')));
    } finally {
      clearInterval(watch);
    }
  });

  it('a noteproof.corpus settings change reaches the server without a restart', async () => {
    controls.configure({ 'noteproof.corpus': ['more'] });
    await until('"noteproof: 1 article"', () => status().text === '$(book) noteproof: 1 article');
    controls.configure({ 'noteproof.corpus': [] });
    await until('"noteproof: 5 articles" again', () => status().text === '$(book) noteproof: 5 articles');
  });

  it('"noteproof: Restart server" starts a fresh server', async () => {
    await fake.module.commands.executeCommand(CLIENT_COMMANDS.restart);
    await until('ready after the restart', () => status().text === '$(book) noteproof: 5 articles');
    assert.deepEqual(
      recorded.messages.filter((m) => m.level === 'error'),
      [],
      'no error (e.g. a command registered twice)',
    );
  });

  it('"noteproof: Show fact sheet" opens the server\'s fact sheet as a read-only markdown document', async () => {
    recorded.shownDocuments.length = 0;
    await fake.module.commands.executeCommand(CLIENT_COMMANDS.facts);
    const warnings = recorded.messages.filter((m) => m.level !== 'info').map((m) => m.text);
    const shown = recorded.shownDocuments[0];
    assert.ok(shown, `a document is shown; messages: ${JSON.stringify(warnings)}`);
    assert.equal(shown.uri.scheme, 'noteproof-facts');
    assert.equal(shown.languageId, 'markdown');
    assert.match(shown.getText(), /^# Fact sheet/m);
    assert.match(shown.getText(), /Agencies `\[@000\]`/);
  });

  it('"noteproof: Open report" writes the workspace\'s report to a temporary file and opens it', async () => {
    recorded.openedExternally.length = 0;
    await fake.module.commands.executeCommand(CLIENT_COMMANDS.report);
    const errors = recorded.messages.filter((m) => m.level === 'error').map((m) => m.text);
    assert.equal(recorded.openedExternally.length, 1, `one file opened; errors: ${JSON.stringify(errors)}`);
    const opened = recorded.openedExternally[0];
    assert.equal(opened.scheme, 'file');
    const page = fs.readFileSync(opened.fsPath, 'utf8');
    assert.match(page, /^<!DOCTYPE html>/);
    assert.match(page, /data-note="notes\/brief.md"/);
    assert.match(page, /data-code="unknown-source"/);
    fs.rmSync(path.dirname(opened.fsPath), { recursive: true, force: true });
  });
});

describe('the bundled extension and a PDF in the corpus: noteproof: documents', { timeout: limit(60000) }, () => {
  const PDF_NOTE = ['# Station 4', '', 'The inspectors wrote that “the alarm had been disabled in 2019” [@report, p. 1].', ''].join('\n');
  const workspace = new Workspace();
  workspace.write('seeds/report.pdf', minimalPdf(PDF_LINES));
  workspace.write('notes/station.md', PDF_NOTE);
  const fake = createFakeVscode({
    workspaceFolders: [workspace.root],
    settings: { 'noteproof.server.path': serverBinary(), 'noteproof.corpus': [], 'noteproof.trace.server': 'verbose' },
    extensionPath: VSCODE_DIR,
  });
  let extension: ExtensionModule;

  before(async () => {
    extension = loadExtension(fake.module);
    await withTimeout(20000, 'activation', extension.activate({ subscriptions: [], extensionPath: VSCODE_DIR, extensionUri: Uri.file(VSCODE_DIR) }));
  }, { timeout: limit(30000) });

  after(async () => {
    await withTimeout(10000, 'deactivation', extension?.deactivate() ?? Promise.resolve()).catch(() => undefined);
    workspace.remove();
  }, { timeout: limit(15000) });

  it('the content provider is registered for the noteproof scheme', () => {
    const provider = contentProvider(fake.recorded, 'noteproof');
    assert.equal(typeof provider?.provideTextDocumentContent, 'function', `schemes: ${[...fake.recorded.contentProviders.keys()].join(', ')}`);
  });

  it('go to definition on the quotation, then opening the Location: the PDF\'s text, the sentence on its line', async () => {
    await until('"noteproof: 6 articles" (5 seeds and the PDF)', () => fake.recorded.statusItems[0]?.text === '$(book) noteproof: 6 articles');
    const note = await fake.controls.open(workspace.path('notes/station.md'));
    await until('the note\'s diagnostics (none: the quotation is on the cited page)', () => fake.recorded.diagnostics.get(note.uri.toString()));
    assert.deepEqual(fake.recorded.diagnostics.get(note.uri.toString()), []);
    const definition = fake.recorded.providers.get('Definition')?.[0]?.provider as { provideDefinition(...args: unknown[]): Promise<unknown> };
    assert.ok(definition, 'a definition provider');
    const result = (await definition.provideDefinition(note, new Position(2, positionOf(PDF_NOTE, 'the alarm had').character), token())) as Location[] | Location;
    const location = Array.isArray(result) ? result[0] : result;
    assert.ok(location, `a location: ${JSON.stringify(result)}`);
    assert.equal(location.uri.scheme, 'noteproof');
    assert.equal(location.uri.path, workspace.path('seeds/report.pdf') + '.txt');
    const document = await fake.module.workspace.openTextDocument(location.uri);
    const lines = document.getText().split('\n');
    assert.ok(location.range.start.line > 0, 'the sentence is not on the first line');
    assert.ok(lines[location.range.start.line].includes(PDF_SENTENCE), `line ${location.range.start.line} of ${JSON.stringify(document.getText())}`);
    const errors = fake.recorded.messages.filter((m) => m.level === 'error');
    assert.deepEqual(errors, []);
  });

  it('a noteproof: URI as VS Code writes it (noteproof:/…, no empty authority) reaches the server as the server wrote it', async () => {
    // VS Code writes noteproof:///a as noteproof:/a; the provider must still be served.
    const uri = Uri.parse(servedUriOf(workspace.path('seeds/report.pdf')));
    assert.equal(uri.toString().startsWith('noteproof:/') && !uri.toString().startsWith('noteproof://'), true, uri.toString());
    const provider = contentProvider(fake.recorded, 'noteproof');
    assert.ok(provider);
    const sent = fake.recorded.output.length;
    const text = await provider.provideTextDocumentContent(uri, token());
    assert.match(text, /disabled in 2019/);
    // The client's verbose trace shows the request's params: the URI with its `//`.
    const trace = fake.recorded.output.slice(sent).join('\n');
    assert.match(trace, /Sending request 'workspace\/textDocumentContent/, trace);
    assert.ok(trace.includes(`"uri": "${servedUriOf(workspace.path('seeds/report.pdf'))}"`), trace);
  });

  it('a document the server does not serve: the provider rejects with the server\'s reason in plain words', async () => {
    const provider = contentProvider(fake.recorded, 'noteproof');
    assert.ok(provider);
    await assert.rejects(
      Promise.resolve().then(() => provider.provideTextDocumentContent(Uri.parse('noteproof:///nowhere/missing.pdf.txt'), token())),
      /noteproof cannot show noteproof:\/\/\/nowhere\/missing\.pdf\.txt: .*not in the corpus/,
    );
  });
});

describe('the bundled extension outside a noteproof workspace', { timeout: limit(60000) }, () => {
  it('starts no server in a window without a corpus, then starts one for a note below seeds/', async () => {
    const workspace = new Workspace();
    workspace.write('notes/brief.md', NOTE);
    const fake = createFakeVscode({
      workspaceFolders: [],
      settings: { 'noteproof.server.path': serverBinary(), 'noteproof.corpus': [], 'noteproof.trace.server': 'off' },
      extensionPath: VSCODE_DIR,
    });
    const extension = loadExtension(fake.module);
    try {
      await withTimeout(20000, 'activation', extension.activate({ subscriptions: [], extensionPath: VSCODE_DIR, extensionUri: Uri.file(VSCODE_DIR) }));
      assert.ok(fake.recorded.commands.has(CLIENT_COMMANDS.facts), 'the commands are there all the same');
      assert.equal(fake.recorded.statusItems[0].visible, false, 'no status: no server');
      assert.ok(!fake.recorded.output.some((line) => line.includes('starting')), fake.recorded.output.join('\n'));
      // A markdown file below a folder with seeds/ (no workspace folder: the server finds the root itself).
      const note = await fake.controls.open(workspace.path('notes/brief.md'));
      await until('"noteproof: 5 articles"', () => fake.recorded.statusItems[0].text === '$(book) noteproof: 5 articles');
      await until('diagnostics', () => (fake.recorded.diagnostics.get(note.uri.toString()) ?? []).some((d) => d.code === 'unknown-source'));
    } finally {
      await withTimeout(10000, 'deactivation', extension.deactivate()).catch(() => undefined);
      workspace.remove();
    }
  });

  it('a server path that does not exist: an error message naming it, no crash', async () => {
    const workspace = new Workspace();
    const fake = createFakeVscode({
      workspaceFolders: [workspace.root],
      settings: { 'noteproof.server.path': '/nonexistent/noteproof', 'noteproof.corpus': [] },
      extensionPath: VSCODE_DIR,
    });
    const extension = loadExtension(fake.module);
    try {
      await withTimeout(20000, 'activation', extension.activate({ subscriptions: [], extensionPath: VSCODE_DIR, extensionUri: Uri.file(VSCODE_DIR) }));
      await until('an error message', () => fake.recorded.messages.some((m) => m.level === 'error'));
      const errors = fake.recorded.messages.filter((m) => m.level === 'error').map((m) => m.text);
      assert.ok(errors.some((text) => text.includes('/nonexistent/noteproof')), JSON.stringify(errors));
      assert.match(fake.recorded.statusItems[0].text, /error|stopped|failed/);
    } finally {
      await withTimeout(10000, 'deactivation', extension.deactivate()).catch(() => undefined);
      workspace.remove();
    }
  });
});
