// The noteproof VS Code extension: starts `noteproof lsp` for markdown notes in a
// workspace that has a corpus, shows indexing progress in the status bar, offers
// restart, re-index, fact-sheet and report commands, and shows the read-only
// `noteproof:` documents the server serves (the text of a PDF in the corpus).

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  type Executable,
  type LanguageClientOptions,
} from 'vscode-languageclient/node';

import {
  corpusArticleGlob,
  corpusFolders,
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
} from './logic';
import {
  CLIENT_COMMANDS,
  CONFIGURATION_SECTION,
  SERVED_SCHEME,
  SERVER_COMMAND_FACTS,
  SERVER_COMMAND_REINDEX,
  STATUS_NOTIFICATION,
  type StatusParams,
} from './protocol';

const CLIENT_ID = 'noteproof';
const CLIENT_NAME = 'noteproof';
export const FACTS_SCHEME = 'noteproof-facts';

/** Read-only documents on the `noteproof-facts:` scheme, holding the last fact sheet. */
class FactSheetProvider implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  set(uri: vscode.Uri, markdown: string): void {
    this.contents.set(uri.toString(), markdown);
    this.changed.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '_No fact sheet yet: run "noteproof: Show fact sheet"._\n';
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/**
 * Read-only documents on the `noteproof:` scheme: the text the server read from a PDF, asked of it
 * with `workspace/textDocumentContent`. A definition in a PDF opens one, at the sentence's line.
 */
class ServedDocumentProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly text: (uri: vscode.Uri) => Promise<string>) {}

  provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    return this.text(uri);
  }

  /** Asks VS Code to read the open served documents again (the corpus was re-read). */
  refresh(): void {
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme === SERVED_SCHEME) {
        this.changed.fire(document.uri);
      }
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** How long a served document waits for the server to finish its first index, in ms. */
const SERVED_READY_TIMEOUT_MS = 15000;

