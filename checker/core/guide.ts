import fs from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { WorkbookError } from '../cli/command.ts';
import type { GuideRef } from '../manifest/types.ts';

/**
 * Guide sections are found through markdown-it's token stream: a heading token carries the line
 * range it came from (`map`), so a section is the source lines from its heading to the next
 * heading of the same or a higher level.
 */

const md = new MarkdownIt();

export interface Heading {
  readonly level: number;
  readonly text: string;
  readonly line: number;
}

export function headings(markdown: string): Heading[] {
  const tokens = md.parse(markdown, {});
  const found: Heading[] = [];
  tokens.forEach((token, i) => {
    if (token.type === 'heading_open' && token.map) {
      found.push({ level: Number(token.tag.slice(1)), text: tokens[i + 1]?.content.trim() ?? '', line: token.map[0] });
    }
  });
  return found;
}

/** The markdown of one section (heading included), or undefined when there is no such heading. */
export function extractSection(markdown: string, section: string): string | undefined {
  const all = headings(markdown);
  const start = all.findIndex((h) => h.text === section);
  if (start < 0) return undefined;
  const heading = all[start]!;
  const end = all.slice(start + 1).find((h) => h.level <= heading.level);
  return markdown.split('\n').slice(heading.line, end?.line).join('\n').trimEnd();
}

export class MissingGuideError extends WorkbookError {}

export function readSection(root: string, ref: GuideRef): string {
  const file = path.join(root, ref.file);
  if (!fs.existsSync(file)) throw new MissingGuideError(`The guide ${ref.file} is missing from this workbook.`);
  const section = extractSection(fs.readFileSync(file, 'utf8'), ref.section);
  if (section === undefined) throw new MissingGuideError(`The guide ${ref.file} has no section "${ref.section}".`);
  return section;
}

export interface BriefQuestion {
  readonly id: string;
  readonly text: string;
}

/**
 * The questions of a challenge brief: list items that start with a bold id such as `**q1**`.
 * Read from the token stream so that formatting inside the question does not matter.
 */
export function extractQuestions(markdown: string): BriefQuestion[] {
  const questions: BriefQuestion[] = [];
  for (const token of md.parse(markdown, {})) {
    if (token.type !== 'inline' || !token.children) continue;
    const children = token.children.filter((child) => !(child.type === 'text' && child.content === ''));
    const [open, id, close] = children;
    if (open?.type !== 'strong_open' || close?.type !== 'strong_close' || !/^q\d+$/.test(id?.content ?? '')) continue;
    const text = children
      .slice(3)
      .map((child) => child.content)
      .join('')
      .replace(/^[\s:.)—-]+/, '')
      .trim();
    questions.push({ id: id!.content, text });
  }
  return questions;
}
