import fs from 'node:fs';
import path from 'node:path';
import { manifest } from '../../manifest/index.ts';
import { readSection } from '../../core/guide.ts';
import { resolveExercise } from '../../core/resolve.ts';
import { EXIT, type Command } from '../command.ts';
import { renderMarkdown } from '../render/markdown.ts';

export const command: Command = {
  name: 'guide',
  summary: "Read a pattern's guide in the terminal (a module id shows the whole module guide)",
  usage: 'guide <id|module> [--raw]',
  flags: { raw: 'boolean' },
  async run(io, args) {
    const query = args.positionals[0] ?? manifest.modules[0]!.id;
    const module = manifest.modules.find((m) => m.id === query);
    const markdown = module
      ? fs.readFileSync(path.join(io.root, module.guide), 'utf8')
      : readSection(io.root, resolveExercise(manifest, query).guide);
    io.out(args.flags.raw ? markdown : renderMarkdown(markdown, io.color));
    return EXIT.ok;
  },
};
