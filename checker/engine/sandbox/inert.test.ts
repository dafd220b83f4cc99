import { describe, expect, it } from 'vitest';
import { inert, inertData, mapStrings } from './inert.ts';

describe('inert', () => {
  it('shows every C0 control but tab and newline, DEL and every C1 control as \\xNN', () => {
    const controls = [...Array.from({ length: 0x20 }, (_, i) => i), 0x7f, ...Array.from({ length: 0x20 }, (_, i) => 0x80 + i)].filter((c) => c !== 0x09 && c !== 0x0a);
    for (const code of controls) expect(inert(`a${String.fromCharCode(code)}b`)).toBe(`a\\x${code.toString(16).padStart(2, '0')}b`);
  });

  it('shows the bidi marks, embeddings, overrides and isolates, and the line separators, as \\uNNNN', () => {
    for (const code of [0x061c, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]) {
      expect(inert(`a${String.fromCharCode(code)}b`)).toBe(`a\\u${code.toString(16).padStart(4, '0')}b`);
    }
  });

  it('leaves an escape sequence as readable text that does nothing', () => {
    expect(inert('\x1b[2J\x1b]8;;https://example.com\x07link\x1b]8;;\x07\x9b31m')).toBe('\\x1b[2J\\x1b]8;;https://example.com\\x07link\\x1b]8;;\\x07\\x9b31m');
  });

  it('keeps tabs, newlines and printable text (accents, CJK, emoji, a zero-width joiner) as they are', () => {
    const text = 'tab\there\nnext line: é 中文 👩‍💻 → ✓ \\x1b typed out';
    expect(inert(text)).toBe(text);
  });

  it('escapes tabs and newlines too for text shown on one line', () => {
    expect(inert('a\tb\nc\x1b', { oneLine: true })).toBe('a\\x09b\\x0ac\\x1b');
  });

  it('changes nothing when applied twice', () => {
    const once = inert('\x1b[1A\r\u202eok\n', { oneLine: true });
    expect(inert(once)).toBe(once);
    expect(inert(once, { oneLine: true })).toBe(once);
  });
});

describe('inertData', () => {
  it('makes every string of plain data inert, keys and non-strings left as they are', () => {
    const data = { message: '\x1b[2J', n: 5, ok: true, none: null, list: ['\u202e', 1, { deep: '\x07' }] };
    expect(inertData(data)).toEqual({ message: '\\x1b[2J', n: 5, ok: true, none: null, list: ['\\u202e', 1, { deep: '\\x07' }] });
  });

  it('writes a path as it is shown, also when the path itself holds a control character', () => {
    const file = '/tmp/batch/evil\x1b[2J/exercises/a.ts';
    const data = { location: { file: inert(file) }, output: [`  at add (${file}:3:7)`] };
    expect(inertData(data, [[file, 'evil\\x1b[2J/exercises/a.ts']])).toEqual({
      location: { file: 'evil\\x1b[2J/exercises/a.ts' },
      output: ['  at add (evil\\x1b[2J/exercises/a.ts:3:7)'],
    });
  });

  it('mapStrings rebuilds the data, leaving the original alone', () => {
    const data = { a: ['x'] };
    expect(mapStrings(data, (s) => s.toUpperCase())).toEqual({ a: ['X'] });
    expect(data).toEqual({ a: ['x'] });
  });
});
