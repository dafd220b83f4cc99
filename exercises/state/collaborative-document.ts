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
    // TODO: the chars of this.ordered(), leaving out deleted elements.
    return '';
  }

  /** Inserts `text` so that it starts at visible position `position` (0..length). */
  insertText(position: number, text: string): void {
    // TODO:
    //   1. The visible elements: this.ordered() without deleted ones. A position outside
    //      0..visible.length is a RangeError.
    //   2. The first char goes after the visible element at position - 1 (or after null, the
    //      start, for position 0); each next char goes after the char before it.
    //   3. Each char gets id [++this.counter, this.nodeId] and is stored in this.elements under
    //      key(id), not deleted. (A counter above everything this replica has seen is what puts
    //      a new char right after the one it was typed after, ahead of older chars there.)
    void position;
    void text;
  }

  /** Marks the `length` visible characters from `position` as deleted. */
  deleteText(position: number, length: number): void {
    // TODO: RangeError unless position..position + length lies within the visible text; then mark
    // those visible elements deleted. Never remove an element: another replica may still type
    // after it, and its merge would bring it back.
    void position;
    void length;
  }

  /** Takes in every element and every deletion mark of `other`; `other` is left unchanged. */
  merge(other: DocumentCRDT): void {
    // TODO:
    //   1. For each element of other: if this replica has it, it is deleted here when deleted on
    //      either side; otherwise store a COPY ({ ...e }) so later deletes here do not touch other.
    //   2. this.counter = the larger of the two counters (Lamport: later inserts here must get
    //      larger ids than anything seen).
    void other;
  }

  /**
   * Document order: depth first from the start, each element followed by the elements typed
   * after it, larger ids first (the later insert at the same place comes first).
   */
  ordered(): Element[] {
    // TODO:
    //   1. Group the elements by key(e.after) (the start is key(null) = 'start').
    //   2. Sort each group by id, LARGEST first (compareIds(b.id, a.id)).
    //   3. Walk depth first from 'start': output an element, then (recursively) the group typed
    //      after it, then its next sibling. (An explicit stack avoids deep recursion.)
    void compareIds;
    return [...this.elements.values()];
  }
}
