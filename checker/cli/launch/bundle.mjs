// Plain JavaScript: read by the launcher before any TypeScript loader exists.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reusableBuild } from '../../build-cache.mjs';

/**
 * Where the CLI bundle lives: under the sources it is built from (<sources>/.workbook/build/cli),
 * so every workbook started from those sources (a test's fixture too) shares one build.
 */
export const SOURCE_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const DEFAULT_BUILD_DIR = path.join(SOURCE_ROOT, '.workbook', 'build', 'cli');
/** Bumped when the bundle's layout changes in a way its inputs do not show. */
const KEY = 'cli-bundle-2';

/**
 * The bundle's main module, built first if it is missing or any of its inputs changed (see
 * build-cache.mjs); undefined when it cannot be built or written, a read-only checkout say.
 */
export async function bundledMain(buildDir = DEFAULT_BUILD_DIR) {
  const record = path.join(buildDir, 'current.json');
  const reused = reusableBuild(record, KEY);
  const main = reused && path.join(buildDir, reused.dir, 'main.mjs');
  if (main && fs.existsSync(main)) return main;
  try {
    const { buildCli } = await import('./build-cli.mjs');
    return await buildCli(SOURCE_ROOT, buildDir, record, KEY);
  } catch (error) {
    if (process.env.WORKBOOK_DEBUG) process.stderr.write(`CLI bundle not built, running from sources: ${error}\n`);
    return undefined;
  }
}
