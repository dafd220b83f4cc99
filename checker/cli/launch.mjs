// Plain JavaScript: this is what `npm run exercise` starts, so it runs before any TypeScript loader.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundledMain, linkedOwnFolder } from './launch/bundle.mjs';

/**
 * Starts the CLI from a JavaScript bundle of checker/cli/main.ts (launch/build-cli.mjs) instead of
 * through tsx: starting a TypeScript loader and compiling the CLI's modules on every start cost
 * more than a verdict's grading. The bundle is rebuilt when one of its inputs changed, and whenever
 * this user's signed record does not vouch for it (a .workbook/ that came with a clone or a copy,
 * see build-cache.mjs), so only what these sources build is ever imported. Where
 * it cannot be built or written (a read-only checkout), or with WORKBOOK_FROM_SOURCES set, the CLI
 * runs from its sources through tsx, as before: slower, never broken.
 */

const linked = linkedOwnFolder();
if (linked) {
  process.stderr.write(`${linked} is a link. The workbook writes its own files inside .workbook/ only,\nnever through a link: remove it (rm ${linked}) and run the command again.\n`);
  process.exit(1);
}
const main = process.env.WORKBOOK_FROM_SOURCES ? undefined : await bundledMain();
if (main) {
  // Stacks of our own bugs point at the .ts sources.
  process.setSourceMapsEnabled(true);
  // The bundle has no TypeScript loader; the few modules that import .ts at run time register one
  // on first use (import-source.ts).
  globalThis[Symbol.for('workbook.lazyTypeScriptLoader')] = true;
  // A command that grades gets its worker started before the rest of the CLI loads (prestart.ts).
  await import(pathToFileURL(path.join(path.dirname(main), 'prestart.mjs')).href);
  await import(pathToFileURL(main).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./main.ts');
}
