// The extension's decisions that do not need VS Code: where the server binary
// is, whether a folder is a noteproof workspace, what the status bar says.
// Kept free of `vscode` imports so that plain Node tests can run them.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { SERVED_SCHEME, TEXT_DOCUMENT_CONTENT_REQUEST, type StatusParams, type TextDocumentContentParams } from './protocol';

export const SERVER_BINARY = process.platform === 'win32' ? 'noteproof.exe' : 'noteproof';
export const CONFIG_FILE = 'noteproof.json';
export const DEFAULT_CORPUS = ['seeds'];

export interface FileSystem {
  isFile(p: string): boolean;
  isDirectory(p: string): boolean;
  isExecutable(p: string): boolean;
  readdir(p: string): string[];
}

export const nodeFileSystem: FileSystem = {
  isFile: (p) => stat(p)?.isFile() ?? false,
  isDirectory: (p) => stat(p)?.isDirectory() ?? false,
  isExecutable: (p) => {
    if (!(stat(p)?.isFile() ?? false)) {
      return false;
    }
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
  readdir: (p) => {
    try {
      return fs.readdirSync(p);
    } catch {
      return [];
    }
  },
};

function stat(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

/** Expands a leading `~` and `${workspaceFolder}` / `${userHome}` in a configured path. */
export function expandPath(configured: string, context: { home?: string; workspaceFolder?: string }): string {
  const home = context.home ?? os.homedir();
  let expanded = configured.trim();
  if (expanded === '~' || expanded.startsWith('~/')) {
    expanded = home + expanded.slice(1);
  }
  expanded = expanded.replace(/\$\{userHome\}/g, home);
  if (context.workspaceFolder !== undefined) {
    expanded = expanded.replace(/\$\{workspaceFolder\}/g, context.workspaceFolder);
  }
  return expanded;
}

export interface ServerLocation {
  path: string;
  /** Where it came from, for messages: the setting, PATH, or the extension's own `bin/`. */
  source: 'setting' | 'PATH' | 'bundled';
}

export interface ServerSearch {
  /** `noteproof.server.path`; empty or undefined means "find it". */
  configured?: string;
  /** The `PATH` environment variable. */
  pathEnv?: string;
  /** The extension's install folder (its `bin/` may hold a bundled binary). */
  extensionPath: string;
  workspaceFolder?: string;
  home?: string;
  fs?: FileSystem;
}

/**
 * Finds the server: the configured path if set (relative paths are taken from the
 * workspace folder), else `noteproof` on PATH, else `<extension>/bin/noteproof`.
 * A configured path is returned even when it does not exist, so that the error
 * names what the user wrote.
 */
export function resolveServerPath(search: ServerSearch): ServerLocation | undefined {
  const files = search.fs ?? nodeFileSystem;
  const configured = search.configured?.trim() ?? '';
  if (configured !== '') {
    let expanded = expandPath(configured, { home: search.home, workspaceFolder: search.workspaceFolder });
    if (!path.isAbsolute(expanded) && expanded.includes(path.sep) && search.workspaceFolder !== undefined) {
      expanded = path.join(search.workspaceFolder, expanded);
    }
    if (!expanded.includes(path.sep)) {
      // A bare command name such as "noteproof-dev": look it up on PATH.
      const onPath = findOnPath(expanded, search.pathEnv, files);
      return { path: onPath ?? expanded, source: 'setting' };
    }
    return { path: expanded, source: 'setting' };
  }
  const onPath = findOnPath(SERVER_BINARY, search.pathEnv, files);
  if (onPath !== undefined) {
    return { path: onPath, source: 'PATH' };
  }
  const bundled = path.join(search.extensionPath, 'bin', SERVER_BINARY);
  if (files.isExecutable(bundled)) {
    return { path: bundled, source: 'bundled' };
  }
  return undefined;
}

export function findOnPath(name: string, pathEnv: string | undefined, files: FileSystem = nodeFileSystem): string | undefined {
  for (const dir of (pathEnv ?? '').split(path.delimiter)) {
    if (dir === '') {
      continue;
    }
    const candidate = path.join(dir, name);
    if (files.isExecutable(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

/** The corpus folders from the `noteproof.corpus` setting: strings only, blanks dropped. */
export function corpusFolders(setting: unknown): string[] {
  if (!Array.isArray(setting)) {
    return [];
  }
  return setting.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim());
}

/**
 * `initializationOptions` for the server: the same object as `noteproof.json`.
 * Fields left out keep `noteproof.json`'s values (or the defaults).
 */
export function initializationOptions(corpus: string[]): { corpus?: string[] } {
  return corpus.length > 0 ? { corpus } : {};
}

/** Whether `dir` holds `noteproof.json` or a corpus folder with at least one article (`.txt`, a saved page or a PDF). */
export function isNoteproofWorkspace(dir: string, corpus: string[] = [], files: FileSystem = nodeFileSystem): boolean {
  if (files.isFile(path.join(dir, CONFIG_FILE))) {
    return true;
  }
  const folders = corpus.length > 0 ? corpus : DEFAULT_CORPUS;
  return folders.some((folder) => hasTextFile(path.resolve(dir, folder), files, 3));
}

function hasTextFile(dir: string, files: FileSystem, depth: number): boolean {
  if (!files.isDirectory(dir)) {
    return false;
  }
  const entries = files.readdir(dir);
  if (entries.some((entry) => /\.(txt|html?|pdf)$/i.test(entry) && files.isFile(path.join(dir, entry)))) {
    return true;
  }
  return depth > 0 && entries.some((entry) => !entry.startsWith('.') && hasTextFile(path.join(dir, entry), files, depth - 1));
}

/**
 * The root the server would pick for a file opened outside any workspace folder:
 * the nearest ancestor holding `noteproof.json`, else one holding a `seeds/` folder.
 */
export function findNoteproofRoot(filePath: string, files: FileSystem = nodeFileSystem): string | undefined {
  const ancestors: string[] = [];
  for (let dir = path.dirname(filePath); ; dir = path.dirname(dir)) {
    ancestors.push(dir);
    if (path.dirname(dir) === dir) {
      break;
    }
  }
  return (
    ancestors.find((dir) => files.isFile(path.join(dir, CONFIG_FILE))) ??
    ancestors.find((dir) => files.isDirectory(path.join(dir, 'seeds')))
  );
}

export interface StatusText {
  text: string;
  tooltip: string;
}

/** What the status-bar item shows for a `noteproof/status` notification. */
export function statusText(status: StatusParams): StatusText {
  const articles = `${status.articles} article${status.articles === 1 ? '' : 's'}`;
  const notes = `${status.notes} note${status.notes === 1 ? '' : 's'}`;
  if (status.state === 'indexing') {
    return { text: '$(sync~spin) noteproof: indexing…', tooltip: status.message || 'noteproof is indexing the corpus' };
  }
  if (status.state === 'ready') {
    return { text: `$(book) noteproof: ${articles}`, tooltip: `${status.message}\n${articles}, ${notes} in the workspace. Click for the fact sheet.` };
  }
  return { text: `$(book) noteproof: ${status.state}`, tooltip: status.message };
}

/**
 * The markdown of a `noteproof.facts` answer. The server returns a markdown string;
 * a `{markdown}` / `{value}` object or a MarkupContent is accepted as well.
 */
export function factSheetMarkdown(result: unknown): string {
  if (typeof result === 'string') {
    return result;
  }
  if (result !== null && typeof result === 'object') {
    for (const key of ['markdown', 'value', 'text']) {
      const value = (result as Record<string, unknown>)[key];
      if (typeof value === 'string') {
        return value;
      }
    }
  }
  throw new Error(`noteproof.facts returned ${result === null ? 'null' : typeof result}, not a markdown string`);
}

/** Glob for the corpus folders' articles, so the server also serves references and symbols in them. */
/** The arguments of `noteproof report` for the workspace: every note, the configured corpus. */
export function reportArguments(outFile: string, corpus: string[]): string[] {
  return ['report', ...corpus.flatMap((folder) => ['--corpus', folder]), '--out', outFile];
}

export function corpusArticleGlob(corpus: string[]): string {
  const folders = (corpus.length > 0 ? corpus : DEFAULT_CORPUS).map((folder) =>
    folder.startsWith('/') ? folder.replace(/\/+$/, '') : `**/${folder.replace(/^(\.\/)+/, '').replace(/\/+$/, '')}`,
  );
  const unique = [...new Set(folders)].filter((folder) => !/^(\*\*\/)?$/.test(folder) && !/[{},]/.test(folder));
  if (unique.length === 0) {
    return '**/seeds/**/*.txt';
  }
  return unique.length === 1 ? `${unique[0]}/**/*.txt` : `{${unique.join(',')}}/**/*.txt`;
}

/**
 * A served document's URI as the server names it. VS Code writes `noteproof:///a/report.pdf.txt` as
 * `noteproof:/a/report.pdf.txt` (its Uri drops an empty authority for every scheme but `file`); the
 * server's URIs keep the `//`. Other URIs are returned unchanged.
 */
export function servedDocumentUri(uri: string): string {
  const prefix = `${SERVED_SCHEME}:`;
  if (uri.startsWith(`${prefix}/`) && !uri.startsWith(`${prefix}//`)) {
    return `${prefix}//${uri.slice(prefix.length)}`;
  }
  return uri;
}

/** Whether the server announced that it serves `noteproof:` documents (`initialize`'s capabilities). */
export function servesDocuments(capabilities: unknown): boolean {
  const experimental = (capabilities as { experimental?: unknown } | undefined)?.experimental;
  const content = (experimental as { textDocumentContent?: unknown } | undefined)?.textDocumentContent;
  const schemes = (content as { schemes?: unknown } | undefined)?.schemes;
  return Array.isArray(schemes) && schemes.includes(SERVED_SCHEME);
}

/** Sends one request to the server: the language client's, or a test's connection. */
export type SendRequest = (method: string, params: TextDocumentContentParams) => Promise<unknown>;

/**
 * The text of a served document (`workspace/textDocumentContent`), for the content provider of the
 * `noteproof` scheme. Rejects with an Error in plain words when the server does not serve it.
 */
export async function servedDocumentText(send: SendRequest, uri: string): Promise<string> {
  const served = servedDocumentUri(uri);
  let result: unknown;
  try {
    result = await send(TEXT_DOCUMENT_CONTENT_REQUEST, { uri: served });
  } catch (error) {
    throw new Error(`noteproof cannot show ${served}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const text = (result as { text?: unknown } | null | undefined)?.text;
  if (typeof text !== 'string') {
    throw new Error(`noteproof cannot show ${served}: the server answered without a text (${JSON.stringify(result)})`);
  }
  return text;
}
