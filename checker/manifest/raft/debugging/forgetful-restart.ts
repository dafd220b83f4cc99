import { challenge } from '../../layout.ts';

const title = 'Raft challenge 6: After the maintenance';

export const forgetfulRestart = challenge('raft/debugging/forgetful-restart', {
  title,
  summary: "The node saves its term, vote and log, but a restarted node never reads them back.",
  patterns: ['raft/persistence'],
  plantedBugs: 1,
  hints: [
    "Restart a follower in the trace and look at its first state row after \u21bb restart: which term does it show, and how long is its log?",
    "Which three pieces of state must a node have after a restart so that every promise it made before the crash still holds?",
    "The constructor never loads what persist() saved. Read env.persister.readState() there and restore currentTerm, votedFor and log before anything else.",
  ],
});
