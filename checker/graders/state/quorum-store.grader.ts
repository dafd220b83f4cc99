import fc from 'fast-check';
import type * as Impl from '../../../solutions/state/quorum-store.ts';
import { checkSchedules, defineGrader, show, type Scenario } from '../../engine/grader.ts';

type Module = typeof Impl;
type Config = readonly [n: number, w: number, r: number];
const describeConfig = ([n, w, r]: Config) => `${n} nodes (1-${n}), W = ${w}, R = ${r}`;

function read(s: Scenario, db: Impl.QuorumDB, key: string): Impl.ReadResult {
  try {
    return db.read(key);
  } catch (error) {
    return s.fail(`read("${key}") to return a result`, `it threw ${String(error)}`);
  }
}

const showRead = (r: Impl.ReadResult) => (r?.status === 'success' ? `success with ${show(r.value)}` : show(r));

type Step = { readonly op: 'write'; readonly key: string } | { readonly op: 'read'; readonly key: string } | { readonly op: 'fail' | 'recover'; readonly node: number };
const keys = ['a', 'b'] as const;
const configs: readonly Config[] = [[3, 2, 2], [5, 3, 3], [5, 3, 2], [5, 4, 2], [5, 2, 4], [4, 3, 2], [5, 5, 1], [5, 1, 5]];
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('write' as const), key: fc.constantFrom(...keys) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('read' as const), key: fc.constantFrom(...keys) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constantFrom('fail' as const, 'recover' as const), node: fc.integer({ min: 1, max: 5 }) }), weight: 2 },
);

