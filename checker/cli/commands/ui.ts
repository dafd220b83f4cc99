import { spawn } from 'node:child_process';
import path from 'node:path';
import { seedFlag } from '../args.ts';
import { EXIT, type Command } from '../command.ts';

export const command: Command = {
  name: 'ui',
  summary: 'Open @vitest/ui on the graders, run against your files',
  usage: 'ui [--seed N]',
  flags: { seed: 'string' },
  async run(io, args) {
    const vitest = path.join(io.root, 'node_modules', '.bin', 'vitest');
    const seed = seedFlag(args);
    const env = { ...io.env, ...(seed !== undefined ? { WORKBOOK_SEED: String(seed) } : {}) };
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
