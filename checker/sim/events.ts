/**
 * The simulator's event log: everything that happened in a run, in order, in virtual
 * milliseconds. Traces, failure reports and the determinism proof all read this one list.
 *
 * A message has one `msgId` from its `send` to its fate: a `deliver`, or a `drop` with a reason.
 * A duplicated message gets a `duplicate` event naming the original (`copyOf`) and the copy's own
 * `msgId`, which is then delivered or dropped like any other. Injected messages (a grader
 * delivering a crafted message, e.g. a late vote reply) are delivered with `injected: true` and
 * have no `send`.
 */
export type NodeId = number;

/** Why a message never arrived. */
export type DropReason = 'lost' | 'partition' | 'crashed';

/** The summary a module gives of one of its messages, for logs and traces. */
export interface MessageLabel {
  /** Message type, e.g. "AppendEntries". */
  readonly type: string;
  /** A few words: "t3 prev=4/2 +2 entries commit=3". */
  readonly summary: string;
}

/** What a module reports of a node's state after each event, e.g. Raft's term, role and commitIndex. */
export interface NodeStateSummary {
  readonly term: number;
  readonly role: string;
  readonly commitIndex: number;
}

interface At {
  /** Virtual time in ms since the start of the run. */
  readonly time: number;
}

interface MessageEvent extends At, MessageLabel {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msgId: number;
}

export type SimEvent =
  | (MessageEvent & { readonly kind: 'send' })
  | (MessageEvent & { readonly kind: 'deliver'; readonly injected?: boolean })
  | (MessageEvent & { readonly kind: 'drop'; readonly reason: DropReason })
  | (MessageEvent & { readonly kind: 'duplicate'; readonly copyOf: number })
  | (At & { readonly kind: 'timer'; readonly node: NodeId; readonly label: string })
  | (At & { readonly kind: 'crash' | 'restart' | 'pause' | 'resume'; readonly node: NodeId })
  /** Nodes in different groups cannot talk to each other, in either direction. */
  | (At & { readonly kind: 'partition'; readonly groups: readonly (readonly NodeId[])[] })
  /** One-way: messages from `from` to `to` are lost; the other direction still works. */
  | (At & { readonly kind: 'cut'; readonly from: NodeId; readonly to: NodeId })
  /** Every partition and cut link is repaired. */
  | (At & { readonly kind: 'heal' })
  | (At & { readonly kind: 'client-request'; readonly node: NodeId; readonly summary: string })
  | (At & { readonly kind: 'apply'; readonly node: NodeId; readonly summary: string })
  | (At & NodeStateSummary & { readonly kind: 'state'; readonly node: NodeId })
  /** A grader's remark ("the leader is cut off"), shown in traces between events. */
  | (At & { readonly kind: 'note'; readonly text: string });

export type SimEventKind = SimEvent['kind'];

/** One line per event, for tests and plain-text logs. */
export function formatEvent(e: SimEvent): string {
  const t = `${String(e.time).padStart(6)}ms`;
  switch (e.kind) {
    case 'send':
    case 'deliver':
      return `${t} ${e.kind} #${e.msgId} ${e.from}->${e.to} ${e.type} ${e.summary}${e.kind === 'deliver' && e.injected ? ' (injected)' : ''}`;
    case 'drop':
      return `${t} drop #${e.msgId} ${e.from}->${e.to} ${e.type} (${e.reason})`;
    case 'duplicate':
      return `${t} duplicate #${e.copyOf} as #${e.msgId} ${e.from}->${e.to} ${e.type}`;
    case 'timer':
      return `${t} timer ${e.node} ${e.label}`;
    case 'crash':
    case 'restart':
    case 'pause':
    case 'resume':
      return `${t} ${e.kind} ${e.node}`;
    case 'partition':
      return `${t} partition ${e.groups.map((g) => `{${g.join(',')}}`).join(' ')}`;
    case 'cut':
      return `${t} cut ${e.from}->${e.to}`;
    case 'heal':
      return `${t} heal`;
    case 'client-request':
    case 'apply':
      return `${t} ${e.kind} ${e.node} ${e.summary}`;
    case 'state':
      return `${t} state ${e.node} term=${e.term} ${e.role} commit=${e.commitIndex}`;
    case 'note':
      return `${t} note ${e.text}`;
  }
}
