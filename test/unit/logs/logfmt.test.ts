/**
 * The logfmt scanner is hand-written for speed; its contract is the regular expression it replaced. Both read the
 * same strings (real logrus lines, and strings built from the characters that matter: quotes, escapes, '=', spaces
 * JavaScript's \s knows, line terminators) and must give the same fields in the same order, and the scanner's
 * lookups (which read the line only where asked) the same values as the fields.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { LogfmtFields, parseLogfmt } from '../../../src/core/logs/formats/logfmt';

/** The definition: logrus key=value and key="quoted \"value\"" pairs. */
function reference(text: string): [string, string][] {
  const out = new Map<string, string>();
  const re = /([A-Za-z_][\w.-]*)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const quoted = m[2];
    out.set(m[1], quoted === undefined ? m[3] : quoted.replace(/\\(.)/g, '$1'));
  }
  return [...out];
}

const real = ['gobgpd.plain.log', 'gobgpd.debug.log']
  .flatMap((f) => readFileSync(join(__dirname, '..', '..', 'fixtures', 'logs', 'real', f), 'utf8').split('\n'));

describe('logs/logfmt', () => {
  it('reads real gobgpd lines as the definition does', () => {
    let fields = 0;
    for (const line of real) {
      const got = [...parseLogfmt(line)];
      assert.deepEqual(got, reference(line), line);
      fields += got.length;
    }
    assert.ok(fields > 100, String(fields));
  });

  it('reads any string as the definition does', () => {
    const piece = fc.constantFrom('a', 'Key', '_', '9', '.', '-', '=', '"', '\\', ' ', '\t', '\r', '\n', '\u2028', '\u00a0', '\ufeff', '\u3000', 'é', 'msg=', 'time="', '\\"', '="');
    const built = fc.array(piece, { maxLength: 40 }).map((a) => a.join(''));
    const mutated = fc.tuple(fc.constantFrom(...real), fc.nat(), fc.string({ maxLength: 4 })).map(([l, i, s]) => l.slice(0, i % (l.length + 1)) + s + l.slice(i % (l.length + 1)));
    fc.assert(fc.property(fc.oneof(built, mutated, fc.string({ maxLength: 80, unit: 'binary' })), (text) => {
      const want = reference(text);
      assert.deepEqual([...parseLogfmt(text)], want, JSON.stringify(text));
      const fields = new LogfmtFields(text);
      for (const [k, v] of want) {
        assert.equal(fields.get(k), v, `${k} in ${JSON.stringify(text)}`);
        assert.ok(fields.has(k));
      }
      for (const k of ['msg', 'time', 'a', 'Key', 'é']) if (!want.some(([w]) => w === k)) assert.equal(fields.has(k) || fields.get(k) !== undefined, false, k);
    }), { numRuns: 5_000, seed: 20261125 });
  });

  it('keeps escapes, the first position of a repeated key and its last value', () => {
    assert.deepEqual([...parseLogfmt('msg="say \\"hi\\"" a=1 b= a=2 c="open')], [['msg', 'say "hi"'], ['a', '2'], ['b', ''], ['c', '"open']]);
  });
});
