import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as esbuild from 'esbuild';
import { contentHash as hash, metafileInputs, recordBuild, reusableBuild, writeAtomically } from '../build-cache.mjs';
import type { CodeProblem } from './results.ts';
import { readGradableFile, UngradableFile } from './sandbox/gradable-file.ts';
import { supportExportNames } from './sandbox/support-modules.ts';

/**
 * Compiles the grading worker, a grader and the graded file to plain JavaScript bundles before a
 * worker loads them. A worker that had to register a TypeScript loader would spend most of a
 * verdict's time starting that loader; a bundle loads in a few milliseconds. Each bundle carries
 * an inline source map, so errors still point at the learner's .ts file and line.
 *
 * Our own bundles (engine, sandbox entry, graders, demos) live under <root>/.workbook/build
 * (git-ignored), inside the workbook so that the packages they import resolve from its
 * node_modules. They are named by the hash of their contents and the worker refuses one whose
 * contents no longer match its name. Each is rebuilt unless its signed record vouches that it is
 * our own build, for this folder, and none of the files it was built from changed (build-cache.mjs),
 * so a warm verdict runs esbuild for the learner's file alone, a start that needs no build does
 * not even load esbuild, and a bundle planted in .workbook is never loaded.
 *
 * The graded file is compiled apart, from contents read once (a regular file, size-capped), to a
 * CommonJS-shaped bundle that a Compartment evaluates (sandbox/compartment.ts). It may import only
 * the workbook's support modules (`#workbook/clock`); any other import (a Node builtin, a package,
 * a path into solutions/ or checker/, even a file beside it) is refused here, at the learner's line.
 * Its bundle goes to a temporary folder of this process, removed when the process ends.
 */

export class CompileError extends Error {
  constructor(readonly problem: CodeProblem) {
    super(problem.message);
    this.name = 'CompileError';
  }
}

const WORKER_ENTRIES = {
  grading: fileURLToPath(new URL('./worker.ts', import.meta.url)),
  demo: fileURLToPath(new URL('./demo-worker.ts', import.meta.url)),
} as const;
const SANDBOX_ENTRY = fileURLToPath(new URL('./sandbox/entry.ts', import.meta.url));
/** The process each worker thread lives in (sandbox/host.ts). */
const HOST_ENTRY = fileURLToPath(new URL('./sandbox/host.ts', import.meta.url));

function buildDir(root: string): string {
  return path.join(root, '.workbook', 'build');
}

/** Writes through a temporary file and a rename, so a worker never reads half a bundle. */
function writeIfChanged(file: string, contents: Uint8Array): void {
  if (fs.existsSync(file) && Buffer.compare(fs.readFileSync(file), contents) === 0) return;
  writeAtomically(file, contents, 0o444);
}

/** esbuild itself (its JavaScript API and service process), loaded only when something is built. */
let compiler: Promise<typeof esbuild> | undefined;
const loadCompiler = (): Promise<typeof esbuild> => (compiler ??= import('esbuild'));

/**
 * esbuild's service runs in a child process in our process group, so the Ctrl-C meant for us can
 * stop it a moment before our own SIGINT handler runs: a build then fails with "The service was
 * stopped". esbuild starts a fresh service on the next call, so such a build is tried once more;
 * by then the interrupt has reached us and the command stops as it should.
 */
type Built = esbuild.BuildResult & { outputFiles: esbuild.OutputFile[] };
async function build(options: esbuild.BuildOptions & { write: false }): Promise<Built> {
  const esbuild = await loadCompiler();
  try {
    return await esbuild.build(options);
  } catch (error) {
    const stopped = !(error as { errors?: unknown[] }).errors?.length && /service (was stopped|is no longer running)/.test(String(error));
    if (!stopped) throw error;
    await esbuild.stop();
    return esbuild.build(options);
  }
}

const COMMON = { bundle: true, write: false, target: 'node20', sourcemap: 'inline', keepNames: true, logLevel: 'silent' } as const;

/**
 * Decide how trusted bundles are built, beside their sources: a change here rebuilds them (the
 * TypeScript settings and `#workbook` imports esbuild reads too). The esbuild version is in the
 * key (its package.json is an input) so a new esbuild rebuilds too.
 */
const BUILD_SCRIPTS = [fileURLToPath(import.meta.url), fileURLToPath(new URL('../../package.json', import.meta.url)), fileURLToPath(new URL('../../tsconfig.json', import.meta.url))];
const TRUSTED_KEY = 'trusted-2';
let esbuildManifest: string | undefined;
const esbuildVersionFile = (): string =>
  (esbuildManifest ??= createRequire(import.meta.url).resolve('esbuild/package.json'));

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file); // missing: the build says so
  }
}

/**
 * One of our own modules, packages external, written as <dir>/<name>.<content hash>.mjs; the last
 * build is reused while none of the files it read changed.
 */
