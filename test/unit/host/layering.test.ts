/**
 * The host is thin: it never parses a byte itself, so it may import only the core's types and the Report model
 * (the analysis runs in the worker). And the modules the tests run under mocha must not import `vscode`.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const hostFiles = readdirSync(join(root, 'src', 'host')).filter((f) => f.endsWith('.ts')).map((f) => join('src', 'host', f));
const files = [...hostFiles, 'src/worker/client.ts', 'src/shared/protocol.ts'];

function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

describe('host layering', () => {
  it('imports from the core only the model and the capture types (no readers, decoders or detectors)', () => {
    for (const file of files) {
      for (const spec of imports(file).filter((s) => s.includes('/core/'))) {
        assert.match(spec, /\/core\/(model(\/[a-z]+)?|capture\/types)$/, `${file} imports ${spec}`);
      }
    }
  });

  it('keeps the view models free of `vscode`, so they run in mocha', () => {
    const pure = ['analysisRegistry', 'annotationModel', 'captureEditorHtml', 'contextKeys', 'format', 'progressModel', 'requestSettings', 'resultsTreeModel', 'timelineFocus'];
    for (const name of pure) assert.ok(!imports(`src/host/${name}.ts`).includes('vscode'), `${name}.ts imports vscode`);
    assert.ok(!imports('src/worker/client.ts').includes('vscode'));
  });
});
