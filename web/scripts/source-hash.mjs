// Prints the hash of the screen's sources that web/dist/SOURCE_SHA256 records, so a test
// without Node can tell a stale bundle: the files index.html, package.json, package-lock.json,
// vite.config.ts, codegen.ts, every tsconfig*.json, and every file under src/ and public/ except
// *.test.ts(x); sorted by their path relative to web/ (forward slashes, byte order); the hasher
// is fed `<path>\0<sha256 hex of the content>\n` for each; the lowercase hex digest and a newline.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('..', import.meta.url));

function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const top = ['index.html', 'package.json', 'package-lock.json', 'vite.config.ts', 'codegen.ts']
  .map((name) => join(web, name))
  .filter((path) => existsSync(path));
const tsconfigs = readdirSync(web)
  .filter((name) => /^tsconfig.*\.json$/.test(name))
  .map((name) => join(web, name));
const files = [...top, ...tsconfigs, ...walk(join(web, 'src')), ...walk(join(web, 'public'))]
  .map((path) => relative(web, path).split(sep).join('/'))
  .filter((path) => !/\.test\.tsx?$/.test(path));
const sorted = [...new Set(files)].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

const hasher = createHash('sha256');
for (const path of sorted) {
  const content = createHash('sha256').update(readFileSync(join(web, path))).digest('hex');
  hasher.update(`${path}\0${content}\n`);
}
process.stdout.write(`${hasher.digest('hex')}\n`);
