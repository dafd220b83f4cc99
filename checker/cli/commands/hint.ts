import { manifest } from '../../manifest/index.ts';
import { exerciseProgress } from '../../core/progress/schema.ts';
import { updateProgress } from '../../core/progress/store.ts';
import { resolveExercise } from '../../core/resolve.ts';
import { requirePositional } from '../args.ts';
import { EXIT, type Command } from '../command.ts';
import { wrapText } from '../render/markdown.ts';
import { palette } from '../render/style.ts';

export const command: Command = {
  name: 'hint',
  summary: 'Show the next hint for an exercise (hints are progressive and counted)',
  usage: 'hint <id> [--json]',
  flags: { json: 'boolean' },
  async run(io, args) {
    const entry = resolveExercise(manifest, requirePositional(args, 0, 'an exercise id', this.usage));
    const total = entry.hints.length;
    let shown = 0;
    await updateProgress(io.root, (progress) => {
      const record = exerciseProgress(progress, entry.id);
      record.hintsShown = Math.min(total, record.hintsShown + 1);
      shown = record.hintsShown;
    });
    const visible = entry.hints.slice(0, shown);
    if (args.flags.json) {
      io.out(JSON.stringify({ id: entry.id, shown, total, hints: visible }, null, 2));
      return EXIT.ok;
    }
    const c = palette(io.color);
    if (total === 0) {
      io.out(`${entry.id} has no hints.`);
      return EXIT.ok;
    }
    visible.forEach((hint, i) => {
      // Wrapped with its label, so the first line is as long as the others.
      const label = `Hint ${i + 1} of ${total}:`;
      const body = wrapText(`${label} ${hint}`).slice(label.length);
      io.out(c.bold(label) + (i === visible.length - 1 ? body : c.dim(body)));
    });
    io.out(shown < total ? c.dim(`\nRun the same command again for the next hint.`) : c.dim('\nThat was the last hint; the guide has the full walk-through.'));
    return EXIT.ok;
  },
};
