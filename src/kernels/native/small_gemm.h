/*
 * Direct-loop GEMM for tiny matrices, where the fixed cost of a cblas call (argument
 * checks, kernel dispatch, packing) outweighs the arithmetic. Row-major, same
 * semantics as the Kernel interface: C <- alpha*op(A)*op(B) + beta*C, C not read when
 * beta is 0, A and B not read when alpha is 0.
 */
#ifndef TNKIT_SMALL_GEMM_H
#define TNKIT_SMALL_GEMM_H

/* Products with every dimension at most this may go through the direct loop. */
#define TNKIT_SMALL_DIM 24
/* k × n rounded up to a whole tile width (16 floats). */
#define TNKIT_SMALL_PACK (TNKIT_SMALL_DIM * ((TNKIT_SMALL_DIM + 15) / 16 * 16))

/* `pack` is scratch for op(B): it must hold TNKIT_SMALL_PACK elements. */
void tnkit_small_dgemm(int transA, int transB, int m, int n, int k, double alpha,
                       const double *a, const double *b, double beta, double *c, double *pack);
void tnkit_small_sgemm(int transA, int transB, int m, int n, int k, float alpha,
                       const float *a, const float *b, float beta, float *c, float *pack);

#endif
