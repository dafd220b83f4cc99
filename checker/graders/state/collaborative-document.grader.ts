import fc from 'fast-check';
import type * as Impl from '../../../solutions/state/collaborative-document.ts';
import { defineGrader, show, type GradeContext, type Scenario } from '../../engine/grader.ts';
import { convergesRequirement, mergeLawsRequirement, type CrdtSpec, type OpRecord } from './crdt-histories.ts';

type Module = typeof Impl;
type Doc = Impl.DocumentCRDT;
/** `at` in [0, 1) picks a position in whatever text the replica has; `size` is 1 or 2 characters. */
type Edit = { readonly insert: boolean; readonly at: number; readonly size: number };
interface Done {
  readonly inserted: string;
  readonly deleted: string;
  readonly position: number;
}

/** Every typed character is unique in a history, so a character names the element it is. */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function text(doc: Doc, s: Scenario, got: unknown = doc.getText()): string {
  if (typeof got !== 'string') s.fail(`${doc.nodeId}'s getText() to return a string`, `it returned ${show(got)}`);
  return got as string;
}

/**
 * `next`: the number of the next character to type. `told`: the text `describe` read from a replica
 * just before `apply` edits it, so that `apply` need not read it again (reading the text is what
 * a document does most slowly, and nothing happens to the replica in between).
 */
interface HistoryEnv {
  next: number;
  told?: { readonly doc: Doc; readonly text: unknown };
}

function spec(ctx: GradeContext<Module>): CrdtSpec<Doc, Edit, HistoryEnv> {
  return {
    replicas: ['ada', 'ben', 'cy'],
    payload: fc.record({ insert: fc.boolean(), at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), size: fc.integer({ min: 1, max: 2 }) }),
    env: () => ({ next: 0 }),
    create: (_env, name) => new ctx.impl.DocumentCRDT(name),
    apply: (env, doc, record, _seen, s) => {
      const told = env.told?.doc === doc ? env.told : undefined;
      env.told = undefined;
      const before = told ? text(doc, s, told.text) : text(doc, s);
      const done = plan(record.payload, before, env.next);
      env.next += done.inserted.length;
      record.info = done;
      if (record.payload.insert) {
        doc.insertText(done.position, done.inserted);
        const want = before.slice(0, done.position) + done.inserted + before.slice(done.position);
        if (text(doc, s) !== want) s.fail(`${doc.nodeId}'s text to be "${want}" right after insertText(${done.position}, "${done.inserted}") on "${before}"`, `it was "${text(doc, s)}"`);
      } else {
        doc.deleteText(done.position, done.deleted.length);
        const want = before.slice(0, done.position) + before.slice(done.position + done.deleted.length);
        if (text(doc, s) !== want) s.fail(`${doc.nodeId}'s text to be "${want}" right after deleteText(${done.position}, ${done.deleted.length}) on "${before}"`, `it was "${text(doc, s)}"`);
      }
    },
    describe: (r, doc, env) => {
      const before: unknown = doc.getText();
      env.told = { doc, text: before };
      const done = plan(r.payload, typeof before === 'string' ? before : '', env.next);
      if (done.inserted) return `${r.replica} types "${done.inserted}" at position ${done.position} (insertText(${done.position}, "${done.inserted}"))`;
      return done.deleted ? `${r.replica} deletes "${done.deleted}" (deleteText(${done.position}, ${done.deleted.length}))` : `${r.replica} deletes nothing (deleteText(0, 0): its text is empty)`;
    },
    merge: (into, from) => {
      into.merge(from);
      return into;
    },
    observe: (doc) => doc.getText(),
    expected: (seen) => [...present(seen)].sort().join(''),
    verify: (observed, seen) => {
      const want = present(seen);
      const got = typeof observed === 'string' ? observed : '';
      const sorted = [...got].sort().join('');
      const wantSorted = [...want].sort().join('');
      return typeof observed === 'string' && sorted === wantSorted && new Set(got).size === got.length
        ? undefined
        : `some order of the characters typed and not deleted in the edits it has seen: ${show(wantSorted)}`;
    },
    crossCheck: (observations) => {
      const texts = observations.map((o) => (typeof o === 'string' ? o : ''));
      for (let i = 0; i < texts.length; i++) {
        for (let j = i + 1; j < texts.length; j++) {
          const [a, b] = [texts[i]!, texts[j]!];
          const aOnB = [...a].filter((c) => b.includes(c)).join('');
          const bOnA = [...b].filter((c) => a.includes(c)).join('');
          if (aOnB !== bOnA) return `two replicas show shared characters in different orders: "${a}" and "${b}" (shared: "${aOnB}" vs "${bOnA}")`;
        }
      }
      return undefined;
    },
    observed: 'getText()',
  };
}

/** Letters and digits first; long histories go on into CJK characters, still one per element. */
function charNumber(n: number): string {
  return n < ALPHABET.length ? ALPHABET[n]! : String.fromCodePoint(0x4e00 + n);
}

/** What an edit does to a replica showing `before`, typing fresh characters from number `next` on. */
function plan({ insert, at, size }: Edit, before: string, next: number): Done {
  if (insert) {
    let chars = '';
    for (let i = 0; i < size; i++) chars += charNumber(next + i);
    return { inserted: chars, deleted: '', position: Math.floor(at * (before.length + 1)) };
  }
  const position = Math.floor(at * before.length);
  return { inserted: '', deleted: before.slice(position, position + Math.min(size, before.length - position)), position };
}

