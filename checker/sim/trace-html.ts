import type { NodeId, SimEvent } from './events.ts';
import { normaliseTrace, type Trace } from './trace-text.ts';

/**
 * A simulated run as one self-contained HTML page: a timeline with one horizontal lane per node,
 * time going right, each message an arrow from sender (at its send time) to receiver (at its
 * delivery), lost ones dashed and ending in ✗, down time shaded, partitions as vertical bands, each
 * node's role drawn along its lane with its term. The SVG is laid out here, so the page shows the
 * run even with scripts off; a few lines of inline script only re-lay it out for zooming.
 * No external assets, no network. Pure: trace in, string out.
 */

export interface PageInfo {
  readonly title: string;
  /** Lines shown above the timeline: the requirement, the scenario, expected and actual. */
  readonly details: readonly string[];
}

const LANE_GAP = 70;
const TOP = 76;
const LEFT = 80;
/** Default zoom: the whole run fits about this many pixels, within sensible bounds. */
const FIT_WIDTH = 1400;

const esc = (s: string): string => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

interface Message { from: NodeId; to: NodeId; sent: number; end: number; lost: boolean; reason?: string; type: string; summary: string; injected: boolean }

function collect(trace: Trace): { messages: Message[]; down: { node: NodeId; from: number; to?: number }[]; roles: { node: NodeId; from: number; role: string; term: number; commit: number }[]; marks: SimEvent[]; end: number } {
  const sends = new Map<number, { time: number }>();
  const messages: Message[] = [];
  const down: { node: NodeId; from: number; to?: number }[] = [];
  const roles: { node: NodeId; from: number; role: string; term: number; commit: number }[] = [];
  const marks: SimEvent[] = [];
  let end = 0;
  for (const e of trace.events) {
    end = Math.max(end, e.time);
    switch (e.kind) {
      case 'send': sends.set(e.msgId, { time: e.time }); break;
      case 'duplicate': sends.set(e.msgId, { time: sends.get(e.copyOf)?.time ?? e.time }); break;
      case 'deliver':
      case 'drop': {
        const sent = e.kind === 'deliver' && e.injected ? e.time : sends.get(e.msgId)?.time ?? e.time;
        messages.push({ from: e.from, to: e.to, sent, end: e.time, lost: e.kind === 'drop', reason: e.kind === 'drop' ? e.reason : undefined, type: e.type, summary: e.summary, injected: e.kind === 'deliver' && e.injected === true });
        break;
      }
      case 'crash': down.push({ node: e.node, from: e.time }); break;
      case 'restart': { const open = [...down].reverse().find((d) => d.node === e.node && d.to === undefined); if (open) open.to = e.time; break; }
      case 'state': roles.push({ node: e.node, from: e.time, role: e.role, term: e.term, commit: e.commitIndex }); break;
      case 'partition': case 'cut': case 'heal': case 'client-request': case 'apply': case 'note': case 'pause': case 'resume': marks.push(e); break;
      default: break;
    }
  }
  return { messages, down, roles, marks, end: Math.max(end, trace.until ?? 0, 1) };
}

function markText(e: SimEvent): string {
  switch (e.kind) {
    case 'partition': return `partition ${e.groups.map((g) => `{${g.join(',')}}`).join(' ')}`;
    case 'cut': return `cut ${e.from}→${e.to}`;
    case 'heal': return 'heal';
    case 'client-request': return e.summary;
    case 'apply': return `applies ${e.summary}`;
    case 'note': return e.text;
    case 'pause': case 'resume': return `${e.kind} ${e.node}`;
    default: return e.kind;
  }
}

