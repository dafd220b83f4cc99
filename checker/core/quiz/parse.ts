import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import type { ChoiceOption, ItemKind, ItemPhase, Quiz, QuizItem, QuizSection } from './types.ts';

/**
 * Reads a quiz file through markdown-it's token stream (md.parse), never with regexes over the
 * whole text, so code blocks, quotes and lists mean what markdown says they mean.
 * Layout (quizzes/README.md documents it for authors):
 *   # Title
 *   ## Section heading         followed by a ```section fence (id: ...)
 *   ### Item heading           followed by a ```item fence (id, kind, tests, when, accept, ...)
 *   prompt paragraphs, then for choice items a bullet list of "[ ] option" / "[x] option",
 *   then a blockquote with the model answer.
 */

export class QuizFormatError extends Error {
  constructor(readonly source: string, readonly line: number, message: string) {
    super(`${source}:${line}: ${message}`);
    this.name = 'QuizFormatError';
  }
}

const KINDS: readonly ItemKind[] = ['single', 'multiple', 'short', 'numeric', 'free', 'rate', 'check'];
const PHASES: readonly ItemPhase[] = ['before', 'after', 'any'];
const ITEM_FIELDS = new Set(['id', 'kind', 'tests', 'when', 'accept', 'tolerance', 'measure']);
const ID_SHAPE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const md = new MarkdownIt();

interface Draft {
  title: string;
  line: number;
  fields?: Map<string, string>;
  prompt: string[];
  options: ChoiceOption[];
  answer: string[];
}

/** Key: value lines of a metadata fence. */
function readFields(content: string, source: string, line: number, allowed: Set<string>): Map<string, string> {
  const fields = new Map<string, string>();
  content.split('\n').forEach((raw, i) => {
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    const colon = text.indexOf(':');
    if (colon <= 0) throw new QuizFormatError(source, line + 1 + i, `expected "key: value", got "${text}"`);
    const key = text.slice(0, colon).trim();
    if (!allowed.has(key)) throw new QuizFormatError(source, line + 1 + i, `unknown field "${key}"`);
    fields.set(key, text.slice(colon + 1).trim());
  });
  return fields;
}

function list(value: string | undefined, separator: string): string[] {
  return (value ?? '').split(separator).map((s) => s.trim()).filter(Boolean);
}

