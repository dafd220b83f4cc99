import fc from 'fast-check';
import type * as Impl from '../../../solutions/state/lww-register.ts';
import { defineGrader, show, type GradeContext, type Scenario } from '../../engine/grader.ts';
import type { SimClock } from '../../engine/sim-clock.ts';
import { convergesRequirement, mergeLawsRequirement, type CrdtSpec, type OpRecord } from './crdt-histories.ts';

type Module = typeof Impl;
type Register = Impl.LWWRegister<string>;
/** Before the write, the clock moves by `advance` ms (mostly not at all: ties are the point). */
type SetOp = { readonly advance: number };
interface Written {
  readonly timestamp: number;
  readonly writer: string;
  readonly value: string;
}

/** Just below 10 000: histories cross it, so timestamps change their number of digits on the way. */
const START = 9_995;

function winner(writes: readonly Written[]): Written | undefined {
  let best: Written | undefined;
  for (const w of writes) if (!best || w.timestamp > best.timestamp || (w.timestamp === best.timestamp && w.writer > best.writer)) best = w;
  return best;
}

function spec(ctx: GradeContext<Module>): CrdtSpec<Register, SetOp, SimClock> {
  return {
    replicas: ['laptop', 'phone', 'tablet'],
    payload: fc.record({ advance: fc.constantFrom(0, 0, 0, 1, 2) }),
    env: () => {
      const clock = ctx.simClock();
      clock.advanceSync(START);
      return clock;
    },
    create: (clock, name) => new ctx.impl.LWWRegister<string>(name, clock),
    apply: (clock, register, record, seen, s) => {
      clock.advanceSync(record.payload.advance);
      const value = `v${record.id}`;
      const timestamp = register.set(value);
      const newestSeen = Math.max(0, ...seen.map((r) => (r.info as Written).timestamp));
      s.expect(
        typeof timestamp === 'number' && timestamp >= clock.now() && timestamp > newestSeen,
        `set to return a timestamp at least the clock's ${clock.now()} and above ${newestSeen}, the newest timestamp ${record.replica} has seen`,
        () => `it returned ${show(timestamp)}`,
      );
      record.info = { timestamp, writer: record.replica, value } satisfies Written;
    },
    describe: (r) => `${r.payload.advance ? `the clock moves ${r.payload.advance} ms; ` : ''}${r.replica} sets "v${r.id}"`,
    merge: (into, from) => {
      into.merge(from);
      return into;
    },
    observe: (register) => register.get(),
    expected: (seen: readonly OpRecord<SetOp>[]) => winner(seen.map((r) => r.info as Written))?.value ?? null,
    observed: 'get()',
  };
}

function expectValue(s: Scenario, register: Register, want: string | null, why: string): void {
  const got = register.get();
  s.expect(got === want, `${register.nodeId}'s get() to be ${show(want)} (${why})`, () => `it was ${show(got)}`);
}

