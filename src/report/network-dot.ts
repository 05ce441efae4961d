/**
 * A network drawing as Graphviz DOT, in the manner of quimb's `TensorNetwork.draw()`: one
 * round node per core, labelled with its index and physical dimension; one edge per bond,
 * labelled with the bond dimension, its width growing with log2 of it. Pure text, so it runs
 * in a browser as well as in Node.
 */
import type { NetworkDrawing } from './run-record.js';

/** Graphviz layout engines the drawings use. */
export type DotEngine = 'circo' | 'neato' | 'dot';

/**
 * The bonds of a drawing (upper triangle of the rank matrix), in row order. Ranks 0 and 1
 * are no bond: a rank-1 bond carries no correlation (the cores' product is an outer
 * product), and rank matrices elsewhere in tnkit write 1 for an absent edge.
 */
export function drawingEdges(drawing: NetworkDrawing): { a: number; b: number; rank: number }[] {
  const edges: { a: number; b: number; rank: number }[] = [];
  const n = drawing.dims.length;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const r = drawing.ranks[a]?.[b] ?? 0;
      if (r >= 2) edges.push({ a, b, rank: r });
    }
  }
  return edges;
}

/** Whether the bonds join every core (a walk from core 0 reaches all). */
function connected(n: number, edges: readonly { a: number; b: number }[]): boolean {
  const seen = new Set<number>([0]);
  const todo = [0];
  while (todo.length > 0) {
    const at = todo.pop()!;
    for (const e of edges) {
      const next = e.a === at ? e.b : e.b === at ? e.a : -1;
      if (next >= 0 && !seen.has(next)) {
        seen.add(next);
        todo.push(next);
      }
    }
  }
  return seen.size === n;
}

/**
 * `circo` for a ring (every core has two bonds and the bonds form one cycle), which places
 * the cores on a circle; `dot` left to right for a tree (a train is a row of cores);
 * `neato` (spring layout) for everything else.
 */
export function networkLayout(drawing: NetworkDrawing): DotEngine {
  const n = drawing.dims.length;
  const edges = drawingEdges(drawing);
  if (n >= 2 && edges.length === n - 1 && connected(n, edges)) return 'dot';
  if (n < 3 || edges.length !== n) return 'neato';
  const degree = new Array<number>(n).fill(0);
  for (const e of edges) {
    degree[e.a]!++;
    degree[e.b]!++;
  }
  if (degree.some((d) => d !== 2)) return 'neato';
  // Degree 2 everywhere with n edges is a union of cycles: a ring when one walk visits all.
  const seen = new Set<number>([0]);
  let prev = -1;
  let at = 0;
  for (;;) {
    const next = edges.map((e) => (e.a === at ? e.b : e.b === at ? e.a : -1)).find((v) => v >= 0 && v !== prev);
    if (next === undefined || seen.has(next)) break;
    seen.add(next);
    prev = at;
    at = next;
  }
  return seen.size === n ? 'circo' : 'neato';
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

/** Line width for a bond of dimension `rank`: 1 at rank 1, growing with log2(rank) (2.2 at 2, 8.2 at 64). */
export function bondWidth(rank: number): number {
  return Number((1 + 1.2 * Math.log2(Math.max(rank, 1))).toFixed(2));
}

/**
 * Diameter (inches) of every node's circle: 0.62, or wide enough for the longest label
 * (`d=176` needs more) at about 0.1 inch per character of 12-point Helvetica, on two lines.
 */
export function nodeWidth(dims: readonly number[]): number {
  const chars = Math.max(0, ...dims.map((d, i) => Math.max(`d=${d}`.length, String(i).length)));
  return Number(Math.max(0.62, Math.hypot(0.1 * chars + 0.1, 0.42)).toFixed(2));
}

/**
 * DOT text for a drawing. Nodes are `c0`, `c1`, …, labelled `index` over `d=dim`; edges are
 * labelled with their bond dimension (ranks ≤ 1 are not drawn, see {@link drawingEdges}). The
 * graph names its layout (`layout=circo|neato`) so the DOT renders alike anywhere.
 * @throws Error when the rank matrix is not one row per core.
 */
export function networkDot(drawing: NetworkDrawing): string {
  const n = drawing.dims.length;
  if (drawing.ranks.length !== n || drawing.ranks.some((r) => r.length !== n)) {
    throw new Error(`network drawing '${drawing.label}': ranks must be ${n}×${n} (one row and column per core)`);
  }
  const engine = networkLayout(drawing);
  const lines = [
    'graph network {',
    `  layout=${engine}; overlap=false; splines=true; pad=0.25; bgcolor="white";${engine === 'dot' ? ' rankdir=LR; nodesep=0.3; ranksep=0.5;' : ''}`,
    `  label=${quote(drawing.label)}; labelloc=b; fontname="Helvetica"; fontsize=13; fontcolor="#5b6473";`,
    engine === 'neato' ? '  sep="+12"; epsilon=0.0001; start=7;' : engine === 'circo' ? '  mindist=0.6;' : '',
    `  node [shape=circle, style=filled, fillcolor="#dbe6f6", color="#2f5d9f", penwidth=1.6, fontname="Helvetica", fontsize=12, width=${nodeWidth(drawing.dims)}, fixedsize=true];`,
    '  edge [color="#3b4250", fontname="Helvetica", fontsize=12, fontcolor="#1d2330", len=1.3];',
  ];
  drawing.dims.forEach((d, i) => lines.push(`  c${i} [label=${quote(`${i}\nd=${d}`)}, tooltip=${quote(`core ${i}: physical dimension ${d}`)}];`));
  for (const e of drawingEdges(drawing)) {
    lines.push(`  c${e.a} -- c${e.b} [label=${quote(` ${e.rank} `)}, penwidth=${bondWidth(e.rank)}, tooltip=${quote(`bond ${e.a}–${e.b}: dimension ${e.rank}`)}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
