import { describe, it, expect } from 'vitest';
import { Window } from 'happy-dom';
import { renderTraceHtml } from './trace-html.ts';
import { renderTraceText, traceOf, type Trace } from './trace-text.ts';
import { sampleTrace } from './trace-sample.ts';
import type { SimEvent } from './events.ts';

const count = (t: Trace, kind: SimEvent['kind']): number => t.events.filter((e) => e.kind === kind).length;

function pageOf(trace: Trace, scripts = false) {
  // Our own page, not untrusted code: evaluating its inline script in happy-dom's VM is fine.
  const window = new Window({ settings: { enableJavaScriptEvaluation: scripts, suppressInsecureJavaScriptEnvironmentWarning: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true } });
  window.document.write(renderTraceHtml(trace, { title: 'sample run', details: ['1. step one', 'Expected: x', 'Actually: y'] }));
  return window;
}

describe('the trace of a simulated run', () => {
  const trace = sampleTrace();

  it('is the same for the same seed, and carries every kind of event the sample provokes', () => {
    expect(JSON.stringify(sampleTrace())).toBe(JSON.stringify(trace));
    for (const kind of ['send', 'deliver', 'drop', 'crash', 'restart', 'partition', 'heal', 'state', 'apply', 'client-request'] as const) {
      expect(count(trace, kind), kind).toBeGreaterThan(0);
    }
    expect(count(trace, 'timer')).toBe(0);
  });

  it('keeps only the last events when a run is long, and says how many it left out', () => {
    const short = traceOf(trace.events, trace.nodes, 10);
    expect(short.events).toHaveLength(10);
    expect(short.omitted).toBe(trace.events.length - 10);
    expect(renderTraceText(short)[1]).toMatch(new RegExp(`… ${short.omitted} earlier events not shown`));
  });

  it('draws the terminal diagram: a column per node, arrows for messages, ✗ for lost ones, crashes, partitions, roles and terms', () => {
    const lines = renderTraceText(trace, { maxRows: 1000 });
    expect(lines[0]).toMatch(/ms\s+node 1\s+node 2\s+node 3/);
    const text = lines.join('\n');
    expect(text).toMatch(/●─+▶/);
    expect(text).toMatch(/◀─+●/);
    expect(text).toMatch(/✗ lost|✗ cut off|is down/);
    expect(text).toContain('✖ crash');
    expect(text).toContain('↻ restart');
    expect(text).toMatch(/┄.*partition \{\d\} \{\d,\d\}/);
    expect(text).toMatch(/L t\d+ c\d+/);
    expect(text).toMatch(/✓ \d+:x/);
    // A crashed node's lane is dotted until it restarts.
    const crashAt = lines.findIndex((l) => l.includes('✖ crash'));
    expect(lines[crashAt + 1]).toContain('┊');
  });

  it('folds repeated heartbeats into one line and keeps to the row limit', () => {
    const lines = renderTraceText(trace, { maxRows: 25 });
    expect(lines.length).toBeLessThanOrEqual(25 + 3);
    expect(lines.join('\n')).toMatch(/⋮ \d+ more messages like the ones above/);
  });

  it('survives the trip from the grading worker as JSON', () => {
    const back = JSON.parse(JSON.stringify(trace)) as Trace;
    expect(renderTraceText(back)).toEqual(renderTraceText(trace));
    expect(renderTraceHtml(back, { title: 't', details: [] })).toBe(renderTraceHtml(trace, { title: 't', details: [] }));
  });
});

