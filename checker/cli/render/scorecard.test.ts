import { describe, expect, it } from 'vitest';
import { manifest } from '../../manifest/index.ts';
import { WORKBOOK_ROOT } from '../../paths.ts';
import { emptyProgress } from '../../core/progress/schema.ts';
import { loadQuiz } from '../../core/quiz/index.ts';
import { computeScorecard } from '../../core/scorecard.ts';
import { renderScorecard } from './scorecard.ts';

describe('renderScorecard', () => {
  it('shows the self-rating beside the graded work and does not call a self-rated 10/10 with nothing graded mastered', () => {
    const quiz = loadQuiz(WORKBOOK_ROOT, 'consensus')!;
    const progress = emptyProgress();
    for (const item of quiz.items.filter((i) => i.section === 'certification' && i.kind === 'rate')) {
      progress.quiz[item.id] = { history: [{ at: '2026-01-01T00:00:00Z', response: 'got-it', outcome: 'got-it' }], box: 0 };
    }
    const card = computeScorecard({ manifest, moduleId: 'consensus', progress, grades: new Map(), quiz });
    const text = renderScorecard(card, false);
    expect(text).toMatch(/Self-rating \(certification\).*10\/10/);
    expect(text).toMatch(/Graded: patterns passing.*0\/4.*needs all/);
    expect(text).toMatch(/Graded: challenges solved.*0\/7.*needs 4/);
    expect(text).toContain('Not mastered until the graded work passes');
    expect(text).not.toContain('Module mastered');
  });
});