export default defineGrader<Module>({
  requiredExports: ['QuorumDB'],
  requirements: [
    {
      id: 'quorum-settings',
      title: 'W + R > N is reported as strongly consistent and W + R <= N as not; W or R outside 1..N, or not a whole number, is refused with a RangeError',
      kind: 'behaviour',
      check: ({ impl, scenario }) => {
        for (const [config, strong] of [[[5, 3, 2], false], [[5, 3, 3], true], [[3, 2, 2], true], [[3, 1, 2], false], [[3, 3, 1], true], [[5, 1, 5], true]] as const) {
          const s = scenario(describeConfig(config));
          s.step('isStronglyConsistent()');
          s.expectEqual(new impl.QuorumDB(config[0], config[1], config[2]).isStronglyConsistent(), strong, `isStronglyConsistent() (W + R = ${config[1] + config[2]}, N = ${config[0]})`);
        }
        for (const config of [[3, 4, 2], [3, 2, 0], [3, 0, 2], [5, 3, 6], [3, 1.5, 2], [3, 2, 2.5], [3, Number.NaN, 2], [3, 2, Number.NaN]] as const) {
          const s = scenario(`new QuorumDB(${config.join(', ')})`);
          let threw: unknown;
          try {
            new impl.QuorumDB(config[0], config[1], config[2]);
          } catch (error) {
            threw = error;
          }
          s.expect(threw instanceof RangeError, 'a RangeError: a quorum is a whole number between 1 and N', threw === undefined ? 'it was built' : `it threw ${String(threw)}`);
        }
      },
    },
    {
      id: 'gauntlet-2',
      title: '5 replicas, W = 3, R = 2: with 2 down writes and reads work; with 3 down writes are refused and reads still work; with 4 down reads are refused; W + R = N is not strongly consistent',
      kind: 'safety',
      check: ({ impl, scenario }) => {
        const s = scenario(describeConfig([5, 3, 2]) + '; all nodes up');
        const db = new impl.QuorumDB(5, 3, 2);
        s.step('write("balance", "100")');
        s.expectEqual(db.write('balance', '100'), 'success', 'the write');
        s.step('nodes 1 and 2 fail; write("balance", "95"); read("balance")');
        db.failNode(1);
        db.failNode(2);
        s.expectEqual(db.write('balance', '95'), 'success', 'the write with 3 nodes up');
        s.expectEqual(showRead(read(s, db, 'balance')), showRead({ status: 'success', value: '95' }), 'the read', String);
        s.step('node 3 fails too; write("balance", "90"); read("other") (never written)');
        db.failNode(3);
        s.expectEqual(db.write('balance', '90'), 'insufficient_replicas', 'the write with only 2 nodes up (W = 3)');
        s.expectEqual(showRead(read(s, db, 'other')), showRead({ status: 'success', value: undefined }), 'the read of a key nobody holds (2 empty replies meet R = 2)', String);
        s.step('node 4 fails too; read("balance")');
        db.failNode(4);
        s.expectEqual(showRead(read(s, db, 'balance')), showRead({ status: 'insufficient_replicas' }), 'the read with 1 node up (R = 2)', String);
        s.step('isStronglyConsistent()');
        s.expectEqual(db.isStronglyConsistent(), false, 'isStronglyConsistent() (W + R = 5 is not more than N = 5: a read may miss the last write)');
      },
    },
    {
      id: 'newest-of-replies',
      title: 'A read returns the newest value among its R replies, wherever it sits among them',
      kind: 'safety',
      check: ({ impl, scenario }) => {
        for (let stale = 1; stale <= 3; stale++) {
          const s = scenario(describeConfig([3, 2, 2]) + '; all nodes up');
          const db = new impl.QuorumDB(3, 2, 2);
          s.step('write("k", "v1") (all up)');
          db.write('k', 'v1');
          s.step(`node ${stale} fails; write("k", "v2"); node ${stale} recovers (it still holds "v1"); the other ${stale === 3 ? 'node 1' : 'node 3'} fails; read("k")`);
          db.failNode(stale);
          s.expectEqual(db.write('k', 'v2'), 'success', 'the write with 2 nodes up');
          db.recoverNode(stale);
          const other = stale === 3 ? 1 : 3;
          db.failNode(other);
          s.expectEqual(showRead(read(s, db, 'k')), showRead({ status: 'success', value: 'v2' }), 'the read', String);
        }
        const s = scenario(describeConfig([3, 2, 2]) + '; nodes 2 and 3 down');
        const db = new impl.QuorumDB(3, 2, 2);
        db.failNode(2);
        db.failNode(3);
        s.step('write("k", "failed") reaches only node 1 and is refused; node 1 fails, nodes 2 and 3 recover; write("k", "ok")');
        s.expectEqual(db.write('k', 'failed'), 'insufficient_replicas', 'the first write (1 node up, W = 2)');
        db.failNode(1);
        db.recoverNode(2);
        db.recoverNode(3);
        s.expectEqual(db.write('k', 'ok'), 'success', 'the second write');
        s.step('node 1 recovers (it still holds "failed"); read("k")');
        db.recoverNode(1);
        s.expectEqual(showRead(read(s, db, 'k')), showRead({ status: 'success', value: 'ok' }), 'the read ("ok" was written after "failed": every write attempt needs its own, larger version)', String);
      },
    },
    {
      id: 'failed-write-stays',
      title: 'A refused write stays on the nodes that stored it (there is no rollback): a later read that asks them returns it',
      kind: 'behaviour',
      check: ({ impl, scenario }) => {
        for (const [n, w, r] of [[3, 3, 1], [5, 5, 2]] as const) {
          const s = scenario(describeConfig([n, w, r]) + '; all nodes up');
          const db = new impl.QuorumDB(n, w, r);
          s.step('write("k", "old")');
          s.expectEqual(db.write('k', 'old'), 'success', 'the write with every node up');
          s.step(`node ${n} fails; write("k", "new") reaches the ${n - 1} live nodes, one short of W = ${w}`);
          db.failNode(n);
          s.expectEqual(db.write('k', 'new'), 'insufficient_replicas', `the write with ${n - 1} nodes up`);
          s.step(`read("k") (R = ${r}; every live node stored "new")`);
          s.expectEqual(showRead(read(s, db, 'k')), showRead({ status: 'success', value: 'new' }), 'the read (the refused write was stored and is newer: nothing takes it back)', String);
        }
      },
    },
    {
      id: 'down-node-stores-nothing',
      title: 'A node that is down while a write happens stores nothing of it: after it recovers it still answers with what it held before',
      kind: 'behaviour',
      check: ({ impl, scenario }) => {
        for (const before of [undefined, 'old'] as const) {
          const s = scenario(describeConfig([3, 1, 1]) + '; all nodes up');
          const db = new impl.QuorumDB(3, 1, 1);
          if (before !== undefined) {
            s.step('write("k", "old") with every node up');
            s.expectEqual(db.write('k', 'old'), 'success', 'the write');
          }
          s.step('node 1 fails; write("k", "new"); node 1 recovers, nodes 2 and 3 fail; read("k") (node 1 is the only node up)');
          db.failNode(1);
          s.expectEqual(db.write('k', 'new'), 'success', 'the write with nodes 2 and 3 up');
          db.recoverNode(1);
          db.failNode(2);
          db.failNode(3);
          s.expectEqual(showRead(read(s, db, 'k')), showRead({ status: 'success', value: before }), `the read (node 1 was down during the write: it holds ${before === undefined ? 'nothing' : '"old"'}, and W + R = 2 is not more than N = 3)`, String);
        }
      },
    },
    {
      id: 'random-failures',
      title: 'Under random failures and recoveries: a write succeeds exactly when W nodes are up, a read is refused exactly when fewer than R are up, and (W + R > N) a read returns the last successful write or a newer one',
      kind: 'safety',
      randomised: true,
      check: (ctx) =>
        checkSchedules(ctx, fc.record({ config: fc.constantFrom(...configs), steps: fc.array(stepArb, { maxLength: 25 }) }), ({ config, steps }) => {
          const [n, w, r] = config;
          const s = ctx.scenario(describeConfig(config) + '; all nodes up');
          const db = new ctx.impl.QuorumDB(n, w, r);
          const up = new Set(Array.from({ length: n }, (_, i) => i + 1));
          const order = new Map<string, number>();
          const lastOk = new Map<string, number>();
          let seq = 0;
          for (const step of steps) {
            if (step.op === 'fail' || step.op === 'recover') {
              const node = ((step.node - 1) % n) + 1;
              s.step(`node ${node} ${step.op === 'fail' ? 'fails' : 'recovers'}`);
              if (step.op === 'fail') {
                db.failNode(node);
                up.delete(node);
              } else {
                db.recoverNode(node);
                up.add(node);
              }
            } else if (step.op === 'write') {
              const value = `${step.key}${++seq}`;
              order.set(value, seq);
              s.step(`write("${step.key}", "${value}") with ${up.size} node(s) up`);
              const got = db.write(step.key, value);
              s.expectEqual(got, up.size >= w ? 'success' : 'insufficient_replicas', `the write's result (W = ${w})`);
              if (got === 'success') lastOk.set(step.key, seq);
            } else {
              const key = (step as { readonly key: string }).key;
              s.step(`read("${key}") with ${up.size} node(s) up`);
              const got = read(s, db, key);
              if (up.size < r) {
                s.expect(got?.status === 'insufficient_replicas', `the read to be refused (R = ${r})`, () => `it returned ${showRead(got)}`);
                continue;
              }
              s.expect(got?.status === 'success', 'the read to succeed', () => `it returned ${showRead(got)}`);
              const floor = lastOk.get(key);
              const at = got.status === 'success' && got.value !== undefined ? order.get(got.value) : undefined;
              if (floor !== undefined) {
                s.expect(at !== undefined && at >= floor && got.status === 'success' && got.value!.startsWith(key), `the read to return "${key}${floor}" (the last successful write) or a newer write`, () => `it returned ${showRead(got)}`);
              } else {
                s.expect(at === undefined ? got.status === 'success' && got.value === undefined : got.status === 'success' && got.value!.startsWith(key), `the read to return undefined or a value written to "${key}"`, () => `it returned ${showRead(got)}`);
              }
            }
          }
        }),
    },
  ],
});
