import type { NodeId, SimEvent } from './events.ts';

/**
 * A simulated run drawn for the terminal as a space-time diagram: one column per node, time going
 * down, one row per thing that happened. A message is drawn when its fate is known: an arrow from
 * sender to receiver when delivered, ending in ✗ when lost. Crashes, restarts, pauses, partitions
 * and each node's role and term (L/C/F and t<term>) appear in the columns or as rows across them.
 * Pure: events in, lines out; no colour, so it reads the same in a terminal, a log and Gradescope.
 */

export interface Trace {
  readonly nodes: readonly NodeId[];
  /** The run's events, timer ticks left out (they are the nodes' own clockwork, not protocol). */
  readonly events: readonly SimEvent[];
  /** Events left out at the start to keep the trace small. */
  readonly omitted: number;
  /** Virtual time when the check stopped looking, when later than the last event (a liveness check waited in vain). */
  readonly until?: number;
}

/** The most events a trace carries from worker to CLI; a failing run is shrunk, so this is rarely reached. */
export const TRACE_EVENT_LIMIT = 4000;

export function traceOf(log: readonly SimEvent[], nodes: readonly NodeId[], limit = TRACE_EVENT_LIMIT, until?: number): Trace {
  const events = log.filter((e) => e.kind !== 'timer');
  const kept = events.slice(Math.max(0, events.length - limit));
  const last = kept.at(-1)?.time ?? 0;
  return { nodes: [...nodes], events: kept, omitted: events.length - kept.length, ...(until !== undefined && until > last ? { until } : {}) };
}

const LANE_WIDTH = 12;
const TIME_WIDTH = 7;

const roleLetter = (role: string): string => (role === 'leader' ? 'L' : role === 'candidate' ? 'C' : role === 'follower' ? 'F' : role.slice(0, 1).toUpperCase());

export interface TextOptions {
  /** At most this many rows, the last ones (the failure is at the end). */
  readonly maxRows?: number;
}

interface Row {
  readonly time: number;
  readonly cells: Map<number, string>;
  readonly arrow?: { readonly from: number; readonly to: number; readonly lost: boolean };
  readonly across?: string;
  readonly note: string;
}