export function renderTraceHtml(given: Trace, info: PageInfo): string {
  const trace = normaliseTrace(given);
  const { messages, down, roles, marks, end } = collect(trace);
  const scale = Math.min(5, Math.max(0.1, FIT_WIDTH / end));
  const laneY = new Map(trace.nodes.map((id, i) => [id, TOP + 30 + i * LANE_GAP]));
  const y = (id: NodeId): number => laneY.get(id) ?? TOP;
  const x = (t: number): number => LEFT + t * scale;
  const height = TOP + 30 + trace.nodes.length * LANE_GAP;
  const parts: string[] = [];

  // Faults at the same moment (a heal and two cuts) stack their labels instead of overprinting.
  const faultsAt = new Map<number, number>();
  for (const m of marks) {
    if (m.kind === 'partition' || m.kind === 'cut' || m.kind === 'heal' || m.kind === 'note') {
      const level = faultsAt.get(m.time) ?? 0;
      faultsAt.set(m.time, level + 1);
      parts.push(`<g class="fault" data-t0="${m.time}"><line data-x="t0" x1="${x(m.time)}" x2="${x(m.time)}" y1="${TOP}" y2="${height}"/><text data-x="t0" x="${x(m.time) + 2}" y="${TOP - 4 - 12 * (level % 5)}">${esc(markText(m))}</text><title>${m.time} ms: ${esc(markText(m))}</title></g>`);
    }
  }
  for (const id of trace.nodes) {
    parts.push(`<g class="lane" data-node="${id}"><text class="lane-label" x="8" y="${y(id) + 4}">node ${id}</text><line data-x="axis" x1="${LEFT}" x2="${x(end)}" y1="${y(id)}" y2="${y(id)}"/></g>`);
  }
  for (const d of down) {
    const to = d.to ?? end;
    parts.push(`<rect class="down" data-t0="${d.from}" data-t1="${to}" data-x="span" x="${x(d.from)}" width="${Math.max(1, (to - d.from) * scale)}" y="${y(d.node) - 12}" height="24"><title>node ${d.node} down ${d.from}–${d.to ?? 'end'} ms</title></rect>`);
  }
  const byNode = new Map<NodeId, typeof roles>();
  for (const r of roles) byNode.set(r.node, [...(byNode.get(r.node) ?? []), r]);
  for (const [node, list] of byNode) {
    // Changes close together (candidate, then leader a few ms later) alternate between two heights.
    let level = 0;
    list.forEach((r, i) => {
      const until = list[i + 1]?.from ?? end;
      level = i > 0 && r.from - list[i - 1]!.from < 40 ? 1 - level : 0;
      parts.push(`<g class="role role-${esc(r.role)}" data-t0="${r.from}" data-t1="${until}"><line data-x="span" x1="${x(r.from)}" x2="${x(until)}" y1="${y(node)}" y2="${y(node)}"/><text data-x="t0" x="${x(r.from) + 2}" y="${y(node) - 16 - 11 * level}">${esc(r.role.slice(0, 1).toUpperCase())} t${r.term} c${r.commit}</text><title>${r.from} ms: node ${node} ${esc(r.role)}, term ${r.term}, commitIndex ${r.commit}</title></g>`);
    });
  }
  messages.forEach((m, i) => {
    const cls = `msg${m.lost ? ' lost' : ''}${m.injected ? ' injected' : ''}`;
    const endY = m.lost ? (y(m.from) + y(m.to)) / 2 : y(m.to);
    const tip = `#${i + 1} ${m.from}→${m.to} ${m.type} ${m.summary}; ${m.injected ? 'injected' : `sent ${m.sent} ms`}, ${m.lost ? `lost (${m.reason}) at` : 'delivered'} ${m.end} ms`;
    parts.push(`<g class="${cls}" data-t0="${m.sent}" data-t1="${m.end}" data-type="${esc(m.type)}"><line data-x="msg" x1="${x(m.sent)}" x2="${x(m.end)}" y1="${y(m.from)}" y2="${endY}"${m.lost ? '' : ' marker-end="url(#arrow)"'}/>${m.lost ? `<text class="cross" data-x="t1" x="${x(m.end) - 4}" y="${endY + 4}">✗</text>` : ''}<title>${esc(tip)}</title></g>`);
  });
  for (const m of marks) {
    if (m.kind === 'apply' || m.kind === 'client-request' || m.kind === 'pause' || m.kind === 'resume') {
      parts.push(`<g class="mark mark-${m.kind}" data-t0="${m.time}"><circle data-x="t0" cx="${x(m.time)}" cy="${y(m.node) + 14}" r="3"/><title>${m.time} ms: node ${m.node} ${esc(markText(m))}</title></g>`);
    }
  }

  const width = Math.ceil(x(end) + 60);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(info.title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:16px;color:#222;background:#fff}
h1{font-size:18px;margin:0 0 8px}
.details{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px;background:#f6f6f6;padding:8px;border-radius:4px;max-height:14em;overflow:auto}
.toolbar{margin:8px 0;display:flex;gap:8px;align-items:center}
.scroll{overflow:auto;border:1px solid #ddd}
svg text{font:11px ui-monospace,monospace}
.lane line{stroke:#bbb;stroke-width:1}
.lane-label{font-weight:bold}
.role line{stroke-width:5;opacity:.5}
.role-leader line{stroke:#1a7f37}.role-candidate line{stroke:#bf8700}.role-follower line{stroke:#8c959f}
.role text{fill:#555}
.msg line{stroke:#0969da;stroke-width:1}
.msg.lost line{stroke:#cf222e;stroke-dasharray:4 3}
.msg.injected line{stroke:#8250df;stroke-width:2}
.msg:hover line{stroke-width:3}
.cross{fill:#cf222e;font-weight:bold}
.down{fill:#cf222e;opacity:.15}
.fault line{stroke:#bf8700;stroke-dasharray:2 4}
.fault text{fill:#9a6700}
.mark-apply circle{fill:#1a7f37}.mark-client-request circle{fill:#8250df}
.legend span{margin-right:12px}
</style></head>
<body>
<h1>${esc(info.title)}</h1>
<div class="details">${esc(info.details.join('\n'))}</div>
<div class="toolbar"><button id="zoom-out" type="button">−</button><button id="zoom-in" type="button">+</button><button id="zoom-fit" type="button">fit</button>
<span id="zoom-level">${scale.toFixed(2)} px/ms</span>
<span class="legend"><span style="color:#1a7f37">■ leader</span><span style="color:#bf8700">■ candidate</span><span style="color:#8c959f">■ follower</span><span style="color:#0969da">→ delivered</span><span style="color:#cf222e">⇢ ✗ lost</span><span style="color:#8250df">→ injected by the grader</span></span></div>
<div class="scroll"><svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 20}" data-scale="${scale}" data-end="${end}" data-nodes="${trace.nodes.length}" data-messages="${messages.length}">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#0969da"/></marker></defs>
${parts.join('\n')}
</svg></div>
<p>${trace.nodes.length} nodes, ${messages.length} messages, ${end} ms of virtual time${trace.omitted > 0 ? `; the first ${trace.omitted} events are not included` : ''}. Hover an arrow for the message. Ctrl + wheel zooms.</p>
<script>${ZOOM_SCRIPT}</script>
</body></html>
`;
}

/** Re-lays out every element's x from its data-t0/data-t1 times at a new scale (px per ms). */
const ZOOM_SCRIPT = `
(function(){
  var svg=document.getElementById('timeline');var LEFT=${LEFT};var end=+svg.dataset.end;var fit=+svg.dataset.scale;var scale=fit;
  function x(t){return LEFT+t*scale;}
  function layout(){
    svg.querySelectorAll('[data-t0]').forEach(function(g){
      var t0=+g.dataset.t0,t1=g.dataset.t1===undefined?t0:+g.dataset.t1;
      var own=g.matches('rect')?[g]:g.querySelectorAll('[data-x]');
      own.forEach(function(el){
        var k=el.dataset.x;
        if(k==='span'&&el.tagName==='rect'){el.setAttribute('x',x(t0));el.setAttribute('width',Math.max(1,(t1-t0)*scale));}
        else if(k==='span'||k==='msg'){el.setAttribute('x1',x(t0));el.setAttribute('x2',x(t1));}
        else if(k==='t0'&&el.tagName==='line'){el.setAttribute('x1',x(t0));el.setAttribute('x2',x(t0));}
        else if(k==='t0'&&el.tagName==='circle'){el.setAttribute('cx',x(t0));}
        else if(k==='t0'){el.setAttribute('x',x(t0)+2);}
        else if(k==='t1'){el.setAttribute('x',x(t1)-4);}
      });
    });
    svg.querySelectorAll('[data-x="axis"]').forEach(function(l){l.setAttribute('x2',x(end));});
    svg.setAttribute('width',Math.ceil(x(end)+60));svg.dataset.scale=scale;
    document.getElementById('zoom-level').textContent=scale.toFixed(2)+' px/ms';
  }
  function zoom(f){scale=Math.min(50,Math.max(0.02,scale*f));layout();}
  document.getElementById('zoom-in').onclick=function(){zoom(1.5);};
  document.getElementById('zoom-out').onclick=function(){zoom(1/1.5);};
  document.getElementById('zoom-fit').onclick=function(){scale=fit;layout();};
  svg.addEventListener('wheel',function(e){if(!e.ctrlKey)return;e.preventDefault();zoom(e.deltaY<0?1.2:1/1.2);},{passive:false});
})();
`;
