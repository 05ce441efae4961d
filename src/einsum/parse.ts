/**
 * Parsing of einsum subscripts ("ij,jk->ik", "...ii->...i", "ab, bc").
 *
 * Labels are strings: the letters a–z and A–Z stand for themselves, and the
 * dimensions an ellipsis covers get the labels of {@link ellipsisLabel}, which
 * can never clash with a letter. Everything after parsing (sizes, planning,
 * execution) works on these label lists only.
 */

/** The subscripts of one einsum call, with every ellipsis expanded to labels. */
export interface Subscripts {
  /** One label list per operand, one label per axis; a label may repeat (diagonals). */
  inputs: string[][];
  /** Output labels, in output axis order, without repeats. */
  output: string[];
  /** How many dimensions the ellipsis stands for after broadcasting (0 when unused). */
  ellipsisDims: number;
}

/** Label of the i-th (from the left) broadcast dimension an ellipsis stands for. */
export function ellipsisLabel(i: number): string {
  return `.${i}`;
}

/** True for the labels made by {@link ellipsisLabel}. */
export function isEllipsisLabel(label: string): boolean {
  return label.length > 1;
}

interface Term {
  before: string[];
  hasEllipsis: boolean;
  after: string[];
}

const LETTER = /^[a-zA-Z]$/;

/**
 * Parses numpy-style einsum subscripts for operands of the given ranks.
 * Whitespace is ignored. Without `->` the output is the ellipsis dimensions
 * followed by the letters that appear exactly once, in character-code order.
 * With `->` and no ellipsis in the output, broadcast dimensions are summed out.
 */
export function parseSubscripts(spec: string, ndims: readonly number[]): Subscripts {
  if (typeof spec !== 'string') throw new TypeError(`einsum: subscripts must be a string, got ${typeof spec}`);
  const text = spec.replace(/\s+/g, '');
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (!/[a-zA-Z.,\->]/.test(c)) {
      throw new SyntaxError(`einsum: invalid character '${c}' in subscripts '${spec}': indices must be letters a–z or A–Z`);
    }
  }
  const arrow = text.split('->');
  if (arrow.length > 2) throw new SyntaxError(`einsum: subscripts '${spec}' contain more than one '->'`);
  const [lhs, rhs] = [arrow[0]!, arrow[1]];
  if (/[->]/.test(lhs) || (rhs !== undefined && /[->]/.test(rhs))) {
    throw new SyntaxError(`einsum: stray '-' or '>' in subscripts '${spec}': the output is introduced by '->'`);
  }
  if (rhs?.includes(',')) {
    throw new SyntaxError(`einsum: the output '${rhs}' of subscripts '${spec}' must be a single term (no ',')`);
  }
  const termTexts = lhs.split(',');
  if (termTexts.length !== ndims.length) {
    throw new RangeError(
      `einsum: subscripts '${spec}' name ${termTexts.length} operand${termTexts.length === 1 ? '' : 's'} but ${ndims.length} tensor${ndims.length === 1 ? ' was' : 's were'} given`,
    );
  }
  const terms = termTexts.map((t, k) => parseTerm(t, spec, `operand ${k}`));

  // How many dimensions each operand's ellipsis covers; they broadcast right-aligned.
  const covered = terms.map((term, k) => {
    const named = term.before.length + term.after.length;
    const ndim = ndims[k]!;
    if (term.hasEllipsis ? ndim < named : ndim !== named) {
      throw new RangeError(
        `einsum: operand ${k} has ${ndim} dimension${ndim === 1 ? '' : 's'} but its subscripts '${termTexts[k]}' name ${term.hasEllipsis ? 'at least ' : ''}${named}`,
      );
    }
    return ndim - named;
  });
  const ellipsisDims = Math.max(0, ...covered);
  const broadcastLabels = (count: number): string[] => {
    const out: string[] = [];
    for (let i = ellipsisDims - count; i < ellipsisDims; i++) out.push(ellipsisLabel(i));
    return out;
  };
  const inputs = terms.map((term, k) => [...term.before, ...broadcastLabels(covered[k]!), ...term.after]);

  let output: string[];
  if (rhs === undefined) {
    const counts = new Map<string, number>();
    for (const term of terms) for (const l of [...term.before, ...term.after]) counts.set(l, (counts.get(l) ?? 0) + 1);
    const once = [...counts].filter(([, c]) => c === 1).map(([l]) => l);
    once.sort((x, y) => x.charCodeAt(0) - y.charCodeAt(0));
    output = [...broadcastLabels(ellipsisDims), ...once];
  } else {
    const term = parseTerm(rhs, spec, 'the output');
    const seen = new Set<string>();
    const present = new Set(inputs.flat());
    for (const l of [...term.before, ...term.after]) {
      if (seen.has(l)) throw new SyntaxError(`einsum: output index '${l}' is repeated in '->${rhs}'`);
      seen.add(l);
      if (!present.has(l)) throw new SyntaxError(`einsum: output index '${l}' does not appear in any input of '${spec}'`);
    }
    output = [...term.before, ...(term.hasEllipsis ? broadcastLabels(ellipsisDims) : []), ...term.after];
  }
  return { inputs, output, ellipsisDims };
}

function parseTerm(text: string, spec: string, where: string): Term {
  const dot = text.indexOf('.');
  if (dot < 0) return { before: [...text], hasEllipsis: false, after: [] };
  if (text.slice(dot, dot + 3) !== '...' || text.indexOf('.', dot + 3) >= 0) {
    throw new SyntaxError(`einsum: ${where} in '${spec}' has a '.' that is not part of a single '...' ellipsis`);
  }
  const before = [...text.slice(0, dot)];
  const after = [...text.slice(dot + 3)];
  for (const l of [...before, ...after]) if (!LETTER.test(l)) throw new SyntaxError(`einsum: invalid index '${l}' in ${where} of '${spec}'`);
  return { before, hasEllipsis: true, after };
}

/**
 * One printable character per label, for step descriptions: letters stand for
 * themselves, broadcast labels take letters the subscripts do not use.
 */
export function labelSymbols(labels: Iterable<string>): Map<string, string> {
  const all = [...new Set(labels)];
  const used = new Set(all.filter((l) => !isEllipsisLabel(l)));
  const spare: string[] = [];
  for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ') if (!used.has(c)) spare.push(c);
  let code = 0xc0;
  const symbols = new Map<string, string>();
  for (const l of all) {
    if (!isEllipsisLabel(l)) symbols.set(l, l);
    else symbols.set(l, spare.shift() ?? String.fromCharCode(code++));
  }
  return symbols;
}
