// The extension's protocol traffic against the REAL noteproof binary, spoken with
// vscode-jsonrpc / vscode-languageserver-protocol (what vscode-languageclient uses)
// and VS Code's client capabilities. No VS Code is needed.

import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  CodeActionRequest,
  DefinitionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  ExecuteCommandRequest,
  FileChangeType,
  HoverRequest,
  CompletionRequest,
  type CodeAction,
  type Diagnostic,
  type Hover,
  type Location,
  type LocationLink,
  type MarkupContent,
  type TextEdit,
  type CompletionList,
  type InitializeResult,
} from 'vscode-languageserver-protocol/node';

import { servedDocumentText, servedDocumentUri, servesDocuments } from '../src/logic';
import {
  DOCUMENT_STATE_REQUEST,
  SERVER_COMMAND_FACTS,
  SERVER_COMMAND_REINDEX,
  type DocumentState,
} from '../src/protocol';
import { limit, minimalPdf, PDF_LINES, PDF_SENTENCE, positionOf, servedUriOf, Session, Workspace } from './session';

// A note with known problems, one per line.
const NOTE = [
  '# Crocus City Hall — test note',
  '',
  'The Russian Investigative Committee said the death toll had risen to 139 [@000].',
  'Four attackers set fire to the venue [@002].',
  'He also claimed that “Ukrainian military intelligence is directly implicated in the attack” [@003].',
  'The toll rose again [@0003].',
  'The toll in the regional press [@105] is unverified.',
  'Bortnikov said the attack was “coordinated by aliens from Mars” [@001].',
  '',
].join('\n');

const SEED_000 = 'seeds/000_e88b43032ae58550.txt';
const SEED_002 = 'seeds/002_768581a09abd6eab.txt';

function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code)).sort();
}

function byCode(diagnostics: Diagnostic[], code: string, line?: number): Diagnostic {
  const found = diagnostics.find((d) => d.code === code && (line === undefined || d.range.start.line === line));
  assert.ok(found, `no ${code} diagnostic${line === undefined ? '' : ` on line ${line}`} in ${JSON.stringify(diagnostics, null, 1)}`);
  return found;
}

