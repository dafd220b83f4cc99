import { describe, it, expect } from 'vitest';
import { manifest } from '../manifest/index.ts';
import { WORKBOOK_ROOT } from '../paths.ts';
import { emptyProgress } from './progress/schema.ts';
import { loadQuiz, patternIdsOf } from './quiz/index.ts';
import { journalHtml, renderJournal } from './journal.ts';

const quiz = loadQuiz(WORKBOOK_ROOT, 'consensus')!;

describe('journal', () => {
  it('fills in the learner\'s answers, predictions beside verification, and checklist ticks', () => {
    const progress = emptyProgress();
    progress.quiz['eli5-consensus'] = { history: [{ at: '2025-01-02T10:00:00Z', response: 'Machines agree on one value.', outcome: 'got-it' }], box: 0 };
    progress.exercises['consensus/raft'] = { runs: 1, hintsShown: 0, firstPassedAt: '2025-01-05T00:00:00Z' };
    progress.quiz['predict-raft-messages'] = { box: 0, history: [{ at: '2025-01-01T00:00:00Z', response: 'd', outcome: 'incorrect' }, { at: '2025-01-06T00:00:00Z', response: 'c', outcome: 'correct' }] };
    progress.checklist['check-cap'] = true;
    const md = renderJournal(quiz, progress, patternIdsOf(manifest));
    expect(md).toContain('> Machines agree on one value.');
    expect(md).toMatch(/Your prediction\*\* \(2025-01-01, not right yet\):\n\n> d\) O\(N²\)/);
    expect(md).toMatch(/Verified after implementing\*\* \(2025-01-06, correct\):\n\n> c\) O\(N\)/);
    expect(md).toContain('- [x] I can explain the CAP trade-offs');
    expect(md).toContain('- [ ] I know when to use Raft and when Paxos.');
    for (const section of quiz.sections) expect(md).toContain(`## ${section.title}`);
    // model answers appear only for answered items
    expect(md.match(/\*Model answer:\*/g)).toHaveLength(2);
  });
  it('renders HTML without running what the learner typed', () => {
    const progress = emptyProgress();
    progress.quiz['eli5-consensus'] = { history: [{ at: '2025-01-02T10:00:00Z', response: '<script>alert(1)</script>', outcome: 'partly' }], box: 1 };
    const html = journalHtml(renderJournal(quiz, progress, patternIdsOf(manifest)), 'J');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toMatch(/<h2>In plain words \(ELI5\)<\/h2>/);
  });
  it('shows an answer holding terminal escapes or a bidi override inert, in the terminal text and the page', () => {
    const progress = emptyProgress();
    progress.quiz['eli5-consensus'] = { history: [{ at: '2025-01-02T10:00:00Z', response: '\x1b[2J\x1b]0;owned\x07\u202eevil', outcome: 'partly' }], box: 1 };
    const md = renderJournal(quiz, progress, patternIdsOf(manifest));
    expect(md).toContain('> \\x1b[2J\\x1b]0;owned\\x07\\u202eevil');
    for (const text of [md, journalHtml(md, 'J')]) expect(text).not.toMatch(/[\x1b\x07\u202e]/);
  });
});
