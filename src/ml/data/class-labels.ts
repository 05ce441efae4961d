/**
 * Class labels given as strings (a CSV's `setosa`, `M`/`B`): the classes are the distinct
 * labels in sorted order (JavaScript's default sort, by UTF-16 code units: `B` < `M` < `a`),
 * numbered from 0, so the same set of labels always gives the same numbering.
 */
export function encodeClassLabels(labels: readonly string[]): { y: Int32Array; classNames: string[] } {
  const classNames = [...new Set(labels)].sort();
  const index = new Map(classNames.map((name, k) => [name, k]));
  return { y: Int32Array.from(labels, (l) => index.get(l)!), classNames };
}

/** Whether a label cell reads as a number (then the labels are numeric classes, as before names were allowed). */
export function isNumericLabel(cell: string): boolean {
  return cell.trim() !== '' && Number.isFinite(Number(cell));
}
