"""Seconds per training epoch of a plain PyTorch MPS classifier of the same size and
contraction order as tnkit's MpsModel, for bench/train-epoch.mjs to compare against.

Model: open chain of cores [l, d, r] (the class site [l, d, C, r]), bonds
min(chi, d^k, d^(N-k)), identity-plus-noise init (std 0.01) on the constant channel,
polynomial embedding [1, x, x^2] (d = 3) computed per batch. Forward as tnkit does it: a
[batch, bond] environment swept in from both ends to the class site, one contraction per
site, each row rescaled by a power of two (exponents kept, applied to the scores), then
softmax cross-entropy. Adam (lr 1e-3), batch 32, one thread.

Cases: breast-cancer-sized (455 samples, 30 sites, class site 15, 2 classes) at bond 10,
20, 50; MNIST 14x14-sized (196 sites, class site 98, 10 classes, 2,000 images) at bond 10,
20; each in float64 and float32. The data are uniform random numbers in [0, 1) (the time
of an epoch does not depend on the values). Prints one JSON object per case:
{"case": ..., "bond": ..., "dtype": ..., "seconds": median epoch time, "epochs": timed}.

Usage: /usr/bin/python3 bench/train_epoch_torch.py [--cases breast-cancer,mnist]
"""
import argparse
import json
import math
import statistics
import sys
import time

import torch

torch.set_num_threads(1)


def chain_bonds(sites, d, chi):
    out = []
    for k in range(sites + 1):
        if k == 0 or k == sites:
            out.append(1)
            continue
        left = min(k, 40) * math.log2(d)
        right = min(sites - k, 40) * math.log2(d)
        out.append(max(1, round(min(chi, 2 ** min(left, right)))))
    return out


class MpsClassifier(torch.nn.Module):
    def __init__(self, sites, d, chi, classes, out_site, dtype, gen):
        super().__init__()
        bonds = chain_bonds(sites, d, chi)
        self.sites, self.out_site = sites, out_site
        cores = []
        for s in range(sites):
            l, r = bonds[s], bonds[s + 1]
            shape = (l, d, classes, r) if s == out_site else (l, d, r)
            t = 0.01 * torch.randn(shape, generator=gen, dtype=dtype)
            eye = torch.eye(l, r, dtype=dtype)
            if s == out_site:
                t[:, 0, :, :] += eye[:, None, :]
            else:
                t[:, 0, :] += eye
            cores.append(torch.nn.Parameter(t))
        self.cores = torch.nn.ParameterList(cores)

    @staticmethod
    def rescale(env, log2s):
        # Power-of-two factor per row so the max-abs entry lies in [0.5, 1); exponents add up.
        m = env.detach().abs().amax(dim=tuple(range(1, env.dim())))
        k = torch.where(m > 0, torch.floor(torch.log2(m)) + 1, torch.zeros_like(m))
        shape = (-1,) + (1,) * (env.dim() - 1)
        return env * torch.exp2(-k).reshape(shape), log2s + k

    def forward(self, xs):
        # xs: [batch, sites, d]
        b = xs.shape[0]
        dtype = xs.dtype
        log2s = torch.zeros(b, dtype=dtype)
        left = torch.ones(b, 1, dtype=dtype)
        for s in range(self.out_site):
            c = self.cores[s]
            l, d, r = c.shape
            t = (left @ c.reshape(l, d * r)).reshape(b, d, r)        # bl,lpr->bpr
            left = torch.bmm(xs[:, s, None, :], t).reshape(b, r)      # bp,bpr->br
            left, log2s = self.rescale(left, log2s)
        right = torch.ones(b, 1, dtype=dtype)
        for s in range(self.sites - 1, self.out_site, -1):
            c = self.cores[s]
            l, d, r = c.shape
            t = (right @ c.reshape(l * d, r).T).reshape(b, l, d)      # br,lpr->blp
            right = torch.bmm(t, xs[:, s, :, None]).reshape(b, l)     # blp,bp->bl
            right, log2s = self.rescale(right, log2s)
        c = self.cores[self.out_site]
        l, d, k, r = c.shape
        t = (left @ c.reshape(l, d * k * r)).reshape(b, d, k * r)
        t = torch.bmm(xs[:, self.out_site, None, :], t).reshape(b, k, r)
        scores = torch.bmm(t, right[:, :, None]).reshape(b, k)
        return scores * torch.exp2(log2s)[:, None]


def embed(x):
    return torch.stack([torch.ones_like(x), x, x * x], dim=-1)


def time_epochs(n, sites, classes, out_site, chi, dtype, epochs, seed=0):
    gen = torch.Generator().manual_seed(seed)
    X = torch.rand(n, sites, generator=gen, dtype=dtype)
    y = torch.randint(0, classes, (n,), generator=gen) if classes > 2 else (X[:, 0] > 0.5).long()
    model = MpsClassifier(sites, 3, chi, classes, out_site, dtype, gen)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    times = []
    for _ in range(epochs + 1):  # the first epoch is a warm-up
        perm = torch.randperm(n, generator=gen)
        t0 = time.perf_counter()
        for start in range(0, n, 32):
            idx = perm[start:start + 32]
            loss = torch.nn.functional.cross_entropy(model(embed(X[idx])), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - t0)
    return statistics.median(times[1:]), float(loss)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--cases', default='breast-cancer,mnist')
    args = p.parse_args()
    cases = args.cases.split(',')
    plan = []
    if 'breast-cancer' in cases:
        plan += [('breast-cancer', 455, 30, 2, 15, chi, 5) for chi in (10, 20, 50)]
    if 'mnist' in cases:
        plan += [('mnist', 2000, 196, 10, 98, chi, 3) for chi in (10, 20)]
    for name, n, sites, classes, out_site, chi, epochs in plan:
        for dname, dtype in (('f64', torch.float64), ('f32', torch.float32)):
            s, loss = time_epochs(n, sites, classes, out_site, chi, dtype, epochs)
            if not math.isfinite(loss):
                print(f'{name} bond {chi} {dname}: loss is not finite', file=sys.stderr)
            print(json.dumps({'case': name, 'bond': chi, 'dtype': dname, 'seconds': s, 'epochs': epochs,
                              'torch': torch.__version__}), flush=True)


if __name__ == '__main__':
    main()
