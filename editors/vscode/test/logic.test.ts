// Unit tests of the extension's decisions that need no editor.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import {
  corpusArticleGlob,
  corpusFolders,
  expandPath,
  factSheetMarkdown,
  findNoteproofRoot,
  initializationOptions,
  isNoteproofWorkspace,
  reportArguments,
  resolveServerPath,
  servedDocumentText,
  servedDocumentUri,
  servesDocuments,
  statusText,
} from '../src/logic';

function tempDir(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'noteproof-logic-')));
}

function executable(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\n');
  fs.chmodSync(file, 0o755);
  return file;
}

describe('resolveServerPath', () => {
  it('prefers the setting, expanding ~ and ${workspaceFolder}', () => {
    assert.deepEqual(resolveServerPath({ configured: '~/bin/np', home: '/home/a', extensionPath: '/ext' }), {
      path: '/home/a/bin/np',
      source: 'setting',
    });
    assert.equal(
      resolveServerPath({ configured: '${workspaceFolder}/target/debug/noteproof', workspaceFolder: '/w', extensionPath: '/ext' })?.path,
      '/w/target/debug/noteproof',
    );
    assert.equal(resolveServerPath({ configured: 'target/debug/noteproof', workspaceFolder: '/w', extensionPath: '/ext' })?.path, '/w/target/debug/noteproof');
  });

  it('then noteproof on PATH, then the bundled bin/noteproof', () => {
    const dir = tempDir();
    try {
      const extension = path.join(dir, 'ext');
      const bundled = executable(path.join(extension, 'bin', 'noteproof'));
      const onPath = executable(path.join(dir, 'path2', 'noteproof'));
      fs.mkdirSync(path.join(dir, 'path1'));
      const pathEnv = [path.join(dir, 'path1'), path.join(dir, 'path2')].join(path.delimiter);
      assert.deepEqual(resolveServerPath({ configured: '', pathEnv, extensionPath: extension }), { path: onPath, source: 'PATH' });
      assert.deepEqual(resolveServerPath({ pathEnv: path.join(dir, 'path1'), extensionPath: extension }), { path: bundled, source: 'bundled' });
      fs.chmodSync(bundled, 0o644);
      assert.equal(resolveServerPath({ pathEnv: '', extensionPath: extension }), undefined, 'a non-executable file does not count');
      assert.deepEqual(resolveServerPath({ configured: 'noteproof', pathEnv, extensionPath: extension }), { path: onPath, source: 'setting' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('expandPath leaves other paths alone', () => {
    assert.equal(expandPath('/usr/bin/noteproof', { home: '/h' }), '/usr/bin/noteproof');
    assert.equal(expandPath('${userHome}/x', { home: '/h' }), '/h/x');
  });
});

describe('workspace detection', () => {
  it('a folder with noteproof.json or a corpus of .txt files is a noteproof workspace', () => {
    const dir = tempDir();
    try {
      assert.equal(isNoteproofWorkspace(dir), false);
      fs.mkdirSync(path.join(dir, 'seeds'));
      assert.equal(isNoteproofWorkspace(dir), false, 'an empty seeds/ folder is not enough');
      fs.writeFileSync(path.join(dir, 'seeds', '000_a.txt'), 'Title\n\nBody.\n');
      assert.equal(isNoteproofWorkspace(dir), true);
      assert.equal(isNoteproofWorkspace(dir, ['more']), false, 'the configured corpus replaces seeds/');
      fs.mkdirSync(path.join(dir, 'more', 'sub'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'more', 'sub', 'x.txt'), 'x');
      const pages = tempDir();
      try {
        fs.mkdirSync(path.join(pages, 'seeds'));
        fs.writeFileSync(path.join(pages, 'seeds', 'report.pdf'), '%PDF-1.4');
        assert.equal(isNoteproofWorkspace(pages), true, 'a corpus of PDFs or saved pages is one too');
      } finally {
        fs.rmSync(pages, { recursive: true, force: true });
      }
      assert.equal(isNoteproofWorkspace(dir, ['more']), true, 'articles in subfolders count');
      const configured = path.join(dir, 'configured');
      fs.mkdirSync(configured);
      fs.writeFileSync(path.join(configured, 'noteproof.json'), '{}');
      assert.equal(isNoteproofWorkspace(configured), true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('findNoteproofRoot mirrors the server: noteproof.json first, then a seeds/ folder', () => {
    const dir = tempDir();
    try {
      fs.mkdirSync(path.join(dir, 'a', 'seeds'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'a', 'b', 'notes'), { recursive: true });
      assert.equal(findNoteproofRoot(path.join(dir, 'a', 'b', 'notes', 'n.md')), path.join(dir, 'a'));
      fs.writeFileSync(path.join(dir, 'noteproof.json'), '{}');
      assert.equal(findNoteproofRoot(path.join(dir, 'a', 'b', 'notes', 'n.md')), dir);
      fs.rmSync(path.join(dir, 'noteproof.json'));
      fs.rmSync(path.join(dir, 'a', 'seeds'), { recursive: true });
      assert.equal(findNoteproofRoot(path.join(dir, 'a', 'b', 'notes', 'n.md')), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('settings', () => {
  it('corpusFolders keeps non-blank strings', () => {
    assert.deepEqual(corpusFolders(['seeds', ' more ', '', 3, null]), ['seeds', 'more']);
    assert.deepEqual(corpusFolders(undefined), []);
    assert.deepEqual(corpusFolders('seeds'), []);
  });

  it('initializationOptions leaves out an empty corpus (then noteproof.json or the default applies)', () => {
    assert.deepEqual(initializationOptions([]), {});
    assert.deepEqual(initializationOptions(['a', 'b']), { corpus: ['a', 'b'] });
  });

  it('corpusArticleGlob selects the corpus articles', () => {
    assert.equal(corpusArticleGlob([]), '**/seeds/**/*.txt');
    assert.equal(corpusArticleGlob(['./more/']), '**/more/**/*.txt');
    assert.equal(corpusArticleGlob(['seeds', 'more']), '{**/seeds,**/more}/**/*.txt');
    assert.equal(corpusArticleGlob(['/data/corpus']), '/data/corpus/**/*.txt');
  });
});

describe('status bar and fact sheet', () => {
  it('statusText: a spinner while indexing, then the article count', () => {
    assert.match(statusText({ state: 'indexing', articles: 0, notes: 0, message: 'indexing /w' }).text, /sync~spin.*indexing/);
    const ready = statusText({ state: 'ready', articles: 5, notes: 2, message: '5 articles, 2 notes indexed in 3 ms' });
    assert.equal(ready.text, '$(book) noteproof: 5 articles');
    assert.match(ready.tooltip, /5 articles, 2 notes/);
    assert.equal(statusText({ state: 'ready', articles: 1, notes: 1, message: '' }).text, '$(book) noteproof: 1 article');
  });

  it('factSheetMarkdown accepts a markdown string (and markup objects), refuses anything else', () => {
    assert.equal(factSheetMarkdown('# Facts\n'), '# Facts\n');
    assert.equal(factSheetMarkdown({ kind: 'markdown', value: '# F' }), '# F');
    assert.throws(() => factSheetMarkdown(null), /null/);
    assert.throws(() => factSheetMarkdown(42), /number/);
  });
});

describe('reportArguments', () => {
  it('writes the report to the file, with the configured corpus folders', () => {
    assert.deepEqual(reportArguments('/tmp/r.html', []), ['report', '--out', '/tmp/r.html']);
    assert.deepEqual(reportArguments('/tmp/r.html', ['seeds', 'more']), ['report', '--corpus', 'seeds', '--corpus', 'more', '--out', '/tmp/r.html']);
  });
});

describe('served documents (noteproof:)', () => {
  it('servedDocumentUri puts back the // VS Code drops, and leaves other URIs alone', () => {
    assert.equal(servedDocumentUri('noteproof:/w/seeds/report.pdf.txt'), 'noteproof:///w/seeds/report.pdf.txt');
    assert.equal(servedDocumentUri('noteproof:///w/seeds/report.pdf.txt'), 'noteproof:///w/seeds/report.pdf.txt');
    assert.equal(servedDocumentUri('file:///w/notes/a.md'), 'file:///w/notes/a.md');
    assert.equal(servedDocumentUri('noteproof-facts:/noteproof%20fact%20sheet.md'), 'noteproof-facts:/noteproof%20fact%20sheet.md');
  });

  it('servesDocuments reads capabilities.experimental.textDocumentContent.schemes', () => {
    assert.equal(servesDocuments({ experimental: { textDocumentContent: { schemes: ['noteproof'] } } }), true);
    assert.equal(servesDocuments({ experimental: {} }), false);
    assert.equal(servesDocuments({}), false);
    assert.equal(servesDocuments(undefined), false);
  });

  it('servedDocumentText sends workspace/textDocumentContent and says in plain words why it failed', async () => {
    const sent: unknown[] = [];
    const text = await servedDocumentText((method, params) => {
      sent.push([method, params]);
      return Promise.resolve({ text: 'Title\n\nBody.\n' });
    }, 'noteproof:/w/report.pdf.txt');
    assert.equal(text, 'Title\n\nBody.\n');
    assert.deepEqual(sent, [['workspace/textDocumentContent', { uri: 'noteproof:///w/report.pdf.txt' }]]);
    await assert.rejects(
      servedDocumentText(() => Promise.reject(new Error('/w/report.pdf is not in the corpus')), 'noteproof:///w/report.pdf.txt'),
      /^Error: noteproof cannot show noteproof:\/\/\/w\/report\.pdf\.txt: \/w\/report\.pdf is not in the corpus$/,
    );
    await assert.rejects(servedDocumentText(() => Promise.resolve(null), 'noteproof:///w/report.pdf.txt'), /without a text/);
  });
});
