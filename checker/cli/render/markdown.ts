import MarkdownIt from 'markdown-it';
import Table from 'cli-table3';
import wrapAnsi from 'wrap-ansi';
import { palette, terminalWidth } from './style.ts';

/**
 * Renders markdown for the terminal by walking markdown-it's tokens: headings bold, code dim and
 * indented, lists with bullets, links as "text (url)", tables as tables. Raw HTML blocks are
 * dropped. Prose is re-flowed to the width given (the terminal's, by default): a line break in the
 * source is only a space, words are never split, and a list item's continuation lines hang under
 * its text.
 */

const md = new MarkdownIt();
type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];

/** Never wrap narrower than this: a deeply nested item in a tiny terminal still gets a few words a line. */
const MIN_TEXT_WIDTH = 24;
const ANSI = /\u001b\[[0-9;]*m/g;

function renderInline(tokens: readonly Token[], color: boolean): string {
  const c = palette(color);
  let out = '';
  const styles: string[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case 'text':
        out += styles.includes('strong') ? c.bold(token.content) : styles.includes('em') ? c.italic(token.content) : token.content;
        break;
      case 'code_inline':
        out += c.cyan(token.content);
        break;
      case 'strong_open':
        styles.push('strong');
        break;
      case 'em_open':
        styles.push('em');
        break;
      case 'strong_close':
      case 'em_close':
        styles.pop();
        break;
      // A soft break is where the author's editor wrapped: re-flowing makes it a space.
      case 'softbreak':
        out += ' ';
        break;
      case 'hardbreak':
        out += '\n';
        break;
      case 'link_open':
        styles.push(`link:${token.attrGet('href') ?? ''}`);
        break;
      case 'link_close': {
        const href = styles.pop()?.slice('link:'.length);
        if (href && !href.startsWith('#') && !out.endsWith(href)) out += c.dim(` (${href})`);
        break;
      }
      default:
        if (token.children) out += renderInline(token.children, color);
    }
  }
  return out;
}

/** Wraps `text` to `width` columns after `prefix` on the first line and `hang` on the others. */
function wrapBlock(text: string, prefix: string, hang: string, width: number): string[] {
  const available = Math.max(MIN_TEXT_WIDTH, width - prefix.length);
  return wrapAnsi(text, available, { hard: false, trim: true, wordWrap: true })
    .split('\n')
    .map((line, n) => (n === 0 ? prefix : hang) + line);
}

/** Collects a table's rows (header first) starting at `table_open`; returns them and the index of `table_close`. */
function readTable(tokens: readonly Token[], start: number, color: boolean): { rows: string[][]; header: number; end: number } {
  const rows: string[][] = [];
  let header = 0;
  let row: string[] | undefined;
  let i = start;
  for (; i < tokens.length && tokens[i]!.type !== 'table_close'; i++) {
    const token = tokens[i]!;
    if (token.type === 'tr_open') row = [];
    else if (token.type === 'tr_close' && row) rows.push(row);
    else if (token.type === 'inline' && row) row.push(renderInline(token.children ?? [], color));
    else if (token.type === 'thead_close') header = rows.length;
  }
  return { rows, header, end: i };
}

/**
 * A table that fits `width`: every column first gets room for its longest word (so an id is never
 * cut), then the rest is shared in proportion to how much longer each column's longest cell is;
 * cells wrap inside their column.
 */
