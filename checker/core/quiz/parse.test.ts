import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { manifest } from '../../manifest/index.ts';
import { WORKBOOK_ROOT } from '../../paths.ts';
import { exerciseIdsOf, loadQuiz } from './index.ts';
import { parseQuiz, QuizFormatError } from './parse.ts';

const item = (fence: string, body: string): string => `# T\n\n## S\n\n\`\`\`section\nid: s\n\`\`\`\n\n### Q\n\n\`\`\`item\n${fence}\n\`\`\`\n\n${body}\n`;

describe('the real consensus quiz', () => {
  const quiz = loadQuiz(WORKBOOK_ROOT, 'consensus')!;
  it('parses, with unique ids linking only to manifest exercises', () => {
    expect(quiz.items.length).toBeGreaterThan(50);
    const ids = quiz.items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    const known = exerciseIdsOf(manifest);
    for (const i of quiz.items) for (const t of i.tests) expect(known, `${i.id} links ${t}`).toContain(t);
    for (const i of quiz.items) if (i.kind !== 'check') expect(i.tests.length, i.id).toBeGreaterThan(0);
  });
  it('covers the chapter: 6 ELI5, 9 scenario predictions, 10 certification statements, 2 proofs', () => {
    const inSection = (s: string) => quiz.items.filter((i) => i.section === s);
    expect(inSection('eli5')).toHaveLength(6);
    expect(inSection('scenarios')).toHaveLength(9);
    expect(inSection('certification').filter((i) => i.kind === 'rate')).toHaveLength(10);
    expect(inSection('certification').filter((i) => i.kind === 'free')).toHaveLength(2);
    expect(inSection('practice')).toHaveLength(3);
    expect(quiz.items.filter((i) => i.measure).map((i) => i.measure)).toEqual(['consensus/leader-election', 'consensus/raft', 'consensus/quorum']);
  });
  it('grades the quorum question honestly: every overlapping setting is correct', () => {
    const q = quiz.items.find((i) => i.id === 'tradeoff-quorum-rule')!;
    expect(q.options.filter((o) => o.correct).map((o) => o.text)).toEqual(['R + W > N', 'R = W = majority of N', 'R = N, W = 1']);
  });
  it('is the file the manifest names', () => {
    expect(quiz.source).toBe(path.normalize(manifest.modules[0]!.quiz!));
  });
});

describe('parseQuiz', () => {
  it('reads options, model answer and metadata from the token stream', () => {
    const q = parseQuiz(item('id: q1\nkind: single\ntests: a/b, c/d\nwhen: before', 'Pick.\n\n- [ ] no\n- [x] yes `code`\n\n> Because.'), 'x.md', 'm');
    expect(q.items[0]).toMatchObject({ id: 'q1', kind: 'single', phase: 'before', tests: ['a/b', 'c/d'], prompt: 'Pick.', answer: 'Because.' });
    expect(q.items[0]!.options).toEqual([
      { key: 'a', text: 'no', correct: false },
      { key: 'b', text: 'yes `code`', correct: true },
    ]);
  });
  it('keeps a plain bullet list in the prompt and ignores look-alikes inside code blocks', () => {
    const q = parseQuiz(item('id: q2\nkind: free', 'Think of:\n\n- one\n- two\n\n```\n### not a heading\n```\n\n> Model.'), 'x.md', 'm');
    expect(q.items).toHaveLength(1);
    expect(q.items[0]!.prompt).toContain('- one');
    expect(q.items[0]!.prompt).toContain('### not a heading');
  });
  it('reports format mistakes with the line', () => {
    expect(() => parseQuiz(item('id: q\nkind: single', 'P\n\n- [ ] a\n- [ ] b\n\n> A'), 'x.md', 'm')).toThrow(/exactly one \[x\]/);
    expect(() => parseQuiz(item('id: q\nkind: short', 'P\n\n> A'), 'x.md', 'm')).toThrow(/accept/);
    expect(() => parseQuiz(item('id: Bad Id\nkind: free', 'P\n\n> A'), 'x.md', 'm')).toThrow(QuizFormatError);
    expect(() => parseQuiz(item('id: q\nkind: free\ncolour: red', 'P\n\n> A'), 'x.md', 'm')).toThrow(/x.md:\d+: unknown field "colour"/);
    expect(() => parseQuiz(item('id: q\nkind: free', 'P'), 'x.md', 'm')).toThrow(/model answer/);
  });
});
