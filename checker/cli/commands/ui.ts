import { spawn } from 'node:child_process';
import path from 'node:path';
import { seedFlag } from '../args.ts';
import { manifest } from '../../manifest/index.ts';
import { resolveExercise } from '../../core/resolve.ts';
import { EXIT, type Command } from '../command.ts';

export const command: Command = {
  name: 'ui',
  summary: 'Open @vitest/ui on the graders (of one exercise, or all), run against your files and re-run on every save',
  usage: 'ui [id] [--seed N]',
  flags: { seed: 'string' },
  async run(io, args) {
    const vitest = path.join(io.root, 'node_modules', '.bin', 'vitest');
    const seed = seedFlag(args);
    const only = args.positionals[0] ? resolveExercise(manifest, args.positionals[0]).id : undefined;
    const env = { ...io.env, ...(seed !== undefined ? { WORKBOOK_SEED: String(seed) } : {}), ...(only ? { WORKBOOK_UI_ONLY: only } : {}) };
    const child = spawn(vitest, ['--ui', '--config', path.join(io.root, 'checker/ui/vitest.config.ts')], { cwd: io.root, env, stdio: 'inherit' });
    const onAbort = (): void => void child.kill('SIGINT');
    io.signal.addEventListener('abort', onAbort, { once: true });
    return new Promise((resolve) => {
      child.on('exit', (code) => resolve(code ?? EXIT.interrupted));
      child.on('error', (error) => {
        io.err(`Could not start vitest: ${error.message}. Did \`npm install\` finish?`);
        resolve(EXIT.failed);
      });
    });
  },
};
