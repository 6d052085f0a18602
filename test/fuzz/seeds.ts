/** Seed inputs: the real captures of ../shared/corpus and the project's log fixtures (small ones, so mutations stay fast). */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..');
export const corpusRoot = join(repoRoot, '..', 'shared', 'corpus');

function walk(dir: string, keep: (f: string) => boolean, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, keep, out);
    else if (keep(p)) out.push(p);
  }
  return out;
}

const MAX_SEED = 256 * 1024;

export function captureSeeds(): Array<{ name: string; bytes: Uint8Array }> {
  const files = walk(corpusRoot, (f) => /\.(pcap|pcapng|cap)$/.test(f) && statSync(f).size <= MAX_SEED);
  files.push(...walk(join(repoRoot, 'test', 'fixtures'), (f) => /\.(pcap|pcapng)$/.test(f) && statSync(f).size <= MAX_SEED));
  return files.sort().map((f) => ({ name: f, bytes: readFileSync(f) }));
}

export function logSeeds(): Array<{ name: string; bytes: Uint8Array }> {
  const files = walk(join(repoRoot, 'test', 'fixtures'), (f) => /\.(log|txt|json|yaml|yml|stat|prom)$/.test(f) && !f.includes('/fuzz/') && statSync(f).size <= MAX_SEED);
  return files.sort().map((f) => ({ name: f, bytes: readFileSync(f) }));
}

/** The lab scenarios (test/fixtures/lab/NAME/input/): a capture and its logs, for analyze() end to end. */
export function labSeeds(): Array<{ name: string; files: Array<{ name: string; bytes: Uint8Array }> }> {
  const lab = join(repoRoot, 'test', 'fixtures', 'lab');
  if (!existsSync(lab)) return [];
  return readdirSync(lab).sort().flatMap((scenario) => {
    const dir = join(lab, scenario, 'input');
    if (!existsSync(dir)) return [];
    const files = readdirSync(dir).sort().filter((f) => statSync(join(dir, f)).isFile()).map((f) => ({ name: f, bytes: readFileSync(join(dir, f)) }));
    return [{ name: scenario, files }];
  });
}
