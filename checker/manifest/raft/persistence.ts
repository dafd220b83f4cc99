import type { ExerciseEntry } from '../types.ts';

export const persistence: ExerciseEntry = {
  id: 'raft/persistence',
  kind: 'pattern',
  title: 'Raft 3: persistence and restart',
  summary: 'Persist term, vote and log before replying; restart from them; stay safe through crashes, Figure 8 histories and churn.',
  file: 'raft/raft-node.ts',
  grader: 'checker/graders/raft/persistence.grader.ts',
  variants: 'checker/variants/raft/persistence',
  guide: { file: 'exercises/raft/README.md', section: 'Exercise 3: Persistence and restart' },
  patterns: ['raft/persistence'],
  hints: [
    'Three things must survive a crash: currentTerm, votedFor and the log. Write one persist() that saves them together with env.persister.save(...) and call it every time any of them changes.',
    'Persist BEFORE the message that depends on it leaves: before a VoteReply that grants a vote, before an AppendReply that acknowledges entries, before RequestVote in a new term. The grader can crash a node right after a send; whatever it saved after the send is lost.',
    'In the constructor, read env.persister.readState() and, if something is there, restore term, vote and log from it. commitIndex and lastApplied are volatile: start them at 0 (the service is restarted too and gets every committed entry again, in order).',
    'If a restarted node forgets its vote it can vote twice in one term; if it forgets entries it acknowledged, a leader may have counted them towards a commit that the next leader does not know about.',
  ],
};
