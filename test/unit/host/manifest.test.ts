/**
 * The extension's package.json `contributes` checked against itself and against the host's sources: a menu
 * that names a missing command, a command without a category, or a command the host never registers would
 * only show up when a person clicks it in VS Code.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTEXT } from '../../../src/host/resultsTreeModel';
import { HOVER_COMMANDS } from '../../../src/host/annotationModel';
import { SETTING } from '../../../src/host/requestSettings';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const contributes = pkg.contributes;
const commandIds: string[] = contributes.commands.map((c: { command: string }) => c.command);
const hostSources = readdirSync(join(root, 'src', 'host'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(join(root, 'src', 'host', f), 'utf8'))
  .join('\n');

type MenuItem = { command: string; when?: string; group?: string };
const menuItems: [string, MenuItem][] = Object.entries(contributes.menus as Record<string, MenuItem[]>).flatMap(([menu, items]) =>
  items.map((i) => [menu, i] as [string, MenuItem]),
);

/** The regex literal of a `resourceFilename =~ /.../flags` clause, as VS Code evaluates it. */
function whenRegex(when: string): RegExp {
  const m = /resourceFilename =~ \/(.+)\/([a-z]*)/.exec(when);
  assert.ok(m, `no resourceFilename regex in ${when}`);
  return new RegExp(m[1]!, m[2]);
}

