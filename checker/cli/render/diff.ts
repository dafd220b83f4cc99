import { Chalk } from 'chalk';
import { formatPatch, structuredPatch, type StructuredPatch } from 'diff';

/**
 * Learner's file against the reference, as a unified diff made by the `diff` package. `-` lines
 * are the learner's, `+` lines the reference's. Pure: text in, text out.
 */

export interface DiffStat {
  readonly added: number;
  readonly removed: number;
  readonly hunks: number;
}

export function makePatch(learnerName: string, referenceName: string, learner: string, reference: string): StructuredPatch {
  return structuredPatch(learnerName, referenceName, learner, reference, 'yours', 'reference', { context: 3 });
}

export function diffStat(patch: StructuredPatch): DiffStat {
  let added = 0;
  let removed = 0;
  for (const hunk of patch.hunks) {
    for (const line of hunk.lines) {
      if (line.startsWith('+')) added++;
      else if (line.startsWith('-')) removed++;
    }
  }
  return { added, removed, hunks: patch.hunks.length };
}

export function renderStat(patch: StructuredPatch): string {
  const { added, removed, hunks } = diffStat(patch);
  if (hunks === 0) return `${patch.oldFileName} is identical to ${patch.newFileName}`;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${patch.oldFileName} -> ${patch.newFileName}: ${plural(hunks, 'hunk')}, ${plural(added, 'line')} only in the reference (+), ${plural(removed, 'line')} only in yours (-)`;
}

export function renderDiff(patch: StructuredPatch, options: { color: boolean }): string {
  if (patch.hunks.length === 0) return renderStat(patch);
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  return formatPatch(patch)
    .replace(/\n$/, '')
    .split('\n')
    .filter((line) => !/^=+$/.test(line) && !line.startsWith('Index:'))
    .map((line) => {
      if (line.startsWith('---') || line.startsWith('+++')) return chalk.bold(line);
      if (line.startsWith('@@')) return chalk.cyan(line);
      if (line.startsWith('+')) return chalk.green(line);
      if (line.startsWith('-')) return chalk.red(line);
      if (line.startsWith('\\')) return chalk.gray(line);
      return line;
    })
    .join('\n');
}
