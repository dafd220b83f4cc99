import { manifest } from '../../manifest/index.ts';
import { readProgress } from '../../core/progress/store.ts';
import { dueItemIds, loadAllQuizzes, type Quiz } from '../../core/quiz/index.ts';
import { EXIT, type Command } from '../command.ts';
import { runSession, todayFrom, type AskEntry } from './quiz.ts';

/**
 * `review`: asks again the items that are due today on the Leitner schedule (missed and partly
 * known ones come back sooner). `--today` makes the date explicit for scripts and tests.
 */

export { dueCount } from '../../core/quiz/leitner.ts';

export const command: Command = {
  name: 'review',
  summary: 'Spaced review: ask again the questions you missed or partly knew that are due today',
  usage: 'review [--today YYYY-MM-DD] [--answers FILE.json] [--json]',
  flags: { today: 'string', answers: 'string', json: 'boolean' },
  async run(io, args) {
    const today = todayFrom(args);
    const progress = readProgress(io.root);
    const quizzes = loadAllQuizzes(io.root, manifest);
    const due = new Set(dueItemIds(progress, today));
    // Review spans every module's quiz; each session runs on one quiz, so run them in turn.
    let code: number = EXIT.ok;
    let asked = 0;
    for (const quiz of quizzes) {
      const entries: AskEntry[] = [...due]
        .map((id) => quiz.items.find((i) => i.id === id))
        .filter((i): i is Quiz['items'][number] => i !== undefined)
        .map((item) => ({ item, stage: `box ${progress.quiz[item.id]?.box ?? 0}` }));
      if (entries.length === 0) continue;
      asked += entries.length;
      code = await runSession(io, args, quiz, entries, `questions due for review on ${today}`);
      if (code !== EXIT.ok) return code;
    }
    if (asked === 0) {
      if (args.flags.json === true) io.out(JSON.stringify({ today, pending: [] }, null, 2));
      else io.out(`Nothing is due for review on ${today}.`);
    }
    return code;
  },
};
