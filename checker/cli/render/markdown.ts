import MarkdownIt from 'markdown-it';
import { palette } from './style.ts';

/**
 * Renders markdown for the terminal by walking markdown-it's tokens: headings bold, code dim and
 * indented, lists with bullets, links as "text (url)". Raw HTML blocks are dropped.
 */

const md = new MarkdownIt();
type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];

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
      case 'softbreak':
        out += '\n';
        break;
      case 'hardbreak':
        out += '\n';
        break;
      case 'link_close':
        break;
      case 'link_open': {
        const href = token.attrGet('href');
        if (href) styles.push(`link:${href}`);
        break;
      }
      default:
        if (token.children) out += renderInline(token.children, color);
    }
  }
  return out;
}

export function renderMarkdown(markdown: string, color: boolean): string {
  const c = palette(color);
  const tokens = md.parse(markdown, {});
  const lines: string[] = [];
  const lists: { ordered: boolean; next: number }[] = [];
  let pendingBullet = '';
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const depth = '  '.repeat(Math.max(0, lists.length - 1));
    switch (token.type) {
      case 'heading_open': {
        const text = renderInline(tokens[i + 1]?.children ?? [], false);
        const level = Number(token.tag.slice(1));
        if (lines.length > 0) lines.push('');
        lines.push(level <= 2 ? c.bold.underline(text) : c.bold(text));
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
      case 'inline': {
        const text = renderInline(token.children ?? [], color);
        const prefix = lists.length > 0 ? depth + pendingBullet : '';
        const hang = ' '.repeat(prefix.length);
        text.split('\n').forEach((line, n) => lines.push((n === 0 ? prefix : hang) + line));
        pendingBullet = '';
        break;
      }
      case 'paragraph_close':
        if (lists.length === 0) lines.push('');
        break;
      case 'fence':
      case 'code_block':
        for (const line of token.content.replace(/\n$/, '').split('\n')) lines.push(c.dim(`    ${line}`));
        lines.push('');
        break;
      case 'hr':
        lines.push(c.dim('─'.repeat(40)));
        break;
      default:
        break;
    }
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd();
}
