import fc from 'fast-check';
import type * as Impl from '../../../solutions/state/multi-leader.ts';
import { checkSchedules, defineGrader, sameShown, show, type Scenario } from '../../engine/grader.ts';

type Module = typeof Impl;
const leaders = ['us', 'eu', 'asia'] as const;
const keys = ['cart', 'email'] as const;

type Step = { readonly op: 'write'; readonly at: number; readonly key: string } | { readonly op: 'sync'; readonly from: number; readonly to: number };
const index = fc.integer({ min: 0, max: leaders.length - 1 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('write' as const), at: index, key: fc.constantFrom(...keys) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('sync' as const), from: index, to: index }), weight: 2 },
);

interface Write {
  readonly id: number;
  readonly key: string;
  readonly value: string;
  /** Writes to the same key its leader had seen when it was made. */
  readonly past: ReadonlySet<number>;
}

function expectHolds(s: Scenario, db: Impl.MultiLeaderDB, leader: string, key: string, want: string[], why: string): void {
  const got = db.read(leader, key);
  if (!sameShown(got, want)) s.fail(`${leader}'s read("${key}") to be ${show(want)} (${why})`, `it was ${show(got)}`);
}

export default defineGrader<Module>({
  requiredExports: ['MultiLeaderDB'],
  requirements: [
    {
      id: 'sequential-no-conflict',
      title: 'A write made after syncing replaces the older one everywhere, with no conflict reported',
      kind: 'safety',
      check: ({ impl, scenario }) => {
        const s = scenario('leaders us and eu, nothing written');
        const db = new impl.MultiLeaderDB(['us', 'eu']);
        s.step('us writes email = "a@x"; sync us -> eu; eu writes email = "b@x"; sync eu -> us');
        db.write('us', 'email', 'a@x');
        db.sync('us', 'eu');
        expectHolds(s, db, 'eu', 'email', ['a@x'], 'synced from us');
        db.write('eu', 'email', 'b@x');
        db.sync('eu', 'us');
        expectHolds(s, db, 'us', 'email', ['b@x'], 'eu\'s write was made after seeing "a@x"');
        s.expectEqual([db.conflicts('us'), db.conflicts('eu')], [[], []], '[conflicts("us"), conflicts("eu")]');
        s.step('sync us -> eu again (eu already has everything)');
        db.sync('us', 'eu');
        expectHolds(s, db, 'eu', 'email', ['b@x'], 'nothing new arrived');
      },
    },
    {
      id: 'concurrent-detected',
      title: 'Two leaders writing the same key without syncing: both keep both values as siblings and report the key; a later write resolves it everywhere',
      kind: 'safety',
      check: ({ impl, scenario }) => {
        const s = scenario('leaders us, eu and asia, nothing written');
        const db = new impl.MultiLeaderDB([...leaders]);
        s.step('us writes cart = "laptop,mouse"; eu writes cart = "keyboard"; eu writes email = "e@x"; sync us -> eu and eu -> us');
        db.write('us', 'cart', 'laptop,mouse');
        db.write('eu', 'cart', 'keyboard');
        db.write('eu', 'email', 'e@x');
        db.sync('us', 'eu');
        db.sync('eu', 'us');
        for (const leader of ['us', 'eu']) {
          expectHolds(s, db, leader, 'cart', ['keyboard', 'laptop,mouse'], 'two concurrent writes: siblings');
          s.expectEqual(db.conflicts(leader), ['cart'], `conflicts("${leader}") (email was written once)`);
        }
        s.step('sync eu -> asia twice; asia writes cart = "keyboard,laptop,mouse" (after seeing both); sync asia -> us and asia -> eu');
        db.sync('eu', 'asia');
        db.sync('eu', 'asia');
        expectHolds(s, db, 'asia', 'cart', ['keyboard', 'laptop,mouse'], 'the same two siblings, each once');
        db.write('asia', 'cart', 'keyboard,laptop,mouse');
        db.sync('asia', 'us');
        db.sync('asia', 'eu');
        for (const leader of leaders) {
          expectHolds(s, db, leader, 'cart', ['keyboard,laptop,mouse'], 'the write made after seeing both siblings replaces them');
          s.expectEqual(db.conflicts(leader), [], `conflicts("${leader}")`);
        }
        s.step('us and eu both write note = "same" without syncing (equal values, written concurrently); sync us -> eu');
        db.write('us', 'note', 'same');
        db.write('eu', 'note', 'same');
        db.sync('us', 'eu');
        s.expectEqual(db.conflicts('eu'), ['note'], 'conflicts("eu") (neither write knew of the other: a conflict, whatever the values)');
      },
    },
    {
      id: 'per-version-clocks',
      title: 'A newer write replaces only the sibling it saw: the concurrent one stays',
      kind: 'safety',
      check: ({ impl, scenario }) => {
        const s = scenario('leaders us, eu and asia, nothing written');
        const db = new impl.MultiLeaderDB([...leaders]);
        s.step('us writes cart = "v1"; sync us -> eu; asia writes cart = "x" (concurrently); sync asia -> eu (eu: siblings "v1" and "x")');
        db.write('us', 'cart', 'v1');
        db.sync('us', 'eu');
        db.write('asia', 'cart', 'x');
        db.sync('asia', 'eu');
        expectHolds(s, db, 'eu', 'cart', ['v1', 'x'], 'concurrent writes');
        s.step('us writes cart = "v2" (it has seen "v1", not "x"); sync us -> eu');
        db.write('us', 'cart', 'v2');
        db.sync('us', 'eu');
        expectHolds(s, db, 'eu', 'cart', ['v2', 'x'], '"v2" replaces "v1", which it saw; "x" is still concurrent with it');
      },
    },
    {
      id: 'random-histories',
      title: 'Under random writes and one-way syncs, every leader holds exactly the writes no write it has seen replaced, reports conflicts exactly where there are several, and all agree once they have synced',
      kind: 'safety',
      randomised: true,
      check: (ctx) =>
        checkSchedules(ctx, fc.array(stepArb, { maxLength: 25 }), (steps) => {
          const s = ctx.scenario(`leaders ${leaders.join(', ')}, nothing written`);
          const db = new ctx.impl.MultiLeaderDB([...leaders]);
          const writes: Write[] = [];
          const seen = leaders.map(() => new Set<number>());
          const expected = (i: number, key: string) => {
            const known = writes.filter((w) => w.key === key && seen[i]!.has(w.id));
            return known.filter((w) => !known.some((o) => o.past.has(w.id))).map((w) => w.value).sort();
          };
          const checkLeader = (i: number, why: string) => {
            const wanted = keys.map((key) => expected(i, key));
            keys.forEach((key, k) => expectHolds(s, db, leaders[i]!, key, wanted[k]!, why));
            const want = keys.filter((_, k) => wanted[k]!.length > 1);
            s.expectEqual(db.conflicts(leaders[i]!), want, `conflicts("${leaders[i]}")`);
          };
          for (const step of steps) {
            if (step.op === 'write') {
              const value = `${step.key}${writes.length + 1}`;
              s.step(`${leaders[step.at]} writes ${step.key} = "${value}"`);
              const past = new Set(writes.filter((w) => w.key === step.key && seen[step.at]!.has(w.id)).map((w) => w.id));
              writes.push({ id: writes.length + 1, key: step.key, value, past });
              seen[step.at]!.add(writes.length);
              db.write(leaders[step.at]!, step.key, value);
              checkLeader(step.at, 'the versions no write it has seen replaced');
            } else {
              s.step(`sync ${leaders[step.from]} -> ${leaders[step.to]}`);
              db.sync(leaders[step.from]!, leaders[step.to]!);
              for (const id of seen[step.from]!) seen[step.to]!.add(id);
              checkLeader(step.to, 'the versions no write it has seen replaced');
              checkLeader(step.from, 'a sync leaves its source unchanged');
            }
          }
          s.step('every leader syncs to us, then us syncs to every leader');
          for (const i of [1, 2]) db.sync(leaders[i]!, 'us');
          for (const i of [1, 2]) db.sync('us', leaders[i]!);
          for (const i of [0, 1, 2]) for (const id of writes.keys()) seen[i]!.add(id + 1);
          for (const i of [0, 1, 2]) checkLeader(i, 'every write has reached every leader');
        }),
    },
  ],
});
