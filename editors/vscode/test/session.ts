// Drives the real `noteproof lsp` binary with vscode-jsonrpc /
// vscode-languageserver-protocol, the libraries vscode-languageclient is built on,
// announcing the client capabilities VS Code announces.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  type ClientCapabilities,
  type ConfigurationParams,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Registration,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol/node';

import { STATUS_NOTIFICATION, type StatusParams } from '../src/protocol';

/**
 * A wait's limit: `ms` made generous (×3) and multiplied by NOTEPROOF_TEST_TIMEOUT_SCALE for slow or
 * loaded machines. Every wait ends as soon as its event arrives, so a generous limit costs nothing
 * when the server works and still fails a real hang.
 */
export function limit(ms: number): number {
  const scale = Number(process.env.NOTEPROOF_TEST_TIMEOUT_SCALE ?? '1');
  return Math.round(ms * 3 * (Number.isFinite(scale) && scale > 0 ? scale : 1));
}

export const VSCODE_DIR = path.resolve(__dirname, '..', '..');
export const REPO_ROOT = path.resolve(VSCODE_DIR, '..', '..');

/** The server under test: `$NOTEPROOF_BIN`, else the repository's debug build. */
export function serverBinary(): string {
  const binary = process.env.NOTEPROOF_BIN ?? path.join(REPO_ROOT, 'target', 'debug', 'noteproof');
  if (!fs.existsSync(binary)) {
    throw new Error(`noteproof binary not found at ${binary}: run \`cargo build\` or set NOTEPROOF_BIN`);
  }
  return binary;
}

/** A temporary workspace: a copy of the repository's seeds, plus whatever a test writes. */
export class Workspace {
  readonly root: string;

  constructor() {
    this.root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'noteproof-vscode-')));
    fs.cpSync(path.join(REPO_ROOT, 'seeds'), path.join(this.root, 'seeds'), { recursive: true });
  }

  path(relative: string): string {
    return path.join(this.root, relative);
  }

  uri(relative: string): string {
    return pathToFileURL(this.path(relative)).href;
  }

  write(relative: string, text: string | Buffer): string {
    const file = this.path(relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  }

  read(relative: string): string {
    return fs.readFileSync(this.path(relative), 'utf8');
  }

  remove(): void {
    // A server that is still shutting down may write its index cache meanwhile (ENOTEMPTY under
    // load). Node's own retries only retry the last `rmdir`, never the files that appeared since,
    // so the whole removal is started again, each time listing the folder afresh.
    for (let attempt = 1; ; attempt++) {
      try {
        fs.rmSync(this.root, { recursive: true, force: true });
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (attempt >= 50 || (code !== 'ENOTEMPTY' && code !== 'EBUSY')) {
          throw error;
        }
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      }
    }
  }
}

