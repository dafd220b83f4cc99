// Plain JavaScript: run by the launcher (../launch.mjs) before any TypeScript loader exists.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { folderContentHash, metafileInputs, recordBuild } from '../../build-cache.mjs';

/**
 * Bundles checker/cli/main.ts, with every command as its own lazily loaded chunk (registry.ts
 * imports each one with `import()`), packages left external so they resolve from the workbook's
 * node_modules. Output goes to a temporary folder that is then renamed to a folder named by the
 * hash of everything in it, and only then is the record (the cache's pointer) rewritten: a CLI
 * starting meanwhile sees either the old bundle or the new one, never half of one.
 */

/**
 * `import.meta.url` must keep naming the source file, not the bundle: paths.ts finds the workbook
 * root from it, compile.ts finds the worker's sources beside it, createRequire resolves from it.
 * Written as string literals, they still say the same thing after bundling. The quote guard
 * leaves alone the `'import.meta.url'` keys compile.ts hands esbuild for learner code.
 */
const IMPORT_META = /(?<!['"`])\bimport\.meta\.(url|filename|dirname)\b(?!['"`])/g;

const sourceLocation = {
  name: 'source-location',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = await fs.promises.readFile(args.path, 'utf8');
      const meta = { url: pathToFileURL(args.path).href, filename: args.path, dirname: path.dirname(args.path) };
      return { contents: source.replace(IMPORT_META, (_, which) => JSON.stringify(meta[which])), loader: 'ts' };
    });
  },
};

/**
 * Builds the CLI bundle into `buildDir` and records it, with `alwaysRead` (the entry points and the
 * scripts that decide how it is built) among its inputs; returns the path of its main module.
 */
export async function buildCli(sourceRoot, buildDir, recordFile, key, alwaysRead) {
  fs.mkdirSync(buildDir, { recursive: true });
  const temp = fs.mkdtempSync(path.join(buildDir, 'tmp-'));
  const startedAt = Date.now();
  try {
    const result = await esbuild.build({
      entryPoints: { main: path.join(sourceRoot, 'checker/cli/main.ts'), prestart: path.join(sourceRoot, 'checker/cli/launch/prestart-entry.ts') },
      absWorkingDir: sourceRoot,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      // Linked maps (read only when a stack trace is printed), so our own bugs keep readable stacks.
      sourcemap: 'linked',
      keepNames: true,
      outdir: temp,
      outExtension: { '.js': '.mjs' },
      chunkNames: 'chunk-[hash]',
      metafile: true,
      logLevel: 'silent',
      plugins: [sourceLocation],
    });
    const name = folderContentHash(temp);
    const final = path.join(buildDir, name);
    // Same depth as the temporary folder, so the maps' relative paths still hold.
    settle(temp, final, name);
    const esbuildManifest = createRequire(import.meta.url).resolve('esbuild/package.json');
    const outputs = fs.readdirSync(final).map((file) => path.join(final, file));
    recordBuild(recordFile, key, { inputs: [...metafileInputs(result.metafile, sourceRoot), ...alwaysRead, esbuildManifest], outputs, data: { dir: name } }, startedAt);
    pruneOldBuilds(buildDir, name);
    return path.join(final, 'main.mjs');
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

/**
 * Moves the finished build to its name. A folder already there is another CLI's identical build,
 * kept, only if its contents still hash to that name: one planted under the name our build would
 * get (anyone can compute it from the sources) is replaced.
 */
function settle(temp, final, name) {
  try {
    fs.renameSync(temp, final);
    return;
  } catch (error) {
    if (!fs.existsSync(final)) throw error;
  }
  let intact = false;
  try {
    intact = folderContentHash(final) === name;
  } catch {
    // not a readable folder of files
  }
  if (intact) return;
  fs.rmSync(final, { recursive: true, force: true });
  fs.renameSync(temp, final);
}

/** Bundles of earlier sources pile up; drop those a day old (a CLI started on one is long done). */
function pruneOldBuilds(buildDir, keep) {
  const stale = Date.now() - 24 * 60 * 60 * 1000;
  for (const entry of fs.readdirSync(buildDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === keep) continue;
    const dir = path.join(buildDir, entry.name);
    try {
      if (fs.statSync(dir).mtimeMs < stale) fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // another CLI pruned it first
    }
  }
}