describe('package.json contributions', () => {
  it('gives every command a title and the "Incident Lens" category, and no id twice', () => {
    for (const c of contributes.commands) {
      assert.ok(typeof c.title === 'string' && c.title.length > 0, `${c.command} has no title`);
      assert.equal(c.category, 'Incident Lens', `${c.command} category`);
      assert.match(c.command, /^incidentLens\.[a-zA-Z]+$/);
    }
    assert.equal(new Set(commandIds).size, commandIds.length);
  });

  it('refers only to contributed commands from every menu', () => {
    for (const [menu, item] of menuItems) assert.ok(commandIds.includes(item.command), `${menu}: ${item.command} is not a contributed command`);
  });

  it('registers every contributed command in the host, and contributes every command the host registers or links to', () => {
    const registered = new Set([...hostSources.matchAll(/'(incidentLens\.[a-zA-Z]+)': async|'(incidentLens\.[a-zA-Z]+)': \(/g)].map((m) => m[1] ?? m[2]));
    registered.add('incidentLens.openResult'); // registered through OPEN_RESULT_COMMAND
    assert.ok(hostSources.includes("OPEN_RESULT_COMMAND = 'incidentLens.openResult'"));
    for (const id of commandIds) assert.ok(registered.has(id), `${id} is contributed but never registered`);
    for (const id of registered) assert.ok(commandIds.includes(id!), `${id} is registered but not contributed`);
    for (const id of HOVER_COMMANDS) assert.ok(commandIds.includes(id), `hover links to ${id}`);
  });

  it('activates lazily: on its commands, its custom editor and its view, never on "*" or start-up', () => {
    const events: string[] = pkg.activationEvents;
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'));
    for (const id of commandIds) assert.ok(events.includes(`onCommand:${id}`), `missing onCommand:${id}`);
    for (const e of contributes.customEditors) assert.ok(events.includes(`onCustomEditor:${e.viewType}`));
    for (const v of contributes.views.incidentLens) assert.ok(events.includes(`onView:${v.id}`));
    // The timeline panel is restored after a reload by its serializer (panel.ts viewType).
    assert.ok(hostSources.includes("viewType = 'incidentLens.report'"));
    assert.ok(events.includes('onWebviewPanel:incidentLens.report'));
    assert.equal(pkg.main, './dist/extension.js');
  });

  it('offers "Analyze Capture" on captures (also gzip) and "Analyze Logs" on every other file', () => {
    const capture = whenRegex(menuItems.find(([m, i]) => m === 'explorer/context' && i.command === 'incidentLens.analyzeCapture')![1].when!);
    const logs = whenRegex(menuItems.find(([m, i]) => m === 'explorer/context' && i.command === 'incidentLens.analyzeLogs')![1].when!);
    for (const f of ['loop.pcapng', 'x.pcap', 'X.PCAP', 'dump.cap', 'big.pcap.gz', 'a.pcapng.gz']) {
      assert.ok(capture.test(f), `capture menu on ${f}`);
      assert.ok(!logs.test(f), `no log menu on ${f}`);
    }
    for (const f of ['gobgpd.log', 'syslog', 'events.json', 'pcap.txt', 'capture.pcap.log', 'x.gz']) {
      assert.ok(!capture.test(f), `no capture menu on ${f}`);
      assert.ok(logs.test(f), `log menu on ${f}`);
    }
  });

  it('opens the capture editor for the same files the explorer calls captures', () => {
    const [editor] = contributes.customEditors;
    assert.equal(editor.viewType, 'incidentLens.capture');
    assert.ok(hostSources.includes(`CAPTURE_EDITOR_VIEW_TYPE = '${editor.viewType}'`));
    assert.equal(editor.priority, 'default');
    const patterns = editor.selector.map((s: { filenamePattern: string }) => s.filenamePattern);
    assert.deepEqual(patterns.sort(), ['*.cap', '*.pcap', '*.pcap.gz', '*.pcapng'].sort());
  });

  it('uses only tree contextValues the tree produces in view/item/context menus', () => {
    const values = Object.values(CONTEXT) as string[];
    for (const [menu, item] of menuItems) {
      if (menu !== 'view/item/context') continue;
      const eq = /viewItem == ([\w.]+)/.exec(item.when!);
      const re = /viewItem =~ \/(.+)\//.exec(item.when!);
      assert.ok(eq || re, `${item.command}: no viewItem condition`);
      const matching = values.filter((v) => (eq ? v === eq[1] : new RegExp(re![1]!).test(v)));
      assert.ok(matching.length > 0, `${item.command}: "${item.when}" matches no contextValue`);
    }
  });

  it('contributes every theme colour and icon the host uses, with defaults for light, dark and high contrast', () => {
    const colours = new Map<string, Record<string, unknown>>(contributes.colors.map((c: { id: string; defaults: Record<string, unknown> }) => [c.id, c.defaults]));
    const used = [...hostSources.matchAll(/ThemeColor\('(incidentLens\.[a-zA-Z]+)'\)/g)].map((m) => m[1]!);
    assert.ok(used.length >= 3);
    for (const id of used) {
      const d = colours.get(id);
      assert.ok(d, `${id} is used but not contributed`);
      for (const theme of ['dark', 'light', 'highContrast', 'highContrastLight']) assert.ok(theme in d, `${id} has no ${theme} default`);
      // VS Code rejects the whole colour (logged in the browser console) when light or dark is null.
      for (const theme of ['dark', 'light']) assert.equal(typeof d[theme], 'string', `${id}: ${theme} must be a colour`);
    }
    const icons = [...hostSources.matchAll(/'media', 'icons', '([\w.-]+)'/g)].map((m) => m[1]!);
    for (const icon of [...icons, 'activity.svg']) assert.ok(existsSync(join(root, 'media', 'icons', icon)), `media/icons/${icon}`);
    assert.equal(contributes.viewsContainers.activitybar[0].icon, 'media/icons/activity.svg');
  });

  it('contributes and documents exactly the settings the host reads, and restricts custom regexes in untrusted workspaces', () => {
    const props = contributes.configuration.properties;
    assert.deepEqual(Object.keys(props).sort(), Object.values(SETTING).sort());
    for (const [k, v] of Object.entries<{ description?: string; markdownDescription?: string; default?: unknown }>(props)) {
      assert.ok(v.description || v.markdownDescription, `${k} has no description`);
      assert.ok('default' in v, `${k} has no default`);
    }
    assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, [SETTING.customLogFormats]);
  });

  it('has a 128x128 PNG icon', () => {
    const png = readFileSync(join(root, pkg.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.equal(png.readUInt32BE(16), 128);
    assert.equal(png.readUInt32BE(20), 128);
  });
});
