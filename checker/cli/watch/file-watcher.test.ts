import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { POLL_MS, PROBE_MS, watchFile } from './file-watcher.ts';

describe('watchFile', () => {
  let dir: string;
  let file: string;
  let saves = 0;
  // Each save changes the size, so it is seen even within one mtime tick.
  const save = (): void => fs.writeFileSync(file, 'x'.repeat(++saves));

  beforeEach(() => {
    vi.useFakeTimers();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watch-'));
    file = path.join(dir, 'mine.ts');
    save();
  });
  afterEach(() => {
    vi.useRealTimers();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says so and switches to polling when file events never report a save', () => {
    const onChange = vi.fn();
    const onSwitchToPolling = vi.fn();
    const silent = { close: vi.fn() };
    const watch = watchFile(file, { poll: false, onChange, onSwitchToPolling, watchDirectory: () => silent });
    save();
    vi.advanceTimersByTime(PROBE_MS);
    expect(onSwitchToPolling).not.toHaveBeenCalled();
    vi.advanceTimersByTime(PROBE_MS);
    expect(onSwitchToPolling).toHaveBeenCalledOnce();
    expect(onSwitchToPolling.mock.calls[0]![0]).toContain('not reported');
    // The save the events missed is graded, and later saves are found by polling.
    expect(onChange).toHaveBeenCalledOnce();
    expect(watch.polling()).toBe(true);
    expect(silent.close).toHaveBeenCalled();
    save();
    vi.advanceTimersByTime(POLL_MS);
    expect(onChange).toHaveBeenCalledTimes(2);
    watch.close();
  });

  it('keeps file events while they report saves', () => {
    const onChange = vi.fn();
    const onSwitchToPolling = vi.fn();
    let listener: (name: string | null) => void = () => undefined;
    const watch = watchFile(file, { poll: false, onChange, onSwitchToPolling, watchDirectory: (_dir, l) => ((listener = l), { close: () => undefined }) });
    for (let i = 0; i < 3; i++) {
      save();
      listener('mine.ts');
      vi.advanceTimersByTime(PROBE_MS * 2);
    }
    listener('someone-else.ts');
    expect(onChange).toHaveBeenCalledTimes(3);
    expect(onSwitchToPolling).not.toHaveBeenCalled();
    expect(watch.polling()).toBe(false);
    watch.close();
  });

  it('switches to polling when the watcher reports an error', () => {
    const onSwitchToPolling = vi.fn();
    let fail: () => void = () => undefined;
    const watch = watchFile(file, {
      poll: false,
      onChange: () => undefined,
      onSwitchToPolling,
      watchDirectory: () => ({ close: () => undefined, on: (_event: 'error', handler: () => void) => (fail = handler) }),
    });
    fail();
    expect(onSwitchToPolling).toHaveBeenCalledWith('file events stopped working');
    expect(watch.polling()).toBe(true);
    watch.close();
  });
});
