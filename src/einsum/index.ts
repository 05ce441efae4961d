/** Einstein summation with contraction-path optimization. */
export { einsum, einsumPath, type EinsumOptions, type EinsumPath, type EinsumPathStep } from './einsum.js';
export { planContraction, AUTO_OPTIMAL_MAX_OPERANDS, AUTO_DP_MAX_OPERANDS, type ContractionPlan, type OperandPrep, type PlannedStep, type PathOptimizer } from './path.js';
export { executePlan } from './execute.js';
export { parseSubscripts, type Subscripts } from './parse.js';
export { OPTIMAL_MAX_OPERANDS } from './optimal.js';
export { DP_MAX_OPERANDS } from './dp.js';
