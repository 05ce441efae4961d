#!/usr/bin/env python3
"""Compares tnkit's greedy and dp contraction costs with opt_einsum's (not a test).

Optional: tnkit does not depend on opt_einsum or on Python, and no test or CI step runs
this script. It needs the opt_einsum package installed (pip install opt_einsum).

    node bench/einsum-paths.mjs --export /tmp/nets.json
    python3 bench/einsum_paths_opt_einsum.py /tmp/nets.json

Each of opt_einsum's paths is replayed with tnkit's cost model (per pairwise step:
the index space, times 2 when an index is summed), so the FLOPs compare exactly.
"""
import json
import math
import sys
from collections import defaultdict

try:
    import opt_einsum as oe
except ImportError:
    sys.exit('einsum_paths_opt_einsum.py: this optional comparison needs the opt_einsum package (pip install opt_einsum)')


def replay(inputs, output, sizes, path):
    cur = [list(x) for x in inputs]
    total = 0
    for step in path:
        ops = [cur.pop(i) for i in sorted(step, reverse=True)]
        rest = set(l for x in cur for l in x)
        union = list(dict.fromkeys(l for x in ops for l in x))
        keep = [l for l in union if l in output or l in rest]
        size = 1
        for l in union:
            size *= sizes[l]
        total += size * (2 if len(keep) < len(union) else 1)
        cur.append(keep)
    return total


def main():
    nets = json.load(open(sys.argv[1]))
    rows = defaultdict(lambda: defaultdict(list))
    for net in nets:
        if len(net['inputs']) < 2:
            continue
        labels = sorted(set(l for x in net['inputs'] for l in x) | set(net['output']))
        sym = {l: oe.get_symbol(i) for i, l in enumerate(labels)}
        eq = ','.join(''.join(sym[l] for l in x) for x in net['inputs']) + '->' + ''.join(sym[l] for l in net['output'])
        shapes = [tuple(net['sizes'][l] for l in x) for x in net['inputs']]
        for ours_key, optimize in (('greedy', 'greedy'), ('dp', 'dp')):
            path, _ = oe.contract_path(eq, *shapes, shapes=True, optimize=optimize)
            theirs = replay(net['inputs'], set(net['output']), net['sizes'], path)
            rows[net['n']][ours_key].append(int(net[ours_key]) / theirs)
    for n, by in sorted(rows.items()):
        parts = []
        for key, ratios in by.items():
            cheaper = sum(q < 1 for q in ratios)
            equal = sum(q == 1 for q in ratios)
            costlier = sum(q > 1 for q in ratios)
            geo = math.exp(sum(math.log(q) for q in ratios) / len(ratios))
            parts.append(f'{key}: tnkit cheaper {cheaper}, equal {equal}, costlier {costlier}, geomean tnkit/opt_einsum {geo:.4f}, max {max(ratios):.3f}')
        print(f'{n} operands | ' + ' | '.join(parts))


if __name__ == '__main__':
    main()
