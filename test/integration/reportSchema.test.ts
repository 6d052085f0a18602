import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { analyze } from '../../src/core/analyze';
import { EVENT_KINDS } from '../../src/core/model/events';
import type { Report } from '../../src/core/model/report';

// The Report is the contract between core, CLI, host and webview: every Report made from real runs (the lab's fixtures
// and the README sample: captures plus every kind of log) must validate against the published JSON Schema, and the
// schema's event kinds must be exactly the model's.
const root = join(__dirname, '..', '..');
const schema = JSON.parse(readFileSync(join(root, 'docs', 'report.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

const labDir = join(root, 'test', 'fixtures', 'lab');
const inputs = [
  join(root, 'media', 'samples', 'incident'),
  join(root, 'test', 'fixtures', 'logs'),
  ...readdirSync(labDir)
    .map((d) => join(labDir, d, 'input'))
    .filter((d) => existsSync(d)),
];

describe('Report schema on real runs', () => {
  it('lists exactly the event kinds of the model', () => {
    assert.deepEqual(schema.definitions.LogEvent.properties.kind.enum, [...EVENT_KINDS]);
  });
  for (const dir of inputs) {
    it(`${dir.slice(root.length + 1)}: the Report validates and has events and inputs`, async function () {
      this.timeout(120_000);
      const report = JSON.parse(JSON.stringify(await analyze({ paths: [dir] }, {}))) as Report;
      const ok = validate(report);
      assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
      assert.ok(report.inputs.length > 0);
      assert.ok(report.events.length > 0, 'the fixture logs give events');
    });
  }
});
