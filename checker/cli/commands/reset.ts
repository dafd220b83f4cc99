import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { allExercises, manifest } from '../../manifest/index.ts';
import { resolveExercise } from '../../core/resolve.ts';
import { requirePositional } from '../args.ts';
import { EXIT, WorkbookError, type Command } from '../command.ts';

/**
 * The untouched stub is what the workbook's own history holds: the upstream branch if there is
 * one, else the commit that first added the file. The learner's file is always backed up first.
 */
function originalStub(root: string, relative: string): string {
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  for (const ref of ['origin/HEAD', 'origin/main']) {
    try {
      return git('show', `${ref}:${relative}`);
    } catch {
      // try the next place
    }
  }
  try {
    const added = git('log', '--diff-filter=A', '--format=%H', '--', relative).trim().split('\n').pop();
    if (added) return git('show', `${added}:${relative}`);
  } catch {
    // fall through
  }
  throw new WorkbookError(`Could not find the original ${relative} in git history; your file was left as it is.`, EXIT.failed);
}

export const command: Command = {
  name: 'reset',
  summary: 'Restore the original stub of an exercise (your file is backed up first)',
  usage: 'reset <id>',
  async run(io, args) {
    const entry = resolveExercise(manifest, requirePositional(args, 0, 'an exercise id', this.usage));
    const relative = path.posix.join('exercises', entry.file);
    const file = path.join(io.root, relative);
    const stub = originalStub(io.root, relative);
    // Some modules grade one file in several exercises (raft): say what else this resets.
    const sharing = allExercises(manifest).filter((e) => e.file === entry.file && e.id !== entry.id).map((e) => e.id);
    if (sharing.length > 0) io.out(`${relative} is shared by ${[entry.id, ...sharing].join(', ')}: resetting it resets all of them.`);
    if (fs.existsSync(file)) {
      const current = fs.readFileSync(file, 'utf8');
      if (current === stub) {
        io.out(`${relative} is already the original stub; nothing to do.`);
        return EXIT.ok;
      }
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const backup = path.join(io.root, '.workbook', 'backups', `${entry.id.replace('/', '__')}.${stamp}.ts`);
      fs.mkdirSync(path.dirname(backup), { recursive: true });
      fs.writeFileSync(backup, current);
      io.out(`Your version was saved as ${path.relative(io.root, backup)}.`);
    }
    fs.writeFileSync(file, stub);
    io.out(`${relative} is back to the original stub.`);
    return EXIT.ok;
  },
};
