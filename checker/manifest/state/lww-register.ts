import type { ExerciseEntry } from '../types.ts';

export const lwwRegister: ExerciseEntry = {
  id: 'state/lww-register',
  kind: 'pattern',
  title: 'LWW-Register (last-writer-wins register)',
  summary: 'One replicated value: the later timestamp wins, the writer\'s id breaks ties, so every replica picks the same winner.',
  file: 'state/lww-register.ts',
  grader: 'checker/graders/state/lww-register.grader.ts',
  variants: 'checker/variants/state/lww-register',
  guide: { file: 'exercises/state/README.md', section: 'LWW-Register' },
  patterns: ['state/lww-register'],
  hints: [
    'Keep three things together: the value, its timestamp and its writer. They always travel as one: when merge takes the other side\'s value it takes all three.',
    'On a tie, compare other.writer with this.writer. Comparing with this.nodeId (the replica doing the merge) is the document\'s bug: a value relayed through a third replica then wins or loses depending on who relays it, and replicas end up different.',
    'In set, use Math.max(this.clock.now(), this.timestamp + 1). With the clock standing still (or behind another replica\'s), a plain clock.now() gives your new write a timestamp no larger than a value you just merged in, and your own write loses.',
    'merge(other): if other.timestamp > this.timestamp, or they are equal and other.writer > this.writer, copy value, timestamp and writer from other; otherwise do nothing.',
  ],
};