describe('the trace page', () => {
  const trace = sampleTrace();
  const messages = count(trace, 'deliver') + count(trace, 'drop');

  it('has one lane per node and one arrow per delivered or lost message, laid out without running any script', () => {
    const { document } = pageOf(trace);
    expect(document.querySelectorAll('.lane')).toHaveLength(3);
    expect([...document.querySelectorAll('.lane-label')].map((e) => e.textContent)).toEqual(['node 1', 'node 2', 'node 3']);
    expect(document.querySelectorAll('.msg')).toHaveLength(messages);
    expect(document.querySelectorAll('.msg.lost')).toHaveLength(count(trace, 'drop'));
    expect(document.querySelectorAll('.down')).toHaveLength(count(trace, 'crash'));
    expect(document.querySelectorAll('.fault').length).toBeGreaterThanOrEqual(2);
    expect(document.querySelectorAll('.role-leader').length).toBeGreaterThan(0);
    for (const line of document.querySelectorAll('.msg line')) {
      expect(Number(line.getAttribute('x2'))).toBeGreaterThanOrEqual(Number(line.getAttribute('x1')));
    }
  });

  it('says what each arrow is when hovered, and shows the failing scenario', () => {
    const { document } = pageOf(trace);
    const tips = [...document.querySelectorAll('.msg title')].map((t) => t.textContent ?? '');
    expect(tips.some((t) => /RequestVote t\d+ .*sent \d+ ms, delivered \d+ ms/.test(t))).toBe(true);
    expect(tips.some((t) => /lost \((lost|partition|crashed)\) at \d+ ms/.test(t))).toBe(true);
    expect(document.querySelector('.details')?.textContent).toContain('Expected: x');
    expect(document.title).toBe('sample run');
  });

  it('is self-contained: no external scripts, styles, images or links', () => {
    const html = renderTraceHtml(trace, { title: 't', details: [] });
    expect(html).not.toMatch(/<(script|img|link|iframe)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).toMatch(/<style>/);
    expect(html).toMatch(/<script>/);
  });

  it('zooms: the inline script re-lays out every arrow at the new scale', async () => {
    const window = pageOf(trace, true);
    const { document } = window;
    await window.happyDOM.waitUntilComplete();
    const svg = document.getElementById('timeline')!;
    const line = document.querySelector('.msg:not(.lost) line')!;
    const width = Number(svg.getAttribute('width'));
    const x2 = Number(line.getAttribute('x2'));
    (document.getElementById('zoom-in') as unknown as { click(): void }).click();
    expect(Number(svg.getAttribute('width'))).toBeGreaterThan(width);
    expect(Number(line.getAttribute('x2'))).toBeGreaterThan(x2);
    (document.getElementById('zoom-fit') as unknown as { click(): void }).click();
    expect(Number(svg.getAttribute('width'))).toBe(width);
    await window.happyDOM.close();
  });
});

describe('withTrace', () => {
  const sim = { log: sampleTrace().events, nodeIds: [1, 2, 3], now: 99_999 };
  it('adds the diagram and the events to a failing scenario, and lets other errors through', async () => {
    const { Scenario } = await import('../engine/grader.ts');
    const { withTrace } = await import('./traced.ts');
    let caught: unknown;
    try {
      withTrace(sim, () => new Scenario('3 nodes').fail('one leader', 'two'));
    } catch (error) {
      caught = error;
    }
    const report = (caught as { report: { diagram?: string[]; trace?: Trace; steps: string[] } }).report;
    expect(report.steps).toEqual(['3 nodes']);
    expect(report.diagram?.[0]).toMatch(/node 1\s+node 2\s+node 3/);
    expect(report.trace?.events.length).toBe(sim.log.length);
    // A check that waited past the last event says so on the last row, with the time it stopped.
    expect(report.diagram?.at(-2)).toMatch(/^\s*99999 .*the check stopped here$/);
    expect(() => withTrace(sim, () => { throw new TypeError('boom'); })).toThrow(TypeError);
    expect(withTrace(sim, () => 42)).toBe(42);
  });
});

describe('traceFailures', () => {
  it('gives every failing requirement the failing run, with nodes read from the log, and resets before each', async () => {
    const { Scenario } = await import('../engine/grader.ts');
    const { traceFailures } = await import('./traced.ts');
    const log = sampleTrace().events;
    let resets = 0;
    const [failing, passing] = traceFailures<unknown>([
      { id: 'f', title: 'fails', kind: 'safety', check: () => new Scenario('s').fail('a', 'b') },
      { id: 'p', title: 'passes', kind: 'liveness', check: () => undefined },
    ], () => log, () => { resets++; });
    const error = await Promise.resolve(failing!.check({} as never)).then(() => undefined, (e: unknown) => e);
    const report = (error as { report: { trace?: Trace; diagram?: string[] } }).report;
    expect(report.trace?.nodes).toEqual([1, 2, 3]);
    expect(report.diagram?.length).toBeGreaterThan(3);
    await passing!.check({} as never);
    expect(resets).toBe(2);
  });
});

describe('a forged trace', () => {
  it('never puts its text into the page as markup, and drops what it does not know', () => {
    const evil = '"><script>alert(1)</script>';
    const forged = {
      nodes: [1, evil],
      events: [
        { kind: 'deliver', time: evil, from: 1, to: evil, msgId: 1, type: evil, summary: evil },
        { kind: 'state', time: 5, node: 1, term: evil, role: evil, commitIndex: 0 },
        { kind: 'script', time: 1, html: evil },
      ],
      omitted: evil,
    };
    const html = renderTraceHtml(forged as unknown as Trace, { title: evil, details: [evil] });
    expect(html).not.toContain('<script>alert');
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(renderTraceText(forged as unknown as Trace).join('\n')).not.toContain('undefined');
  });
});
