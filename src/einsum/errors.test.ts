import { describe, expect, it } from 'vitest';
import { randn } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { einsum, einsumPath } from './einsum.js';
import { planContraction } from './path.js';

const r = (...shape: number[]): Tensor => randn(shape);

describe('einsum rejects bad input with errors that name the problem', () => {
  it('index sizes that disagree', () => {
    expect(() => einsum('ij,jk', r(2, 3), r(4, 5))).toThrow("index 'j' has size 3 in operand 0 but 4 in operand 1");
    expect(() => einsum('ij,kl,jl', r(2, 3), r(2, 2), r(5, 2))).toThrow("index 'j' has size 3 in operand 0 but 5 in operand 2");
    expect(() => einsum('ii', r(2, 3))).toThrow("index 'i' has size 2 at axis 0 but 3 at axis 1 of operand 0");
    // Size 1 broadcasts across operands only, never within one (numpy refuses 'ii' on (1, 3) too).
    expect(() => einsum('ii', r(1, 3))).toThrow("index 'i' has size 1 at axis 0 but 3 at axis 1 of operand 0");
    expect(() => einsum('j,jj', r(1), r(4, 1))).toThrow("index 'j' has size 4 at axis 0 but 1 at axis 1 of operand 1");
    expect(() => einsum('i,i,i', r(1), r(2), r(3))).toThrow("index 'i' has size 2 in operand 1 but 3 in operand 2");
    expect(() => einsum('...i,...i', r(2, 3), r(4, 3))).toThrow(/ellipsis dimensions do not broadcast.*size 4 in operand 1/);
  });

  it('the wrong number of operands', () => {
    expect(() => einsum('ij,jk->ik', r(2, 2))).toThrow("subscripts 'ij,jk->ik' name 2 operands but 1 tensor was given");
    expect(() => einsum('ij', r(2, 2), r(2, 2))).toThrow("subscripts 'ij' name 1 operand but 2 tensors were given");
  });

  it('operands whose rank does not match their subscripts', () => {
    expect(() => einsum('ijk,k', r(2, 3), r(3))).toThrow("operand 0 has 2 dimensions but its subscripts 'ijk' name 3");
    expect(() => einsum('ij,...jk', r(2, 3), r(3))).toThrow("operand 1 has 1 dimension but its subscripts '...jk' name at least 2");
  });

  it('bad outputs', () => {
    expect(() => einsum('ij->k', r(2, 2))).toThrow("output index 'k' does not appear in any input");
    expect(() => einsum('ij->ii', r(2, 2))).toThrow("output index 'i' is repeated in '->ii'");
    expect(() => einsum('ij->i,j', r(2, 2))).toThrow(/must be a single term/);
  });

  it('bad characters and malformed subscripts', () => {
    expect(() => einsum('i1,j', r(2), r(2))).toThrow("invalid character '1'");
    expect(() => einsum('iα', r(2, 2))).toThrow("invalid character 'α'");
    expect(() => einsum('ij->j->i', r(2, 2))).toThrow(/more than one '->'/);
    expect(() => einsum('i-j', r(2, 2))).toThrow(/stray '-' or '>'/);
    expect(() => einsum('i..j', r(2, 2))).toThrow(/'\.' that is not part of a single '\.\.\.' ellipsis/);
    expect(() => einsum('...i...', r(2, 2))).toThrow(/single '\.\.\.' ellipsis/);
  });

  it('operands that are not tensors and unknown options', () => {
    expect(() => einsum('i', [1, 2] as unknown as Tensor)).toThrow('operand 0 is object, not a Tensor');
    expect(() => einsumPath('i,i', [2], 'x' as unknown as number[])).toThrow('operand 1 is string, not a Tensor or a shape');
    expect(() => einsum('i', r(2), { optimize: 'fast' as 'auto' })).toThrow(/unknown optimize 'fast'/);
  });

  it('plans with missing sizes or bad outputs', () => {
    expect(() => planContraction([['i']], ['i'], new Map())).toThrow("index 'i' has no valid size");
    expect(() => planContraction([['i']], ['j'], new Map([['i', 2], ['j', 2]]))).toThrow("output index 'j' does not appear in any input");
    expect(() => planContraction([], [], new Map())).toThrow('at least one operand');
  });

  it('accepts what numpy accepts: spaces, mixed case, and no output', () => {
    expect(einsum(' i j , j K -> i K ', r(2, 3), r(3, 4)).shape).toEqual([2, 4]);
    expect(einsum('Aa,aB', r(2, 3), r(3, 4)).shape).toEqual([2, 4]);
    expect(einsum('ij,ij->', r(2, 3), r(2, 3)).shape).toEqual([]);
  });
});