class Extension implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;
  private readonly output: vscode.OutputChannel;
  private readonly status: vscode.StatusBarItem;
  private readonly facts = new FactSheetProvider();
  private readonly served = new ServedDocumentProvider((uri) => this.servedText(uri));
  /** The running server's last `noteproof/status`, and who waits for the next "ready". */
  private lastStatus: StatusParams | undefined;
  private readyWaiters: (() => void)[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel(CLIENT_NAME);
    this.status = vscode.window.createStatusBarItem('noteproof.status', vscode.StatusBarAlignment.Left, 10);
    this.status.name = 'noteproof';
    this.status.command = CLIENT_COMMANDS.facts;
    this.disposables.push(
      this.output,
      this.status,
      this.facts,
      vscode.workspace.registerTextDocumentContentProvider(FACTS_SCHEME, this.facts),
      this.served,
      vscode.workspace.registerTextDocumentContentProvider(SERVED_SCHEME, this.served),
      vscode.commands.registerCommand(CLIENT_COMMANDS.restart, () => this.restart()),
      vscode.commands.registerCommand(CLIENT_COMMANDS.reindex, () => this.reindex()),
      vscode.commands.registerCommand(CLIENT_COMMANDS.facts, () => this.showFactSheet()),
      vscode.commands.registerCommand(CLIENT_COMMANDS.report, () => this.openReport()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        // Corpus changes reach the running server through `workspace/didChangeConfiguration`
        // (synchronize.configurationSection); only a new binary needs a restart.
        if (event.affectsConfiguration('noteproof.server.path') && this.client !== undefined) {
          void this.restart();
        }
      }),
      vscode.workspace.onDidOpenTextDocument((document) => this.maybeStartFor(document)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        if (this.client === undefined && this.isRelevantWorkspace()) {
          void this.start();
        }
      }),
    );
  }

  /** Starts the server when the workspace (or an open markdown file's folder) has a corpus. */
  async activate(): Promise<void> {
    if (this.isRelevantWorkspace()) {
      await this.start();
    }
  }

  private maybeStartFor(document: vscode.TextDocument): void {
    if (this.client !== undefined || this.starting !== undefined || document.languageId !== 'markdown') {
      return;
    }
    // With a workspace folder open the server's root is that folder (checked at activation);
    // without one it finds the root from the file, as findNoteproofRoot does.
    if ((vscode.workspace.workspaceFolders ?? []).length > 0) {
      return;
    }
    if (document.uri.scheme === 'file' && findNoteproofRoot(document.uri.fsPath) !== undefined) {
      void this.start();
    }
  }

  private isRelevantWorkspace(): boolean {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') {
        continue;
      }
      const corpus = corpusFolders(vscode.workspace.getConfiguration(CONFIGURATION_SECTION, folder.uri).get('corpus'));
      if (isNoteproofWorkspace(folder.uri.fsPath, corpus)) {
        return true;
      }
    }
    if ((vscode.workspace.workspaceFolders ?? []).length > 0) {
      return false;
    }
    return vscode.workspace.textDocuments.some(
      (document) =>
        document.languageId === 'markdown' && document.uri.scheme === 'file' && findNoteproofRoot(document.uri.fsPath) !== undefined,
    );
  }

  private start(): Promise<void> {
    this.starting ??= this.doStart().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private serverLocation(workspaceFolder: string | undefined) {
    return resolveServerPath({
      configured: vscode.workspace.getConfiguration(CONFIGURATION_SECTION).get<string>('server.path'),
      pathEnv: process.env.PATH,
      extensionPath: this.context.extensionPath,
      workspaceFolder,
    });
  }

  private async doStart(): Promise<void> {
    if (this.client !== undefined) {
      return;
    }
    const settings = vscode.workspace.getConfiguration(CONFIGURATION_SECTION);
    const workspaceFolder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
    const server = this.serverLocation(workspaceFolder);
    if (server === undefined) {
      this.showStatus('$(error) noteproof: no server', 'The noteproof executable was not found on PATH nor bundled.');
      const choice = await vscode.window.showErrorMessage(
        'noteproof: the `noteproof` executable was not found on PATH. Install it (cargo install --path <checkout>) or set "noteproof.server.path".',
        'Open Settings',
      );
      if (choice === 'Open Settings') {
        await vscode.commands.executeCommand('workbench.action.openSettings', 'noteproof.server.path');
      }
      return;
    }
    const corpus = corpusFolders(settings.get('corpus'));
    // No `transport`: with TransportKind.stdio the client appends `--stdio` to the
    // arguments, which `noteproof lsp` refuses. Without it the client still talks over stdio.
    const executable: Executable = {
      command: server.path,
      args: ['lsp'],
      options: workspaceFolder !== undefined ? { cwd: workspaceFolder } : {},
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'markdown' },
        { scheme: 'untitled', language: 'markdown' },
        // Articles too: references and document symbols work from inside a source.
        { scheme: 'file', pattern: corpusArticleGlob(corpus) },
      ],
      synchronize: { configurationSection: CONFIGURATION_SECTION },
      initializationOptions: initializationOptions(corpus),
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      // The served documents' URIs go back to the server as it wrote them (VS Code's Uri would
      // write `noteproof:///…` as `noteproof:/…`); every other URI as VS Code writes it.
      uriConverters: {
        code2Protocol: (uri) => servedDocumentUri(uri.toString()),
        protocol2Code: (value) => vscode.Uri.parse(value),
      },
      markdown: { isTrusted: false, supportHtml: false },
    };
    const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, { run: executable, debug: executable }, clientOptions);
    this.client = client;
    this.lastStatus = undefined;
    client.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => {
      const { text, tooltip } = statusText(params);
      this.showStatus(text, tooltip);
      if (this.client === client) {
        this.lastStatus = params;
        if (params.state === 'ready') {
          const waiters = this.readyWaiters;
          this.readyWaiters = [];
          waiters.forEach((wake) => wake());
          this.served.refresh();
        }
      }
    });
    client.onDidChangeState((event) => {
      if (event.newState === State.Stopped && this.client === client) {
        this.showStatus('$(debug-disconnect) noteproof: stopped', 'The noteproof server is not running. Run "noteproof: Restart server".');
      }
    });
    this.showStatus('$(sync~spin) noteproof: starting…', `Starting ${server.path} (${server.source})`);
    this.output.appendLine(`noteproof: starting ${server.path} lsp (found via ${server.source})`);
    try {
      await client.start();
    } catch (error) {
      this.client = undefined;
      client.dispose().catch(() => undefined);
      this.showStatus('$(error) noteproof: failed', String(error));
      void vscode.window.showErrorMessage(`noteproof: the server could not start (${server.path}): ${String(error)}`);
    }
  }

  private async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) {
      return;
    }
    // stop()/dispose() throw when the client never got running (e.g. the binary failed to start).
    try {
      if (client.state === State.Running) {
        await client.stop(2000);
      }
    } catch (error) {
      this.output.appendLine(`noteproof: stopping the server failed: ${String(error)}`);
    }
    try {
      await client.dispose(2000);
    } catch {
      // already stopped, or it never started
    }
  }

  async restart(): Promise<void> {
    await this.starting;
    await this.stop();
    await this.start();
  }

  /** The client once started (starting it if needed), if its server is running. */
  private async startedClient(): Promise<LanguageClient | undefined> {
    if (this.client === undefined) {
      await this.start();
    } else {
      await this.starting;
    }
    const client = this.client;
    return client !== undefined && client.state === State.Running ? client : undefined;
  }

  private async runningClient(): Promise<LanguageClient | undefined> {
    const client = await this.startedClient();
    if (client === undefined) {
      void vscode.window.showWarningMessage('noteproof: the server is not running (no corpus in this workspace, or it failed to start).');
      return undefined;
    }
    return client;
  }

  /** Resolves at the next "ready" status, or after `ms`. */
  private nextReady(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * The text of a served document, from the server (starting it if needed). Rejects with a message
   * in plain words, which VS Code shows as the reason the document cannot be opened.
   */
  async servedText(uri: vscode.Uri): Promise<string> {
    const client = await this.startedClient();
    if (client === undefined) {
      throw new Error(`noteproof: the server is not running, so ${uri.path} cannot be shown (no corpus in this workspace, or it failed to start)`);
    }
    if (!servesDocuments(client.initializeResult?.capabilities)) {
      throw new Error('noteproof: this server cannot show the text of PDFs; update noteproof');
    }
    const send = (method: string, params: unknown) => client.sendRequest(method, params);
    const served = client.code2ProtocolConverter.asUri(uri);
    try {
      return await servedDocumentText(send, served);
    } catch (error) {
      if (this.client !== client || this.lastStatus?.state === 'ready') {
        throw error;
      }
      // Asked before the first index was done: once the corpus is read, ask again.
      await this.nextReady(SERVED_READY_TIMEOUT_MS);
      return servedDocumentText(send, served);
    }
  }

  async reindex(): Promise<void> {
    const client = await this.runningClient();
    if (client === undefined) {
      return;
    }
    this.showStatus('$(sync~spin) noteproof: indexing…', 'Re-indexing the corpus');
    await client.sendRequest(ExecuteCommandRequest.type, { command: SERVER_COMMAND_REINDEX, arguments: [] });
  }

  async showFactSheet(): Promise<void> {
    const client = await this.runningClient();
    if (client === undefined) {
      return;
    }
    const advertised = client.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
    if (!advertised.includes(SERVER_COMMAND_FACTS)) {
      void vscode.window.showWarningMessage(
        `noteproof: this server does not offer a fact sheet (no "${SERVER_COMMAND_FACTS}" command); update noteproof.`,
      );
      return;
    }
    let markdown: string;
    try {
      const result: unknown = await client.sendRequest(ExecuteCommandRequest.type, { command: SERVER_COMMAND_FACTS, arguments: [] });
      markdown = factSheetMarkdown(result);
    } catch (error) {
      void vscode.window.showErrorMessage(`noteproof: the fact sheet failed: ${String(error)}`);
      return;
    }
    const uri = vscode.Uri.from({ scheme: FACTS_SCHEME, path: '/noteproof fact sheet.md' });
    this.facts.set(uri, markdown);
    let document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== 'markdown') {
      document = await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    }
    await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  }

  /**
   * Runs `noteproof report` for the workspace into a fresh temporary file and opens it in the
   * browser (the page is self-contained: no server, no network). Resolves to the file, if any.
   */
  async openReport(): Promise<string | undefined> {
    const workspaceFolder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
    if (workspaceFolder === undefined) {
      void vscode.window.showWarningMessage('noteproof: open a folder with notes to make a report of.');
      return undefined;
    }
    const server = this.serverLocation(workspaceFolder);
    if (server === undefined) {
      void vscode.window.showErrorMessage('noteproof: the `noteproof` executable was not found on PATH; set "noteproof.server.path".');
      return undefined;
    }
    const outFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'noteproof-report-')), 'report.html');
    const corpus = corpusFolders(vscode.workspace.getConfiguration(CONFIGURATION_SECTION).get('corpus'));
    const args = reportArguments(outFile, corpus);
    this.output.appendLine(`noteproof: ${server.path} ${args.join(' ')}`);
    try {
      await new Promise<void>((resolve, reject) => {
        execFile(server.path, args, { cwd: workspaceFolder, timeout: 120000 }, (error, _stdout, stderr) => {
          if (stderr) {
            this.output.appendLine(stderr.trimEnd());
          }
          if (error) {
            reject(new Error(stderr.trim() || error.message));
          } else {
            resolve();
          }
        });
      });
    } catch (error) {
      void vscode.window.showErrorMessage(`noteproof: the report failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    await vscode.env.openExternal(vscode.Uri.file(outFile));
    return outFile;
  }

  private showStatus(text: string, tooltip: string): void {
    this.status.text = text;
    this.status.tooltip = tooltip;
    this.status.show();
  }

  async dispose(): Promise<void> {
    await this.stop();
    for (const disposable of this.disposables) {
      disposable.dispose();
    }
  }
}

let extension: Extension | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extension = new Extension(context);
  context.subscriptions.push({ dispose: () => void extension?.dispose() });
  await extension.activate();
}

export async function deactivate(): Promise<void> {
  const current = extension;
  extension = undefined;
  await current?.dispose();
}