export function renderTraceText(trace: Trace, options: TextOptions = {}): string[] {
  const maxRows = options.maxRows ?? 40;
  const lane = new Map(trace.nodes.map((id, i) => [id, i]));
  const down = new Set<NodeId>();
  const sentAt = new Map<number, number>();
  const copies = new Set<number>();
  const rows: { row: Row; down: Set<NodeId> }[] = [];
  const push = (row: Row): void => void rows.push({ row, down: new Set(down) });

  for (const e of trace.events) {
    switch (e.kind) {
      case 'send':
        sentAt.set(e.msgId, e.time);
        break;
      case 'duplicate':
        copies.add(e.msgId);
        sentAt.set(e.msgId, sentAt.get(e.copyOf) ?? e.time);
        break;
      case 'deliver':
      case 'drop': {
        const lost = e.kind === 'drop';
        const sent = sentAt.get(e.msgId);
        const when = e.kind === 'deliver' && e.injected ? 'injected' : sent !== undefined && sent !== e.time ? `sent ${sent}ms` : '';
        const fate = lost ? ` ✗ ${e.reason === 'lost' ? 'lost' : e.reason === 'partition' ? 'cut off' : `${e.to} is down`}` : '';
        const extras = [copies.has(e.msgId) ? 'duplicate' : '', when].filter(Boolean).join(', ');
        push({ time: e.time, cells: new Map(), arrow: { from: e.from, to: e.to, lost }, note: `${e.from}→${e.to} ${e.type} ${e.summary}${fate}${extras ? ` (${extras})` : ''}` });
        break;
      }
      case 'crash':
        down.add(e.node);
        push({ time: e.time, cells: new Map([[e.node, '✖ crash']]), note: `node ${e.node} crashes` });
        break;
      case 'restart':
        down.delete(e.node);
        push({ time: e.time, cells: new Map([[e.node, '↻ restart']]), note: `node ${e.node} restarts from what it persisted` });
        break;
      case 'pause':
      case 'resume':
        push({ time: e.time, cells: new Map([[e.node, e.kind === 'pause' ? '‖ pause' : '▷ resume']]), note: `node ${e.node} ${e.kind}s` });
        break;
      case 'partition':
        push({ time: e.time, cells: new Map(), across: '┄', note: `partition ${e.groups.map((g) => `{${g.join(',')}}`).join(' ')}` });
        break;
      case 'cut':
        push({ time: e.time, cells: new Map(), across: '┄', note: `link ${e.from}→${e.to} cut (one way)` });
        break;
      case 'heal':
        push({ time: e.time, cells: new Map(), across: '┄', note: 'network healed' });
        break;
      case 'client-request':
        push({ time: e.time, cells: new Map([[e.node, '⇠ client']]), note: e.summary });
        break;
      case 'apply':
        push({ time: e.time, cells: new Map([[e.node, `✓ ${e.summary}`]]), note: `node ${e.node} applies ${e.summary}` });
        break;
      case 'state':
        push({ time: e.time, cells: new Map([[e.node, `${roleLetter(e.role)} t${e.term} c${e.commitIndex}`]]), note: '' });
        break;
      case 'note':
        push({ time: e.time, cells: new Map(), note: `— ${e.text}` });
        break;
      case 'timer':
        break;
    }
  }

  const drawn = collapseRepeats(rows, trace.nodes, lane);
  const header = `${'ms'.padStart(TIME_WIDTH)} ${trace.nodes.map((id) => `node ${id}`.padEnd(LANE_WIDTH)).join('')}`;
  const lines = [header];
  const first = Math.max(0, drawn.length - maxRows);
  if (first > 0 || trace.omitted > 0) {
    const hidden = drawn.slice(0, first).reduce((n, d) => n + d.events, 0) + trace.omitted;
    lines.push(`${''.padStart(TIME_WIDTH)} … ${hidden} earlier event${hidden === 1 ? '' : 's'} not shown; by then: ${describeStates(trace, drawn[first]?.time ?? Infinity)}`);
  }
  for (const d of drawn.slice(first)) lines.push(d.line);
  if (trace.until !== undefined) lines.push(drawRow({ time: trace.until, cells: new Map(), note: 'no message or fault since the row above; the check stopped here' }, trace.nodes, lane, down));
  lines.push(`${''.padStart(TIME_WIDTH)} L leader, C candidate, F follower; t term, c commitIndex; ✗ message lost`);
  return lines;
}

/** Each node's last role, term and commit index before `time`, from the trace's state events. */
function describeStates(trace: Trace, time: number): string {
  const last = new Map<NodeId, string>();
  for (const e of trace.events) {
    if (e.time >= time) break;
    if (e.kind === 'state') last.set(e.node, `${roleLetter(e.role)} t${e.term} c${e.commitIndex}`);
    if (e.kind === 'crash') last.set(e.node, 'down');
  }
  return trace.nodes.map((id) => `${id} ${last.get(id) ?? 'F t0 c0'}`).join(', ');
}

interface Drawn { readonly time: number; readonly line: string; readonly events: number }

/**
 * Heartbeats make long runs repetitive: a message row whose arrow and text (times aside) already
 * appeared among the last few rows, with no change of state or fault in between, is folded into
 * one "⋮" line that says how many rows it stands for.
 */
function collapseRepeats(rows: readonly { row: Row; down: Set<NodeId> }[], nodes: readonly NodeId[], lane: Map<NodeId, number>): Drawn[] {
  const out: Drawn[] = [];
  let recent: string[] = [];
  let pending: { row: Row; down: Set<NodeId> }[] = [];
  const draw = (r: { row: Row; down: Set<NodeId> }): Drawn => ({ time: r.row.time, line: drawRow(r.row, nodes, lane, r.down), events: 1 });
  const flush = (): void => {
    // Folding two rows into one line saves nothing: fold only longer runs.
    if (pending.length < 3) out.push(...pending.map(draw));
    else {
      const from = pending[0]!.row.time;
      const to = pending.at(-1)!.row.time;
      out.push({ time: to, line: `${''.padStart(TIME_WIDTH)} ⋮ ${pending.length} more messages like the ones above, ${from}–${to} ms`, events: pending.length });
    }
    pending = [];
  };
  for (const r of rows) {
    const { row } = r;
    const signature = row.arrow ? `${row.arrow.from}>${row.arrow.to}:${row.note.replace(/ \((?:duplicate, )?(?:sent \d+ms|injected)\)$/, '')}` : undefined;
    if (signature && recent.includes(signature)) {
      pending.push(r);
      continue;
    }
    flush();
    if (signature) recent = [...recent.slice(-7), signature];
    else if (row.note) recent = [];
    out.push(draw(r));
  }
  flush();
  return out;
}

