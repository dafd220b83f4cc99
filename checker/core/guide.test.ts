import { describe, expect, it } from 'vitest';
import { extractQuestions, extractSection, headings } from './guide.ts';

const doc = [
  '# Module',
  'intro',
  '## Pattern 1: One',
  'one text',
  '### Steps',
  'step text',
  '```',
  '## not a heading inside code',
  '```',
  '## Pattern 2: Two',
  'two text',
].join('\n');

describe('guide sections', () => {
  it('lists headings from the token stream, ignoring # inside code blocks', () => {
    expect(headings(doc).map((h) => `${h.level}:${h.text}`)).toEqual(['1:Module', '2:Pattern 1: One', '3:Steps', '2:Pattern 2: Two']);
  });

  it('cuts a section at the next heading of the same or a higher level', () => {
    const one = extractSection(doc, 'Pattern 1: One');
    expect(one).toContain('step text');
    expect(one).toContain('## not a heading inside code');
    expect(one).not.toContain('two text');
    expect(extractSection(doc, 'Pattern 2: Two')).toBe('## Pattern 2: Two\ntwo text');
  });

  it('returns undefined for a missing section', () => {
    expect(extractSection(doc, 'Pattern 3')).toBeUndefined();
  });
});

describe('brief questions', () => {
  it('finds list items that start with a bold question id', () => {
    const brief = ['## Challenge', '', '1. **q1** How many leaders?', '2. **q2**: Why `3 > 3` fails?', '3. Not a question'].join('\n');
    expect(extractQuestions(brief)).toEqual([
      { id: 'q1', text: 'How many leaders?' },
      { id: 'q2', text: 'Why 3 > 3 fails?' },
    ]);
  });
});
