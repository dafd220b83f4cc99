/**
 * Imports a module that may be TypeScript (a grader, a demo, a quiz parser) at run time.
 *
 * Under tsx or vitest that is a plain `import()`. The bundled CLI (cli/launch.mjs) runs without a
 * TypeScript loader, so the first such import registers tsx's; commands that never import .ts at
 * run time (a verdict among them) never pay for it.
 */
let loader: Promise<void> | undefined;

export async function importSource(url: string): Promise<unknown> {
  if ((globalThis as Record<symbol, unknown>)[Symbol.for('workbook.lazyTypeScriptLoader')]) {
    loader ??= import('tsx/esm/api').then(({ register }) => {
      register();
    });
    await loader;
  }
  return import(url);
}