async function bundleTrusted(root: string, entry: string, dir: string, name: string): Promise<string> {
  const record = path.join(dir, `${name}.build.json`);
  // esbuild reports the files it read by their real paths (a fixture links checker/ in).
  const reused = reusableBuild<{ file: string }>(record, TRUSTED_KEY, [realPath(entry), ...BUILD_SCRIPTS]);
  if (reused) return path.join(dir, reused.file);
  const startedAt = Date.now();
  const result = await build({
    ...COMMON,
    entryPoints: [entry],
    absWorkingDir: root,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    // The source map's paths are relative to the output folder; the name is settled after.
    outfile: path.join(dir, `${name}.mjs`),
    metafile: true,
  });
  const contents = result.outputFiles[0]!.contents;
  const file = path.join(dir, `${name}.${hash(contents)}.mjs`);
  writeIfChanged(file, contents);
  try {
    const inputs = [...metafileInputs(result.metafile!, root), ...BUILD_SCRIPTS, esbuildVersionFile()];
    recordBuild(record, TRUSTED_KEY, { inputs, outputs: [file], data: { file: path.basename(file) } }, startedAt);
  } catch {
    // an input vanished while we built (an editor's save): no record, so the next start rebuilds
  }
  pruneOlderVersions(dir, name, file);
  return file;
}

/** Older builds of the same module pile up as sources change; drop those not touched for a while. */
function pruneOlderVersions(dir: string, name: string, keep: string): void {
  const stale = Date.now() - 60 * 60 * 1000;
  for (const other of fs.readdirSync(dir)) {
    const file = path.join(dir, other);
    if (file === keep || !other.startsWith(`${name}.`) || !/^\.[0-9a-f]{16}\.mjs$/.test(other.slice(name.length))) continue;
    try {
      if (fs.statSync(file).mtimeMs < stale) fs.rmSync(file, { force: true });
    } catch {
      // another process pruned it first
    }
  }
}

export interface CompiledEngine {
  /** The worker's first module: locks the realm down, then loads `engine` (checked by the parent against its content hash). */
  readonly entry: string;
  readonly engine: string;
  /** The process the worker thread runs in (sandbox/host.ts), checked like the engine. */
  readonly host: string;
  /** Where the entry finds V8's code cache of ses, or writes one when there is none (see sesCodeCache). */
  readonly sesCodeCache: string;
}

/** A worker (the grading worker or the demo runner) with its lockdown entry; packages stay external. */
export async function compileEngine(root: string, which: keyof typeof WORKER_ENTRIES = 'grading'): Promise<CompiledEngine> {
  const dir = path.join(buildDir(root), 'engine');
  const [entry, engine, host] = await Promise.all([
    bundleTrusted(root, SANDBOX_ENTRY, dir, 'sandbox-entry'),
    bundleTrusted(root, WORKER_ENTRIES[which], dir, which),
    bundleTrusted(root, HOST_ENTRY, dir, 'host'),
  ]);
  return { entry, engine, host, sesCodeCache: sesCodeCache(dir) };
}

let sesFile: string | undefined;
const sesSource = (): string => (sesFile ??= path.join(path.dirname(createRequire(import.meta.url).resolve('ses/package.json')), 'dist', 'ses.umd.min.js'));
const CODE_CACHE_KEY = 'ses-code-cache-1';
/** Per record: the fresh path this process's workers write a code cache to, until it is recorded. */
const unrecordedCodeCaches = new Map<string, string>();
let recordsAtExit = false;

/**
 * V8's code cache of ses, which the worker's entry loads before lockdown. V8 checks a cache only
 * against the length of the source, so a planted one would run whatever it was compiled from:
 * a worker is handed only a cache this user's signed record vouches for (build-cache.mjs), else a
 * fresh random path no one can have planted a file at. The entry writes the cache it makes there,
 * and this process records it once it is written (when the next worker starts, or at exit).
 */
function sesCodeCache(dir: string): string {
  const record = path.join(dir, `ses-v8-${process.versions.v8}.cache.json`);
  recordWrittenCodeCache(record);
  const reused = reusableBuild<{ file: string }>(record, CODE_CACHE_KEY, [sesSource()]);
  if (reused) return path.join(dir, reused.file);
  let fresh = unrecordedCodeCaches.get(record);
  if (!fresh) {
    fresh = path.join(dir, `ses-v8-${process.versions.v8}.${randomBytes(8).toString('hex')}.v8cache`);
    if (!recordsAtExit) process.once('exit', () => unrecordedCodeCaches.forEach((_, pending) => recordWrittenCodeCache(pending)));
    recordsAtExit = true;
    unrecordedCodeCaches.set(record, fresh);
    pruneStaleCodeCaches(dir);
  }
  return fresh;
}

function recordWrittenCodeCache(record: string): void {
  const written = unrecordedCodeCaches.get(record);
  if (!written || !fs.existsSync(written)) return;
  unrecordedCodeCaches.delete(record);
  try {
    recordBuild(record, CODE_CACHE_KEY, { inputs: [sesSource()], outputs: [written], data: { file: path.basename(written) } });
  } catch {
    // a read-only build folder: the next process makes its own cache
  }
}

