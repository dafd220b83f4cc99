/**
 * The one sanitizer for text graded code controls (what it prints, throws or returns, the names of
 * submitted folders) on its way to a terminal or a report. A terminal obeys control characters:
 * ESC starts cursor moves, erases, screen clears, window titles (OSC 0) and hyperlinks (OSC 8),
 * a carriage return overwrites a line; and bidirectional overrides and isolates make text read in
 * another order than it is stored. Each such character is shown as the escape a programmer would
 * write for it (`\x1b`, `\u202e`), so what the learner sent stays visible and does nothing.
 *
 * Escaping the one character that starts a sequence is enough: without its ESC (or its C1 form,
 * U+009B CSI), `[2J` is plain text. Tabs stay; newlines stay in text that may span lines and are
 * escaped in text shown as one line (a name, a path). Applying it twice changes nothing.
 */

// C0 but tab and newline, DEL, C1; the bidi marks (ALM, LRM, RLM), embeddings and overrides
// (LRE...RLO), isolates (LRI...PDI); and the line and paragraph separators some terminals break on.
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
const UNSAFE_IN_A_LINE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

function visible(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export interface InertOptions {
  /** Text shown on one line (a name, a path, a table cell): newlines and tabs are escaped too. */
  readonly oneLine?: boolean;
}

/** `text` with every control character and bidi override shown as its escape. */
export function inert(text: string, options: InertOptions = {}): string {
  return text.replace(options.oneLine ? UNSAFE_IN_A_LINE : UNSAFE, visible);
}

/** Plain data (JSON-like, as grading returns it) with `change` applied to every string in it. */
export function mapStrings<T>(value: T, change: (text: string) => string): T {
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return change(item);
    if (Array.isArray(item)) return item.map(walk);
    if (item !== null && typeof item === 'object') return Object.fromEntries(Object.entries(item).map(([key, field]) => [key, walk(field)]));
    return item;
  };
  return walk(value) as T;
}

/**
 * Plain data with every string in it made inert, and inside each the paths `shown` names written
 * as the learner knows them (a machine's absolute path as the one from the workbook root, say).
 */
export function inertData<T>(value: T, shown: readonly (readonly [path: string, shownAs: string])[] = []): T {
  const pairs = shown.map(([from, to]) => [inert(from), inert(to)] as const).filter(([from, to]) => from !== '' && from !== to);
  return mapStrings(value, (text) => pairs.reduce((done, [from, to]) => done.split(from).join(to), inert(text)));
}
