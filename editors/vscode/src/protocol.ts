// The noteproof server's protocol surface beyond standard LSP: its custom
// notification and request, and the commands of `workspace/executeCommand`.
// This module must not import `vscode`: the protocol tests use it under plain Node.

/** `noteproof/status` (server → client): sent when indexing starts and when it ends. */
export const STATUS_NOTIFICATION = 'noteproof/status';

export interface StatusParams {
  /** "indexing" or "ready". */
  state: string;
  articles: number;
  notes: number;
  message: string;
}

/** `noteproof/documentState` (client → server): the server's copy of an open document. */
export const DOCUMENT_STATE_REQUEST = 'noteproof/documentState';

export interface DocumentStateParams {
  uri: string;
}

export interface DocumentState {
  version: number;
  text: string;
}

/**
 * `workspace/textDocumentContent` (LSP 3.18, client → server): the text of a read-only document the
 * server serves, the text it read from a PDF. A definition in a PDF is a Location in such a document.
 * Unknown documents are an error (-32602) whose message says why.
 */
export const TEXT_DOCUMENT_CONTENT_REQUEST = 'workspace/textDocumentContent';

/** The scheme of the served documents: `noteproof:///…/report.pdf.txt` for `/…/report.pdf`. */
export const SERVED_SCHEME = 'noteproof';

export interface TextDocumentContentParams {
  uri: string;
}

export interface TextDocumentContentResult {
  text: string;
}

/** Server commands, run with `workspace/executeCommand`. */
export const SERVER_COMMAND_REINDEX = 'noteproof.reindex';
export const SERVER_COMMAND_FACTS = 'noteproof.facts';

/**
 * Client-side VS Code command ids. They must differ from the server's command
 * ids: vscode-languageclient registers a VS Code command for each command the
 * server advertises, and a second registration of the same id would fail.
 */
export const CLIENT_COMMANDS = {
  restart: 'noteproof.restartServer',
  reindex: 'noteproof.reindexCorpus',
  facts: 'noteproof.showFactSheet',
  report: 'noteproof.openReport',
} as const;

/** Diagnostic codes the server publishes (`source: "noteproof"`). */
export const DIAGNOSTIC_CODES = [
  'unknown-source',
  'ambiguous-source',
  'quote-wrong-source',
  'quote-not-found',
  'quote-uncited',
  'figure-contradiction',
  'figure-unsupported',
] as const;

/** The settings section the server pulls with `workspace/configuration`. */
export const CONFIGURATION_SECTION = 'noteproof';
