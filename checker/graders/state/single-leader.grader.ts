import fc from 'fast-check';
import type * as Impl from '../../../solutions/state/single-leader.ts';
import { checkSchedules, defineGrader, show } from '../../engine/grader.ts';

type Module = typeof Impl;
const keys = ['a', 'b', 'c'] as const;
const FOLLOWERS = 3;
const THRESHOLD = 1000;

type Step =
  | { readonly op: 'write'; readonly key: string }
  | { readonly op: 'replicate'; readonly follower: number; readonly max: number | undefined }
  | { readonly op: 'advance'; readonly ms: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('write' as const), key: fc.constantFrom(...keys) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('replicate' as const), follower: fc.integer({ min: 1, max: FOLLOWERS }), max: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.constantFrom(1, 250, 499, 500, 501, 999, 1000) }), weight: 2 },
);

export default defineGrader<Module>({
  requiredExports: ['SingleLeaderDB'],
  requirements: [
    {
      id: 'stale-then-caught-up',
      title: 'The leader reads its own writes at once; a follower reads stale values until it replicates, then the leader\'s',
      kind: 'behaviour',
      check: ({ impl, simClock, scenario }) => {
        const clock = simClock();
        const s = scenario('a leader with followers 1 and 2; the clock reads 0');
        const db = new impl.SingleLeaderDB(2, clock);
        s.step('write("balance", "100") and write("balance", "95")');
        s.expectEqual([db.write('balance', '100'), db.write('balance', '95')], [1, 2], 'the log positions returned');
        s.expectEqual(db.read('balance'), '95', "the leader's read");
        s.expectEqual(db.readFromFollower(1, 'balance'), undefined, "follower 1's read (nothing replicated yet)");
        s.expectEqual(db.replicationLag(1), 2, "follower 1's lag in entries");
        s.step('replicate(1, 1) (one entry)');
        s.expectEqual(db.replicate(1, 1), 1, 'entries applied');
        s.expectEqual(db.readFromFollower(1, 'balance'), '100', "follower 1's read (stale by one write)");
        s.step('replicate(1) (all the rest), replicate(1) again');
        s.expectEqual(db.replicate(1), 1, 'entries applied');
        s.expectEqual(db.replicate(1), 0, 'entries applied when caught up');
        s.expectEqual([db.readFromFollower(1, 'balance'), db.replicationLag(1), db.replicationLag(2)], ['95', 0, 2], "follower 1's read, follower 1's lag, follower 2's lag");
      },
    },
    {
      id: 'lag-threshold-boundary',
      title: 'Lag in milliseconds counts from the oldest write a follower lacks; a follower is lagging only above the threshold (1000 ms: not at 1000, yes at 1001)',
      kind: 'safety',
      check: ({ impl, simClock, scenario }) => {
        const clock = simClock();
        const s = scenario('a leader with followers 1 and 2; the clock reads 0');
        const db = new impl.SingleLeaderDB(2, clock);
        s.step('write("k", "v1") at 0; 400 ms pass; write("k", "v2") at 400; follower 2 replicates everything');
        db.write('k', 'v1');
        clock.advanceSync(400);
        db.write('k', 'v2');
        db.replicate(2);
        for (const [to, lag, lagging] of [[999, 999, []], [1000, 1000, []], [1001, 1001, [1]]] as const) {
          clock.advanceSync(to - clock.now());
          s.step(`the clock reaches ${to}`);
          s.expectEqual(db.replicationLagMs(1), lag, "follower 1's replicationLagMs() (its oldest missing write was made at 0)");
          s.expectEqual(db.replicationLagMs(2), 0, "follower 2's replicationLagMs() (caught up)");
          s.expectEqual(db.laggingFollowers(THRESHOLD), [...lagging], `laggingFollowers(${THRESHOLD})`);
        }
        s.step('follower 1 replicates one entry (it now lacks only the write made at 400)');
        db.replicate(1, 1);
        s.expectEqual(db.replicationLagMs(1), 601, "follower 1's replicationLagMs()");
        s.expectEqual(db.laggingFollowers(THRESHOLD), [], `laggingFollowers(${THRESHOLD})`);
        s.expectEqual(db.laggingFollowers(600), [1], 'laggingFollowers(600)');
      },
    },
    {
      id: 'followers-apply-prefixes',
      title: 'Under random writes, partial replications and clock moves, every follower holds the leader\'s data as of some log position and reports its lag truthfully, after every step',
      kind: 'safety',
      randomised: true,
      check: (ctx) =>
        checkSchedules(ctx, fc.array(stepArb, { maxLength: 30 }), (steps) => {
          const clock = ctx.simClock();
          const s = ctx.scenario(`a leader with followers 1-${FOLLOWERS}; the clock reads 0`);
          const db = new ctx.impl.SingleLeaderDB(FOLLOWERS, clock);
          const log: { key: string; value: string; at: number }[] = [];
          const applied = Array.from({ length: FOLLOWERS + 1 }, () => 0);
          const valueAt = (position: number, key: string) => log.slice(0, position).filter((e) => e.key === key).at(-1)?.value;
          for (const step of steps) {
            if (step.op === 'write') {
              const value = `${step.key}${log.length + 1}`;
              s.step(`write("${step.key}", "${value}")`);
              log.push({ key: step.key, value, at: clock.now() });
              s.expectEqual(db.write(step.key, value), log.length, 'the log position returned');
            } else if (step.op === 'replicate') {
              s.step(`replicate(${step.follower}${step.max === undefined ? '' : `, ${step.max}`})`);
              const want = Math.min(log.length - applied[step.follower]!, step.max ?? Infinity);
              s.expectEqual(db.replicate(step.follower, step.max), want, 'entries applied');
              applied[step.follower]! += want;
            } else {
              s.step(`${step.ms} ms pass`);
              clock.advanceSync(step.ms);
            }
            for (const key of keys) {
              const leader = db.read(key);
              if (leader !== valueAt(log.length, key)) s.fail(`the leader's read("${key}") to be ${show(valueAt(log.length, key))}`, `it was ${show(leader)}`);
            }
            for (let f = 1; f <= FOLLOWERS; f++) {
              const position = applied[f]!;
              for (const key of keys) {
                const got = db.readFromFollower(f, key);
                if (got !== valueAt(position, key)) s.fail(`follower ${f} (${position} of ${log.length} entries applied) to read ${show(valueAt(position, key))} for "${key}"`, `it read ${show(got)}`);
              }
              const lagMs = position < log.length ? clock.now() - log[position]!.at : 0;
              s.expectEqual([db.replicationLag(f), db.replicationLagMs(f)], [log.length - position, lagMs], `follower ${f}'s [replicationLag(), replicationLagMs()]`);
            }
            const lagging = Array.from({ length: FOLLOWERS }, (_, i) => i + 1).filter((f) => applied[f]! < log.length && clock.now() - log[applied[f]!]!.at > THRESHOLD);
            s.expectEqual(db.laggingFollowers(THRESHOLD), lagging, `laggingFollowers(${THRESHOLD})`);
          }
        }),
    },
  ],
});
