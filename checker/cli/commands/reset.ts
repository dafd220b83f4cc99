import fs from 'node:fs';
import path from 'node:path';
import { manifest, allExercises } from '../../manifest/index.ts';
import { resolveExercise } from '../../core/resolve.ts';
import { backupPath } from '../../core/backups.ts';
import { updateProgress } from '../../core/progress/store.ts';
import { stubState } from '../../selfcheck/pristine.ts';
import { requirePositional } from '../args.ts';
import { EXIT, WorkbookError, type Command } from '../command.ts';

/**
 * `reset <id>`: the stub as shipped (the one checker/manifest/stubs.json records, from git once the
 * file was edited) replaces the learner's file, which is backed up first; the exercise's recorded
 * result goes too, so `list` and `run` treat it as not yet done. Hints opened stay counted.
 */
export const command: Command = {
  name: 'reset',
  summary: 'Restore the original stub of an exercise and forget its last result (your file is backed up first)',
  usage: 'reset <id>',
  async run(io, args) {
    const entry = resolveExercise(manifest, requirePositional(args, 0, 'an exercise id', this.usage));
    const relative = path.posix.join('exercises', entry.file);
    const file = path.join(io.root, relative);
    const state = stubState(io.root, entry.file);
    if (state.kind === 'lost') throw new WorkbookError(`Could not find the original ${relative}: ${state.reason}. Your file was left as it is.`, EXIT.failed);
    const sharing = allExercises(manifest).filter((e) => e.file === entry.file && e.id !== entry.id);
    // Some modules grade one file in several exercises (raft): say what else this resets.
    if (sharing.length > 0) io.out(`${relative} is shared by ${[entry, ...sharing].map((e) => e.id).join(', ')}: resetting it resets all of them.`);
    if (fs.existsSync(file)) {
      const current = fs.readFileSync(file, 'utf8');
      if (current !== state.text) {
        const backup = backupPath(io.root, `${entry.id.replaceAll('/', '__')}.`, new Date(), '.ts');
        fs.mkdirSync(path.dirname(backup), { recursive: true });
        fs.writeFileSync(backup, current);
        io.out(`Your version was saved as ${backup}.`);
      }
    }
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== state.text) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, state.text);
      io.out(`${relative} is back to the original stub.`);
    } else {
      io.out(`${relative} is already the original stub.`);
    }
    let forgot = false;
    await updateProgress(io.root, (progress) => {
      for (const id of [entry.id, ...sharing.map((e) => e.id)]) {
        const record = progress.exercises[id];
        if (record?.lastRun) {
          delete record.lastRun;
          forgot = true;
        }
      }
    });
    if (forgot) io.out(`Its recorded result is cleared${sharing.length > 0 ? ` (and that of ${sharing.map((e) => e.id).join(', ')}, which grade the same file)` : ''}.`);
    return EXIT.ok;
  },
};
