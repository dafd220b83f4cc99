import { challenge } from '../../layout.ts';

export const lockDeadlock = challenge('consensus/debugging/lock-deadlock', {
  title: 'Challenge 5: Distributed lock deadlock',
  summary: 'A crashed holder keeps its lock forever.',
  demo: true,
  patterns: ['consensus/distributed-lock'],
  plantedBugs: 1,
  hints: [
    "Client A's lease ran out at 30 s. What does tryAcquire at 40 s do with the lock A left behind, and does it ever ask the clock about it?",
    "A lock whose lease has expired belongs to nobody: treat it exactly like a missing lock. Lock already has a method for that question.",
    "Refuse only when an existing lock is still live (`!existing.isExpired(now)`) and owned by someone else. Keep drawing a fresh token from the counter, so the new holder's token is larger than the crashed holder's.",
  ],
});
