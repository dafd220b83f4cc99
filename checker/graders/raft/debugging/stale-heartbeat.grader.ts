import { defineGrader } from '../../../engine/grader.ts';
import { challengeRequirements } from './directed.ts';
import type { Mod } from './harness.ts';

export default defineGrader<Mod>({
  requiredExports: ['RaftNode'],
  requirements: challengeRequirements('stale-heartbeat'),
});
