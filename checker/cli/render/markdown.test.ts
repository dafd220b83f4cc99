import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMarkdown, wrapText } from './markdown.ts';
import { REAL_ROOT } from '../test/fixture.ts';

/** Every guide, brief and model answer the CLI shows. */
function shippedMarkdown(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.md')) found.push(full);
    }
  };
  for (const dir of ['exercises', 'checker/answers']) walk(path.join(REAL_ROOT, dir));
  return found;
}

const words = (text: string): string[] => text.split(/[\s│┌┐└┘├┤┬┴┼─]+/).filter(Boolean);
// Code blocks are shown as written, indented by four spaces; they are not prose to wrap.
const proseLines = (text: string): string[] => text.split('\n').filter((line) => !line.startsWith('    '));

describe('renderMarkdown', () => {
  it('re-flows source line breaks and wraps to the width without splitting words', () => {
    const out = renderMarkdown('A first line\nwhich continues here, with `someRatherLongInlineCode()` inside and more words after it.', false, 30);
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(30);
    expect(out).toContain('someRatherLongInlineCode()');
    expect(out.split('\n')[0]).toBe('A first line which continues');
  });

  it('hangs a list item\'s continuation lines under its text', () => {
    const out = renderMarkdown('- one two three four five six seven eight nine ten eleven twelve thirteen', false, 30);
    expect(out.split('\n')).toEqual(['• one two three four five six', '  seven eight nine ten eleven', '  twelve thirteen']);
  });

  it('draws a table with every cell and a header', () => {
    const out = renderMarkdown('| id | meaning |\n|---|---|\n| consensus/raft | one leader per term, and a long explanation after it |', false, 50);
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(50);
    expect(out).toContain('consensus/raft');
    expect(out).toMatch(/┌.*┐/);
    expect(words(out)).toEqual(expect.arrayContaining(['id', 'meaning', 'one', 'leader', 'explanation']));
  });

  it('shows a link target once and keeps hard breaks', () => {
    expect(renderMarkdown('see [the paper](https://raft.github.io)', false, 80)).toBe('see the paper (https://raft.github.io)');
    expect(renderMarkdown('line one  \nline two', false, 80)).toBe('line one\nline two');
  });

  it.each([80, 60])('renders every shipped guide, brief and answer within %i columns, words whole', (width) => {
    for (const file of shippedMarkdown()) {
      const source = fs.readFileSync(file, 'utf8');
      const wide = new Set(words(renderMarkdown(source, false, 100_000)));
      const narrow = renderMarkdown(source, false, width);
      for (const line of proseLines(narrow)) {
        const tooLong = [...line].length > width && line.includes(' ');
        expect(tooLong, `${path.relative(REAL_ROOT, file)}: "${line}"`).toBe(false);
      }
      for (const word of words(narrow.split('\n').filter((l) => !l.startsWith('    ')).join('\n'))) {
        expect(wide.has(word), `${path.relative(REAL_ROOT, file)}: "${word}" is not a word of the source`).toBe(true);
      }
    }
  });
});

describe('wrapText', () => {
  it('wraps plain text with an indent on every line', () => {
    expect(wrapText('alpha beta gamma delta epsilon zeta eta theta', 30, '  ')).toBe('  alpha beta gamma delta\n  epsilon zeta eta theta');
  });
});
