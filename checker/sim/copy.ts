import { types } from 'node:util';

/**
 * What the simulator does to every message sent and every state persisted: a deep copy, so a node
 * that keeps or changes what it sent (or saved) cannot reach into another node (or its own disk).
 * The meaning is structuredClone's; this is the same copy, made in plain JavaScript for the values
 * nodes actually send and save (plain objects, arrays, strings, numbers), where structuredClone's
 * serialise-then-rebuild costs several times more and was the simulator's largest cost.
 *
 * Anything else goes to structuredClone itself, for the whole value, so its result (or its
 * DataCloneError) is exactly structuredClone's: an object whose prototype is not Object.prototype
 * or Array.prototype (class instances, Map, Set, Date, null-prototype objects...), a Proxy, a
 * function or symbol, an array with holes or named properties, a key "__proto__", an object
 * reached twice (shared or cyclic: structuredClone keeps the sharing), nesting deeper than
 * MAX_DEPTH. One difference remains, and only for such values: a getter met before the fallback
 * was decided runs twice (once here, once in structuredClone).
 */
export function copyData<T>(value: T): T {
  if (typeof value !== 'object' || value === null) {
    return typeof value === 'function' || typeof value === 'symbol' ? structuredClone(value) : value;
  }
  const copy = copyPlain(value, new Set(), 0);
  return copy === NOT_PLAIN ? structuredClone(value) : (copy as T);
}

const NOT_PLAIN = Symbol('not plain data');
const MAX_DEPTH = 100;

function copyPlain(value: unknown, seen: Set<object>, depth: number): unknown {
  if (typeof value !== 'object' || value === null) {
    return typeof value === 'function' || typeof value === 'symbol' ? NOT_PLAIN : value;
  }
  if (depth > MAX_DEPTH || seen.has(value) || types.isProxy(value)) return NOT_PLAIN;
  seen.add(value);
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto === Array.prototype && Array.isArray(value)) {
    const n = value.length;
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const item: unknown = value[i];
      if (item === undefined && !(i in value)) return NOT_PLAIN; // a hole
      const copy = copyPlain(item, seen, depth + 1);
      if (copy === NOT_PLAIN) return NOT_PLAIN;
      out.push(copy);
    }
    // Named properties on an array (structuredClone copies them too): rare enough to hand over.
    if (Object.keys(value).length !== n) return NOT_PLAIN;
    return out;
  }
  if (proto !== Object.prototype) return NOT_PLAIN;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') return NOT_PLAIN;
    const copy = copyPlain((value as Record<string, unknown>)[key], seen, depth + 1);
    if (copy === NOT_PLAIN) return NOT_PLAIN;
    out[key] = copy;
  }
  return out;
}