function drawRow(row: Row, nodes: readonly NodeId[], lane: Map<NodeId, number>, down: Set<NodeId>): string {
  const width = nodes.length * LANE_WIDTH;
  const chars = Array.from({ length: width }, () => ' ');
  const pos = (id: NodeId): number => (lane.get(id) ?? 0) * LANE_WIDTH + 1;
  for (const id of nodes) chars[pos(id)] = down.has(id) ? '┊' : '│';
  if (row.across) for (let i = 0; i < width; i++) if (chars[i] === ' ') chars[i] = row.across;
  if (row.arrow && lane.has(row.arrow.from) && lane.has(row.arrow.to)) {
    const a = pos(row.arrow.from);
    const b = pos(row.arrow.to);
    const step = b > a ? 1 : -1;
    for (let i = a; i !== b; i += step) chars[i] = '─';
    chars[a] = '●';
    chars[b] = row.arrow.lost ? '✗' : step > 0 ? '▶' : '◀';
  }
  for (const [id, text] of row.cells) {
    const start = pos(id);
    [...text.slice(0, LANE_WIDTH - 2)].forEach((ch, i) => { chars[start + i] = ch; });
  }
  const body = chars.join('').trimEnd();
  const note = row.note ? `${' '.repeat(Math.max(1, width - body.length))} ${row.note}` : '';
  return `${String(row.time).padStart(TIME_WIDTH)} ${body}${note}`.trimEnd();
}

const num = (v: unknown): number => (Number.isFinite(Number(v)) ? Number(v) : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? ''));

/**
 * A trace rebuilt from whatever arrived: numbers are numbers, strings are strings, unknown kinds are
 * dropped. A trace crosses from the grading worker as data, and a learner's code could throw a
 * look-alike failure carrying any object; the page must never put its text anywhere but escaped text.
 */
export function normaliseTrace(input: unknown): Trace {
  const raw = (typeof input === 'object' && input !== null ? input : {}) as { nodes?: unknown; events?: unknown; omitted?: unknown; until?: unknown };
  const nodes = Array.isArray(raw.nodes) ? raw.nodes.map(num) : [];
  const events: SimEvent[] = [];
  for (const item of Array.isArray(raw.events) ? raw.events.slice(-TRACE_EVENT_LIMIT) : []) {
    const e = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const time = num(e.time);
    const message = { time, from: num(e.from), to: num(e.to), msgId: num(e.msgId), type: str(e.type), summary: str(e.summary) };
    switch (e.kind) {
      case 'send': events.push({ kind: 'send', ...message }); break;
      case 'deliver': events.push({ kind: 'deliver', ...message, ...(e.injected === true ? { injected: true } : {}) }); break;
      case 'drop': events.push({ kind: 'drop', ...message, reason: e.reason === 'partition' || e.reason === 'crashed' ? e.reason : 'lost' }); break;
      case 'duplicate': events.push({ kind: 'duplicate', ...message, copyOf: num(e.copyOf) }); break;
      case 'crash': case 'restart': case 'pause': case 'resume': events.push({ kind: e.kind, time, node: num(e.node) }); break;
      case 'partition': events.push({ kind: 'partition', time, groups: Array.isArray(e.groups) ? e.groups.map((g) => (Array.isArray(g) ? g.map(num) : [])) : [] }); break;
      case 'cut': events.push({ kind: 'cut', time, from: num(e.from), to: num(e.to) }); break;
      case 'heal': events.push({ kind: 'heal', time }); break;
      case 'client-request': case 'apply': events.push({ kind: e.kind, time, node: num(e.node), summary: str(e.summary) }); break;
      case 'state': events.push({ kind: 'state', time, node: num(e.node), term: num(e.term), role: str(e.role), commitIndex: num(e.commitIndex) }); break;
      case 'note': events.push({ kind: 'note', time, text: str(e.text) }); break;
      default: break;
    }
  }
  return { nodes, events, omitted: num(raw.omitted), ...(raw.until !== undefined ? { until: num(raw.until) } : {}) };
}
