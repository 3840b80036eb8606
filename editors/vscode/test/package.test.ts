// Checks the .vsix built by `npm run package`: the manifest with its contributions,
// activation events, commands and settings, and the bundled extension.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';

import { CLIENT_COMMANDS } from '../src/protocol';
import { VSCODE_DIR } from './session';
import { listEntries, readEntry, type ZipEntry } from './zip';

interface Manifest {
  name: string;
  publisher: string;
  version: string;
  main: string;
  engines: { vscode: string };
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    configuration: { properties: Record<string, { type: string; default?: unknown; enum?: string[]; items?: { type: string } }> };
  };
}

describe('the packaged extension (.vsix)', () => {
  const source = JSON.parse(fs.readFileSync(path.join(VSCODE_DIR, 'package.json'), 'utf8')) as Manifest;
  const vsixPath = path.join(VSCODE_DIR, `${source.name}-${source.version}.vsix`);
  let zip: Buffer;
  let entries: ZipEntry[];
  let manifest: Manifest;

  const entry = (name: string): Buffer => {
    const found = entries.find((e) => e.name === name);
    assert.ok(found, `${name} is in the .vsix: ${entries.map((e) => e.name).join(', ')}`);
    return readEntry(zip, found);
  };

  before(() => {
    assert.ok(fs.existsSync(vsixPath), `${vsixPath} exists (run \`npm run package\` first)`);
    zip = fs.readFileSync(vsixPath);
    entries = listEntries(zip);
    manifest = JSON.parse(entry('extension/package.json').toString('utf8')) as Manifest;
  });

  it('holds the manifest, the bundle and the README, and nothing from the build', () => {
    const names = entries.map((e) => e.name);
    for (const required of ['extension.vsixmanifest', '[Content_Types].xml', 'extension/package.json', 'extension/dist/extension.js', 'extension/readme.md']) {
      assert.ok(names.some((n) => n.toLowerCase() === required.toLowerCase()), `${required} in ${names.join(', ')}`);
    }
    const stray = names.filter((n) => /(^|\/)(node_modules|src|test|out)\/|\.ts$|\.map$|tsconfig|eslint/.test(n));
    assert.deepEqual(stray, [], 'no sources, tests, maps or dependencies');
    assert.ok(zip.length < 2 * 1024 * 1024, `small: ${zip.length} bytes`);
  });

  it('the vsixmanifest names the extension', () => {
    const xml = entry('extension.vsixmanifest').toString('utf8');
    assert.match(xml, /<Identity [^>]*Id="noteproof"/);
    assert.match(xml, /Publisher="noteproof"/);
  });

  it('package.json: entry point, engine and activation events', () => {
    assert.equal(manifest.main, './dist/extension.js');
    assert.match(manifest.engines.vscode, /^\^1\.\d+/);
    for (const event of ['workspaceContains:noteproof.json', 'workspaceContains:seeds/**/*.txt', 'onLanguage:markdown']) {
      assert.ok(manifest.activationEvents.includes(event), `${event} in ${JSON.stringify(manifest.activationEvents)}`);
    }
    for (const command of Object.values(CLIENT_COMMANDS)) {
      assert.ok(manifest.activationEvents.includes(`onCommand:${command}`), `onCommand:${command}`);
    }
  });

  it('package.json: the four commands, with the ids the extension registers', () => {
    const commands = Object.fromEntries(manifest.contributes.commands.map((c) => [c.command, `${c.category}: ${c.title}`]));
    assert.deepEqual(commands, {
      [CLIENT_COMMANDS.restart]: 'noteproof: Restart server',
      [CLIENT_COMMANDS.reindex]: 'noteproof: Re-index corpus',
      [CLIENT_COMMANDS.facts]: 'noteproof: Show fact sheet',
      [CLIENT_COMMANDS.report]: 'noteproof: Open report',
    });
    for (const id of Object.keys(commands)) {
      assert.ok(!['noteproof.reindex', 'noteproof.facts'].includes(id), 'client command ids must not collide with server command ids');
    }
  });

  it('package.json: the settings', () => {
    const properties = manifest.contributes.configuration.properties;
    assert.deepEqual(Object.keys(properties).sort(), ['noteproof.corpus', 'noteproof.server.path', 'noteproof.trace.server']);
    assert.equal(properties['noteproof.server.path'].type, 'string');
    assert.equal(properties['noteproof.server.path'].default, '');
    assert.equal(properties['noteproof.corpus'].type, 'array');
    assert.equal(properties['noteproof.corpus'].items?.type, 'string');
    assert.deepEqual(properties['noteproof.trace.server'].enum, ['off', 'messages', 'verbose']);
    assert.equal(properties['noteproof.trace.server'].default, 'off');
  });

  it('dist/extension.js bundles the language client and leaves only `vscode` external', () => {
    const bundle = entry('extension/dist/extension.js').toString('utf8');
    const required = [...bundle.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    const external = [...new Set(required)].filter((m) => !m.startsWith('node:') && !isNodeBuiltin(m));
    assert.deepEqual(external, ['vscode']);
    for (const text of ['noteproof/status', 'noteproof.reindex', 'noteproof.facts', 'noteproof-facts', 'noteproof.restartServer']) {
      assert.ok(bundle.includes(text), `the bundle mentions ${text}`);
    }
  });
});

function isNodeBuiltin(name: string): boolean {
  return builtinModules.includes(name);
}