function renderTable(rows: string[][], header: number, width: number, color: boolean): string[] {
  const c = palette(color);
  const columns = Math.max(...rows.map((r) => r.length));
  const cells = (k: number): string[] => rows.map((r) => (r[k] ?? '').replace(ANSI, ''));
  const longest = Array.from({ length: columns }, (_, k) => Math.max(3, ...cells(k).map((t) => t.length)));
  const longestWord = Array.from({ length: columns }, (_, k) => Math.max(3, ...cells(k).flatMap((t) => t.split(/\s+/)).map((w) => w.length)));
  // Each column has a border and one space of padding either side.
  const room = Math.max(columns * 6, width - (3 * columns + 1));
  const floor = longestWord.reduce((a, b) => a + b, 0) <= room ? longestWord : longestWord.map(() => Math.floor(room / columns));
  const spare = room - floor.reduce((a, b) => a + b, 0);
  const wants = longest.map((w, k) => Math.max(0, w - floor[k]!));
  const wanted = wants.reduce((a, b) => a + b, 0);
  const colWidths = floor.map((f, k) => f + (wanted <= spare ? wants[k]! : Math.floor((wants[k]! / wanted) * spare)) + 2);
  const table = new Table({
    head: header > 0 ? rows[0]!.map((cell) => c.bold(cell)) : [],
    colWidths,
    wordWrap: true,
    style: { head: [], border: color ? ['grey'] : [], compact: false },
  });
  for (const row of rows.slice(header > 0 ? 1 : 0)) table.push(Array.from({ length: columns }, (_, k) => row[k] ?? ''));
  return table.toString().split('\n');
}

export function renderMarkdown(markdown: string, color: boolean, width: number = terminalWidth()): string {
  const c = palette(color);
  const tokens = md.parse(markdown, {});
  const lines: string[] = [];
  const lists: { ordered: boolean; next: number }[] = [];
  let pendingBullet = '';
  let quoteDepth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const depth = '  '.repeat(Math.max(0, lists.length - 1));
    const quote = '│ '.repeat(quoteDepth);
    switch (token.type) {
      case 'heading_open': {
        const text = renderInline(tokens[i + 1]?.children ?? [], false);
        const level = Number(token.tag.slice(1));
        if (lines.length > 0) lines.push('');
        for (const line of wrapBlock(text, '', '', width)) lines.push(level <= 2 ? c.bold.underline(line) : c.bold(line));
        i += 2;
        break;
      }
      case 'bullet_list_open':
        lists.push({ ordered: false, next: 0 });
        break;
      case 'ordered_list_open':
        lists.push({ ordered: true, next: Number(token.attrGet('start') ?? 1) });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        if (lists.length === 0) lines.push('');
        break;
      case 'list_item_open': {
        const list = lists[lists.length - 1];
        pendingBullet = list?.ordered ? `${list.next++}. ` : '• ';
        break;
      }
      case 'blockquote_open':
        quoteDepth++;
        break;
      case 'blockquote_close':
        quoteDepth--;
        break;
      case 'inline': {
        const text = renderInline(token.children ?? [], color);
        const prefix = quote + (lists.length > 0 ? depth + (pendingBullet || '  ') : '');
        const hang = quote + ' '.repeat(prefix.length - quote.length);
        // A hard break starts a new line; each piece is wrapped on its own.
        text.split('\n').forEach((piece, n) => lines.push(...wrapBlock(piece, n === 0 ? prefix : hang, hang, width)));
        pendingBullet = '';
        break;
      }
      case 'paragraph_close':
        if (lists.length === 0) lines.push(quoteDepth > 0 ? quote.trimEnd() : '');
        break;
      case 'table_open': {
        const { rows, header, end } = readTable(tokens, i, color);
        if (rows.length > 0) lines.push(...renderTable(rows, header, width, color), '');
        i = end;
        break;
      }
      // Code keeps its own line breaks: it is shown as written, never re-flowed.
      case 'fence':
      case 'code_block':
        for (const line of token.content.replace(/\n$/, '').split('\n')) lines.push(c.dim(`    ${line}`));
        lines.push('');
        break;
      case 'hr':
        lines.push(c.dim('─'.repeat(Math.min(40, width))));
        break;
      default:
        break;
    }
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd();
}

/** Plain text (a hint, a one-line message) wrapped to the width, continuation lines under the first. */
export function wrapText(text: string, width: number = terminalWidth(), indent = ''): string {
  return wrapBlock(text, indent, indent, width).join('\n');
}
