import { gradeExercise } from '../../engine/grade-exercise.ts';
import { isPass } from '../../engine/results.ts';
import { classifyGrowth } from '../../engine/complexity.ts';
import { manifest } from '../../manifest/index.ts';
import { updateProgress } from '../../core/progress/store.ts';
import { resolveExercise } from '../../core/resolve.ts';
import { nextUnfinished, noPredictionNote, predictionsFor, recordRun, replayCommand } from '../../core/workflow.ts';
import { readProgress } from '../../core/progress/store.ts';
import type { Progress } from '../../core/progress/schema.ts';
import type { Quiz } from '../../core/quiz/types.ts';
import { seedFlag } from '../args.ts';
import { sourceReader } from '../user-path.ts';
import { EXIT, UsageError, type Command } from '../command.ts';
import { renderGradeResult } from '../render/verdict.ts';
import { renderComplexity } from '../render/complexity.ts';

export const command: Command = {
  name: 'run',
  summary: 'Grade your file for one exercise: a verdict per requirement (exit 0 pass, 1 fail)',
  usage: 'run [id] [--seed N] [--only REQ] [--solution] [--json]',
  flags: { seed: 'string', only: 'string', solution: 'boolean', json: 'boolean' },
  async run(io, args) {
    // Without an id: the next exercise that does not pass yet, as the menu's "Continue" would pick.
    const query = args.positionals[0];
    const entry = query ? resolveExercise(manifest, query) : nextUnfinished(manifest, readProgress(io.root));
    if (!entry) {
      io.out('Every exercise passes. `npm run exercise -- scorecard` shows your mastery gate.');
      return EXIT.ok;
    }
    const seed = seedFlag(args);
    const onSolution = args.flags.solution === true;
    const only = typeof args.flags.only === 'string' ? args.flags.only.split(',') : undefined;
    const measure = entry.kind === 'pattern' && !only;
    // The quiz (for the learner's predictions) loads while the worker grades: once the first check
    // starts, so that parsing it (markdown-it) does not compete with the worker's start for the CPU.
    let quiz: Promise<{ quiz: Quiz | undefined; patternIds: ReadonlySet<string> } | undefined> | undefined;
    const loadQuiz = (): typeof quiz =>
      measure
        ? (quiz ??= import('../../core/quiz/index.ts')
            .then((q) => ({ quiz: q.loadQuiz(io.root, entry.id.split('/')[0]!), patternIds: q.patternIdsOf(manifest) }))
            .catch(() => undefined))
        : undefined;
    const onProgress = (title: string): void => {
      void loadQuiz();
      io.status?.(`checking: ${title}`);
    };
    const result = await gradeExercise({ root: io.root, entry, seed, only, measure, target: onSolution ? 'solution' : 'exercise', onProgress });
    io.status?.('');
    if (only && !result.loadProblem && result.requirements.length === 0) {
      throw new UsageError(`--only ${only.join(',')} matches no requirement of ${entry.id}; \`run ${entry.id} --json\` lists their ids.`);
    }
    const pass = isPass(result);
    // Only the learner's own runs count towards progress. If the progress file cannot be used, the
    // verdict is still shown first, then the error.
    let progress: Progress | undefined;
    let saveError: unknown;
    try {
      progress = !onSolution && !only ? await updateProgress(io.root, (p) => recordRun(p, result, new Date())) : readProgress(io.root);
    } catch (error) {
      saveError = error;
    }
    if (args.flags.json) {
      io.out(JSON.stringify(result, null, 2));
      if (saveError) throw saveError;
      return pass ? EXIT.ok : EXIT.failed;
    }
    io.out(renderGradeResult(result, { color: io.color, replay: replayCommand(entry.id, result.seed), readSource: sourceReader(io.root) }));
    if (pass && result.complexity) {
      const measured = result.complexity;
      io.out('');
      const loaded = await loadQuiz();
      const predictions = progress && loaded ? predictionsFor(loaded.quiz, progress, entry.id, loaded.patternIds) : [];
      io.out(renderComplexity(measured, 'problem' in measured ? undefined : classifyGrowth(measured.points), io.color, predictions, noPredictionNote(loaded?.quiz, entry.id)));
    }
    if (!pass) io.out(`\nStuck? \`npm run exercise -- hint ${entry.id}\` shows the next hint; \`guide ${entry.id}\` the guide.`);
    if (saveError) throw saveError;
    return pass ? EXIT.ok : EXIT.failed;
  },
};

