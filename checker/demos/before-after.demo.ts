import { CHAPTER_PARTITIONS, comparePartition, majorityOf } from './before-after.ts';

const set = (ids: readonly number[]): string => `{${ids.join(',')}}`;
const list = (ids: readonly number[]): string => (ids.length === 0 ? 'none' : ids.map((id) => `node ${id}`).join(', '));

/**
 * Before/after: the naive "highest visible id" election against majority election, side by side
 * on the chapter's two partitions. Prints the numbers the chapter asks the learner to work out.
 */
export default async function runDemo(out: (line: string) => void): Promise<void> {
  try {
    for (const sides of CHAPTER_PARTITIONS) {
      const size = sides.reduce((n, side) => n + side.length, 0);
      const outcome = comparePartition(sides);
      out(`${size} nodes, partition ${sides.map(set).join(' | ')}; a majority is ${majorityOf(size)}`);
      out(`  ${'approach'.padEnd(18)}${'leaders'.padEnd(9)}${'who'.padEnd(20)}sides serving writes`);
      out(`  ${'naive highest id'.padEnd(18)}${String(outcome.naiveLeaders.length).padEnd(9)}${list(outcome.naiveLeaders).padEnd(20)}${sides.map(set).join(' and ')} (split-brain)`);
      out(
        `  ${'majority vote'.padEnd(18)}${String(outcome.majorityLeaders.length).padEnd(9)}${list(outcome.majorityLeaders).padEnd(20)}${outcome.writableSides.map(set).join(' and ') || 'none'}`,
      );
      for (const side of sides) {
        const enough = side.length >= majorityOf(size);
        out(`  side ${set(side)}: ${side.length} of ${size} votes reachable, ${enough ? 'enough' : 'not enough'} to elect`);
      }
      out('');
    }
    out('Any two majorities share at least one node, and that node votes once per term: only one side can win.');
  } catch (error) {
    out(`The demo failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
