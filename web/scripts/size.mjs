// Fails when the screen's JavaScript and CSS, gzipped, pass 250 KiB together.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const LIMIT = 250 * 1024;
const assets = fileURLToPath(new URL('../dist/assets', import.meta.url));
let total = 0;
for (const name of readdirSync(assets).filter((n) => /\.(js|css)$/.test(n)).sort()) {
  const size = gzipSync(readFileSync(join(assets, name)), { level: 9 }).length;
  total += size;
  console.log(`${name.padEnd(40)} ${(size / 1024).toFixed(1).padStart(8)} KiB gzipped`);
}
console.log(`${'total'.padEnd(40)} ${(total / 1024).toFixed(1).padStart(8)} KiB gzipped (limit ${LIMIT / 1024} KiB)`);
if (total > LIMIT) {
  console.error('the bundle is over its budget');
  process.exit(1);
}
