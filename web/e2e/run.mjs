// npm run e2e: the browser tests, one file after another (each starts its own pos-api);
// npm run screenshots: the main screens at 1280×800 in both languages into docs/screenshots.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { apiBinary, chromiumPath } from './harness.mjs';

const dir = fileURLToPath(new URL('.', import.meta.url));
try {
  apiBinary();
  chromiumPath();
} catch (error) {
  console.error(error.message);
  process.exit(2);
}

const mode = process.argv[2];
const only = process.argv.slice(mode === 'screenshots' ? 3 : 2);
const files =
  mode === 'screenshots'
    ? [`${dir}screenshots.mjs`]
    : readdirSync(dir)
        .filter((f) => f.endsWith('.test.mjs') && (only.length === 0 || only.some((o) => f.includes(o))))
        .sort()
        .map((f) => `${dir}${f}`);
const args = mode === 'screenshots' ? files : ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files];
const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(result.status ?? 1);
