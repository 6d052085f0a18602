// Bundles every entry point with esbuild. Each target gets its own bundle:
// the extension host (CommonJS, `vscode` external), the analysis worker, the CLI,
// and the browser-side webview. Run by `npm ci` through the `prepare` script.
import * as esbuild from 'esbuild';
import { existsSync, chmodSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const production = process.argv.includes('--production');
// `--only cli,worker` builds just those bundles (tests rebuild what they run without waiting on unrelated entries).
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : null;
// The core's helper-thread bundle goes with every bundle that runs the core (they start it from dist/).
const wanted = (name) => !only || only.has(name) || (name === 'coreWorker' && ['cli', 'worker', 'extension', 'bench'].some((n) => only.has(n)));
const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  define: { __INCIDENT_LENS_VERSION__: JSON.stringify(pkg.version) },
};

const nodeTargets = [
  { name: 'cli', in: 'src/cli/main.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
  { name: 'extension', in: 'src/host/extension.ts', out: 'dist/extension.js' },
  { name: 'worker', in: 'src/worker/analysisWorker.ts', out: 'dist/worker.js' },
  // The core's helper threads, started from any of the bundles above (they all live in dist/).
  { name: 'coreWorker', in: 'src/core/parallel/coreWorker.ts', out: 'dist/coreWorker.js' },
  { name: 'bench', in: 'bench/main.ts', out: 'dist/bench.js', banner: '#!/usr/bin/env node' },
];

const builds = [];
for (const t of nodeTargets) {
  if (!existsSync(t.in) || !wanted(t.name)) continue;
  builds.push(esbuild.build({
    ...common,
    entryPoints: [t.in],
    outfile: t.out,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    banner: t.banner ? { js: t.banner } : undefined,
  }));
}
if (existsSync('webview/main.ts') && wanted('webview')) {
  builds.push(esbuild.build({
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
  }));
}
await Promise.all(builds);
if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
