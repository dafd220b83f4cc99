import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import type { CodeProblem } from './results.ts';

/**
 * Compiles the grading worker, a grader and the graded file to plain JavaScript bundles before a
 * worker loads them. A worker that had to register a TypeScript loader would spend most of a
 * verdict's time starting that loader; a bundle loads in a few milliseconds. Each bundle carries
 * an inline source map, so errors still point at the learner's .ts file and line.
 *
 * Bundles live under <root>/.workbook/build (git-ignored), inside the workbook so that the
 * packages they import (fast-check, @sinonjs/fake-timers) resolve from its node_modules.
 */

export class CompileError extends Error {
  constructor(readonly problem: CodeProblem) {
    super(problem.message);
    this.name = 'CompileError';
  }
}

const WORKER_ENTRIES = {
  grading: new URL('./worker.ts', import.meta.url),
  demo: new URL('./demo-worker.ts', import.meta.url),
} as const;

function buildDir(root: string): string {
  return path.join(root, '.workbook', 'build');
}

/** Writes through a temporary file and a rename, so a worker never reads half a bundle. */
function writeIfChanged(file: string, contents: Uint8Array): void {
  if (fs.existsSync(file) && Buffer.compare(fs.readFileSync(file), contents) === 0) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(temp, contents);
  fs.renameSync(temp, file);
}

function toProblem(error: unknown, root: string, sourcePath: string): CodeProblem {
  const first = (error as { errors?: esbuild.Message[] }).errors?.[0];
  if (!first) return { kind: 'load', message: error instanceof Error ? error.message : String(error) };
  const location = first.location;
  const unresolved = /^Could not resolve "(.+)"/.exec(first.text);
  if (unresolved) {
    const missingSelf = location === null;
    return missingSelf
      ? { kind: 'load', message: `the file does not exist: ${sourcePath}` }
      : {
          kind: 'load',
          message: `an import in your file could not be found: "${unresolved[1]}"`,
          location: { file: sourcePath, line: location.line, column: location.column + 1 },
        };
  }
  // esbuild reports files relative to its working directory, the workbook root.
  const file = location ? path.resolve(root, location.file) : sourcePath;
  return {
    kind: 'syntax',
    message: `syntax error: ${first.text}`,
    ...(location ? { location: { file, line: location.line, column: location.column + 1 } } : {}),
  };
}

async function bundle(root: string, entry: string, outFile: string, externalPackages: boolean): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    // Keep the learner's own names in stack traces and in what their code prints.
    keepNames: true,
    logLevel: 'silent',
    outfile: outFile,
    ...(externalPackages ? { packages: 'external' as const } : {}),
  });
  writeIfChanged(outFile, result.outputFiles[0]!.contents);
  return outFile;
}

function keyOf(file: string): string {
  return createHash('sha256').update(path.resolve(file)).digest('hex').slice(0, 16);
}

/** A worker entry (the grading worker or the demo runner) with the engine; packages stay external. */
export function compileEngine(root: string, which: keyof typeof WORKER_ENTRIES = 'grading'): Promise<string> {
  return bundle(root, WORKER_ENTRIES[which].pathname, path.join(buildDir(root), 'engine', `${which}.mjs`), true);
}

/** A grader or a demo, with the engine pieces it uses; packages stay external. */
export function compileGrader(root: string, graderPath: string): Promise<string> {
  const name = `${path.basename(graderPath).replace(/\.ts$/, '')}.${keyOf(graderPath)}.mjs`;
  return bundle(root, graderPath, path.join(buildDir(root), 'graders', name), true);
}

/**
 * The file to grade, with what it imports (the workbook's clock) bundled in. A syntax error or a
 * missing import comes back as a CompileError naming the learner's file and line.
 */
export async function compileTarget(root: string, targetPath: string): Promise<string> {
  if (!fs.existsSync(targetPath)) throw new CompileError({ kind: 'load', message: `the file does not exist: ${targetPath}` });
  const name = `${path.basename(targetPath).replace(/\.[cm]?ts$/, '')}.${keyOf(targetPath)}.mjs`;
  try {
    return await bundle(root, targetPath, path.join(buildDir(root), 'targets', name), false);
  } catch (error) {
    throw new CompileError(toProblem(error, root, targetPath));
  }
}
