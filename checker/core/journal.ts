import MarkdownIt from 'markdown-it';
import type { Progress, QuizAnswer } from './progress/schema.ts';
import type { Quiz, QuizItem } from './quiz/types.ts';
import { describeResponse } from './quiz/grade.ts';
import { lastAnswer, predictionPair } from './quiz/stage.ts';
import { inert } from '../engine/sandbox/inert.ts';

/**
 * The learner's journal: the chapter's fill-in sections with the learner's own answers in place,
 * as Markdown (for the terminal) and as a standalone HTML page. Pure: the caller writes files.
 */

const OUTCOME_WORDS: Readonly<Record<QuizAnswer['outcome'], string>> = {
  correct: 'correct',
  incorrect: 'not right yet',
  missed: 'self-rated: missed',
  partly: 'self-rated: partly',
  'got-it': 'self-rated: got it',
  unrated: 'a prediction, rated once the pattern passes',
};

/** Blockquotes every line, so a learner's multi-line answer stays one block. */
function quote(text: string): string {
  return text.split('\n').map((l) => (l.trim() === '' ? '>' : `> ${l}`)).join('\n');
}

function answerLine(item: QuizItem, answer: QuizAnswer, label: string): string {
  // Read from the progress file, which may have been edited or carried over: shown inert.
  const text = inert(item.kind === 'rate' ? String(answer.response) : describeResponse(item, answer.response));
  const day = inert(String(answer.at).slice(0, 10), { oneLine: true });
  if (item.kind === 'rate') return `**${label}:** ${text.replace('-', ' ')} (${day})`;
  return `**${label}** (${day}, ${OUTCOME_WORDS[answer.outcome]}):\n\n${quote(text)}`;
}

function renderItem(item: QuizItem, progress: Progress, patternIds: ReadonlySet<string>): string {
  if (item.kind === 'check') return `- [${progress.checklist[item.id] ? 'x' : ' '}] ${item.prompt}`;
  const parts = [`### ${item.title}`, item.prompt];
  if (item.options.length > 0) parts.push(item.options.map((o) => `- ${o.key}) ${o.text}`).join('\n'));
  const last = lastAnswer(item, progress);
  if (!last) {
    parts.push('_Not answered yet._');
    return parts.join('\n\n');
  }
  if (item.phase === 'before') {
    const pair = predictionPair(item, progress, patternIds);
    parts.push(pair.prediction ? answerLine(item, pair.prediction, 'Your prediction') : '_No prediction made before implementing._');
    parts.push(pair.verified ? answerLine(item, pair.verified, 'Verified after implementing') : '_Not verified yet: answer again once the pattern passes._');
  } else {
    parts.push(answerLine(item, last, item.kind === 'rate' ? 'Your rating' : 'Your answer'));
  }
  parts.push(`*Model answer:* ${item.answer}`);
  return parts.join('\n\n');
}

export function renderJournal(quiz: Quiz, progress: Progress, patternIds: ReadonlySet<string>): string {
  const byId = new Map(quiz.items.map((i) => [i.id, i]));
  const out: string[] = [`# ${quiz.title}: my journal`];
  for (const section of quiz.sections) {
    out.push(`## ${section.title}`);
    if (section.intro) out.push(section.intro);
    const items = section.itemIds.map((id) => byId.get(id)!);
    const checks = items.filter((i) => i.kind === 'check');
    for (const item of items.filter((i) => i.kind !== 'check')) out.push(renderItem(item, progress, patternIds));
    if (checks.length > 0) out.push(checks.map((i) => renderItem(i, progress, patternIds)).join('\n'));
  }
  return `${out.join('\n\n')}\n`;
}

// html: false, so anything a learner typed that looks like HTML is shown as text, never run.
const md = new MarkdownIt({ html: false, linkify: false });

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function journalHtml(markdown: string, title: string): string {
  const body = md.render(markdown);
  const esc = escapeHtml(title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
blockquote { border-left: 4px solid #8a8; margin-left: 0; padding-left: 1rem; background: #f5faf5; }
code { background: #f2f2f2; padding: 0 .2rem; }
</style>
</head>
<body>
${body}</body>
</html>
`;
}