export function parseQuiz(text: string, source: string, moduleId: string): Quiz {
  const lines = text.split('\n');
  const slice = (token: Token): string => (token.map ? lines.slice(token.map[0], token.map[1]).join('\n').trim() : token.content);
  const lineOf = (token: Token): number => (token.map ? token.map[0] + 1 : 0);
  const tokens = md.parse(text, {});

  let title = '';
  const sections: { id: string; title: string; line: number; intro: string[]; itemIds: string[]; idSet: boolean }[] = [];
  const items: QuizItem[] = [];
  let draft: Draft | undefined;

  const finishDraft = (): void => {
    if (!draft) return;
    const d = draft;
    draft = undefined;
    const section = sections[sections.length - 1];
    if (!section) throw new QuizFormatError(source, d.line, 'item before any "## section" heading');
    if (!d.fields) throw new QuizFormatError(source, d.line, `item "${d.title}" has no \`\`\`item fence after its heading`);
    const id = d.fields.get('id') ?? '';
    if (!ID_SHAPE.test(id)) throw new QuizFormatError(source, d.line, `item id "${id}" must be kebab-case`);
    const kind = d.fields.get('kind') as ItemKind;
    if (!KINDS.includes(kind)) throw new QuizFormatError(source, d.line, `item ${id}: kind must be one of ${KINDS.join(', ')}`);
    const phase = (d.fields.get('when') ?? 'any') as ItemPhase;
    if (!PHASES.includes(phase)) throw new QuizFormatError(source, d.line, `item ${id}: when must be one of ${PHASES.join(', ')}`);
    const accept = list(d.fields.get('accept'), '|');
    const tolerance = Number(d.fields.get('tolerance') ?? '0');
    const isChoice = kind === 'single' || kind === 'multiple';
    const correct = d.options.filter((o) => o.correct).length;
    if (isChoice && d.options.length < 2) throw new QuizFormatError(source, d.line, `item ${id}: a choice item needs at least two "- [ ]" options`);
    if (!isChoice && d.options.length > 0) throw new QuizFormatError(source, d.line, `item ${id}: only single and multiple items have options`);
    if (kind === 'single' && correct !== 1) throw new QuizFormatError(source, d.line, `item ${id}: a single-choice item needs exactly one [x] option`);
    if (kind === 'multiple' && correct < 1) throw new QuizFormatError(source, d.line, `item ${id}: mark at least one option [x]`);
    if ((kind === 'short' || kind === 'numeric') && accept.length === 0)
      throw new QuizFormatError(source, d.line, `item ${id}: ${kind} items need "accept: form | form"`);
    if (kind === 'numeric' && accept.some((a) => Number.isNaN(Number(a))))
      throw new QuizFormatError(source, d.line, `item ${id}: numeric accepted answers must be numbers`);
    if (!Number.isFinite(tolerance) || tolerance < 0) throw new QuizFormatError(source, d.line, `item ${id}: bad tolerance`);
    if (d.prompt.length === 0) throw new QuizFormatError(source, d.line, `item ${id}: no question text`);
    if (kind !== 'check' && d.answer.length === 0)
      throw new QuizFormatError(source, d.line, `item ${id}: no model answer (a "> ..." blockquote)`);
    if (items.some((i) => i.id === id)) throw new QuizFormatError(source, d.line, `duplicate item id "${id}"`);
    items.push({
      id,
      kind,
      title: d.title,
      section: section.id,
      tests: list(d.fields.get('tests'), ','),
      phase,
      prompt: d.prompt.join('\n\n'),
      options: d.options,
      accept,
      tolerance,
      answer: d.answer.join('\n\n'),
      measure: d.fields.get('measure') || undefined,
      line: d.line,
    });
    section.itemIds.push(id);
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.level !== 0) continue; // nested tokens are read with their top-level block
    if (token.type === 'heading_open') {
      const heading = tokens[i + 1]!.content.trim();
      finishDraft();
      if (token.tag === 'h1') title = heading;
      else if (token.tag === 'h2') {
        const previous = sections[sections.length - 1];
        if (previous && !previous.idSet) throw new QuizFormatError(source, previous.line, `section "${previous.title}" has no \`\`\`section fence`);
        sections.push({ id: '', title: heading, line: lineOf(token), intro: [], itemIds: [], idSet: false });
      } else if (token.tag === 'h3') draft = { title: heading, line: lineOf(token), prompt: [], options: [], answer: [] };
      else throw new QuizFormatError(source, lineOf(token), `use #, ## and ### only (found ${token.tag})`);
      i += 2; // skip inline and heading_close
      continue;
    }
    const section = sections[sections.length - 1];
    if (token.type === 'fence' && token.info.trim() === 'section') {
      if (!section || draft || section.idSet) throw new QuizFormatError(source, lineOf(token), 'a ```section fence belongs right under a ## heading');
      const id = readFields(token.content, source, lineOf(token), new Set(['id'])).get('id') ?? '';
      if (!ID_SHAPE.test(id)) throw new QuizFormatError(source, lineOf(token), `section id "${id}" must be kebab-case`);
      if (sections.some((s) => s.id === id)) throw new QuizFormatError(source, lineOf(token), `duplicate section id "${id}"`);
      section.id = id;
      section.idSet = true;
      continue;
    }
    if (token.type === 'fence' && token.info.trim() === 'item') {
      if (!draft || draft.fields) throw new QuizFormatError(source, lineOf(token), 'a ```item fence belongs right under a ### heading');
      draft.fields = readFields(token.content, source, lineOf(token), ITEM_FIELDS);
      continue;
    }
    if (!draft) {
      // Prose between a section heading and its first item introduces the section.
      if (section && !token.type.endsWith('_close')) {
        const end = closingIndex(tokens, i);
        section.intro.push(slice(token));
        i = end;
      }
      continue;
    }
    const end = closingIndex(tokens, i);
    if (token.type === 'bullet_list_open' && draft.options.length === 0 && draft.answer.length === 0 && isOptionList(tokens, i, end)) {
      draft.options = readOptions(tokens, i, end);
    } else if (token.type === 'blockquote_open') {
      draft.answer.push(unquote(slice(token)));
    } else if (draft.answer.length > 0) {
      throw new QuizFormatError(source, lineOf(token), `item "${draft.title}": nothing may follow the model answer blockquote`);
    } else {
      draft.prompt.push(slice(token));
    }
    i = end;
  }
  finishDraft();
  const last = sections[sections.length - 1];
  if (last && !last.idSet) throw new QuizFormatError(source, last.line, `section "${last.title}" has no \`\`\`section fence`);

  const quizSections: QuizSection[] = sections.map((s) => ({ id: s.id, title: s.title, intro: s.intro.join('\n\n'), itemIds: s.itemIds }));
  return { moduleId, source, title, sections: quizSections, items };
}

/** Index of the token that closes the block opened at `start` (the token itself for leaf blocks). */
function closingIndex(tokens: readonly Token[], start: number): number {
  const open = tokens[start]!;
  if (open.nesting !== 1) return start;
  let depth = 0;
  for (let j = start; j < tokens.length; j++) {
    depth += tokens[j]!.nesting;
    if (depth === 0) return j;
  }
  return tokens.length - 1;
}

const BOX = /^\[( |x|X)\]\s+/;

/** True when every item of the list starts with a [ ] or [x] box. */
function isOptionList(tokens: readonly Token[], start: number, end: number): boolean {
  const inlines = listItemInlines(tokens, start, end);
  return inlines.length > 0 && inlines.every((t) => BOX.test(t.content));
}

function listItemInlines(tokens: readonly Token[], start: number, end: number): Token[] {
  const result: Token[] = [];
  const itemLevel = tokens[start]!.level + 1;
  for (let j = start + 1; j < end; j++) {
    const t = tokens[j]!;
    // the first inline inside each top-level list item is its text
    if (t.type === 'list_item_open' && t.level === itemLevel) {
      const inline = tokens.slice(j, end).find((x) => x.type === 'inline');
      if (inline) result.push(inline);
    }
  }
  return result;
}

function readOptions(tokens: readonly Token[], start: number, end: number): ChoiceOption[] {
  return listItemInlines(tokens, start, end).map((inline, index) => {
    const box = BOX.exec(inline.content)!;
    return { key: String.fromCharCode(97 + index), text: inline.content.slice(box[0].length).trim(), correct: box[1] !== ' ' };
  });
}

/** The blockquote's markdown without its "> " markers. */
function unquote(block: string): string {
  return block
    .split('\n')
    .map((l) => l.replace(/^\s*>\s?/, ''))
    .join('\n')
    .trim();
}
