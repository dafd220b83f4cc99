import fc from 'fast-check';
import type { NodeId } from './events.ts';

/** How the network treats every message, drawn per message from the run's RNG. */
export interface NetworkProfile {
  readonly name: string;
  /** Chance that a message is lost. */
  readonly dropProbability: number;
  /** Every delivered message takes a delay in [minDelayMs, maxDelayMs]. */
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** Chance that a message is delivered twice (the copy gets its own delay). */
  readonly duplicateProbability: number;
  /** Chance that a message is held back an extra [0, reorderExtraMs], so later messages overtake it. */
  readonly reorderProbability: number;
  readonly reorderExtraMs: number;
}

export const RELIABLE: NetworkProfile = {
  name: 'reliable', dropProbability: 0, minDelayMs: 1, maxDelayMs: 5, duplicateProbability: 0, reorderProbability: 0, reorderExtraMs: 0,
};

/** Close to the labs' unreliable network: 10% lost, delays up to 27 ms, some messages very late. */
export const UNRELIABLE: NetworkProfile = {
  name: 'unreliable', dropProbability: 0.1, minDelayMs: 1, maxDelayMs: 27, duplicateProbability: 0.05, reorderProbability: 0.1, reorderExtraMs: 200,
};

/** Something that happens to the cluster at a point in virtual time. */
export type Fault =
  | { readonly kind: 'crash' | 'restart' | 'pause' | 'resume'; readonly node: NodeId }
  | { readonly kind: 'partition'; readonly groups: readonly (readonly NodeId[])[] }
  | { readonly kind: 'cut'; readonly from: NodeId; readonly to: NodeId }
  | { readonly kind: 'heal' }
  | { readonly kind: 'network'; readonly profile: NetworkProfile };

export interface TimelineStep {
  /** Virtual ms from the start of the run. */
  readonly at: number;
  readonly fault: Fault;
}

/** A fault in plain words, for scenarios. */
export function describeFault(f: Fault): string {
  switch (f.kind) {
    case 'crash': return `node ${f.node} crashes (it loses everything it did not persist)`;
    case 'restart': return `node ${f.node} restarts from what it persisted`;
    case 'pause': return `node ${f.node} pauses (a long GC pause: it does nothing, messages to it wait)`;
    case 'resume': return `node ${f.node} resumes`;
    case 'partition': return `the network splits into ${f.groups.map((g) => `{${g.join(',')}}`).join(' and ')}`;
    case 'cut': return `messages from node ${f.from} to node ${f.to} are lost (node ${f.to} can still reach ${f.from})`;
    case 'heal': return 'the network heals';
    case 'network': return `the network becomes ${f.profile.name}`;
  }
}

export function describeTimeline(steps: readonly TimelineStep[]): string[] {
  return steps.map((s) => `at ${s.at} ms, ${describeFault(s.fault)}`);
}

/**
 * A named fault profile: a network, and which faults its random timelines draw.
 *   reliable     nothing goes wrong
 *   unreliable   messages lost, late, duplicated, reordered
 *   partitioned  reliable messages, but the network splits, cuts links one way, heals
 *   churn        unreliable messages, and nodes crash, restart, pause and resume
 */
export interface FaultProfile {
  readonly name: 'reliable' | 'unreliable' | 'partitioned' | 'churn';
  readonly network: NetworkProfile;
  readonly faults: readonly Fault['kind'][];
}

export const PROFILES: Readonly<Record<FaultProfile['name'], FaultProfile>> = {
  reliable: { name: 'reliable', network: RELIABLE, faults: [] },
  unreliable: { name: 'unreliable', network: UNRELIABLE, faults: [] },
  partitioned: { name: 'partitioned', network: RELIABLE, faults: ['partition', 'cut', 'heal'] },
  churn: { name: 'churn', network: UNRELIABLE, faults: ['crash', 'restart', 'pause', 'resume', 'partition', 'heal'] },
};

function faultArbitrary(kind: Fault['kind'], nodes: readonly NodeId[]): fc.Arbitrary<Fault> {
  const node = fc.constantFrom(...nodes);
  switch (kind) {
    case 'crash':
    case 'restart':
    case 'pause':
    case 'resume':
      return node.map((n) => ({ kind, node: n }));
    case 'partition':
      // Each node draws a side; shrinking moves nodes towards side 0, i.e. towards no split.
      return fc.array(fc.integer({ min: 0, max: 2 }), { minLength: nodes.length, maxLength: nodes.length }).map((sides) => ({
        kind: 'partition' as const,
        groups: [0, 1, 2].map((side) => nodes.filter((_, i) => sides[i] === side)).filter((g) => g.length > 0),
      }));
    case 'cut':
      return fc.tuple(node, node).filter(([a, b]) => a !== b).map(([from, to]) => ({ kind: 'cut' as const, from, to }));
    case 'heal':
      return fc.constant({ kind: 'heal' as const });
    case 'network':
      return fc.constant({ kind: 'network' as const, profile: RELIABLE });
  }
}

/**
 * Random fault timelines for a profile, from fast-check (so they follow the run's seed and shrink:
 * fewer faults, later faults, smaller splits). Faults happen between `startMs` and `endMs`, at
 * least `minGapMs` apart. A profile without faults gives the empty timeline.
 */
export function timelineArbitrary(
  profile: FaultProfile,
  nodes: readonly NodeId[],
  options: { startMs?: number; endMs: number; minGapMs?: number; maxFaults?: number },
): fc.Arbitrary<TimelineStep[]> {
  if (profile.faults.length === 0) return fc.constant([]);
  const start = options.startMs ?? 0;
  const minGap = options.minGapMs ?? 100;
  const maxFaults = options.maxFaults ?? Math.max(1, Math.floor((options.endMs - start) / (minGap * 2)));
  const fault = fc.oneof(...profile.faults.map((k) => faultArbitrary(k, nodes)));
  return fc
    .array(fc.record({ gap: fc.integer({ min: minGap, max: minGap * 4 }), fault }), { maxLength: maxFaults })
    .map((raw) => {
      const steps: TimelineStep[] = [];
      let at = start;
      for (const { gap, fault: f } of raw) {
        at += gap;
        if (at > options.endMs) break;
        steps.push({ at, fault: f });
      }
      return steps;
    });
}
