import readline from 'node:readline';

/**
 * Single keys while watching (h, l, r, n, q), read in raw mode. Raw mode also swallows Ctrl-C as a
 * key, so it is turned back into the SIGINT that main.ts handles for every command.
 */
export type KeyInput = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

export function listenForKeys(input: KeyInput, onKey: (key: string) => void): () => void {
  if (!input.isTTY || !input.setRawMode) return () => undefined;
  readline.emitKeypressEvents(input);
  input.setRawMode(true);
  const listener = (text: string | undefined, key: { name?: string; ctrl?: boolean } | undefined): void => {
    if (key?.ctrl && key.name === 'c') {
      process.kill(process.pid, 'SIGINT');
      return;
    }
    const name = (key?.name ?? text ?? '').toLowerCase();
    if (name) onKey(name);
  };
  input.on('keypress', listener);
  input.resume();
  return () => {
    input.off('keypress', listener);
    input.setRawMode?.(false);
    input.pause();
  };
}
