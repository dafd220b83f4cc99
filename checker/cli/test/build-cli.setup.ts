import { bundledMain } from '../launch/bundle.mjs';

/**
 * Brings the CLI bundle up to date once, before the tests that start the CLI run in parallel, so
 * they do not all build it at the same moment (they would each build, and all but one throw theirs
 * away). A bundle that cannot be built fails here, with the reason, rather than in every test.
 */
export default async function setup(): Promise<void> {
  const previous = process.env.WORKBOOK_DEBUG;
  process.env.WORKBOOK_DEBUG = '1';
  try {
    if (!(await bundledMain())) throw new Error('the CLI bundle could not be built (see the reason above)');
  } finally {
    if (previous === undefined) delete process.env.WORKBOOK_DEBUG;
    else process.env.WORKBOOK_DEBUG = previous;
  }
}
