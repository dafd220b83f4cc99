import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupPath, fileStamp } from './backups.ts';

describe('backup names', () => {
  const moment = new Date(Date.UTC(2026, 10, 30, 9, 5, 7, 42));

  it('stamps a moment without the characters some file systems refuse', () => {
    expect(fileStamp(moment)).toBe('2026-11-30T09-05-07-042Z');
  });

  it('puts every backup under .workbook/backups of the workbook, prefix and suffix around the stamp', () => {
    expect(backupPath('/wb', 'progress-', moment, '.json')).toBe(path.join('/wb', '.workbook', 'backups', 'progress-2026-11-30T09-05-07-042Z.json'));
    expect(backupPath('/wb', 'update-', moment)).toBe(path.join('/wb', '.workbook', 'backups', 'update-2026-11-30T09-05-07-042Z'));
  });

  it('gives two moments a millisecond apart two names', () => {
    expect(fileStamp(new Date(moment.getTime() + 1))).not.toBe(fileStamp(moment));
  });
});