/** Client capabilities as vscode-languageclient 9 announces them (the parts the server looks at). */
export const VSCODE_CAPABILITIES: ClientCapabilities = {
  general: { positionEncodings: ['utf-16'], markdown: { parser: 'marked', version: '1.1.0' } },
  workspace: {
    applyEdit: true,
    workspaceEdit: { documentChanges: true },
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
    executeCommand: { dynamicRegistration: true },
    symbol: { dynamicRegistration: true },
  },
  window: { workDoneProgress: true, showMessage: {}, showDocument: { support: true } },
  textDocument: {
    synchronization: { dynamicRegistration: true, didSave: true, willSave: true, willSaveWaitUntil: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: false, codeDescriptionSupport: true, dataSupport: true },
    hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
    definition: { dynamicRegistration: true, linkSupport: true },
    references: { dynamicRegistration: true },
    completion: { dynamicRegistration: true, completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
    documentSymbol: { dynamicRegistration: true, hierarchicalDocumentSymbolSupport: true },
    codeAction: {
      dynamicRegistration: true,
      isPreferredSupport: true,
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source'] } },
    },
  },
};

interface Waiter<T> {
  accept(value: T): boolean;
  resolve(value: T): void;
}

/** One server process and its JSON-RPC connection, recording what the server sends. */
export class Session {
  readonly process: ChildProcessWithoutNullStreams;
  readonly connection: ProtocolConnection;
  readonly statuses: StatusParams[] = [];
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly registrations: Registration[] = [];
  readonly configurationRequests: ConfigurationParams[] = [];
  readonly progress: (WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd)[] = [];
  readonly logs: string[] = [];
  stderr = '';
  /** What `workspace/configuration` answers for the `noteproof` section. */
  settings: Record<string, unknown> = { server: { path: '' }, corpus: [], trace: { server: 'off' } };
  private statusWaiters: Waiter<StatusParams>[] = [];
  private diagnosticWaiters: Waiter<PublishDiagnosticsParams>[] = [];
  private exited: Promise<number | null>;

  constructor(binary: string = serverBinary(), cwd?: string) {
    this.process = spawn(binary, ['lsp'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr.setEncoding('utf8');
    this.process.stderr.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => this.process.on('exit', (code) => resolve(code)));
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    this.connection.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => {
      this.statuses.push(params);
      this.statusWaiters = this.statusWaiters.filter((w) => !(w.accept(params) && (w.resolve(params), true)));
    });
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params);
      this.diagnosticWaiters = this.diagnosticWaiters.filter((w) => !(w.accept(params) && (w.resolve(params), true)));
    });
    this.connection.onNotification(LogMessageNotification.type, (params) => this.logs.push(params.message));
    this.connection.onNotification(ShowMessageNotification.type, (params) => this.logs.push(`[shown] ${params.message}`));
    this.connection.onRequest(ConfigurationRequest.type, (params) => {
      this.configurationRequests.push(params);
      return params.items.map((item) => (item.section === 'noteproof' ? this.settings : null));
    });
    this.connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
      return null;
    });
    this.connection.onRequest(WorkDoneProgressCreateRequest.type, (params) => {
      this.connection.onProgress(WorkDoneProgress.type, params.token, (value) => this.progress.push(value));
      return null;
    });
    this.connection.listen();
  }

  /** `initialize` + `initialized` for one workspace folder, as VS Code sends them. */
  async initialize(root: string, initializationOptions: unknown = {}): Promise<InitializeResult> {
    const uri = pathToFileURL(root).href;
    const result = await withTimeout(15000, 'the initialize response', this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      clientInfo: { name: 'Visual Studio Code (protocol test)', version: '1.82.0' },
      rootUri: uri,
      rootPath: root,
      workspaceFolders: [{ uri, name: path.basename(root) }],
      capabilities: VSCODE_CAPABILITIES,
      initializationOptions,
    }));
    await this.connection.sendNotification(InitializedNotification.type, {});
    // vscode-languageclient's synchronize.configurationSection sends the section once at start.
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { noteproof: this.settings } });
    return result;
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'markdown', version, text },
    });
  }

  /** The next `noteproof/status` that satisfies `accept` (or one already received, if `past`). */
  waitForStatus(accept: (s: StatusParams) => boolean, timeoutMs = 15000, past = false): Promise<StatusParams> {
    if (past) {
      const seen = this.statuses.find(accept);
      if (seen !== undefined) {
        return Promise.resolve(seen);
      }
    }
    return this.wait(this.statusWaiters, accept, timeoutMs, () => `noteproof/status; got ${JSON.stringify(this.statuses)}`);
  }

  /** Diagnostics for `uri` satisfying `accept`: the latest already published, or the next ones. */
  waitForDiagnostics(uri: string, accept: (d: Diagnostic[]) => boolean, timeoutMs = 15000): Promise<Diagnostic[]> {
    const latest = this.diagnostics.get(uri);
    if (latest !== undefined && accept(latest.diagnostics)) {
      return Promise.resolve(latest.diagnostics);
    }
    return this.wait(
      this.diagnosticWaiters,
      (p) => p.uri === uri && accept(p.diagnostics),
      timeoutMs,
      () => `diagnostics for ${uri}; latest: ${JSON.stringify(this.diagnostics.get(uri)?.diagnostics ?? null)}`,
    ).then((p) => p.diagnostics);
  }

  private wait<T>(waiters: Waiter<T>[], accept: (value: T) => boolean, timeoutMs: number, what: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = waiters.indexOf(waiter);
        if (index >= 0) {
          waiters.splice(index, 1);
        }
        reject(new Error(`timed out after ${limit(timeoutMs)} ms waiting for ${what()}\nserver stderr:\n${this.stderr}`));
      }, limit(timeoutMs));
      const waiter: Waiter<T> = {
        accept,
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
      };
      waiters.push(waiter);
    });
  }

  /** `shutdown` + `exit`; resolves to the process's exit code. */
  async close(): Promise<number | null> {
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), limit(5000)).unref());
    try {
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), timeout]);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // the process may already be gone
    }
    const code = await Promise.race([this.exited, timeout]);
    this.connection.dispose();
    if (code === 'timeout') {
      this.process.kill('SIGKILL');
      throw new Error('the server did not exit within 5 s of `exit`');
    }
    return code;
  }
}

/** `promise`, or a rejection naming `what` after `ms` milliseconds. */
export function withTimeout<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${limit(ms)} ms waiting for ${what}`)), limit(ms));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The UTF-16 position (LSP's default encoding) of the first occurrence of `needle` in `text`. */
export function positionOf(text: string, needle: string, occurrence = 0): { line: number; character: number } {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) {
      throw new Error(`${JSON.stringify(needle)} (occurrence ${occurrence}) is not in the text`);
    }
  }
  const before = text.slice(0, index);
  const line = before.split('\n').length - 1;
  return { line, character: index - (before.lastIndexOf('\n') + 1) };
}

/** A line of text on a PDF page: font size, x, y (points from the bottom left), the text. */
export type PdfLine = [size: number, x: number, y: number, text: string];

/**
 * A minimal valid PDF, written by hand: one page, Helvetica, one text object per line, and a
 * cross-reference table with each object's byte offset (ASCII text only).
 */
export function minimalPdf(lines: PdfLine[]): Buffer {
  const stream = lines.map(([size, x, y, text]) => `BT /F1 ${size} Tf ${x} ${y} Td (${text}) Tj ET\n`).join('');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}endstream`,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  // Each entry is exactly 20 bytes: 10-digit offset, 5-digit generation, n/f, space, newline.
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** The report the PDF tests put in the corpus, and the sentence a note quotes from it. */
export const PDF_SENTENCE = 'The review found that the alarm had been disabled in 2019.';
export const PDF_LINES: PdfLine[] = [
  [16, 72, 740, 'Review of the Station 4 fire alarm'],
  [12, 72, 700, PDF_SENTENCE],
  [12, 72, 660, 'Nobody was hurt when the fire started in the kitchen.'],
];

/** The URI the server serves a PDF's text under: `noteproof:///…/report.pdf.txt`. */
export function servedUriOf(file: string): string {
  return `noteproof:${pathToFileURL(file).href.slice('file:'.length)}.txt`;
}