/** Characters typed in these edits that none of them deleted. */
function present(seen: readonly OpRecord<Edit>[]): Set<string> {
  const chars = new Set<string>();
  for (const r of seen) for (const c of (r.info as Done).inserted) chars.add(c);
  for (const r of seen) for (const c of (r.info as Done).deleted) chars.delete(c);
  return chars;
}

export default defineGrader<Module>({
  requiredExports: ['DocumentCRDT'],
  requirements: [
    {
      id: 'local-editing',
      title: 'On one replica the document behaves like a string: inserts and deletes at positions, bad positions refused',
      kind: 'behaviour',
      check: ({ impl, scenario }) => {
        const s = scenario('a DocumentCRDT for ada, empty');
        const doc = new impl.DocumentCRDT('ada');
        const steps: [string, () => void, string][] = [
          ['insertText(0, "hello")', () => doc.insertText(0, 'hello'), 'hello'],
          ['insertText(5, " world")', () => doc.insertText(5, ' world'), 'hello world'],
          ['insertText(0, ">")', () => doc.insertText(0, '>'), '>hello world'],
          ['deleteText(0, 1)', () => doc.deleteText(0, 1), 'hello world'],
          ['insertText(5, ",")', () => doc.insertText(5, ','), 'hello, world'],
          ['deleteText(5, 7)', () => doc.deleteText(5, 7), 'hello'],
          ['insertText(2, "LL")', () => doc.insertText(2, 'LL'), 'heLLllo'],
          ['deleteText(2, 3)', () => doc.deleteText(2, 3), 'helo'],
          ['insertText(3, "l")', () => doc.insertText(3, 'l'), 'hello'],
        ];
        for (const [what, run, want] of steps) {
          s.step(what);
          run();
          s.expectEqual(text(doc, s), want, 'getText()');
        }
        for (const [what, run] of [['insertText(6, "x")', () => doc.insertText(6, 'x')], ['insertText(-1, "x")', () => doc.insertText(-1, 'x')], ['deleteText(3, 3)', () => doc.deleteText(3, 3)], ['deleteText(-1, 1)', () => doc.deleteText(-1, 1)]] as const) {
          s.step(what);
          let threw: unknown;
          try {
            run();
          } catch (error) {
            threw = error;
          }
          s.expect(threw instanceof RangeError, 'a RangeError (outside "hello")', threw === undefined ? 'it returned normally' : `it threw ${String(threw)}`);
          s.expectEqual(text(doc, s), 'hello', 'getText() after the refused edit');
        }
        const empty = new impl.DocumentCRDT('eve');
        for (const [what, run] of [['insertText(1, "x")', () => empty.insertText(1, 'x')], ['deleteText(0, 1)', () => empty.deleteText(0, 1)]] as const) {
          s.step(`a new, empty DocumentCRDT eve: ${what}`);
          let threw: unknown;
          try {
            run();
          } catch (error) {
            threw = error;
          }
          s.expect(threw instanceof RangeError, 'a RangeError (the empty text has only position 0)', threw === undefined ? 'it returned normally' : `it threw ${String(threw)}`);
          s.expectEqual(text(empty, s), '', "eve's getText() after the refused edit");
        }
      },
    },
    {
      id: 'concurrent-edits-merge',
      title: 'Concurrent edits on two replicas both survive the merge, each in its place (equal counters ordered by the larger node id first), and both replicas show the same text',
      kind: 'safety',
      check: ({ impl, scenario }) => {
        const s = scenario('DocumentCRDTs ada and ben, empty');
        const ada = new impl.DocumentCRDT('ada');
        const ben = new impl.DocumentCRDT('ben');
        s.step('ada types "The cat" and ben merges ada; then ada types " sat" at 7 while ben types "black " at 4 and deletes "The " (0, 4)');
        ada.insertText(0, 'The cat');
        ben.merge(ada);
        ada.insertText(7, ' sat');
        ben.insertText(4, 'black ');
        ben.deleteText(0, 4);
        s.expectEqual([text(ada, s), text(ben, s)], ['The cat sat', 'black cat'], 'the texts before merging');
        s.step('ada merges ben, ben merges ada');
        ada.merge(ben);
        ben.merge(ada);
        s.expectEqual([text(ada, s), text(ben, s)], ['black cat sat', 'black cat sat'], 'the texts after merging');
        s.step('both type at position 0 concurrently: ada "A", ben "B"; they merge both ways');
        ada.insertText(0, 'A');
        ben.insertText(0, 'B');
        ada.merge(ben);
        ben.merge(ada);
        const [x, y] = [text(ada, s), text(ben, s)];
        // Both "A" and "B" have counter 14 (13 was the largest either had seen), so the node id breaks the tie: ben > ada, larger id first.
        s.expect(x === 'BAblack cat sat' && y === x, 'both to show "BAblack cat sat": equal counters, so the larger node id ("ben") comes first', `ada shows "${x}", ben shows "${y}"`);
      },
    },
    {
      id: 'merge-laws',
      title: 'Document merge is commutative, associative and idempotent on states reached by random edit histories',
      kind: 'safety',
      randomised: true,
      check: (ctx) => mergeLawsRequirement(spec(ctx))(ctx),
    },
    {
      id: 'converges',
      title: 'Under random inserts, deletes and merges: each replica shows exactly the characters typed and not deleted in the edits it has seen, replicas never order shared characters differently, and all show the same text once they exchange state',
      kind: 'safety',
      randomised: true,
      check: (ctx) => convergesRequirement(spec(ctx))(ctx),
    },
  ],
});
