// A stand-in for the `vscode` module, large enough to run the bundled extension
// (dist/extension.js, with vscode-languageclient inside) under plain Node against
// the real server. It records what the extension does to the editor: commands,
// status bar, diagnostics, providers, opened documents, messages.
//
// It is not VS Code: UI, editors and most events are no-ops. Where it computes
// (positions, ranges, text edits, document selectors) it follows VS Code's API.

import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access,
   @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return,
   @typescript-eslint/no-unused-vars, @typescript-eslint/require-await */

type Listener<T> = (event: T) => unknown;

export class Disposable {
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  constructor(private readonly callOnDispose: () => unknown) {}
  dispose(): void {
    this.callOnDispose();
  }
}

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>, thisArgs?: unknown, disposables?: Disposable[]): Disposable => {
    const bound: Listener<T> = thisArgs === undefined ? listener : listener.bind(thisArgs);
    this.listeners.push(bound);
    const disposable = new Disposable(() => {
      this.listeners = this.listeners.filter((l) => l !== bound);
    });
    disposables?.push(disposable);
    return disposable;
  };
  fire(event: T): void {
    for (const listener of [...this.listeners]) {
      listener(event);
    }
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  readonly token = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };
  cancel(): void {
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

export class CancellationError extends Error {
  constructor() {
    super('Canceled');
    this.name = 'Canceled';
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
    readonly fragment: string,
  ) {}
  static parse(value: string): Uri {
    const match = /^([a-zA-Z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(value);
    if (match === null) {
      throw new Error(`cannot parse URI ${value}`);
    }
    return new Uri(match[1], match[2] ?? '', decodeURIComponent(match[3]), match[4] ?? '', match[5] ?? '');
  }
  static file(fsPath: string): Uri {
    return new Uri('file', '', fsPath, '', '');
  }
  static from(components: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(components.scheme, components.authority ?? '', components.path ?? '', components.query ?? '', components.fragment ?? '');
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return base.with({ path: path.posix.join(base.path, ...segments) });
  }
  get fsPath(): string {
    return this.path;
  }
  with(change: { scheme?: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(
      change.scheme ?? this.scheme,
      change.authority ?? this.authority,
      change.path ?? this.path,
      change.query ?? this.query,
      change.fragment ?? this.fragment,
    );
  }
  toString(): string {
    if (this.scheme === 'file') {
      return pathToFileURL(this.path).href + (this.fragment !== '' ? `#${this.fragment}` : '');
    }
    const authority = this.authority !== '' ? `//${this.authority}` : '';
    return `${this.scheme}:${authority}${encodeURI(this.path)}${this.query !== '' ? `?${this.query}` : ''}${this.fragment !== '' ? `#${this.fragment}` : ''}`;
  }
  toJSON(): unknown {
    return { scheme: this.scheme, path: this.path, $mid: 1 };
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
  isBefore(other: Position): boolean {
    return this.line < other.line || (this.line === other.line && this.character < other.character);
  }
  isEqual(other: Position): boolean {
    return this.line === other.line && this.character === other.character;
  }
  translate(lineDelta = 0, characterDelta = 0): Position {
    return new Position(this.line + lineDelta, this.character + characterDelta);
  }
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    const start = typeof a === 'number' ? new Position(a, b as number) : a;
    const end = typeof a === 'number' ? new Position(c!, d!) : (b as Position);
    [this.start, this.end] = end.isBefore(start) ? [end, start] : [start, end];
  }
  get isEmpty(): boolean {
    return this.start.isEqual(this.end);
  }
  contains(p: Position | Range): boolean {
    const [s, e] = p instanceof Range ? [p.start, p.end] : [p, p];
    return !s.isBefore(this.start) && !this.end.isBefore(e);
  }
}

export class Selection extends Range {
  constructor(
    readonly anchor: Position,
    readonly active: Position,
  ) {
    super(anchor, active);
  }
}

export class Location {
  constructor(
    readonly uri: Uri,
    readonly range: Range,
  ) {}
}

export enum DiagnosticSeverity {
  Error = 0,
  Warning = 1,
  Information = 2,
  Hint = 3,
}
export enum DiagnosticTag {
  Unnecessary = 1,
  Deprecated = 2,
}

export class DiagnosticRelatedInformation {
  constructor(
    readonly location: Location,
    readonly message: string,
  ) {}
}

export class Diagnostic {
  code: unknown;
  source: string | undefined;
  relatedInformation: DiagnosticRelatedInformation[] | undefined;
  tags: DiagnosticTag[] | undefined;
  constructor(
    public range: Range,
    public message: string,
    public severity: DiagnosticSeverity = DiagnosticSeverity.Error,
  ) {}
}

export class MarkdownString {
  isTrusted: boolean | undefined;
  supportHtml: boolean | undefined;
  constructor(
    public value = '',
    public supportThemeIcons = false,
  ) {}
  appendMarkdown(value: string): this {
    this.value += value;
    return this;
  }
  appendText(value: string): this {
    this.value += value;
    return this;
  }
  appendCodeblock(code: string, language = ''): this {
    this.value += `\n\`\`\`${language}\n${code}\n\`\`\`\n`;
    return this;
  }
}

export class Hover {
  readonly contents: MarkdownString[];
  constructor(
    contents: MarkdownString | MarkdownString[],
    readonly range?: Range,
  ) {
    this.contents = Array.isArray(contents) ? contents : [contents];
  }
}

export class TextEdit {
  constructor(
    public range: Range,
    public newText: string,
  ) {}
  static replace(range: Range, newText: string): TextEdit {
    return new TextEdit(range, newText);
  }
  static insert(position: Position, newText: string): TextEdit {
    return new TextEdit(new Range(position, position), newText);
  }
  static delete(range: Range): TextEdit {
    return new TextEdit(range, '');
  }
}

export class WorkspaceEdit {
  private readonly edits = new Map<string, [Uri, TextEdit[]]>();
  set(uri: Uri, edits: TextEdit[]): void {
    this.edits.set(uri.toString(), [uri, [...edits]]);
  }
  replace(uri: Uri, range: Range, newText: string): void {
    this.get(uri).push(new TextEdit(range, newText));
  }
  insert(uri: Uri, position: Position, newText: string): void {
    this.get(uri).push(TextEdit.insert(position, newText));
  }
  delete(uri: Uri, range: Range): void {
    this.get(uri).push(TextEdit.delete(range));
  }
  get(uri: Uri): TextEdit[] {
    const key = uri.toString();
    if (!this.edits.has(key)) {
      this.edits.set(key, [uri, []]);
    }
    return this.edits.get(key)![1];
  }
  has(uri: Uri): boolean {
    return this.edits.has(uri.toString());
  }
  entries(): [Uri, TextEdit[]][] {
    return [...this.edits.values()];
  }
  get size(): number {
    return this.edits.size;
  }
  createFile(): void {}
  deleteFile(): void {}
  renameFile(): void {}
}

export class CodeActionKind {
  static readonly Empty = new CodeActionKind('');
  static readonly QuickFix = new CodeActionKind('quickfix');
  static readonly Refactor = new CodeActionKind('refactor');
  static readonly RefactorExtract = new CodeActionKind('refactor.extract');
  static readonly RefactorInline = new CodeActionKind('refactor.inline');
  static readonly RefactorRewrite = new CodeActionKind('refactor.rewrite');
  static readonly Source = new CodeActionKind('source');
  static readonly SourceOrganizeImports = new CodeActionKind('source.organizeImports');
  static readonly SourceFixAll = new CodeActionKind('source.fixAll');
  constructor(readonly value: string) {}
  append(part: string): CodeActionKind {
    return new CodeActionKind(this.value === '' ? part : `${this.value}.${part}`);
  }
  contains(other: CodeActionKind): boolean {
    return this.value === '' || other.value === this.value || other.value.startsWith(`${this.value}.`);
  }
  intersects(other: CodeActionKind): boolean {
    return this.contains(other) || other.contains(this);
  }
}

export class CodeAction {
  edit: WorkspaceEdit | undefined;
  diagnostics: Diagnostic[] | undefined;
  command: unknown;
  isPreferred: boolean | undefined;
  disabled: unknown;
  constructor(
    public title: string,
    public kind?: CodeActionKind,
  ) {}
}

export class CompletionItem {
  [key: string]: unknown;
  constructor(
    public label: string,
    public kind?: number,
  ) {}
}

export class CompletionList {
  constructor(
    public items: CompletionItem[] = [],
    public isIncomplete = false,
  ) {}
}

export class SymbolInformation {
  constructor(
    public name: string,
    public kind: number,
    public containerName: string,
    public location: Location,
  ) {}
}

export class DocumentSymbol {
  children: DocumentSymbol[] = [];
  constructor(
    public name: string,
    public detail: string,
    public kind: number,
    public range: Range,
    public selectionRange: Range,
  ) {}
}

export class SnippetString {
  constructor(public value = '') {}
}

export class RelativePattern {
  readonly baseUri: Uri;
  constructor(
    base: Uri | string | { uri: Uri },
    readonly pattern: string,
  ) {
    this.baseUri = typeof base === 'string' ? Uri.file(base) : base instanceof Uri ? base : base.uri;
  }
}

/** What an editor tab shows: a text document (the only kind the fake opens), a diff, a custom editor. */
export class TabInputText {
  constructor(readonly uri: Uri) {}
}

export class TabInputTextDiff {
  constructor(
    readonly original: Uri,
    readonly modified: Uri,
  ) {}
}

export class TabInputCustom {
  constructor(
    readonly uri: Uri,
    readonly viewType: string,
  ) {}
}

export class ThemeIcon {
  constructor(readonly id: string) {}
}
export class ThemeColor {
  constructor(readonly id: string) {}
}

/** Classes the client extends or builds for features noteproof does not offer: shape only. */
function placeholder(name: string) {
  const cls = class {
    readonly args: unknown[];
    constructor(...args: unknown[]) {
      this.args = args;
    }
  };
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}
const placeholders = Object.fromEntries(
  [
    'CallHierarchyItem',
    'CallHierarchyIncomingCall',
    'CallHierarchyOutgoingCall',
    'CodeLens',
    'Color',
    'ColorInformation',
    'ColorPresentation',
    'DocumentHighlight',
    'DocumentLink',
    'FoldingRange',
    'InlayHint',
    'InlayHintLabelPart',
    'InlineCompletionItem',
    'InlineCompletionList',
    'InlineValueEvaluatableExpression',
    'InlineValueText',
    'InlineValueVariableLookup',
    'LinkedEditingRanges',
    'ParameterInformation',
    'SelectionRange',
    'SemanticTokens',
    'SemanticTokensEdit',
    'SemanticTokensEdits',
    'SignatureHelp',
    'SignatureInformation',
    'TypeHierarchyItem',
  ].map((name) => [name, placeholder(name)]),
);

// Enums the language client maps to and from; numeric values as in VS Code.
const numbered = (names: string[], start = 0): Record<string, number> =>
  Object.fromEntries(names.flatMap((name, i) => [[name, i + start]]));
export const CompletionItemKind = numbered(
  'Text Method Function Constructor Field Variable Class Interface Module Property Unit Value Enum Keyword Snippet Color File Reference Folder EnumMember Constant Struct Event Operator TypeParameter User Issue'.split(
    ' ',
  ),
);
export const SymbolKind = numbered(
  'File Module Namespace Package Class Method Property Field Constructor Enum Interface Function Variable Constant String Number Boolean Array Object Key Null EnumMember Struct Event Operator TypeParameter'.split(
    ' ',
  ),
);
export const CompletionItemTag = { Deprecated: 1 };
export const SymbolTag = { Deprecated: 1 };
export const CompletionTriggerKind = { Invoke: 0, TriggerCharacter: 1, TriggerForIncompleteCompletions: 2 };
export const SignatureHelpTriggerKind = { Invoke: 1, TriggerCharacter: 2, ContentChange: 3 };
export const InsertTextFormat = { PlainText: 1, Snippet: 2 };
export const CodeActionTriggerKind = { Invoke: 1, Automatic: 2 };
export const DocumentHighlightKind = { Text: 0, Read: 1, Write: 2 };
export const FoldingRangeKind = { Comment: 1, Imports: 2, Region: 3 };
export const InlayHintKind = { Type: 1, Parameter: 2 };
export const TextDocumentSaveReason = { Manual: 1, AfterDelay: 2, FocusOut: 3 };
export const TextDocumentChangeReason = { Undo: 1, Redo: 2 };
export const ProgressLocation = { SourceControl: 1, Window: 10, Notification: 15 };
export const StatusBarAlignment = { Left: 1, Right: 2 };
export const ViewColumn = { Active: -1, Beside: -2, One: 1, Two: 2, Three: 3 };
export const ConfigurationTarget = { Global: 1, Workspace: 2, WorkspaceFolder: 3 };
export const EndOfLine = { LF: 1, CRLF: 2 };
export const UIKind = { Desktop: 1, Web: 2 };
export const LogLevel = { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 };
export const NotebookCellKind = { Markup: 1, Code: 2 };
export const FileType = { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 };

/** A text document with the line arithmetic the client needs. */
export class FakeTextDocument {
  version = 1;
  isClosed = false;
  isDirty = false;
  readonly isUntitled = false;
  readonly eol = EndOfLine.LF;
  constructor(
    readonly uri: Uri,
    public languageId: string,
    private text: string,
  ) {}
  get fileName(): string {
    return this.uri.fsPath;
  }
  get lineCount(): number {
    return this.text.split('\n').length;
  }
  getText(range?: Range): string {
    if (range === undefined) {
      return this.text;
    }
    return this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }
  offsetAt(position: Position): number {
    const lines = this.text.split('\n');
    let offset = 0;
    for (let i = 0; i < position.line && i < lines.length; i++) {
      offset += lines[i].length + 1;
    }
    return Math.min(offset + position.character, this.text.length);
  }
  positionAt(offset: number): Position {
    const before = this.text.slice(0, offset);
    const line = before.split('\n').length - 1;
    return new Position(line, offset - (before.lastIndexOf('\n') + 1));
  }
  lineAt(line: number | Position): { text: string; range: Range; lineNumber: number } {
    const n = typeof line === 'number' ? line : line.line;
    const text = this.text.split('\n')[n] ?? '';
    return { text, range: new Range(n, 0, n, text.length), lineNumber: n };
  }
  getWordRangeAtPosition(position: Position): Range | undefined {
    const text = this.lineAt(position.line).text;
    let start = position.character;
    let end = position.character;
    while (start > 0 && /\w/.test(text[start - 1])) {
      start--;
    }
    while (end < text.length && /\w/.test(text[end])) {
      end++;
    }
    return start === end ? undefined : new Range(position.line, start, position.line, end);
  }
  validatePosition(position: Position): Position {
    return position;
  }
  validateRange(range: Range): Range {
    return range;
  }
  save(): Promise<boolean> {
    return Promise.resolve(true);
  }
  /** Applies edits as VS Code would, returning the change event's contentChanges. */
  applyEdits(edits: TextEdit[]): { range: Range; rangeOffset: number; rangeLength: number; text: string }[] {
    const sorted = [...edits].sort((a, b) => this.offsetAt(b.range.start) - this.offsetAt(a.range.start));
    const changes = [];
    for (const edit of sorted) {
      const start = this.offsetAt(edit.range.start);
      const end = this.offsetAt(edit.range.end);
      changes.push({ range: edit.range, rangeOffset: start, rangeLength: end - start, text: edit.newText });
      this.text = this.text.slice(0, start) + edit.newText + this.text.slice(end);
    }
    this.version++;
    return changes;
  }
}

/** Glob matching for document selectors (`**`, `*`, `?`, `{a,b}`). */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') {
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '{') {
      out += '(?:';
    } else if (c === '}') {
      out += ')';
    } else if (c === ',') {
      out += '|';
    } else {
      out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${out}$`);
}

interface Filter {
  language?: string;
  scheme?: string;
  pattern?: string | RelativePattern;
  notebookType?: string;
}

function matchFilter(filter: Filter | string, document: { uri: Uri; languageId: string }): number {
  if (typeof filter === 'string') {
    return filter === document.languageId || filter === '*' ? 10 : 0;
  }
  if (filter.notebookType !== undefined) {
    return 0;
  }
  let score = 0;
  if (filter.scheme !== undefined) {
    if (filter.scheme !== document.uri.scheme && filter.scheme !== '*') {
      return 0;
    }
    score = Math.max(score, filter.scheme === '*' ? 5 : 10);
  }
  if (filter.language !== undefined) {
    if (filter.language !== document.languageId && filter.language !== '*') {
      return 0;
    }
    score = Math.max(score, filter.language === '*' ? 5 : 10);
  }
  if (filter.pattern !== undefined) {
    const pattern = typeof filter.pattern === 'string' ? filter.pattern : path.posix.join(filter.pattern.baseUri.path, filter.pattern.pattern);
    if (!globToRegExp(pattern).test(document.uri.path)) {
      return 0;
    }
    score = Math.max(score, 5);
  }
  return score;
}

export interface Recorded {
  commands: Map<string, (...args: any[]) => any>;
  executed: { command: string; args: unknown[] }[];
  messages: { level: 'info' | 'warning' | 'error'; text: string }[];
  statusItems: FakeStatusBarItem[];
  output: string[];
  diagnostics: Map<string, Diagnostic[]>;
  diagnosticsChanged: EventEmitter<string>;
  providers: Map<string, { selector: unknown; provider: any }[]>;
  contentProviders: Map<string, any>;
  shownDocuments: FakeTextDocument[];
  fileWatchers: { pattern: unknown }[];
  /** What `env.openExternal` was asked to open. */
  openedExternally: Uri[];
}

export class FakeStatusBarItem {
  text = '';
  tooltip: unknown = '';
  command: unknown;
  name: string | undefined;
  visible = false;
  constructor(
    readonly id: string,
    readonly alignment: number,
    readonly priority: number,
  ) {}
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  dispose(): void {
    this.visible = false;
  }
}

export interface FakeVscodeOptions {
  workspaceFolders: string[];
  /** Settings by full key, e.g. `noteproof.server.path`. */
  settings: Record<string, unknown>;
  extensionPath: string;
}

/** Builds the fake module; `recorded` shows what the extension did with it. */
export function createFakeVscode(options: FakeVscodeOptions) {
  const recorded: Recorded = {
    commands: new Map(),
    executed: [],
    messages: [],
    statusItems: [],
    output: [],
    diagnostics: new Map(),
    diagnosticsChanged: new EventEmitter<string>(),
    providers: new Map(),
    contentProviders: new Map(),
    shownDocuments: [],
    fileWatchers: [],
    openedExternally: [],
  };
  const documents: FakeTextDocument[] = [];
  const events = {
    open: new EventEmitter<FakeTextDocument>(),
    close: new EventEmitter<FakeTextDocument>(),
    change: new EventEmitter<unknown>(),
    save: new EventEmitter<FakeTextDocument>(),
    willSave: new EventEmitter<unknown>(),
    configuration: new EventEmitter<{ affectsConfiguration(section: string): boolean }>(),
    folders: new EventEmitter<unknown>(),
    tabs: new EventEmitter<unknown>(),
  };
  // One group of editor tabs; the language client pulls diagnostics for the documents shown in tabs.
  const tabGroup = { tabs: [] as { input: TabInputText; label: string; isActive: boolean }[], isActive: true, viewColumn: 1 };
  const settings = { ...options.settings };
  const folders = options.workspaceFolders.map((folder, index) => ({ uri: Uri.file(folder), name: path.basename(folder), index }));
  const none = () => new Disposable(() => {});
  const noEvent = (_listener: unknown) => none();

  const configurationFor = (section?: string) => {
    const prefix = section === undefined || section === '' ? '' : `${section}.`;
    const lookup = (key: string): unknown => {
      const full = prefix + key;
      if (full in settings) {
        return settings[full];
      }
      // A whole section: nest the dotted keys below it, as VS Code does.
      const nested: Record<string, unknown> = {};
      let found = false;
      for (const [name, value] of Object.entries(settings)) {
        if (name.startsWith(`${full}.`)) {
          found = true;
          let target = nested;
          const parts = name.slice(full.length + 1).split('.');
          for (const part of parts.slice(0, -1)) {
            target = (target[part] ??= {}) as Record<string, unknown>;
          }
          target[parts[parts.length - 1]] = value;
        }
      }
      return found ? nested : undefined;
    };
    const configuration: Record<string, unknown> = {
      get: (key: string, fallback?: unknown) => lookup(key) ?? fallback,
      has: (key: string) => lookup(key) !== undefined,
      inspect: (key: string) => ({ key, globalValue: lookup(key) }),
      update: async (key: string, value: unknown) => {
        settings[prefix + key] = value;
      },
    };
    return new Proxy(configuration, {
      get: (target, key: string) => (key in target ? target[key] : lookup(key)),
    });
  };

  const languages: Record<string, unknown> = {
    match: (selector: unknown, document: FakeTextDocument) => {
      const filters = Array.isArray(selector) ? selector : [selector];
      return Math.max(0, ...filters.map((f: Filter | string) => matchFilter(f, document)));
    },
    createDiagnosticCollection: (name?: string) => {
      const collection = {
        name,
        set: (uri: Uri | [Uri, Diagnostic[]][], diagnostics?: Diagnostic[]) => {
          const entries: [Uri, Diagnostic[] | undefined][] = Array.isArray(uri) ? uri : [[uri, diagnostics]];
          for (const [u, d] of entries) {
            recorded.diagnostics.set(u.toString(), d ?? []);
            recorded.diagnosticsChanged.fire(u.toString());
          }
        },
        delete: (uri: Uri) => {
          recorded.diagnostics.delete(uri.toString());
          recorded.diagnosticsChanged.fire(uri.toString());
        },
        get: (uri: Uri) => recorded.diagnostics.get(uri.toString()),
        has: (uri: Uri) => recorded.diagnostics.has(uri.toString()),
        clear: () => recorded.diagnostics.clear(),
        forEach: () => {},
        dispose: () => {},
      };
      return collection;
    },
    setTextDocumentLanguage: async (document: FakeTextDocument, languageId: string) => {
      document.languageId = languageId;
      return document;
    },
    getLanguages: async () => ['markdown', 'plaintext'],
    getDiagnostics: () => [],
    onDidChangeDiagnostics: noEvent,
  };
  // Every `languages.registerXxxProvider` records its provider under "Xxx".
  const languagesProxy = new Proxy(languages, {
    get: (target, key: string) => {
      if (key in target) {
        return target[key];
      }
      const match = /^register(\w+?)(?:Provider|Support)?$/.exec(key);
      if (match !== null) {
        return (selector: unknown, provider: unknown) => {
          const list = recorded.providers.get(match[1]) ?? [];
          list.push({ selector, provider });
          recorded.providers.set(match[1], list);
          return none();
        };
      }
      return undefined;
    },
  });

  const workspace = {
    workspaceFolders: folders.length > 0 ? folders : undefined,
    name: folders[0]?.name,
    textDocuments: documents,
    notebookDocuments: [],
    isTrusted: true,
    getConfiguration: (section?: string) => configurationFor(section),
    getWorkspaceFolder: (uri: Uri) => folders.find((f) => uri.path === f.uri.path || uri.path.startsWith(f.uri.path + '/')),
    onDidChangeConfiguration: events.configuration.event,
    onDidOpenTextDocument: events.open.event,
    onDidCloseTextDocument: events.close.event,
    onDidChangeTextDocument: events.change.event,
    onDidSaveTextDocument: events.save.event,
    onWillSaveTextDocument: events.willSave.event,
    onDidChangeWorkspaceFolders: events.folders.event,
    onDidOpenNotebookDocument: noEvent,
    onDidCloseNotebookDocument: noEvent,
    onDidChangeNotebookDocument: noEvent,
    onDidSaveNotebookDocument: noEvent,
    onDidCreateFiles: noEvent,
    onDidRenameFiles: noEvent,
    onDidDeleteFiles: noEvent,
    onWillCreateFiles: noEvent,
    onWillRenameFiles: noEvent,
    onWillDeleteFiles: noEvent,
    onDidGrantWorkspaceTrust: noEvent,
    createFileSystemWatcher: (pattern: unknown) => {
      recorded.fileWatchers.push({ pattern });
      return { onDidCreate: noEvent, onDidChange: noEvent, onDidDelete: noEvent, dispose: () => {} };
    },
    registerTextDocumentContentProvider: (scheme: string, provider: unknown) => {
      recorded.contentProviders.set(scheme, provider);
      return none();
    },
    openTextDocument: async (target: Uri | string) => {
      const uri = typeof target === 'string' ? Uri.file(target) : target;
      const existing = documents.find((d) => d.uri.toString() === uri.toString());
      if (existing !== undefined) {
        return existing;
      }
      let text: string;
      const provider = recorded.contentProviders.get(uri.scheme);
      if (provider !== undefined) {
        text = (await provider.provideTextDocumentContent(uri, new CancellationTokenSource().token)) as string;
      } else {
        text = fs.readFileSync(uri.fsPath, 'utf8');
      }
      const document = new FakeTextDocument(uri, uri.path.endsWith('.md') ? 'markdown' : 'plaintext', text);
      documents.push(document);
      events.open.fire(document);
      return document;
    },
    applyEdit: async (edit: WorkspaceEdit) => {
      for (const [uri, edits] of edit.entries()) {
        const document = documents.find((d) => d.uri.toString() === uri.toString());
        if (document === undefined) {
          return false;
        }
        const contentChanges = document.applyEdits(edits);
        events.change.fire({ document, contentChanges, reason: undefined });
      }
      return true;
    },
    findFiles: async () => [],
    asRelativePath: (p: string | Uri) => (typeof p === 'string' ? p : p.fsPath),
    fs: {},
  };

  const outputChannel = (name: string) => ({
    name,
    append: (text: string) => recorded.output.push(text),
    appendLine: (text: string) => recorded.output.push(text),
    replace: () => {},
    clear: () => {},
    show: () => {},
    hide: () => {},
    dispose: () => {},
    trace: (text: string) => recorded.output.push(text),
    debug: (text: string) => recorded.output.push(text),
    info: (text: string) => recorded.output.push(text),
    warn: (text: string) => recorded.output.push(text),
    error: (text: unknown) => recorded.output.push(String(text)),
    logLevel: LogLevel.Info,
    onDidChangeLogLevel: noEvent,
  });

  const message = (level: 'info' | 'warning' | 'error') => async (text: string) => {
    recorded.messages.push({ level, text });
    return undefined;
  };

  const window = {
    activeTextEditor: undefined,
    visibleTextEditors: [],
    visibleNotebookEditors: [],
    tabGroups: { all: [tabGroup], onDidChangeTabs: events.tabs.event, onDidChangeTabGroups: noEvent, activeTabGroup: tabGroup },
    onDidChangeActiveTextEditor: noEvent,
    onDidChangeVisibleTextEditors: noEvent,
    onDidChangeVisibleNotebookEditors: noEvent,
    onDidChangeActiveNotebookEditor: noEvent,
    createOutputChannel: outputChannel,
    createStatusBarItem: (id: string | number, alignment?: number, priority?: number) => {
      const item = typeof id === 'string' ? new FakeStatusBarItem(id, alignment ?? 1, priority ?? 0) : new FakeStatusBarItem('', id, alignment ?? 0);
      recorded.statusItems.push(item);
      return item;
    },
    showInformationMessage: message('info'),
    showWarningMessage: message('warning'),
    showErrorMessage: message('error'),
    showTextDocument: async (document: FakeTextDocument) => {
      recorded.shownDocuments.push(document);
      return { document };
    },
    withProgress: async (_options: unknown, task: (progress: unknown, token: unknown) => Promise<unknown>) =>
      task({ report: () => {} }, new CancellationTokenSource().token),
    createTextEditorDecorationType: () => ({ dispose: () => {} }),
  };

  const commands = {
    registerCommand: (id: string, callback: (...args: any[]) => any, thisArg?: unknown) => {
      if (recorded.commands.has(id)) {
        throw new Error(`command '${id}' already exists`);
      }
      recorded.commands.set(id, thisArg === undefined ? callback : callback.bind(thisArg));
      return new Disposable(() => recorded.commands.delete(id));
    },
    executeCommand: async (id: string, ...args: unknown[]) => {
      recorded.executed.push({ command: id, args });
      const command = recorded.commands.get(id);
      return command === undefined ? undefined : command(...args);
    },
    getCommands: async () => [...recorded.commands.keys()],
  };

  const module = {
    ...placeholders,
    version: '1.82.0',
    env: {
      appName: 'Fake VS Code (noteproof tests)',
      appRoot: options.extensionPath,
      language: 'en',
      machineId: 'test',
      sessionId: 'test',
      uiKind: UIKind.Desktop,
      uriScheme: 'vscode',
      openExternal: async (uri: Uri) => {
        recorded.openedExternally.push(uri);
        return true;
      },
      clipboard: { readText: async () => '', writeText: async () => {} },
    },
    extensions: { getExtension: () => undefined, all: [] },
    Disposable,
    EventEmitter,
    CancellationTokenSource,
    CancellationError,
    Uri,
    Position,
    Range,
    Selection,
    Location,
    Diagnostic,
    DiagnosticSeverity,
    DiagnosticTag,
    DiagnosticRelatedInformation,
    MarkdownString,
    Hover,
    TextEdit,
    WorkspaceEdit,
    CodeAction,
    CodeActionKind,
    CompletionItem,
    CompletionList,
    CompletionItemKind,
    CompletionItemTag,
    CompletionTriggerKind,
    SignatureHelpTriggerKind,
    CodeActionTriggerKind,
    DocumentHighlightKind,
    FoldingRangeKind,
    InlayHintKind,
    SymbolKind,
    SymbolTag,
    SymbolInformation,
    DocumentSymbol,
    SnippetString,
    RelativePattern,
    ThemeIcon,
    ThemeColor,
    TabInputText,
    TabInputTextDiff,
    TabInputCustom,
    TextDocumentSaveReason,
    TextDocumentChangeReason,
    ProgressLocation,
    StatusBarAlignment,
    ViewColumn,
    ConfigurationTarget,
    EndOfLine,
    UIKind,
    LogLevel,
    NotebookCellKind,
    FileType,
    InsertTextFormat,
    languages: languagesProxy,
    workspace,
    window,
    commands,
  };

  const controls = {
    /** Opens a file as VS Code does when the user opens it: in a tab first, then the document
     * (didOpen follows). */
    open: (file: string, languageId = 'markdown') => {
      const uri = Uri.file(file);
      if (!tabGroup.tabs.some((tab) => tab.input.uri.toString() === uri.toString())) {
        const tab = { input: new TabInputText(uri), label: path.basename(file), isActive: true };
        tabGroup.tabs.push(tab);
        events.tabs.fire({ opened: [tab], closed: [], changed: [] });
      }
      return workspace.openTextDocument(uri).then((d) => {
        d.languageId = languageId;
        return d;
      });
    },
    /** Edits a document as the user would (didChange follows). */
    edit: (document: FakeTextDocument, edits: TextEdit[]) => {
      const contentChanges = document.applyEdits(edits);
      events.change.fire({ document, contentChanges, reason: undefined });
    },
    /** Changes settings and fires onDidChangeConfiguration, as the Settings editor does. */
    configure: (changes: Record<string, unknown>) => {
      Object.assign(settings, changes);
      const keys = Object.keys(changes);
      events.configuration.fire({
        affectsConfiguration: (section: string) => keys.some((k) => k === section || k.startsWith(`${section}.`) || section.startsWith(`${k}.`)),
      });
    },
  };

  return { module, recorded, controls };
}

/** Makes `require('vscode')` return `fake` for every module loaded from now on. */
export function installFakeVscode(fake: object): void {
  const loader = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = loader._resolveFilename;
  const id = path.join(__dirname, '__fake_vscode__.js');
  loader._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? id : original.call(this, request, ...rest);
  };
  const cached = new Module.Module(id);
  cached.filename = id;
  cached.loaded = true;
  cached.exports = fake;
  require.cache[id] = cached;
}
