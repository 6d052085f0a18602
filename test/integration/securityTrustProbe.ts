/**
 * Child-process probe for security-trust.test.ts: loads src/host/settings.ts against a stand-in `vscode` module whose
 * workspace trust and configuration layers come from argv[2] (JSON), and prints what the host would send the core.
 * Its own process, so its stand-in cannot meet another test's.
 */
import Module from 'node:module';

const scenario = JSON.parse(process.argv[2]!) as { trusted: boolean; user: unknown[]; workspace: unknown[]; folder: unknown[] };
const layers = { globalValue: scenario.user, workspaceValue: scenario.workspace, workspaceFolderValue: scenario.folder };
/** What VS Code's get() returns: the most specific layer that is set. */
const effective = scenario.folder.length ? scenario.folder : scenario.workspace.length ? scenario.workspace : scenario.user;
const fakeVscode = {
  workspace: {
    isTrusted: scenario.trusted,
    workspaceFolders: [],
    getConfiguration: () => ({
      get: (key: string, dflt?: unknown) => (key === 'incidentLens.customLogFormats' ? effective : dflt),
      inspect: (key: string) => (key === 'incidentLens.customLogFormats' ? { key, ...layers } : { key }),
    }),
  },
};
const M = Module as unknown as { _resolveFilename: (r: string, ...rest: unknown[]) => string };
const resolve = M._resolveFilename;
M._resolveFilename = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: fakeVscode } as unknown as NodeJS.Module;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require('../../src/host/settings') as typeof import('../../src/host/settings');
const { request } = settings.requestFor(['/x.log']);
process.stdout.write(JSON.stringify({ customLogFormats: request.customLogFormats ?? [], ignored: settings.ignoredWorkspaceFormats() }));