/** Applies LSP text edits to a string (edits must not overlap). */
function applyEdits(text: string, edits: TextEdit[]): string {
  const offset = (p: { line: number; character: number }) => {
    const lines = text.split('\n');
    return lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  for (const edit of sorted) {
    text = text.slice(0, offset(edit.range.start)) + edit.newText + text.slice(offset(edit.range.end));
  }
  return text;
}

describe('noteproof server, spoken to as VS Code does', { timeout: limit(120000) }, () => {
  let workspace: Workspace;
  let session: Session;
  let noteUri: string;
  let initialized: InitializeResult;

  before(async () => {
    workspace = new Workspace();
    workspace.write('notes/other.md', 'Another note cites [@003].\n');
    noteUri = workspace.uri('notes/brief.md');
    session = new Session();
    initialized = await session.initialize(workspace.root, {});
    assert.equal(initialized.serverInfo?.name, 'noteproof');
  }, { timeout: limit(30000) });

  after(async () => {
    if (session !== undefined) {
      const code = await session.close();
      assert.equal(code, 0, `the server exits cleanly after shutdown/exit; stderr:\n${session.stderr}`);
    }
    workspace?.remove();
  }, { timeout: limit(15000) });

  it('advertises the features the extension uses', () => {
    const capabilities = initialized.capabilities;
    assert.equal(capabilities.hoverProvider, true);
    assert.equal(capabilities.definitionProvider, true);
    assert.equal(capabilities.referencesProvider, true);
    assert.deepEqual(capabilities.completionProvider?.triggerCharacters, ['@']);
    assert.deepEqual((capabilities.textDocumentSync as { change: number }).change, 2, 'incremental sync');
    assert.ok(capabilities.executeCommandProvider?.commands.includes(SERVER_COMMAND_REINDEX));
  });

  it('reports indexing, then ready with the article count (noteproof/status)', async () => {
    const ready = await session.waitForStatus((s) => s.state === 'ready', 15000, true);
    assert.equal(ready.articles, 5, JSON.stringify(ready));
    assert.equal(ready.notes, 1, 'notes/other.md is on disk');
    assert.match(ready.message, /5 articles/);
    assert.ok(
      session.statuses.findIndex((s) => s.state === 'indexing') < session.statuses.indexOf(ready),
      `"indexing" comes before "ready": ${JSON.stringify(session.statuses)}`,
    );
  });

  it('pulls the "noteproof" settings section and registers file watchers (VS Code has dynamic registration)', async () => {
    await session.waitForStatus((s) => s.state === 'ready', 15000, true);
    assert.ok(
      session.configurationRequests.some((r) => r.items.some((i) => i.section === 'noteproof')),
      `workspace/configuration for "noteproof": ${JSON.stringify(session.configurationRequests)}`,
    );
    const watch = session.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles');
    assert.ok(watch, `client/registerCapability for didChangeWatchedFiles: ${JSON.stringify(session.registrations)}`);
    const globs = (watch.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((w) => w.globPattern);
    // Notes, articles as text, saved web pages and PDFs, the sources file, the configuration.
    assert.deepEqual(globs.sort(), ['**/*.htm', '**/*.html', '**/*.md', '**/*.pdf', '**/*.txt', '**/noteproof.json', '**/sources.csv']);
  });

  it('publishes diagnostics with stable codes and exact ranges', async () => {
    await session.waitForStatus((s) => s.state === 'ready', 15000, true);
    await session.open(noteUri, NOTE);
    const diagnostics = await session.waitForDiagnostics(noteUri, (d) => d.length > 0);
    assert.deepEqual(codes(diagnostics), ['quote-not-found', 'quote-wrong-source', 'unknown-source', 'unknown-source']);
    for (const d of diagnostics) {
      assert.equal(d.source, 'noteproof');
    }

    const typo = byCode(diagnostics, 'unknown-source', 5);
    assert.equal(typo.severity, 1, 'error');
    assert.deepEqual(typo.range, { start: positionOf(NOTE, '0003]'), end: { line: 5, character: positionOf(NOTE, '0003]').character + 4 } });
    assert.match(typo.message, /@0003/);

    const missing = byCode(diagnostics, 'unknown-source', 6);
    assert.deepEqual(missing.range.start, positionOf(NOTE, '105]'));
    assert.equal(missing.range.end.character, positionOf(NOTE, '105]').character + 3);

    const wrong = byCode(diagnostics, 'quote-wrong-source');
    assert.equal(wrong.severity, 2, 'warning');
    assert.deepEqual(wrong.range.start, positionOf(NOTE, '“Ukrainian'));
    assert.equal(wrong.range.end.line, 4);
    assert.equal(wrong.range.end.character, positionOf(NOTE, 'attack” [@003]').character + 'attack”'.length);
    assert.match(wrong.message, /^The cited source, 27 Mar 2024 \[@003\], does not contain/);
    assert.ok(
      wrong.relatedInformation?.some((r) => r.location.uri.endsWith('/seeds/002_768581a09abd6eab.txt')),
      'related information points at the article that has the words',
    );

    const invented = byCode(diagnostics, 'quote-not-found');
    assert.equal(invented.range.start.line, 7);
    assert.equal(invented.severity, 2, 'warning');
  });

  it('hover on a citation shows the article title and a quoted sentence with a line link', async () => {
    const hover = (await session.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: noteUri },
      position: positionOf(NOTE, '000]'),
    })) as Hover;
    assert.ok(hover, 'a hover');
    const markdown = (hover.contents as MarkupContent).value;
    assert.equal((hover.contents as MarkupContent).kind, 'markdown');
    assert.match(markdown, /Efforts to search for and rescue injured people/, 'title');
    assert.match(markdown, /^> .*had risen to 139, including 3 children/m, 'the best sentence, as a quote');
    assert.match(markdown, /file:\/\/[^)\s]*000_e88b43032ae58550\.txt#L\d+/, 'a link to the line');
    assert.deepEqual(hover.range?.start, positionOf(NOTE, '000]'));
  });

  it('definition of a citation lands on the right line of the right seeds file', async () => {
    const result = (await session.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: noteUri },
      position: positionOf(NOTE, '002]'),
    })) as Location[] | LocationLink[] | null;
    assert.ok(Array.isArray(result) && result.length > 0, `a location: ${JSON.stringify(result)}`);
    const first = result[0];
    const uri = 'uri' in first ? first.uri : first.targetUri;
    const range = 'range' in first ? first.range : first.targetSelectionRange;
    assert.ok(uri.endsWith('/' + SEED_002), uri);
    assert.equal(fileURLToPath(uri), workspace.path(SEED_002));
    const seed = workspace.read(SEED_002);
    assert.deepEqual(range.start, positionOf(seed, 'Four attackers shot'), 'the sentence about the four attackers');

    const toll = (await session.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: noteUri },
      position: positionOf(NOTE, '000]'),
    })) as Location[];
    assert.ok(toll[0].uri.endsWith('/' + SEED_000));
    assert.equal(toll[0].range.start.line, positionOf(workspace.read(SEED_000), 'The Russian Investigative Committee announced').line);
  });

  it('completion after "@" offers the corpus keys', async () => {
    const uri = workspace.uri('notes/typing.md');
    const text = 'The toll rose [@00';
    await session.open(uri, text);
    const result = (await session.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line: 0, character: text.length },
      context: { triggerKind: 1 },
    })) as CompletionList;
    assert.deepEqual(
      result.items.map((i) => i.label),
      ['000', '001', '002', '003', '004'],
    );
  });

  it('quick fix for an unknown key: "Cite 27 Mar 2024 [@003] instead" replaces it', async () => {
    const diagnostics = await session.waitForDiagnostics(noteUri, (d) => d.length > 0);
    const typo = byCode(diagnostics, 'unknown-source', 5);
    const actions = (await session.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: noteUri },
      range: typo.range,
      context: { diagnostics: [typo], only: undefined },
    })) as CodeAction[];
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a) => a.title === 'Cite 27 Mar 2024 [@003] instead');
    assert.ok(fix, `titles: ${JSON.stringify(titles)}`);
    assert.equal(fix.kind, 'quickfix');
    const edits = fix.edit?.changes?.[noteUri];
    assert.ok(edits, JSON.stringify(fix.edit));
    const fixed = applyEdits(NOTE, edits);
    assert.match(fixed, /The toll rose again \[@003\]\./);
  });

  it('a quotation without a citation: quote-uncited hint with a "Cite [@001]" fix', async () => {
    const uri = workspace.uri('notes/uncited.md');
    const text = 'Bortnikov said the attack was coordinated “via the internet by members of Khorasan Province”.\n';
    await session.open(uri, text);
    const diagnostics = await session.waitForDiagnostics(uri, (d) => d.length > 0);
    const hint = byCode(diagnostics, 'quote-uncited');
    assert.equal(hint.severity, 4, 'hint');
    const actions = (await session.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: hint.range,
      context: { diagnostics: [hint] },
    })) as CodeAction[];
    const cite = actions.find((a) => a.title === 'Cite [@001]');
    assert.ok(cite, `titles: ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.match(applyEdits(text, cite.edit?.changes?.[uri] ?? []), /\[@001\]/);
  });

  it('incremental edits are applied and diagnostics follow them', async () => {
    const line = 5;
    const start = positionOf(NOTE, '0003]');
    await session.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: noteUri, version: 2 },
      contentChanges: [{ range: { start, end: { line, character: start.character + 4 } }, text: '003' }],
    });
    const diagnostics = await session.waitForDiagnostics(noteUri, (d) => !d.some((x) => x.code === 'unknown-source' && x.range.start.line === 5));
    assert.deepEqual(codes(diagnostics), ['quote-not-found', 'quote-wrong-source', 'unknown-source']);
    const state = await session.connection.sendRequest<DocumentState>(DOCUMENT_STATE_REQUEST, { uri: noteUri });
    assert.equal(state.version, 2);
    assert.match(state.text, /The toll rose again \[@003\]\./);
  });

  it('a new article announced through workspace/didChangeWatchedFiles resolves [@105]', async () => {
    workspace.write(
      'seeds/105_new.txt',
      'Regional press tally of the Crocus City Hall attack\n\nThe regional press reported that the toll had risen to 143 by Sunday evening.\n',
    );
    await session.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: workspace.uri('seeds/105_new.txt'), type: FileChangeType.Created }],
    });
    const diagnostics = await session.waitForDiagnostics(noteUri, (d) => !d.some((x) => x.code === 'unknown-source'), 5000);
    assert.deepEqual(codes(diagnostics), ['quote-not-found', 'quote-wrong-source']);
    const status = await session.waitForStatus((s) => s.state === 'ready' && s.articles === 6, 5000, true);
    assert.equal(status.articles, 6);
  });

  it('noteproof.reindex (workspace/executeCommand) answers null and re-indexes', async () => {
    const before = session.statuses.length;
    const result: unknown = await session.connection.sendRequest(ExecuteCommandRequest.type, { command: SERVER_COMMAND_REINDEX, arguments: [] });
    assert.equal(result, null);
    const ready = await session.waitForStatus((s) => s.state === 'ready');
    assert.equal(ready.articles, 6);
    assert.ok(session.statuses.slice(before).some((s) => s.state === 'indexing'), 'an "indexing" status first');
  });

  it('a settings change (didChangeConfiguration + pull) switches the corpus without a restart', async () => {
    workspace.write('more/200_more.txt', 'A single extra article\n\nNothing else is in this folder.\n');
    session.settings = { ...session.settings, corpus: ['more'] };
    await session.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { noteproof: session.settings } });
    const ready = await session.waitForStatus((s) => s.state === 'ready' && s.articles === 1);
    assert.equal(ready.articles, 1);
    session.settings = { ...session.settings, corpus: [] };
    await session.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { noteproof: session.settings } });
    const back = await session.waitForStatus((s) => s.state === 'ready' && s.articles === 6);
    assert.equal(back.articles, 6, 'an empty corpus setting falls back to seeds/');
  });

  it('advertises noteproof.facts (the extension only offers the fact sheet when it is advertised)', () => {
    const commands = initialized.capabilities.executeCommandProvider?.commands ?? [];
    assert.ok(commands.includes(SERVER_COMMAND_FACTS), `executeCommandProvider.commands: ${JSON.stringify(commands)}`);
  });

  it('noteproof.facts (workspace/executeCommand) returns the corpus fact sheet as markdown', async () => {
    const result: unknown = await session.connection.sendRequest(ExecuteCommandRequest.type, { command: SERVER_COMMAND_FACTS, arguments: [] });
    assert.equal(typeof result, 'string', `a markdown string, got ${JSON.stringify(result)}`);
    const markdown = result as string;
    assert.ok(markdown.trim().length > 0, 'not empty');
    assert.match(markdown, /^# Fact sheet/m, 'a heading');
    assert.match(markdown, /^## Killed$/m, 'a section per measure, e.g. "Killed"');
    assert.match(markdown, /^- \*\*139\*\* \(exactly 139\) — Agencies `\[@000\]`/m, 'a row: the death toll of 139 from [@000]');
  });
});

describe('noteproof server settings at start', { timeout: limit(60000) }, () => {
  it('initializationOptions.corpus is honoured, like the extension\'s noteproof.corpus setting', async () => {
    const workspace = new Workspace();
    workspace.write('more/200_more.txt', 'A single extra article\n\nNothing else is in this folder.\n');
    const session = new Session();
    try {
      session.settings = { corpus: ['more'] };
      await session.initialize(workspace.root, { corpus: ['more'] });
      const ready = await session.waitForStatus((s) => s.state === 'ready', 15000, true);
      assert.equal(ready.articles, 1, JSON.stringify(session.statuses));
      assert.equal(await session.close(), 0);
    } finally {
      workspace.remove();
    }
  });
});

describe('a PDF in the corpus: its text served as a noteproof: document', { timeout: limit(60000) }, () => {
  const PDF_NOTE = [
    '# Station 4',
    '',
    'The inspectors wrote that “the alarm had been disabled in 2019” [@report, p. 1].',
    '',
  ].join('\n');
  let workspace: Workspace;
  let session: Session;
  let initialized: InitializeResult;
  // What the extension's content provider does: servedDocumentText over the client's sendRequest.
  const send = (method: string, params: unknown) => session.connection.sendRequest(method, params);

  before(async () => {
    workspace = new Workspace();
    workspace.write('seeds/report.pdf', minimalPdf(PDF_LINES));
    session = new Session();
    initialized = await session.initialize(workspace.root, {});
    await session.waitForStatus((s) => s.state === 'ready', 15000, true);
  }, { timeout: limit(30000) });

  after(async () => {
    if (session !== undefined) {
      assert.equal(await session.close(), 0, `the server exits cleanly; stderr:\n${session.stderr}`);
    }
    workspace?.remove();
  }, { timeout: limit(15000) });

  it('announces the noteproof scheme (capabilities.experimental.textDocumentContent)', () => {
    assert.deepEqual((initialized.capabilities.experimental as { textDocumentContent?: unknown }).textDocumentContent, { schemes: ['noteproof'] });
    assert.equal(servesDocuments(initialized.capabilities), true);
  });

  it('reads the hand-written PDF: 6 articles, no warning about it, no finding on its quotation', async () => {
    const ready = await session.waitForStatus((s) => s.state === 'ready', 15000, true);
    assert.equal(ready.articles, 6, JSON.stringify(session.statuses));
    assert.ok(!session.logs.some((l) => l.includes('report.pdf')), `messages about the PDF: ${JSON.stringify(session.logs)}`);
    assert.ok(!session.stderr.includes('report.pdf'), `stderr about the PDF: ${session.stderr}`);
    const uri = workspace.uri('notes/station.md');
    await session.open(uri, PDF_NOTE);
    const diagnostics = await session.waitForDiagnostics(uri, () => true);
    assert.deepEqual(diagnostics, [], 'the quotation is on the cited page');
  });

  it('definition of the quotation: a noteproof:///…/report.pdf.txt Location; its text, through the provider\'s code path, has the sentence on that line', async () => {
    const result = (await session.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: workspace.uri('notes/station.md') },
      position: positionOf(PDF_NOTE, 'the alarm had'),
    })) as Location[];
    assert.ok(Array.isArray(result) && result.length === 1, JSON.stringify(result));
    const [location] = result;
    assert.equal(location.uri, servedUriOf(workspace.path('seeds/report.pdf')));
    const text = await servedDocumentText(send, location.uri);
    const lines = text.split('\n');
    assert.match(lines[0], /Review of the Station 4 fire alarm/, 'the title first');
    assert.ok(location.range.start.line > 0, 'the sentence is not on the first line');
    assert.ok(lines[location.range.start.line].includes(PDF_SENTENCE), `line ${location.range.start.line} of ${JSON.stringify(text)}`);
    assert.deepEqual(positionOf(text, 'the alarm had'), location.range.start, 'the range starts at the quoted words');
  });

  it('the URI as VS Code writes it (noteproof:/…, no empty authority) is sent as the server wrote it', async () => {
    const served = servedUriOf(workspace.path('seeds/report.pdf'));
    const vscodeForm = 'noteproof:' + served.slice('noteproof://'.length);
    assert.equal(servedDocumentUri(vscodeForm), served);
    assert.equal(servedDocumentUri(served), served, 'unchanged when it has the //');
    assert.equal(servedDocumentUri(workspace.uri('notes/station.md')), workspace.uri('notes/station.md'), 'file URIs unchanged');
    assert.match(await servedDocumentText(send, vscodeForm), /disabled in 2019/);
  });

  it('a document the server does not serve: a rejection in plain words (the server\'s -32602 message)', async () => {
    await assert.rejects(servedDocumentText(send, 'noteproof:///nowhere/missing.pdf.txt'), (error: Error) => {
      assert.match(error.message, /^noteproof cannot show noteproof:\/\/\/nowhere\/missing\.pdf\.txt: .*not in the corpus/);
      return true;
    });
    await assert.rejects(session.connection.sendRequest('workspace/textDocumentContent', { uri: 'noteproof:///nowhere/missing.pdf.txt' }), (error: { code: number }) => {
      assert.equal(error.code, -32602);
      return true;
    });
  });
});
