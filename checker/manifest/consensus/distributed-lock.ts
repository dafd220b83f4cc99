import type { ExerciseEntry } from '../types.ts';

export const distributedLock: ExerciseEntry = {
  id: 'consensus/distributed-lock',
  kind: 'pattern',
  title: 'Distributed lock with fencing tokens',
  summary: 'Leases that expire, tokens that only grow, and a resource that refuses writes from a stale holder.',
  file: 'consensus/distributed-lock.ts',
  grader: 'checker/graders/consensus/distributed-lock.grader.ts',
  variants: 'checker/variants/consensus/distributed-lock',
  demo: 'checker/demos/consensus/distributed-lock.demo.ts',
  guide: { file: 'exercises/consensus/README.md', section: 'Pattern 3: Distributed lock with fencing tokens' },
  patterns: ['consensus/distributed-lock'],
  hints: [
    'Start with tryAcquire. A lock record that has expired counts as free: check `isExpired(now)` with the clock\'s time before you refuse anyone, or a crashed holder blocks the resource forever.',
    'Fencing tokens come from ONE counter shared by every resource, incremented on every grant and never reset or given back. release and renew must match the owner AND the exact token of the current record, and must refuse once the lease has run out.',
    'acquire is a loop: compute `deadline = now + timeoutMs`; try once; on failure return null if the deadline has come, else `await this.clock.sleep(Math.min(retryDelay, deadline - now))` and try again. Never call setTimeout or Date.now() yourself.',
    'FencedResource.write: refuse when `fencingToken < highest`; otherwise store the value and set highest to the token (an equal token is the same holder writing again). removeExpired: walk the map and delete every record whose `isExpired(now)` is true.',
  ],
};
