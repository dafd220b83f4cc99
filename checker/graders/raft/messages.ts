import type { RaftMessage } from '#workbook/raft-node';
import type { MessageLabel } from '../../sim/events.ts';

/** Type and a few words per Raft message, for the event log and the traces drawn from it. */
export function labelMessage(m: RaftMessage): MessageLabel {
  switch (m.type) {
    case 'RequestVote':
      return { type: m.type, summary: `t${m.term} last=${m.lastLogIndex}/t${m.lastLogTerm}` };
    case 'VoteReply':
      return { type: m.type, summary: `t${m.term} ${m.voteGranted ? 'granted' : 'refused'}` };
    case 'AppendEntries':
      return { type: m.type, summary: `t${m.term} prev=${m.prevLogIndex}/t${m.prevLogTerm} ${m.entries.length ? `+${m.entries.length} [${m.entries[0]!.index}..${m.entries.at(-1)!.index}]` : 'heartbeat'} commit=${m.leaderCommit}` };
    case 'AppendReply':
      return { type: m.type, summary: `t${m.term} ${m.success ? `ok match=${m.matchIndex}` : `refused conflict=${m.conflictIndex}/t${m.conflictTerm}`}` };
    case 'InstallSnapshot':
      return { type: m.type, summary: `t${m.term} through=${m.lastIncludedIndex}/t${m.lastIncludedTerm}` };
    case 'SnapshotReply':
      return { type: m.type, summary: `t${m.term} through=${m.lastIncludedIndex}` };
    default:
      return { type: String((m as { type?: unknown }).type ?? 'message'), summary: '' };
  }
}
