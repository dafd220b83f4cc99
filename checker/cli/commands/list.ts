import { manifest } from '../../manifest/index.ts';
import { readProgress } from '../../core/progress/store.ts';
import { nextUnfinished, statusOf } from '../../core/workflow.ts';
import { EXIT, type Command } from '../command.ts';
import { palette } from '../render/style.ts';

export const command: Command = {
  name: 'list',
  summary: 'Every exercise and challenge, with your progress (from your last runs)',
  usage: 'list [--json]',
  flags: { json: 'boolean' },
  async run(io, args) {
    const progress = readProgress(io.root);
    const next = nextUnfinished(manifest, progress);
    if (args.flags.json) {
      const rows = manifest.modules.flatMap((m) =>
        m.exercises.map((e) => ({ id: e.id, module: m.id, kind: e.kind, title: e.title, status: statusOf(progress, e.id), lastRun: progress.exercises[e.id]?.lastRun ?? null })),
      );
      io.out(JSON.stringify({ next: next?.id ?? null, exercises: rows }, null, 2));
      return EXIT.ok;
    }
    const c = palette(io.color);
    const mark = { done: c.green('✓'), started: c.yellow('…'), new: c.dim('·') } as const;
    const width = Math.max(...manifest.modules.flatMap((m) => m.exercises.map((e) => e.id.length)));
    for (const module of manifest.modules) {
      // A module's patterns, then its debugging challenges under a heading of their own.
      const groups = [
        { heading: module.title, entries: module.exercises.filter((e) => e.kind === 'pattern') },
        { heading: `${module.title}: debugging challenges`, entries: module.exercises.filter((e) => e.kind !== 'pattern') },
      ];
      for (const { heading, entries } of groups.filter((g) => g.entries.length > 0)) {
        io.out(c.bold(heading));
        for (const e of entries) {
          const status = statusOf(progress, e.id);
          const last = progress.exercises[e.id]?.lastRun;
          const score = last ? c.dim(` ${last.passed}/${last.total}`) : '';
          const arrow = e.id === next?.id ? c.cyan(' ← next') : '';
          io.out(`  ${mark[status]} ${e.id.padEnd(width)} ${e.title}${score}${arrow}`);
        }
        io.out('');
      }
    }
    io.out(next ? `Next: npm run exercise -- run ${next.id}` : c.green('Every exercise passes. `scorecard` shows your mastery gate.'));
    return EXIT.ok;
  },
};
