import path from 'node:path';

/**
 * Where the workbook keeps what it set aside before overwriting a learner's work (`reset`,
 * `update`, `progress import`): `.workbook/backups/`, one name per moment so no backup replaces
 * another.
 */

/** A moment as a file-name-safe stamp: the ISO time with `:` and `.` made `-` (Windows forbids `:`). */
export function fileStamp(moment: Date): string {
  return moment.toISOString().replace(/[:.]/g, '-');
}

/** The path of a backup named `<prefix><stamp><suffix>` under the workbook's backup folder. */
export function backupPath(root: string, prefix: string, moment: Date, suffix = ''): string {
  return path.join(root, '.workbook', 'backups', `${prefix}${fileStamp(moment)}${suffix}`);
}