export default defineGrader<Module>({
  requiredExports: ['LWWRegister'],
  requirements: [
    {
      id: 'later-write-wins',
      title: 'A profile field set on the phone, then 1 ms later on the laptop: after syncing both hold the laptop\'s value',
      kind: 'behaviour',
      check: ({ impl, simClock, scenario }) => {
        const clock = simClock();
        clock.advanceSync(START);
        const s = scenario(`LWW-Registers phone and laptop, nothing written; the clock reads ${START}`);
        const phone = new impl.LWWRegister<string>('phone', clock);
        const laptop = new impl.LWWRegister<string>('laptop', clock);
        expectValue(s, phone, null, 'nothing written yet');
        s.step('phone sets "john.doe.mobile@email.com"; the clock moves 1 ms; laptop sets "john.doe.laptop@email.com"');
        phone.set('john.doe.mobile@email.com');
        expectValue(s, phone, 'john.doe.mobile@email.com', 'its own write');
        clock.advanceSync(1);
        laptop.set('john.doe.laptop@email.com');
        s.step('phone merges laptop, laptop merges phone');
        phone.merge(laptop);
        laptop.merge(phone);
        expectValue(s, phone, 'john.doe.laptop@email.com', 'the later write');
        expectValue(s, laptop, 'john.doe.laptop@email.com', 'the later write');
        s.step('the clock moves 5 ms; phone sets "new@email.com"; laptop merges phone');
        clock.advanceSync(5);
        phone.set('new@email.com');
        laptop.merge(phone);
        expectValue(s, laptop, 'new@email.com', 'the later write');
      },
    },
    {
      id: 'writer-breaks-ties',
      title: 'Two writes with the same timestamp: every replica keeps the one by the larger writer id, whoever it hears it from',
      kind: 'safety',
      check: ({ impl, simClock, scenario }) => {
        const clock = simClock();
        clock.advanceSync(START);
        const s = scenario(`LWW-Registers laptop, phone and tablet; the clock reads ${START} and does not move`);
        const [laptop, phone, tablet] = ['laptop', 'phone', 'tablet'].map((n) => new impl.LWWRegister<string>(n, clock));
        s.step('phone sets "from-phone" and laptop sets "from-laptop" (same timestamp)');
        phone!.set('from-phone');
        laptop!.set('from-laptop');
        s.step('tablet merges laptop (tablet holds "from-laptop"); then phone merges tablet, and laptop merges phone');
        tablet!.merge(laptop!);
        expectValue(s, tablet!, 'from-laptop', 'the only write it has seen');
        phone!.merge(tablet!);
        laptop!.merge(phone!);
        expectValue(s, phone!, 'from-phone', 'the tie goes to the writer "phone" > "laptop", not to the sender "tablet"');
        expectValue(s, laptop!, 'from-phone', 'the tie goes to the writer "phone" > "laptop"');
        s.step('tablet merges laptop again');
        tablet!.merge(laptop!);
        expectValue(s, tablet!, 'from-phone', 'the same winner as everyone else');
      },
    },
    {
      id: 'own-write-after-merge-wins',
      title: 'A write made after merging in a value (even with the clock standing still, or behind) beats that value',
      kind: 'safety',
      check: ({ impl, simClock, scenario }) => {
        const fast = simClock();
        fast.advanceSync(START + 50);
        const slow = simClock();
        slow.advanceSync(START);
        const s = scenario(`LWW-Registers tablet (its clock reads ${START + 50}) and laptop (its clock reads ${START}, 50 ms behind); no clock moves`);
        const tablet = new impl.LWWRegister<string>('tablet', fast);
        const laptop = new impl.LWWRegister<string>('laptop', slow);
        s.step('tablet sets "old"; laptop merges tablet, then sets "new"');
        tablet.set('old');
        laptop.merge(tablet);
        const ts = laptop.set('new');
        expectValue(s, laptop, 'new', 'its own latest write');
        s.expect(ts > START + 50, `set to return a timestamp above ${START + 50}, the timestamp of "old"`, `it returned ${show(ts)}`);
        s.step('tablet merges laptop; laptop merges tablet');
        tablet.merge(laptop);
        laptop.merge(tablet);
        expectValue(s, tablet, 'new', '"new" was written after "old" was seen');
        expectValue(s, laptop, 'new', 'nothing newer exists');
      },
    },
    {
      id: 'merge-laws',
      title: 'LWW-Register merge is commutative, associative and idempotent on states reached by random histories',
      kind: 'safety',
      randomised: true,
      check: (ctx) => mergeLawsRequirement(spec(ctx))(ctx),
    },
    {
      id: 'converges',
      title: 'Under random writes (many with equal timestamps) and merges, every replica holds the write with the largest (timestamp, writer) it has seen, after every step, and all agree once they exchange state',
      kind: 'safety',
      randomised: true,
      check: (ctx) => convergesRequirement(spec(ctx))(ctx),
    },
  ],
});
