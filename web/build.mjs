// Bundles the employee's page for `koe serve`, which embeds the result.
//
//   node web/build.mjs <outdir>      (or OUT_DIR=<outdir> node web/build.mjs)
//
// Writes koe.js (web/src/app.js and its imports, @noble/curves included, one
// minified IIFE for browsers), koe.css, page.html and notfound.html into
// <outdir>. Nothing is loaded from any other host at run time: the page's CSP
// only allows 'self'.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, 'src');
const outArg = process.argv[2] || process.env.OUT_DIR;
if (!outArg) {
  console.error('usage: node web/build.mjs <outdir>   (or set OUT_DIR)');
  process.exit(2);
}
const out = resolve(outArg);

await mkdir(out, { recursive: true });
await build({
  entryPoints: [join(src, 'app.js')],
  outfile: join(out, 'koe.js'),
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2020',
  minify: true,
  legalComments: 'eof', // keeps noble's MIT notices,
  charset: 'utf8',
  logLevel: 'warning',
});
await copyFile(join(src, 'app.css'), join(out, 'koe.css'));
await copyFile(join(src, 'page.html'), join(out, 'page.html'));
await copyFile(join(src, 'notfound.html'), join(out, 'notfound.html'));
