import { updateWorkbook, UpdateError } from '../../core/update.ts';
import { EXIT, WorkbookError, type Command } from '../command.ts';
import { palette } from '../render/style.ts';

/**
 * `update`: takes the workbook's new version (git pull) without losing the learner's files; see
 * core/update.ts. Exit 0 when everything merged, 1 when conflicts are left marked to resolve.
 */
export const command: Command = {
  name: 'update',
  summary: 'Take the new version of the workbook, keeping your work: edited files are merged, never lost',
  usage: 'update',
  async run(io) {
    const c = palette(io.color);
    let report;
    try {
      report = updateWorkbook(io.root);
    } catch (error) {
      if (error instanceof UpdateError) throw new WorkbookError(`Update failed: ${error.message}.`, EXIT.failed);
      throw error;
    }
    if (report.from === report.to) io.out(`Already up to date (${report.to}).`);
    else io.out(`Updated the workbook from ${report.from} to ${report.to}.`);
    if (report.replaced.length > 0) io.out(`New stubs (you had not touched them): ${report.replaced.map((f) => `exercises/${f}`).join(', ')}`);
    for (const file of report.edited) {
      const where = `exercises/${file.file}`;
      if (file.outcome === 'kept') io.out(`  ${c.green('kept')}     ${where} (its stub did not change)`);
      else if (file.outcome === 'merged') io.out(`  ${c.green('merged')}   ${where}: your work and the new stub`);
      else io.out(`  ${c.yellow('conflict')} ${where}: ${file.conflicts} place${file.conflicts === 1 ? '' : 's'} marked <<<<<<< your work ... >>>>>>> the new stub: keep what you want, delete the markers`);
    }
    if (report.backupDir) io.out(c.dim(`Your files before the update are in ${report.backupDir}.`));
    return report.edited.some((f) => f.outcome === 'conflicts') ? EXIT.failed : EXIT.ok;
  },
};
