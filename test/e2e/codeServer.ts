/**
 * Starts a real VS Code (code-server, installed by setup.sh) with the packaged extension installed, in directories
 * of its own (nothing of the machine's user profile leaks in), and stops it again.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..');
const codeServerBin = join(repoRoot, '.e2e', 'code-server', 'node_modules', '.bin', 'code-server');

export interface CodeServer {
  url: string;
  workspace: string;
  root: string;
  /** Process group of code-server and everything it started (its extension host included). */
  pgid: number;
  log(): string;
  /** The extension's own "Incident Lens" output channel, as VS Code wrote it to disk ('' before the first line). */
  extensionLog(): string;
  stop(): Promise<void>;
}

export function findVsix(): string {
  const vsix = readdirSync(repoRoot).filter((f) => /^incident-lens-.*\.vsix$/.test(f));
  if (vsix.length === 0) throw new Error('no incident-lens-*.vsix in the repository root: run `npm run package` (test/e2e/setup.sh does)');
  return join(repoRoot, vsix.sort().pop()!);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, proc: ChildProcess, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`code-server exited with status ${proc.exitCode} before it was ready:\n${log()}`);
    try {
      const r = await fetch(url, { redirect: 'manual' });
      if (r.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms:\n${log()}`);
}

export async function startCodeServer(opts: { workspace: string; vsix: string; settings?: Record<string, unknown> }): Promise<CodeServer> {
  if (!existsSync(codeServerBin)) throw new Error(`code-server is not installed at ${codeServerBin}: run test/e2e/setup.sh`);
  const root = mkdtempSync(join(tmpdir(), 'il-e2e-'));
  const dirs = { data: join(root, 'data'), config: join(root, 'config'), tmp: join(root, 'tmp'), user: join(root, 'user'), ext: join(root, 'ext') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(join(dirs.user, 'User'), { recursive: true });
  // Settings must be in place before start: code-server 4.100.3 does not pick up outside edits while running.
  writeFileSync(
    join(dirs.user, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.reduceMotion': 'on',
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'workbench.enableExperiments': false,
        ...opts.settings,
      },
      null,
      2,
    ),
  );
  const env = { ...process.env, XDG_DATA_HOME: dirs.data, XDG_CONFIG_HOME: dirs.config, TMPDIR: dirs.tmp, HOME: root };
  const common = ['--user-data-dir', dirs.user, '--extensions-dir', dirs.ext];
  const inst = spawnSync(codeServerBin, [...common, '--install-extension', opts.vsix], { env, encoding: 'utf8', timeout: 120_000 });
  if (inst.status !== 0 || !/successfully installed/i.test(inst.stdout + inst.stderr)) {
    throw new Error(`installing ${opts.vsix} into code-server failed (status ${inst.status}):\n${inst.stdout}\n${inst.stderr}`);
  }
  const port = await freePort();
  let output = '';
  const proc = spawn(codeServerBin, [...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', opts.workspace], {
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (b: Buffer) => (output += b.toString()));
  proc.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(url, proc, 60_000, () => output);
  return {
    url,
    workspace: opts.workspace,
    root,
    pgid: proc.pid!,
    log: () => output,
    extensionLog: () => {
      const logs = join(dirs.user, 'logs');
      if (!existsSync(logs)) return '';
      const files = readdirSync(logs, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('Incident Lens.log'));
      return files.map((f) => readFileSync(join(logs, f), 'utf8')).join('\n');
    },
    async stop() {
      if (proc.exitCode === null && proc.pid) {
        try {
          process.kill(-proc.pid, 'SIGTERM');
        } catch {
          // already gone
        }
        await new Promise((r) => setTimeout(r, 300));
        try {
          process.kill(-proc.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
