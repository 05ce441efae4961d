/*
 * Direct-loop GEMM for tiny matrices (see small_gemm.h).
 *
 * op(B) is packed into row-major k×n' with n' rounded up to whole vector pairs (zero
 * padding), so the micro-kernel never needs a column edge case. The micro-kernel keeps
 * a 4-row × 2-vector tile of C in registers across the whole k loop, broadcasting one
 * element of op(A) per row, which is the register blocking BLAS kernels use, without
 * their packing and dispatch overhead. GCC vector extensions keep it portable C; on
 * GCC/Linux the kernels are also cloned for x86-64-v3 (AVX2 + FMA) and picked at run
 * time, while the package itself is compiled for baseline x86-64-v2.
 */
#include <stddef.h>
#include <string.h>
#include "small_gemm.h"

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define TNKIT_MULTIVERSION __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define TNKIT_MULTIVERSION
#endif

/* 32-byte vectors that may sit at any element-aligned address. */
typedef double vd __attribute__((vector_size(32), aligned(8)));
typedef float vs __attribute__((vector_size(32), aligned(4)));

/*
 * NAME: function; T: element; V: vector type; L: lanes per vector.
 * A tile is 4 rows × 2·L columns.
 */
#define TNKIT_DEFINE_SMALL_GEMM(NAME, T, V, L)                                                 \
  TNKIT_MULTIVERSION                                                                           \
  void NAME(int transA, int transB, int m, int n, int k, T alpha, const T *a, const T *b,     \
            T beta, T *c, T *pack) {                                                           \
    enum { W = 2 * (L) };                                                                      \
    if (alpha == 0 || k == 0) {                                                                \
      for (int i = 0; i < m * n; i++) c[i] = beta == 0 ? (T)0 : beta * c[i];                   \
      return;                                                                                  \
    }                                                                                          \
    const int np = (n + W - 1) / W * W; /* padded row length of packed B */                    \
    for (int p = 0; p < k; p++) {                                                              \
      T *row = pack + (size_t)p * np;                                                          \
      if (transB)                                                                              \
        for (int j = 0; j < n; j++) row[j] = b[(size_t)j * k + p];                             \
      else                                                                                     \
        memcpy(row, b + (size_t)p * n, (size_t)n * sizeof(T));                                 \
      for (int j = n; j < np; j++) row[j] = 0;                                                 \
    }                                                                                          \
    const size_t sa_row = transA ? 1 : (size_t)k, sa_col = transA ? (size_t)m : 1;            \
    for (int i0 = 0; i0 < m; i0 += 4) {                                                        \
      const int rows = m - i0 < 4 ? m - i0 : 4;                                                \
      /* Rows past the edge re-read row i0 and are never stored. */                            \
      const T *ar[4];                                                                          \
      for (int r = 0; r < 4; r++) ar[r] = a + (size_t)(i0 + (r < rows ? r : 0)) * sa_row;      \
      for (int j0 = 0; j0 < np; j0 += W) {                                                     \
        V acc00 = {0}, acc01 = {0}, acc10 = {0}, acc11 = {0};                                  \
        V acc20 = {0}, acc21 = {0}, acc30 = {0}, acc31 = {0};                                  \
        const T *bp = pack + j0;                                                               \
        for (int p = 0; p < k; p++, bp += np) {                                                \
          const V b0 = *(const V *)bp, b1 = *(const V *)(bp + (L));                            \
          const size_t off = (size_t)p * sa_col;                                               \
          const T a0 = ar[0][off], a1 = ar[1][off], a2 = ar[2][off], a3 = ar[3][off];          \
          acc00 += a0 * b0; acc01 += a0 * b1;                                                  \
          acc10 += a1 * b0; acc11 += a1 * b1;                                                  \
          acc20 += a2 * b0; acc21 += a2 * b1;                                                  \
          acc30 += a3 * b0; acc31 += a3 * b1;                                                  \
        }                                                                                      \
        T tile[4][W];                                                                          \
        memcpy(&tile[0][0], &acc00, sizeof(V)); memcpy(&tile[0][L], &acc01, sizeof(V));        \
        memcpy(&tile[1][0], &acc10, sizeof(V)); memcpy(&tile[1][L], &acc11, sizeof(V));        \
        memcpy(&tile[2][0], &acc20, sizeof(V)); memcpy(&tile[2][L], &acc21, sizeof(V));        \
        memcpy(&tile[3][0], &acc30, sizeof(V)); memcpy(&tile[3][L], &acc31, sizeof(V));        \
        const int cols = n - j0 < W ? n - j0 : W;                                              \
        for (int r = 0; r < rows; r++) {                                                       \
          T *cr = c + (size_t)(i0 + r) * n + j0;                                               \
          if (beta == 0)                                                                       \
            for (int j = 0; j < cols; j++) cr[j] = alpha * tile[r][j];                         \
          else                                                                                 \
            for (int j = 0; j < cols; j++) cr[j] = alpha * tile[r][j] + beta * cr[j];          \
        }                                                                                      \
      }                                                                                        \
    }                                                                                          \
  }

TNKIT_DEFINE_SMALL_GEMM(tnkit_small_dgemm, double, vd, 4)
TNKIT_DEFINE_SMALL_GEMM(tnkit_small_sgemm, float, vs, 8)
