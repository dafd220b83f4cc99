import fs from 'node:fs';
import path from 'node:path';
import { manifest } from '../../manifest/index.ts';
import { readProgress } from '../../core/progress/store.ts';
import { patternIdsOf } from '../../core/quiz/index.ts';
import { journalHtml, renderJournal } from '../../core/journal.ts';
import { userPath } from '../user-path.ts';
import { EXIT, type Command } from '../command.ts';
import { renderMarkdown } from '../render/markdown.ts';
import { requireQuiz } from './quiz.ts';

/** `journal`: the chapter's fill-in sections with your answers, in the terminal and as a web page. */

export const DEFAULT_JOURNAL_HTML = path.join('.workbook', 'journal.html');

export const command: Command = {
  name: 'journal',
  summary: 'Your answers filled into the chapter\'s workbook sections (terminal + HTML page)',
  usage: 'journal [module] [--html FILE] [--json]',
  flags: { html: 'string', json: 'boolean' },
  async run(io, args) {
    const quiz = requireQuiz(io.root, args.positionals[0] ?? 'consensus');
    const markdown = renderJournal(quiz, readProgress(io.root), patternIdsOf(manifest));
    const given = typeof args.flags.html === 'string' ? args.flags.html : undefined;
    const file = given ? userPath(io, given) : path.join(io.root, DEFAULT_JOURNAL_HTML);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, journalHtml(markdown, `${quiz.title}: my journal`));
    if (args.flags.json === true) io.out(JSON.stringify({ module: quiz.moduleId, html: file, markdown }, null, 2));
    else {
      io.out(renderMarkdown(markdown, io.color));
      // As the user typed it, or in full: never relative to a folder they did not name.
      io.out(`\nSaved as a web page: ${given ?? file}`);
    }
    return EXIT.ok;
  },
};
