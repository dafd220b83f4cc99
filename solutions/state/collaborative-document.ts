/**
 * Integration challenge: the text of a collaborative document as a CRDT (a replicated growable
 * array, RGA). Fill in every TODO, then run
 *   npm run exercise -- run state/collaborative-document
 *
 * Every character ever typed is an element with an id no other character will have
 * ([counter, nodeId], the counter a Lamport clock), remembers the element it was typed after, and
 * is never removed: a delete only marks it. Replicas merge by taking the union of elements and of
 * deletion marks, so merge is commutative, associative and idempotent, and the text is the same
 * wherever the same edits have arrived.
 */

/** [Lamport counter, node id]: unique, and ordered (counter first, node id on a tie). */
export type ElementId = readonly [counter: number, nodeId: string];

export interface Element {
  readonly id: ElementId;
  readonly char: string;
  /** The element this one was typed directly after; null for the start of the document. */
  readonly after: ElementId | null;
  deleted: boolean;
}

const key = (id: ElementId | null): string => (id ? `${id[0]}:${id[1]}` : 'start');

/** Positive when a is the larger id: a larger counter, or the same counter and a larger node id. */
export function compareIds(a: ElementId, b: ElementId): number {
  if (a[0] !== b[0]) return a[0] - b[0];
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

export class DocumentCRDT {
  // State is public so that another replica's merge can read it; only this class writes it.
  /** Every element ever typed here or merged in, by key(id). */
  readonly elements = new Map<string, Element>();
  /** The largest counter seen, here or in merged state (a Lamport clock). */
  counter = 0;

  constructor(readonly nodeId: string) {}

  /** The text: elements in document order, deleted ones left out. */
  getText(): string {
    return this.ordered()
      .filter((e) => !e.deleted)
      .map((e) => e.char)
      .join('');
  }

  /** Inserts `text` so that it starts at visible position `position` (0..length). */
  insertText(position: number, text: string): void {
    const visible = this.ordered().filter((e) => !e.deleted);
    if (!Number.isInteger(position) || position < 0 || position > visible.length) throw new RangeError(`position ${position} is outside 0..${visible.length}`);
    let after: ElementId | null = position === 0 ? null : visible[position - 1]!.id;
    for (const char of text) {
      // A new counter above everything seen: the new element sorts before older siblings.
      this.counter += 1;
      const id: ElementId = [this.counter, this.nodeId];
      this.elements.set(key(id), { id, char, after, deleted: false });
      after = id;
    }
  }

  /** Marks the `length` visible characters from `position` as deleted. */
  deleteText(position: number, length: number): void {
    const visible = this.ordered().filter((e) => !e.deleted);
    if (!Number.isInteger(position) || !Number.isInteger(length) || position < 0 || length < 0 || position + length > visible.length) {
      throw new RangeError(`cannot delete ${length} characters from position ${position} of ${visible.length}`);
    }
    for (const e of visible.slice(position, position + length)) e.deleted = true;
  }

  /** Takes in every element and every deletion mark of `other`; `other` is left unchanged. */
  merge(other: DocumentCRDT): void {
    for (const [k, e] of other.elements) {
      const mine = this.elements.get(k);
      if (mine) mine.deleted ||= e.deleted;
      else this.elements.set(k, { ...e });
    }
    this.counter = Math.max(this.counter, other.counter);
  }

  /**
   * Document order: depth first from the start, each element followed by the elements typed
   * after it, larger ids first (the later insert at the same place comes first).
   */
  ordered(): Element[] {
    const children = new Map<string, Element[]>();
    for (const e of this.elements.values()) {
      const list = children.get(key(e.after)) ?? [];
      list.push(e);
      children.set(key(e.after), list);
    }
    for (const list of children.values()) list.sort((a, b) => compareIds(b.id, a.id));
    const out: Element[] = [];
    const stack = [...(children.get('start') ?? [])].reverse();
    while (stack.length > 0) {
      const e = stack.pop()!;
      out.push(e);
      stack.push(...[...(children.get(key(e.id)) ?? [])].reverse());
    }
    return out;
  }
}
