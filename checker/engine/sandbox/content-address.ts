import { createHash } from 'node:crypto';
import fs from 'node:fs';

/**
 * Our bundles are named <name>.<first 16 hex digits of the sha-256 of their contents>.mjs: one
 * changed in place after it was built is refused. Checked by the parent before a worker is given
 * a bundle (grade.ts, demo.ts), so a worker never loads node:crypto (a tenth of its start-up).
 */
export function verifyContentAddressed(file: string): void {
  const named = /\.([0-9a-f]{16})\.mjs$/.exec(file)?.[1];
  const actual = createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 16);
  if (named !== actual) throw new Error(`compiled bundle ${file} does not match its content hash: refusing to load it`);
}
