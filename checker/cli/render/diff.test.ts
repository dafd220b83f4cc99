import { describe, it, expect } from 'vitest';
import { diffStat, makePatch, renderDiff, renderStat } from './diff.ts';

const mine = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'].join('\n') + '\n';
const theirs = ['a', 'B', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm'].join('\n') + '\n';

describe('solution diff rendering', () => {
  it('counts lines and hunks from the diff package patch', () => {
    const patch = makePatch('exercises/x.ts', 'solutions/x.ts', mine, theirs);
    expect(diffStat(patch)).toEqual({ added: 2, removed: 1, hunks: 2 });
    expect(renderStat(patch)).toBe('exercises/x.ts -> solutions/x.ts: 2 hunks, 2 lines only in the reference (+), 1 line only in yours (-)');
  });

  it('renders a unified diff without colour when colour is off', () => {
    const text = renderDiff(makePatch('exercises/x.ts', 'solutions/x.ts', mine, theirs), { color: false });
    expect(text).toContain('--- exercises/x.ts');
    expect(text).toContain('+++ solutions/x.ts');
    expect(text).toMatch(/^-b$/m);
    expect(text).toMatch(/^\+B$/m);
    expect(text).not.toMatch(/\u001b\[/);
  });

  it('colours added and removed lines when asked', () => {
    const text = renderDiff(makePatch('a', 'b', mine, theirs), { color: true });
    expect(text).toMatch(/\u001b\[32m\+B/);
    expect(text).toMatch(/\u001b\[31m-b/);
  });

  it('says so when the files are identical', () => {
    const patch = makePatch('exercises/x.ts', 'solutions/x.ts', mine, mine);
    expect(renderDiff(patch, { color: true })).toBe('exercises/x.ts is identical to solutions/x.ts');
  });
});
