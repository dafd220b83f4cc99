// Plain JavaScript: read by the launcher before any TypeScript loader exists.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reusableBuild } from '../../build-cache.mjs';

/**
 * Where the CLI bundle lives: under the sources it is built from (<sources>/.workbook/build/cli),
 * so every workbook started from those sources (a test's fixture too) shares one build. The root
 * is where this file is, never a path a cache remembers: a copied workbook finds its own.
 */
export const SOURCE_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const DEFAULT_BUILD_DIR = path.join(SOURCE_ROOT, '.workbook', 'build', 'cli');
/** Bumped when the bundle's layout changes in a way its inputs do not show. */
const KEY = 'cli-bundle-3';
/**
 * Files every build of the bundle reads, besides those esbuild reports: its entry points, the
 * scripts that decide how it is built, and the settings esbuild reads for TypeScript and `#workbook`
 * imports. A record that does not list them all is not one of our builds.
 */
const ALWAYS_READ = [
  'checker/cli/main.ts',
  'checker/cli/launch/prestart-entry.ts',
  'checker/cli/launch/build-cli.mjs',
  'checker/cli/launch/bundle.mjs',
  'checker/build-cache.mjs',
  'package.json',
  'tsconfig.json',
].map((file) => path.join(SOURCE_ROOT, file));

/**
 * A link where the workbook keeps its own files (`.workbook`, a folder in it, or one in
 * `.workbook/build`), which a clone or a copy can bring along: our writes would land wherever it
 * points. Returns the first such path, relative to `root`, or undefined.
 */
export function linkedOwnFolder(root = SOURCE_ROOT) {
  const own = path.join(root, '.workbook');
  const children = (dir) => {
    try {
      return fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return [];
    }
  };
  if (fs.lstatSync(own, { throwIfNoEntry: false })?.isSymbolicLink()) return '.workbook';
  for (const [dir, entries] of [[own, children(own)], [path.join(own, 'build'), children(path.join(own, 'build'))]]) {
    const link = entries.find((entry) => entry.isSymbolicLink());
    if (link) return path.relative(root, path.join(dir, link.name));
  }
  return undefined;
}

/**
 * The bundle's main module, built first unless the last build is ours, for this folder, and none
 * of the files it read or wrote changed (see build-cache.mjs); undefined when it cannot be built
 * or written, a read-only checkout say.
 */
export async function bundledMain(buildDir = DEFAULT_BUILD_DIR) {
  const record = path.join(buildDir, 'current.json');
  const reused = reusableBuild(record, KEY, ALWAYS_READ);
  if (reused) return path.join(buildDir, reused.dir, 'main.mjs');
  try {
    const { buildCli } = await import('./build-cli.mjs');
    return await buildCli(SOURCE_ROOT, buildDir, record, KEY, ALWAYS_READ);
  } catch (error) {
    if (process.env.WORKBOOK_DEBUG) process.stderr.write(`CLI bundle not built, running from sources: ${error}\n`);
    return undefined;
  }
}
