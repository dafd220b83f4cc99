import fc from 'fast-check';
import type * as Impl from '../../../../solutions/state/debugging/empty-quorum-read.ts';
import { defineGrader, checkSchedules, type GradeContext, type Scenario } from '../../../engine/grader.ts';

type Mod = typeof Impl;
type Node = Impl.StorageNode;
const K = 'address';

const showRead = (r: Impl.ReadResult | undefined): string =>
  r === undefined ? 'nothing' : r.status === 'ok' ? `ok: ${r.value === undefined ? 'no value' : `"${r.value}"`} (version ${r.version})` : r.status === 'insufficient_replicas' ? '"insufficient_replicas"' : JSON.stringify(r);

/** Reads, turning a crash into a failed expectation that names it. */
function read(s: Scenario, store: Impl.QuorumStore, what: string): Impl.ReadResult {
  s.step(what);
  try {
    return store.read(K);
  } catch (error) {
    return s.fail('the read to answer (a value or "insufficient_replicas")', `it threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
}

function cluster(ctx: GradeContext<Mod>, n: number, w: number, r: number) {
  const nodes = Array.from({ length: n }, (_, i) => new ctx.impl.StorageNode(`n${i + 1}`));
  // The grader reads its own list of the nodes again: the store gets a list of its own.
  return { nodes, store: new ctx.impl.QuorumStore([...nodes], w, r) };
}

const setUp = (nodes: readonly Node[], up: readonly boolean[]): void => nodes.forEach((node, i) => void (node.up = up[i]!));
const upList = (nodes: readonly Node[]): string => {
  const up = nodes.filter((n) => n.up).map((n) => n.id);
  return up.length === 0 ? 'every node down' : up.length === nodes.length ? 'every node up' : `only ${up.join(', ')} up`;
};

/** N=3, W=2, R=2: "old" on n1, n2; then "new" on n2, n3 while n1 was down. */
function chapter(ctx: GradeContext<Mod>, s: Scenario) {
  const { nodes, store } = cluster(ctx, 3, 2, 2);
  s.step('write "old" with every node up (version 1, stored on n1 and n2)');
  s.expect(store.write(K, 'old') === 'success', 'the write to succeed', 'it did not');
  setUp(nodes, [false, true, true]);
  s.step('n1 goes down; write "new" (version 2, stored on n2 and n3)');
  s.expect(store.write(K, 'new') === 'success', 'the write to succeed with n2 and n3', 'it did not');
  return { nodes, store };
}

const configs = [
  { n: 3, w: 2, r: 2 }, { n: 3, w: 3, r: 1 }, { n: 3, w: 1, r: 3 },
  { n: 5, w: 3, r: 3 }, { n: 5, w: 4, r: 2 }, { n: 5, w: 2, r: 4 }, { n: 4, w: 3, r: 2 },
] as const;
type Op = { readonly kind: 'toggle'; readonly node: number } | { readonly kind: 'write' } | { readonly kind: 'read' };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('toggle' as const), node: fc.nat(4) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('write' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('read' as const) }) },
);
const historyArb = fc.record({ config: fc.constantFrom(...configs), ops: fc.array(opArb, { minLength: 1, maxLength: 30 }) });

export default defineGrader<Mod>({
  requiredExports: ['QuorumStore', 'StorageNode', 'NodeUnavailable'],
  requirements: [
    {
      id: 'refuses-read-below-r',
      title: 'With fewer than R nodes answering, a read says "insufficient_replicas" instead of a possibly stale value',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('Quorum store, N=3 (n1-n3), W=2, R=2');
        const { nodes, store } = chapter(ctx, s);
        setUp(nodes, [true, false, false]);
        const result = read(s, store, 'n1 comes back, n2 and n3 go down: read (only n1, holding "old", answers)');
        s.expect(result.status === 'insufficient_replicas', 'the read to answer "insufficient_replicas": 1 reply is below R=2',
          () => `it answered ${showRead(result)}${result.status === 'ok' && result.value === 'old' ? ': the old address, although "new" was confirmed' : ''}`);
      },
    },
    {
      id: 'no-replies-no-crash',
      title: 'With every node down, a read answers "insufficient_replicas" and does not crash',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('Quorum store, N=3 (n1-n3), W=2, R=2');
        const { nodes, store } = chapter(ctx, s);
        setUp(nodes, [false, false, false]);
        const result = read(s, store, 'every node goes down: read');
        s.expect(result.status === 'insufficient_replicas', 'the read to answer "insufficient_replicas"', () => `it answered ${showRead(result)}`);
      },
    },
    {
      id: 'read-with-exactly-r',
      title: 'With exactly R nodes up, a read answers the newest confirmed value',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('Quorum store, N=3 (n1-n3), W=2, R=2');
        const { nodes, store } = chapter(ctx, s);
        setUp(nodes, [true, false, true]);
        const result = read(s, store, 'n1 comes back, n2 goes down: read (n1 holds "old", n3 holds "new")');
        s.expect(result.status === 'ok' && result.value === 'new' && result.version === 2, 'the read to answer "new" (version 2): 2 replies are R',
          () => `it answered ${showRead(result)}`);
      },
    },
    {
      id: 'unknown-key-reads-nothing',
      title: 'A key nobody wrote reads as "ok, no value" when R nodes answer',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('Quorum store, N=3 (n1-n3), W=2, R=2, nothing written');
        const { store } = cluster(ctx, 3, 2, 2);
        const result = read(s, store, 'every node up: read a key nobody wrote');
        s.expect(result.status === 'ok' && result.value === undefined && result.version === 0, 'the read to answer ok with no value (version 0)',
          () => `it answered ${showRead(result)}`);
      },
    },
    {
      id: 'write-needs-w',
      title: 'A write succeeds with W nodes up and answers "insufficient_replicas" with fewer',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('Quorum store, N=5 (n1-n5), W=3, R=3');
        const { nodes, store } = cluster(ctx, 5, 3, 3);
        setUp(nodes, [false, true, false, true, true]);
        s.step('only n2, n4, n5 up: write "a"');
        const first = store.write(K, 'a');
        s.expect(first === 'success', 'the write to succeed with exactly 3 acknowledgements', () => `it answered "${first}"`);
        setUp(nodes, [false, true, false, false, true]);
        s.step('only n2, n5 up: write "b"');
        const second = store.write(K, 'b');
        s.expect(second === 'insufficient_replicas', 'the write to answer "insufficient_replicas" (2 < W=3)', () => `it answered "${second}"`);
      },
    },
    {
      id: 'random-histories',
      title: 'Under random failures, writes and reads (W + R > N), a read answers only with R replies, and then never older than the last confirmed write',
      kind: 'safety',
      randomised: true,
      check: (ctx) =>
        checkSchedules(ctx, historyArb, ({ config, ops }) => {
          const { n, w, r } = config;
          const s = ctx.scenario(`Quorum store, N=${n} (n1-n${n}), W=${w}, R=${r}, every node up`);
          const { nodes, store } = cluster(ctx, n, w, r);
          let version = 0;
          let confirmed = 0;
          const written = new Map<number, string>();
          for (const op of ops) {
            if (op.kind === 'toggle') {
              const node = nodes[op.node % n]!;
              node.up = !node.up;
              s.step(`${node.id} goes ${node.up ? 'up' : 'down'} (${upList(nodes)})`);
            } else if (op.kind === 'write') {
              const value = `v${++version}`;
              written.set(version, value);
              s.step(`write "${value}" (version ${version})`);
              const result = store.write(K, value);
              const up = nodes.filter((x) => x.up).length;
              s.expect(result === (up >= w ? 'success' : 'insufficient_replicas'),
                `the write to answer "${up >= w ? 'success' : 'insufficient_replicas'}" with ${up} node(s) up and W=${w}`, `it answered "${result}"`);
              if (result === 'success') confirmed = version;
            } else {
              const up = nodes.filter((x) => x.up).length;
              const result = read(s, store, `read (${upList(nodes)})`);
              if (up < r) {
                s.expect(result.status === 'insufficient_replicas', `"insufficient_replicas": ${up} node(s) up, below R=${r}`, () => `it answered ${showRead(result)}`);
              } else {
                s.expect(result.status === 'ok', `an answer: ${up} node(s) up, R=${r}`, () => `it answered ${showRead(result)}`);
                if (result.status !== 'ok') continue;
                s.expect(result.version >= confirmed && (result.version === 0 ? result.value === undefined : written.get(result.version) === result.value),
                  confirmed === 0 ? 'a value that was written (or none)' : `"${written.get(confirmed)}" (version ${confirmed}, the last confirmed write) or a newer written value`,
                  () => `it answered ${showRead(result)}`);
              }
            }
          }
        }),
    },
  ],
});
