import fs from 'node:fs';
import { ProgressBusyError, updateProgress } from '../core/progress/store.ts';

/**
 * One "CLI" of the kill -9 soak (soak-progress.ts): read-modify-write updates through the real
 * progress store, as fast as it can, until it is killed. Each update ticks a new checklist key and
 * bumps this writer's run counter in the same save; only after the save returns is the key
 * appended to this writer's acknowledgement log, so every logged key must be in the file for good.
 * Usage: node writer.mjs <workbook root> <writer name> <ack log>
 */

const [root, name, ackLog] = process.argv.slice(2) as [string, string, string];
const counter = `soak/${name}`;
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  const key = `${name}:${i}`;
  const started = performance.now();
  try {
    await updateProgress(root, (progress) => {
      progress.checklist[key] = true;
      const entry = (progress.exercises[counter] ??= { runs: 0, hintsShown: 0 });
      entry.runs += 1;
    });
  } catch (error) {
    if (error instanceof ProgressBusyError) {
      process.stderr.write('busy\n');
      i -= 1;
      continue;
    }
    process.stderr.write(`failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  fs.appendFileSync(ackLog, `${key} ${Math.round(performance.now() - started)}\n`);
}
