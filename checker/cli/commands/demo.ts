import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { manifest } from '../../manifest/index.ts';
import { runDemo } from '../../engine/demo.ts';
import { exercisePath, solutionPath } from '../../engine/targets.ts';
import { resolveExercise } from '../../core/resolve.ts';
import { requirePositional } from '../args.ts';
import { EXIT, WorkbookError, type Command } from '../command.ts';
import { describeProblem } from '../render/verdict.ts';
import { importSource } from '../../import-source.ts';

type StandaloneDemo = (out: (line: string) => void) => Promise<void>;

export const command: Command = {
  name: 'demo',
  summary: "Run the chapter's client program against your code (or --solution); `demo split-brain` compares naive and majority election",
  usage: 'demo <id> [--solution]',
  flags: { solution: 'boolean' },
  async run(io, args) {
    const query = requirePositional(args, 0, 'a demo or exercise id', this.usage);
    const standalone = manifest.demos.find((d) => d.id === query);
    if (standalone) {
      const run = ((await importSource(pathToFileURL(path.join(io.root, standalone.file)).href)) as { default: StandaloneDemo }).default;
      io.out(standalone.title);
      await run(io.out);
      return EXIT.ok;
    }
    const entry = resolveExercise(manifest, query);
    if (!entry.demo) throw new WorkbookError(`${entry.id} has no demo.`, EXIT.usage);
    const file = args.flags.solution ? solutionPath(io.root, entry) : exercisePath(io.root, entry);
    io.out(`${entry.title} — demo against ${path.relative(io.root, file)}\n`);
    // The demo runs the learner's code, so it gets the same guard against loops as grading.
    const problem = await runDemo({ root: io.root, demoPath: path.join(io.root, entry.demo), targetPath: file, out: io.out });
    if (problem) throw new WorkbookError(`The demo stopped: ${describeProblem(problem)}`, EXIT.failed);
    return EXIT.ok;
  },
};
