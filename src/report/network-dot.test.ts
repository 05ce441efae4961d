import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bondWidth, drawingEdges, networkDot, networkLayout, nodeWidth } from './network-dot.js';
import { renderDotSvg } from './render.js';
import type { NetworkDrawing } from './run-record.js';

/** A ring of cores: bond k joins core k and core k+1 (mod n). */
function ring(dims: number[], bonds: number[]): NetworkDrawing {
  const n = dims.length;
  const ranks = dims.map(() => new Array<number>(n).fill(0));
  bonds.forEach((r, k) => {
    ranks[k]![(k + 1) % n] = r;
    ranks[(k + 1) % n]![k] = r;
  });
  return { label: 'ring', dims, ranks };
}

describe('networkDot', () => {
  it('draws a ring of 4 cores with ranks [2, 3, 4, 5]: 4 nodes, 4 labelled edges, circo, widths growing with rank', async () => {
    const drawing = ring([4, 5, 6, 7], [2, 3, 4, 5]);
    const dot = networkDot(drawing);
    const nodes = dot.match(/^ {2}c\d+ \[label=/gm) ?? [];
    const edges = [...dot.matchAll(/^ {2}c(\d+) -- c(\d+) \[label=" (\d+) ", penwidth=([\d.]+)/gm)];
    expect(nodes).toHaveLength(4);
    expect(edges.map((e) => [Number(e[1]), Number(e[2]), Number(e[3])])).toEqual([[0, 1, 2], [0, 3, 5], [1, 2, 3], [2, 3, 4]]);
    const widths = edges.map((e) => [Number(e[3]), Number(e[4])]).sort((a, b) => a[0]! - b[0]!).map((w) => w[1]!);
    expect(widths).toEqual([...widths].sort((a, b) => a - b));
    expect(new Set(widths).size).toBe(4);
    expect(dot).toContain('label="0\\nd=4"');
    expect(networkLayout(drawing)).toBe('circo');
    expect(dot).toContain('layout=circo');

    const svg = await renderDotSvg(dot, networkLayout(drawing));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).not.toMatch(/<!DOCTYPE|<\?xml|<!--/);
    expect(svg.match(/class="node"/g)).toHaveLength(4);
    expect(svg.match(/class="edge"/g)).toHaveLength(4);
    for (const r of ['2', '3', '4', '5']) expect(svg).toMatch(new RegExp(`<text[^>]*> ?${r} ?</text>`));
    expect(svg).toContain('d=7');
  });

  it('treats ranks 0 and 1 as no bond (tnkit rank matrices write 1 for an absent edge), lays out a train left to right with dot', async () => {
    const chain: NetworkDrawing = { label: 'tt', dims: [2, 2, 2], ranks: [[1, 3, 1], [3, 1, 2], [1, 2, 1]] };
    expect(drawingEdges(chain)).toEqual([{ a: 0, b: 1, rank: 3 }, { a: 1, b: 2, rank: 2 }]);
    expect(networkLayout(chain)).toBe('dot');
    expect(networkDot(chain)).toContain('rankdir=LR');
    const svg = await renderDotSvg(networkDot(chain), 'dot');
    expect(svg.match(/class="edge"/g)).toHaveLength(2);
  });

  it('two disjoint triangles are not a ring, a fully connected network is drawn with neato', () => {
    const full = [[0, 2, 2], [2, 0, 2], [2, 2, 0]];
    expect(networkLayout({ label: 'triangle', dims: [2, 2, 2], ranks: full })).toBe('circo');
    const k4 = [[0, 2, 2, 2], [2, 0, 2, 2], [2, 2, 0, 2], [2, 2, 2, 0]];
    expect(networkLayout({ label: 'k4', dims: [2, 2, 2, 2], ranks: k4 })).toBe('neato');
    const ranks = Array.from({ length: 6 }, () => new Array<number>(6).fill(0));
    for (const [a, b] of [[0, 1], [1, 2], [2, 0], [3, 4], [4, 5], [5, 3]] as const) ranks[a]![b] = ranks[b]![a] = 2;
    expect(networkLayout({ label: 'x', dims: [2, 2, 2, 2, 2, 2], ranks })).toBe('neato');
  });

  it('widens every node for a long label (d=176) and keeps 0.62 in for short ones', async () => {
    expect(nodeWidth([4, 4, 4])).toBe(0.62);
    const wide = nodeWidth([10, 144, 176]);
    expect(wide).toBeGreaterThan(0.7);
    const drawing: NetworkDrawing = { label: 'video', dims: [10, 144, 176], ranks: [[1, 2, 2], [2, 1, 31], [2, 31, 1]] };
    expect(networkDot(drawing)).toContain(`width=${wide}, fixedsize=true`);
    // Graphviz draws each circle with that diameter (in points: 72 per inch).
    const svg = await renderDotSvg(networkDot(drawing), networkLayout(drawing));
    const radii = [...svg.matchAll(/<ellipse[^>]* rx="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(radii).toHaveLength(3);
    for (const r of radii) expect(r).toBeCloseTo((wide * 72) / 2, 0);
  });

  it('refuses a rank matrix that is not one row per core', () => {
    expect(() => networkDot({ label: 'bad', dims: [2, 2], ranks: [[0, 2]] })).toThrow("network drawing 'bad': ranks must be 2×2");
  });

  it('has one edge per entry ≥ 2 above the diagonal, and quotes labels (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 7 }).chain((n) => fc.tuple(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: n, maxLength: n }),
        fc.array(fc.integer({ min: 0, max: 70 }), { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }),
        fc.string({ maxLength: 12 }),
      )),
      ([dims, upper, label]) => {
        const n = dims.length;
        const ranks = dims.map(() => new Array<number>(n).fill(0));
        let k = 0;
        for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) ranks[a]![b] = ranks[b]![a] = upper[k++]!;
        const dot = networkDot({ label, dims, ranks });
        expect(dot.match(/ -- /g)?.length ?? 0).toBe(upper.filter((r) => r >= 2).length);
        expect(dot.match(/^ {2}c\d+ \[/gm)).toHaveLength(n);
        expect(dot).toContain(`label="${label.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"; labelloc`);
      },
    ), { numRuns: 100 });
    expect(bondWidth(1)).toBe(1);
    expect(bondWidth(64)).toBeGreaterThan(bondWidth(2));
  });
});