/** Code caches of an older ses or Node, or unfinished writes: dropped once an hour old (a new one is made when needed). */
function pruneStaleCodeCaches(dir: string): void {
  const stale = Date.now() - 60 * 60 * 1000;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names.filter((n) => /\.v8cache(\..*\.tmp)?$/.test(n))) {
    try {
      if (fs.statSync(path.join(dir, name)).mtimeMs < stale) fs.rmSync(path.join(dir, name), { force: true });
    } catch {
      // another process pruned it first
    }
  }
}

/** A grader or a demo, with the engine pieces it uses; packages stay external. */
export function compileGrader(root: string, graderPath: string): Promise<string> {
  const name = `${path.basename(graderPath).replace(/\.ts$/, '')}.${hash(path.resolve(graderPath))}`;
  return bundleTrusted(root, graderPath, path.join(buildDir(root), 'graders'), name);
}

let gradedDir: string | undefined;

/** This process's own folder for learner bundles, created on first use and removed at exit. */
function gradedBundleDir(): string {
  if (!gradedDir) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workbook-graded-'));
    gradedDir = dir;
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return gradedDir;
}

const OUT_OF_REACH = 'graded code may import only the workbook support modules';

/** Lets the graded file import the support modules and nothing else. */
const learnerImports: esbuild.Plugin = {
  name: 'learner-imports',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (supportExportNames(args.path)) return { path: args.path, namespace: 'workbook-support' };
      return { errors: [{ text: `${OUT_OF_REACH}: "${args.path}" is out of reach` }] };
    });
    build.onLoad({ filter: /.*/, namespace: 'workbook-support' }, (args) => {
      const names = supportExportNames(args.path) ?? [];
      // Named exports, so an import of a name the module lacks fails here, at the learner's line.
      const lines = names.map((name) => `export const ${name} = support[${JSON.stringify(name)}];`);
      return { contents: [`const support = __workbookSupport(${JSON.stringify(args.path)});`, ...lines].join('\n'), loader: 'js' };
    });
  },
};

function toProblem(error: unknown, root: string, sourcePath: string): CodeProblem {
  const first = (error as { errors?: esbuild.Message[] }).errors?.[0];
  if (!first) return { kind: 'load', message: error instanceof Error ? error.message : String(error) };
  const location = first.location;
  // esbuild reports files relative to its working directory, the workbook root.
  const where = location ? { location: { file: location.file ? path.resolve(root, location.file) : sourcePath, line: location.line, column: location.column + 1 } } : {};
  if (first.text.startsWith(OUT_OF_REACH)) {
    const specifier = /"(.*)" is out of reach$/.exec(first.text)?.[1] ?? '?';
    return { kind: 'forbidden', message: `tried to import "${specifier}", which graded code cannot reach: ${OUT_OF_REACH} (#workbook/clock)`, ...where };
  }
  const noExport = /^No matching export in "workbook-support:(.+)" for import "(.+)"$/.exec(first.text);
  if (noExport) return { kind: 'load', message: `${noExport[1]} has no export named \`${noExport[2]}\``, ...where };
  return { kind: 'syntax', message: `syntax error: ${first.text}`, ...where };
}

/**
 * The file to grade, compiled for a Compartment. A file that is not a regular file of reasonable
 * size, a syntax error or a refused import comes back as a CompileError naming the learner's file
 * (and line, when there is one).
 */
export async function compileTarget(root: string, targetPath: string): Promise<string> {
  let source: string;
  try {
    source = readGradableFile(targetPath);
  } catch (error) {
    if (error instanceof UngradableFile) throw new CompileError({ kind: 'load', message: error.message });
    throw error;
  }
  const name = `${path.basename(targetPath).replace(/\.[cm]?ts$/, '')}.${hash(`${path.resolve(targetPath)}\n${source}`)}.cjs`;
  const outFile = path.join(gradedBundleDir(), name);
  let result: Built;
  try {
    result = await build({
      ...COMMON,
      stdin: { contents: source, sourcefile: targetPath, resolveDir: path.dirname(targetPath), loader: 'ts' },
      absWorkingDir: root,
      format: 'cjs',
      platform: 'neutral',
      outfile: outFile,
      plugins: [learnerImports],
      // The workbook's TypeScript settings, never a tsconfig.json shipped with a submission.
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true, useDefineForClassFields: true, strict: true } },
      // Challenge files end with `if (import.meta.filename === process.argv[1]) main();` so they can
      // run as scripts. Graded, they are not the script being run.
      define: { 'import.meta.filename': '"(graded)"', 'import.meta.dirname': '"(graded)"', 'import.meta.url': '"graded:"' },
    });
  } catch (error) {
    throw new CompileError(toProblem(error, root, targetPath));
  }
  writeIfChanged(outFile, result.outputFiles[0]!.contents);
  return outFile;
}

/**
 * Starts esbuild's service process now, for a command that is about to compile the file it grades:
 * the process then starts while the command loads rather than when the compile is asked for.
 */
export function startCompiler(): void {
  loadCompiler()
    .then((esbuild) => esbuild.initialize({}))
    .catch(() => undefined); // already started, or it cannot start: the compile itself says why
}

/** Stops esbuild's service process (an interrupted batch must not wait on it). */
export function stopCompiler(): void {
  if (compiler) void compiler.then((esbuild) => esbuild.stop());
}
