import fs from 'node:fs';
import { backupPath } from '../../core/backups.ts';
import path from 'node:path';
import { mergeProgress } from '../../core/progress/merge.ts';
import { migrate, ProgressShapeError, SCHEMA_VERSION } from '../../core/progress/schema.ts';
import { progressPath, readProgress, updateProgress } from '../../core/progress/store.ts';
import { EXIT, UsageError, type Command } from '../command.ts';
import { userPath } from '../user-path.ts';

/**
 * `progress export [FILE]` and `progress import FILE`: carry progress to another machine. Import
 * merges (nothing on either side is lost; see core/progress/merge.ts), after keeping a copy of the
 * current file in .workbook/backups/.
 */
const USAGE = 'progress export [FILE] | progress import FILE';

export const command: Command = {
  name: 'progress',
  summary: 'Carry your progress to another machine: export it to a file, import (merge) it there',
  usage: USAGE,
  async run(io, args) {
    const [sub, file] = args.positionals;
    if (sub === 'export') {
      const text = `${JSON.stringify(readProgress(io.root), null, 2)}\n`;
      if (!file) {
        io.out(text);
        return EXIT.ok;
      }
      const target = userPath(io, file);
      fs.writeFileSync(target, text);
      io.err(`Progress exported to ${target}.`);
      return EXIT.ok;
    }
    if (sub === 'import') {
      if (!file) throw new UsageError(`progress import wants the exported file.\nUsage: npm run exercise -- ${USAGE}`);
      const source = userPath(io, file);
      let carried;
      try {
        carried = migrate(JSON.parse(fs.readFileSync(source, 'utf8').replace(/^\uFEFF/, '')));
      } catch (error) {
        const why = error instanceof ProgressShapeError || error instanceof SyntaxError ? error.message : (error as NodeJS.ErrnoException).code ?? String(error);
        throw new UsageError(`${file} is not an exported progress file (schema up to ${SCHEMA_VERSION}): ${why}. Your progress is unchanged.`);
      }
      const current = progressPath(io.root);
      if (fs.existsSync(current)) {
        const backup = backupPath(io.root, 'progress-', new Date(), '.json');
        fs.mkdirSync(path.dirname(backup), { recursive: true });
        fs.copyFileSync(current, backup);
        io.out(`Your progress before the import was saved as ${backup}.`);
      }
      const merged = await updateProgress(io.root, (progress) => Object.assign(progress, mergeProgress(progress, carried)));
      io.out(`Imported ${file}: ${Object.keys(merged.exercises).length} exercises, ${Object.keys(merged.quiz).length} quiz items now recorded.`);
      return EXIT.ok;
    }
    throw new UsageError(`progress wants export or import.\nUsage: npm run exercise -- ${USAGE}`);
  },
};
