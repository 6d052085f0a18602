import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { craftedCaptures, craftedLogs } from '../fuzz/mutate';
import { Runner } from '../fuzz/runner';
import { runCapture, runLog, type TargetName } from '../fuzz/targets';

// Inputs the fuzzer once found troublesome (test/fixtures/fuzz/*.bin, with a .json saying which target), and the crafted
// extremes it always starts with, replayed on every test run: each must be read to the damage without a throw.
const dir = join(__dirname, '..', 'fixtures', 'fuzz');

describe('fuzz regressions and crafted extremes', () => {
  for (const c of craftedCaptures()) {
    it(`capture: ${c.name} is read without a throw`, () => {
      const r = runCapture(c.bytes);
      assert.ok(r.frames + r.problems > 0 || c.bytes.length === 0, 'something must be said about the input');
    });
  }
  for (const c of craftedLogs()) {
    it(`log: ${c.name} is read without a throw`, () => {
      assert.equal(runLog(c.bytes).events, 0);
    });
  }
  const found = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.bin')) : [];
  // Replayed in the fuzzer's worker with its time bound: a finding that hangs again (a synchronous regex, say) fails
  // its test after 10 s instead of stalling the whole suite.
  let runner: Runner | undefined;
  after(() => runner?.stop());
  for (const f of found) {
    it(`finding ${f} no longer fails`, async function () {
      this.timeout(60_000);
      const meta = JSON.parse(readFileSync(join(dir, f.replace(/\.bin$/, '.json')), 'utf8')) as { target: TargetName; param?: number };
      runner ??= new Runner(10_000);
      const o = await runner.run(meta.target, readFileSync(join(dir, f)), meta.param ?? 0);
      assert.ok(o.ok, `${o.kind}: ${o.error}`);
    });
  }
});
