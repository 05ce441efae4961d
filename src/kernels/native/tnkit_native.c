/*
 * tnkit_native: the Node-API addon behind tnkit's `native` backend.
 *
 * Exposes row-major dense GEMM (single and batched) over OpenBLAS cblas, and thin SVD,
 * QR and symmetric eigendecomposition over OpenBLAS's LAPACK, for Float64Array and
 * Float32Array. The TypeScript loader (loader.ts) wraps these in the Kernel interface
 * and checks arguments with the shared messages; the checks here repeat only what
 * memory safety needs, so a bad call from elsewhere throws instead of crashing.
 *
 * LAPACK is column-major. A row-major m×n matrix is, byte for byte, the column-major
 * n×m matrix Aᵀ; each routine below says how it uses that to avoid copies.
 */
#define NAPI_VERSION 8
#include <node_api.h>

#include <cblas.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lapack.h"
#include "small_gemm.h"

/* ---------------------------------------------------------------- errors ---- */

typedef enum { ERR_TYPE, ERR_RANGE, ERR_PLAIN } error_kind;

/* Throws a JS error with a printf-style message; returns NULL for `return throw_(...)`. */
static napi_value throw_(napi_env env, error_kind kind, const char *fmt, ...) {
  char msg[512];
  va_list args;
  va_start(args, fmt);
  vsnprintf(msg, sizeof msg, fmt, args);
  va_end(args);
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) return NULL;
  if (kind == ERR_TYPE) napi_throw_type_error(env, NULL, msg);
  else if (kind == ERR_RANGE) napi_throw_range_error(env, NULL, msg);
  else napi_throw_error(env, NULL, msg);
  return NULL;
}

/* Calls a Node-API function; on failure throws (unless already pending) and returns NULL. */
#define NAPI_CALL(env, call)                                                            \
  do {                                                                                  \
    napi_status status_ = (call);                                                       \
    if (status_ != napi_ok) {                                                           \
      const napi_extended_error_info *info_ = NULL;                                     \
      napi_get_last_error_info((env), &info_);                                          \
      return throw_((env), ERR_PLAIN, "tnkit_native: %s failed: %s", #call,             \
                    info_ && info_->error_message ? info_->error_message : "unknown");  \
    }                                                                                   \
  } while (0)

/* ------------------------------------------------------------- arguments ---- */

typedef enum { DT_F64, DT_F32 } dtype;

/* A Float64Array or Float32Array argument; `data` already includes the byteOffset. */
typedef struct {
  dtype type;
  void *data;
  size_t length;
} float_array;

static size_t elem_size(dtype t) { return t == DT_F64 ? sizeof(double) : sizeof(float); }

/* The largest dimension BLAS/LAPACK can index with 32-bit integers. */
#define MAX_DIM 2147483647.0
/* Strides and batch counts only have to index a JS typed array. */
#define MAX_INDEX 9007199254740991.0

static bool arg_bool(napi_env env, napi_value v, const char *fn, const char *label, bool *out) {
  if (napi_get_value_bool(env, v, out) != napi_ok) {
    throw_(env, ERR_TYPE, "%s: %s must be a boolean", fn, label);
    return false;
  }
  return true;
}

static bool arg_number(napi_env env, napi_value v, const char *fn, const char *label, double *out) {
  if (napi_get_value_double(env, v, out) != napi_ok) {
    throw_(env, ERR_TYPE, "%s: %s must be a number", fn, label);
    return false;
  }
  return true;
}

/* A non-negative integer no larger than `max`. */
static bool arg_count(napi_env env, napi_value v, const char *fn, const char *label, double max,
                      int64_t *out) {
  double d;
  if (!arg_number(env, v, fn, label, &d)) return false;
  if (!(d >= 0) || d != floor(d)) {
    throw_(env, ERR_RANGE, "%s: %s = %g is not a non-negative integer", fn, label, d);
    return false;
  }
  if (d > max) {
    throw_(env, ERR_RANGE, "%s: %s = %.0f is too large (at most %.0f)", fn, label, d, max);
    return false;
  }
  *out = (int64_t)d;
  return true;
}

static bool arg_float_array(napi_env env, napi_value v, const char *fn, const char *label,
                            float_array *out) {
  bool is_typed = false;
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  if (napi_is_typedarray(env, v, &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, v, &type, &out->length, &out->data, &buffer, &offset) != napi_ok ||
      (type != napi_float64_array && type != napi_float32_array)) {
    throw_(env, ERR_TYPE, "%s: %s must be a Float64Array or Float32Array", fn, label);
    return false;
  }
  out->type = type == napi_float64_array ? DT_F64 : DT_F32;
  return true;
}

static bool check_length(napi_env env, const char *fn, const char *label, const float_array *x,
                         double needed) {
  if ((double)x->length < needed) {
    throw_(env, ERR_RANGE, "%s: %s has %zu elements, needs %.0f", fn, label, x->length, needed);
    return false;
  }
  return true;
}

static const char *dtype_name(dtype t) { return t == DT_F64 ? "Float64Array" : "Float32Array"; }

/* Reads exactly `expected` arguments into argv (missing ones are an error). */
static bool get_args(napi_env env, napi_callback_info info, const char *fn, size_t expected,
                     napi_value *argv) {
  size_t argc = expected;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) {
    throw_(env, ERR_PLAIN, "%s: could not read the arguments", fn);
    return false;
  }
  if (argc < expected) {
    throw_(env, ERR_TYPE, "%s: expected %zu arguments, got %zu", fn, expected, argc);
    return false;
  }
  return true;
}

/* A new typed array of `length` elements of `t`, with a pointer to its storage. */
static napi_value new_float_array(napi_env env, dtype t, size_t length, void **data) {
  napi_value buffer, array;
  void *storage = NULL;
  NAPI_CALL(env, napi_create_arraybuffer(env, length * elem_size(t), &storage, &buffer));
  NAPI_CALL(env, napi_create_typedarray(env, t == DT_F64 ? napi_float64_array : napi_float32_array,
                                        length, buffer, 0, &array));
  *data = storage;
  return array;
}

/* ------------------------------------------------------------------ gemm ---- */

static blasint lead(int64_t x) { return x > 1 ? (blasint)x : 1; }

/*
 * Whether OpenBLAS's core has its own small-matrix GEMM kernels (the AVX-512 cores in
 * 0.3.x), which beat the direct loop when B is not transposed. Set once at load.
 */
static bool blas_has_small_kernels = false;

/*
 * Which path a product takes. Measured with 10,000 16×16 products on one thread
 * (GFLOPS, direct / cblas): f64 31 / 41 (B plain) and 27 / 18 (B transposed) on an
 * AVX-512 OpenBLAS core, 29 / 21 and 25 / 22 on the Haswell/Zen cores; f32 cblas wins
 * everywhere above 8×8. So f64 products up to 24³ go direct, unless B is plain and
 * OpenBLAS has small-matrix kernels. The choice depends only on the shape and the
 * machine, so results are reproducible run to run.
 */
static bool use_direct(dtype t, bool transB, int64_t m, int64_t n, int64_t k) {
  return t == DT_F64 && m <= TNKIT_SMALL_DIM && n <= TNKIT_SMALL_DIM && k <= TNKIT_SMALL_DIM &&
         (transB || !blas_has_small_kernels);
}

/* One product; `pack` holds TNKIT_SMALL_PACK elements of the dtype. */
static void gemm_one(dtype t, bool transA, bool transB, int64_t m, int64_t n, int64_t k,
                     double alpha, const void *a, const void *b, double beta, void *c, void *pack) {
  if (m == 0 || n == 0) return;
  if (use_direct(t, transB, m, n, k)) {
    if (t == DT_F64)
      tnkit_small_dgemm(transA, transB, (int)m, (int)n, (int)k, alpha, a, b, beta, c, pack);
    else
      tnkit_small_sgemm(transA, transB, (int)m, (int)n, (int)k, (float)alpha, a, b, (float)beta, c,
                        pack);
    return;
  }
  const enum CBLAS_TRANSPOSE ta = transA ? CblasTrans : CblasNoTrans;
  const enum CBLAS_TRANSPOSE tb = transB ? CblasTrans : CblasNoTrans;
  const blasint lda = lead(transA ? m : k), ldb = lead(transB ? k : n), ldc = lead(n);
  if (t == DT_F64)
    cblas_dgemm(CblasRowMajor, ta, tb, (blasint)m, (blasint)n, (blasint)k, alpha, a, lda, b, ldb,
                beta, c, ldc);
  else
    cblas_sgemm(CblasRowMajor, ta, tb, (blasint)m, (blasint)n, (blasint)k, (float)alpha, a, lda, b,
                ldb, (float)beta, c, ldc);
}

/* Scratch for the direct loop's packed B; sized for the larger dtype. */
typedef union {
  double d[TNKIT_SMALL_PACK];
  float s[TNKIT_SMALL_PACK];
} small_pack;

static bool same_dtype(napi_env env, const char *fn, const float_array *a, const float_array *b,
                       const float_array *c) {
  if (a->type != b->type || a->type != c->type) {
    throw_(env, ERR_TYPE, "%s: A, B and C must share one dtype (got %s, %s, %s)", fn,
           dtype_name(a->type), dtype_name(b->type), dtype_name(c->type));
    return false;
  }
  return true;
}

/* gemm(transA, transB, m, n, k, alpha, a, b, beta, c) */
static napi_value js_gemm(napi_env env, napi_callback_info info) {
  const char *fn = "gemm";
  napi_value argv[10];
  bool transA, transB;
  int64_t m, n, k;
  double alpha, beta;
  float_array a, b, c;
  if (!get_args(env, info, fn, 10, argv) || !arg_bool(env, argv[0], fn, "transA", &transA) ||
      !arg_bool(env, argv[1], fn, "transB", &transB) ||
      !arg_count(env, argv[2], fn, "m", MAX_DIM, &m) ||
      !arg_count(env, argv[3], fn, "n", MAX_DIM, &n) ||
      !arg_count(env, argv[4], fn, "k", MAX_DIM, &k) ||
      !arg_number(env, argv[5], fn, "alpha", &alpha) ||
      !arg_float_array(env, argv[6], fn, "A", &a) || !arg_float_array(env, argv[7], fn, "B", &b) ||
      !arg_number(env, argv[8], fn, "beta", &beta) ||
      !arg_float_array(env, argv[9], fn, "C", &c) || !same_dtype(env, fn, &a, &b, &c) ||
      !check_length(env, fn, "A", &a, (double)m * k) ||
      !check_length(env, fn, "B", &b, (double)k * n) ||
      !check_length(env, fn, "C", &c, (double)m * n))
    return NULL;
  small_pack pack;
  gemm_one(a.type, transA, transB, m, n, k, alpha, a.data, b.data, beta, c.data, &pack);
  return NULL;
}

/*
 * gemmBatched(transA, transB, batch, m, n, k, alpha, a, strideA, b, strideB, beta, c)
 *
 * The whole batch runs in this one call. When B is broadcast (strideB 0) and the A_i are
 * untransposed and back to back, the batch is also one (batch·m)×k by k×n product. That
 * single call is faster (f32 16×16: 64 vs 41 GFLOPS) except where OpenBLAS has
 * small-matrix kernels, which beat it per matrix up to about 64³ (f64 16×16: 40 vs 28).
 */
static napi_value js_gemm_batched(napi_env env, napi_callback_info info) {
  const char *fn = "gemmBatched";
  napi_value argv[13];
  bool transA, transB;
  int64_t batch, m, n, k, strideA, strideB;
  double alpha, beta;
  float_array a, b, c;
  if (!get_args(env, info, fn, 13, argv) || !arg_bool(env, argv[0], fn, "transA", &transA) ||
      !arg_bool(env, argv[1], fn, "transB", &transB) ||
      !arg_count(env, argv[2], fn, "batch", MAX_INDEX, &batch) ||
      !arg_count(env, argv[3], fn, "m", MAX_DIM, &m) ||
      !arg_count(env, argv[4], fn, "n", MAX_DIM, &n) ||
      !arg_count(env, argv[5], fn, "k", MAX_DIM, &k) ||
      !arg_number(env, argv[6], fn, "alpha", &alpha) ||
      !arg_float_array(env, argv[7], fn, "A", &a) ||
      !arg_count(env, argv[8], fn, "strideA", MAX_INDEX, &strideA) ||
      !arg_float_array(env, argv[9], fn, "B", &b) ||
      !arg_count(env, argv[10], fn, "strideB", MAX_INDEX, &strideB) ||
      !arg_number(env, argv[11], fn, "beta", &beta) ||
      !arg_float_array(env, argv[12], fn, "C", &c) || !same_dtype(env, fn, &a, &b, &c))
    return NULL;
  if (batch == 0 || m == 0 || n == 0) return NULL;
  if (!check_length(env, fn, "A", &a, (double)(batch - 1) * strideA + (double)m * k) ||
      !check_length(env, fn, "B", &b, (double)(batch - 1) * strideB + (double)k * n) ||
      !check_length(env, fn, "C", &c, (double)batch * m * n))
    return NULL;
  const size_t es = elem_size(a.type);
  if (batch > 1 && strideB == 0 && !transA && strideA == m * k && (double)batch * m <= MAX_DIM &&
      (!blas_has_small_kernels || (double)m * n * k > 64.0 * 64.0 * 64.0)) {
    small_pack pack;
    gemm_one(a.type, false, transB, batch * m, n, k, alpha, a.data, b.data, beta, c.data, &pack);
    return NULL;
  }
  small_pack pack;
  const char *pa = a.data, *pb = b.data;
  char *pc = c.data;
  for (int64_t i = 0; i < batch; i++) {
    gemm_one(a.type, transA, transB, m, n, k, alpha, pa + (size_t)(i * strideA) * es,
             pb + (size_t)(i * strideB) * es, beta, pc + (size_t)(i * m * n) * es, &pack);
  }
  return NULL;
}

/* ------------------------------------------------------------ transposes ---- */

/* out (cols×rows, row-major) ← in (rows×cols, row-major)ᵀ, in cache-sized tiles. */
#define TNKIT_DEFINE_TRANSPOSE(NAME, T)                                                 \
  static void NAME(const T *in, T *out, size_t rows, size_t cols) {                     \
    const size_t tile = 32;                                                             \
    for (size_t i0 = 0; i0 < rows; i0 += tile) {                                        \
      const size_t i1 = i0 + tile < rows ? i0 + tile : rows;                            \
      for (size_t j0 = 0; j0 < cols; j0 += tile) {                                      \
        const size_t j1 = j0 + tile < cols ? j0 + tile : cols;                          \
        for (size_t i = i0; i < i1; i++)                                                \
          for (size_t j = j0; j < j1; j++) out[j * rows + i] = in[i * cols + j];        \
      }                                                                                 \
    }                                                                                   \
  }
TNKIT_DEFINE_TRANSPOSE(transpose_d, double)
TNKIT_DEFINE_TRANSPOSE(transpose_s, float)

static void transpose(dtype t, const void *in, void *out, size_t rows, size_t cols) {
  if (t == DT_F64) transpose_d(in, out, rows, cols);
  else transpose_s(in, out, rows, cols);
}

/* In-place transpose of a square n×n matrix. */
#define TNKIT_DEFINE_TRANSPOSE_SQUARE(NAME, T)                        \
  static void NAME(T *x, size_t n) {                                  \
    for (size_t i = 0; i < n; i++)                                    \
      for (size_t j = i + 1; j < n; j++) {                            \
        const T tmp = x[i * n + j];                                   \
        x[i * n + j] = x[j * n + i];                                  \
        x[j * n + i] = tmp;                                           \
      }                                                               \
  }
TNKIT_DEFINE_TRANSPOSE_SQUARE(transpose_square_d, double)
TNKIT_DEFINE_TRANSPOSE_SQUARE(transpose_square_s, float)

/* ---------------------------------------------------------------- LAPACK ---- */

/* LAPACK reports optimal workspace sizes as a float; round up so f32 does not fall short. */
static blasint workspace_size(double reported) {
  const double rounded = ceil(reported * (1 + 1e-6));
  return rounded < 1 ? 1 : (blasint)rounded;
}

static napi_value lapack_error(napi_env env, const char *routine, blasint code, const char *hint) {
  if (code < 0)
    return throw_(env, ERR_PLAIN, "%s failed: INFO = %d (argument %d is invalid%s)", routine,
                  (int)code, (int)-code, hint);
  return throw_(env, ERR_PLAIN, "%s failed: INFO = %d (the algorithm did not converge)", routine,
                (int)code);
}

static napi_value out_of_memory(napi_env env, const char *fn, double bytes) {
  return throw_(env, ERR_RANGE, "%s: could not allocate %.0f bytes of workspace", fn, bytes);
}

static bool set_field(napi_env env, napi_value object, const char *name, napi_value value) {
  return napi_set_named_property(env, object, name, value) == napi_ok;
}

/* Reads (a, m, n) with a.length ≥ m·n; for svd and qr. */
static bool matrix_args(napi_env env, napi_callback_info info, const char *fn, float_array *a,
                        int64_t *m, int64_t *n) {
  napi_value argv[3];
  return get_args(env, info, fn, 3, argv) && arg_float_array(env, argv[0], fn, "a", a) &&
         arg_count(env, argv[1], fn, "m", MAX_DIM, m) &&
         arg_count(env, argv[2], fn, "n", MAX_DIM, n) &&
         check_length(env, fn, "a", a, (double)*m * *n);
}

/* Calls gesdd (JOBZ='S') with a workspace query; returns INFO, or 1 << 30 when out of memory. */
static blasint gesdd_s(dtype t, blasint rows, blasint cols, void *x, blasint ldx, void *s, void *u,
                       blasint ldu, void *vt, blasint ldvt) {
  const blasint k = rows < cols ? rows : cols;
  const size_t es = elem_size(t);
  blasint lwork = -1, info_code = 0;
  blasint *iwork = malloc((size_t)(8 * k) * sizeof(blasint));
  if (!iwork) return 1 << 30;
  double query_d = 0;
  float query_s = 0;
  if (t == DT_F64)
    dgesdd_("S", &rows, &cols, x, &ldx, s, u, &ldu, vt, &ldvt, &query_d, &lwork, iwork, &info_code, 1);
  else
    sgesdd_("S", &rows, &cols, x, &ldx, s, u, &ldu, vt, &ldvt, &query_s, &lwork, iwork, &info_code, 1);
  if (info_code == 0) {
    lwork = workspace_size(t == DT_F64 ? query_d : query_s);
    void *work = malloc((size_t)lwork * es);
    if (!work) {
      free(iwork);
      return 1 << 30;
    }
    if (t == DT_F64)
      dgesdd_("S", &rows, &cols, x, &ldx, s, u, &ldu, vt, &ldvt, work, &lwork, iwork, &info_code, 1);
    else
      sgesdd_("S", &rows, &cols, x, &ldx, s, u, &ldu, vt, &ldvt, work, &lwork, iwork, &info_code, 1);
    free(work);
  }
  free(iwork);
  return info_code;
}

/*
 * Tall row-major A (m > n), returning gesdd's INFO (1 << 30: out of memory): LAPACK's tall path (QR, then the small n×n SVD) is faster
 * than the wide LQ path that the transpose trick would take (2000×200: 24 vs 31 ms in
 * numpy's own gesdd), so A is transposed into column-major storage and U, Vᵀ are
 * transposed back: three O(mn) copies against O(mn²) work.
 */
static blasint svd_tall(const float_array *a, int64_t m, int64_t n, void *u, void *s, void *vt) {
  const dtype t = a->type;
  const size_t es = elem_size(t);
  const int64_t k = n;
  void *x = malloc((size_t)(m * n) * es);
  void *ucol = malloc((size_t)(m * k) * es);
  void *vtcol = malloc((size_t)(k * n) * es);
  if (!x || !ucol || !vtcol) {
    free(x);
    free(ucol);
    free(vtcol);
    return 1 << 30;
  }
  transpose(t, a->data, x, (size_t)m, (size_t)n); /* column-major m×n */
  const blasint info_code = gesdd_s(t, (blasint)m, (blasint)n, x, (blasint)m, s, ucol, (blasint)m, vtcol, (blasint)k);
  if (info_code == 0) {
    transpose(t, ucol, u, (size_t)k, (size_t)m);   /* column-major m×k → row-major */
    transpose(t, vtcol, vt, (size_t)n, (size_t)k); /* column-major k×n → row-major */
  }
  free(x);
  free(ucol);
  free(vtcol);
  return info_code;
}

/*
 * svd(a, m, n) → { u: m×k, s: k, vt: k×n }, k = min(m, n), via gesdd with JOBZ='S'.
 *
 * gesdd factors the column-major n×m matrix Aᵀ (the row-major bytes as given) as
 * Aᵀ = U'·S·V'ᵀ, so A = V'·S·U'ᵀ. Column-major V'ᵀ (k×m, ld k) is byte for byte the
 * row-major m×k matrix V' = u, and column-major U' (n×k, ld n) is the row-major k×n
 * matrix U'ᵀ = vt, so LAPACK writes straight into the returned arrays.
 */
static napi_value js_svd(napi_env env, napi_callback_info info) {
  const char *fn = "svd";
  float_array a;
  int64_t m, n;
  if (!matrix_args(env, info, fn, &a, &m, &n)) return NULL;
  const int64_t k = m < n ? m : n;
  const dtype t = a.type;
  const size_t es = elem_size(t);
  void *u, *s, *vt;
  napi_value result, ju, js, jvt;
  if (!(ju = new_float_array(env, t, (size_t)(m * k), &u)) ||
      !(js = new_float_array(env, t, (size_t)k, &s)) ||
      !(jvt = new_float_array(env, t, (size_t)(k * n), &vt)))
    return NULL;
  NAPI_CALL(env, napi_create_object(env, &result));
  if (!set_field(env, result, "u", ju) || !set_field(env, result, "s", js) ||
      !set_field(env, result, "vt", jvt))
    return throw_(env, ERR_PLAIN, "%s: could not build the result object", fn);
  if (k == 0) return result;

  blasint info_code;
  if (m > n) {
    info_code = svd_tall(&a, m, n, u, s, vt);
  } else {
    /* Wide or square: the row-major bytes are the column-major n×m matrix Aᵀ (see above). */
    void *copy = malloc((size_t)(m * n) * es);
    if (!copy) return out_of_memory(env, fn, (double)m * n * es);
    memcpy(copy, a.data, (size_t)(m * n) * es); /* gesdd overwrites its input */
    info_code = gesdd_s(t, (blasint)n, (blasint)m, copy, (blasint)n, s, vt, (blasint)n, u, (blasint)k);
    free(copy);
  }
  if (info_code == 1 << 30) return out_of_memory(env, fn, 0);
  if (info_code != 0)
    return lapack_error(env, t == DT_F64 ? "dgesdd" : "sgesdd", info_code,
                        info_code == -4 ? ": the matrix contains NaN" : "");
  return result;
}

/*
 * qr(a, m, n) → { q: m×k, r: k×n }, k = min(m, n), via geqrf + orgqr.
 *
 * A is transposed into column-major storage, factored in place, R is read from the
 * upper triangle, and Q is generated in place and transposed back to row-major.
 */
static napi_value js_qr(napi_env env, napi_callback_info info) {
  const char *fn = "qr";
  float_array a;
  int64_t m, n;
  if (!matrix_args(env, info, fn, &a, &m, &n)) return NULL;
  const int64_t k = m < n ? m : n;
  const dtype t = a.type;
  const size_t es = elem_size(t);
  void *q, *r;
  napi_value result, jq, jr;
  if (!(jq = new_float_array(env, t, (size_t)(m * k), &q)) ||
      !(jr = new_float_array(env, t, (size_t)(k * n), &r)))
    return NULL;
  NAPI_CALL(env, napi_create_object(env, &result));
  if (!set_field(env, result, "q", jq) || !set_field(env, result, "r", jr))
    return throw_(env, ERR_PLAIN, "%s: could not build the result object", fn);
  if (k == 0) return result;

  const blasint bm = (blasint)m, bn = (blasint)n, bk = (blasint)k, lda = (blasint)m;
  blasint lwork = -1, info_code = 0;
  void *col = malloc((size_t)(m * n) * es); /* A in column-major, m×n, ld m */
  void *tau = malloc((size_t)k * es);
  if (!col || !tau) {
    free(col);
    free(tau);
    return out_of_memory(env, fn, (double)(m * n + k) * es);
  }
  transpose(t, a.data, col, (size_t)m, (size_t)n);
  /* One workspace serves both routines: query each and take the larger. */
  double qd1 = 0, qd2 = 0;
  float qs1 = 0, qs2 = 0;
  blasint info2 = 0;
  if (t == DT_F64) {
    dgeqrf_(&bm, &bn, col, &lda, tau, &qd1, &lwork, &info_code);
    dorgqr_(&bm, &bk, &bk, col, &lda, tau, &qd2, &lwork, &info2);
  } else {
    sgeqrf_(&bm, &bn, col, &lda, tau, &qs1, &lwork, &info_code);
    sorgqr_(&bm, &bk, &bk, col, &lda, tau, &qs2, &lwork, &info2);
  }
  const char *routine = t == DT_F64 ? "dgeqrf" : "sgeqrf";
  void *work = NULL;
  if (info_code == 0 && info2 != 0) {
    info_code = info2;
    routine = t == DT_F64 ? "dorgqr" : "sorgqr";
  }
  if (info_code == 0) {
    const double need1 = t == DT_F64 ? qd1 : qs1, need2 = t == DT_F64 ? qd2 : qs2;
    lwork = workspace_size(need1 > need2 ? need1 : need2);
    work = malloc((size_t)lwork * es);
    if (!work) {
      free(col);
      free(tau);
      return out_of_memory(env, fn, (double)lwork * es);
    }
    if (t == DT_F64) dgeqrf_(&bm, &bn, col, &lda, tau, work, &lwork, &info_code);
    else sgeqrf_(&bm, &bn, col, &lda, tau, work, &lwork, &info_code);
  }
  if (info_code == 0) {
    /* R: rows 0..k-1 of the upper triangle (column-major element (i, j) at i + j·m). */
    if (t == DT_F64) {
      const double *src = col;
      double *dst = r;
      for (int64_t i = 0; i < k; i++)
        for (int64_t j = 0; j < n; j++) dst[i * n + j] = j >= i ? src[i + j * m] : 0;
    } else {
      const float *src = col;
      float *dst = r;
      for (int64_t i = 0; i < k; i++)
        for (int64_t j = 0; j < n; j++) dst[i * n + j] = j >= i ? src[i + j * m] : 0;
    }
    routine = t == DT_F64 ? "dorgqr" : "sorgqr";
    if (t == DT_F64) dorgqr_(&bm, &bk, &bk, col, &lda, tau, work, &lwork, &info_code);
    else sorgqr_(&bm, &bk, &bk, col, &lda, tau, work, &lwork, &info_code);
  }
  /* Q: the first k columns of the column-major m×n buffer are the row-major k×m Qᵀ. */
  if (info_code == 0) transpose(t, col, q, (size_t)k, (size_t)m);
  free(work);
  free(col);
  free(tau);
  if (info_code != 0) return lapack_error(env, routine, info_code, "");
  return result;
}

/*
 * eigh(a, n) → { w: n ascending, v: n×n with eigenvectors as columns }, via syevd.
 *
 * The lower triangle of row-major A is the upper triangle of the column-major Aᵀ the
 * bytes describe, so syevd runs with UPLO='U' on a copy held in v. It leaves the
 * eigenvectors as columns of a column-major matrix, i.e. rows of row-major v; an
 * in-place transpose makes them columns.
 */
static napi_value js_eigh(napi_env env, napi_callback_info info) {
  const char *fn = "eigh";
  napi_value argv[2];
  float_array a;
  int64_t n;
  if (!get_args(env, info, fn, 2, argv) || !arg_float_array(env, argv[0], fn, "a", &a) ||
      !arg_count(env, argv[1], fn, "n", MAX_DIM, &n) ||
      !check_length(env, fn, "a", &a, (double)n * n))
    return NULL;
  const dtype t = a.type;
  const size_t es = elem_size(t);
  void *w, *v;
  napi_value result, jw, jv;
  if (!(jw = new_float_array(env, t, (size_t)n, &w)) ||
      !(jv = new_float_array(env, t, (size_t)(n * n), &v)))
    return NULL;
  NAPI_CALL(env, napi_create_object(env, &result));
  if (!set_field(env, result, "w", jw) || !set_field(env, result, "v", jv))
    return throw_(env, ERR_PLAIN, "%s: could not build the result object", fn);
  if (n == 0) return result;

  memcpy(v, a.data, (size_t)(n * n) * es);
  const blasint bn = (blasint)n;
  blasint lwork = -1, liwork = -1, info_code = 0, iquery = 0;
  double qd = 0;
  float qs = 0;
  if (t == DT_F64) dsyevd_("V", "U", &bn, v, &bn, w, &qd, &lwork, &iquery, &liwork, &info_code, 1, 1);
  else ssyevd_("V", "U", &bn, v, &bn, w, &qs, &lwork, &iquery, &liwork, &info_code, 1, 1);
  if (info_code == 0) {
    lwork = workspace_size(t == DT_F64 ? qd : qs);
    liwork = iquery > 1 ? iquery : 1;
    void *work = malloc((size_t)lwork * es);
    blasint *iwork = malloc((size_t)liwork * sizeof(blasint));
    if (!work || !iwork) {
      free(work);
      free(iwork);
      return out_of_memory(env, fn, (double)lwork * es + (double)liwork * sizeof(blasint));
    }
    if (t == DT_F64) dsyevd_("V", "U", &bn, v, &bn, w, work, &lwork, iwork, &liwork, &info_code, 1, 1);
    else ssyevd_("V", "U", &bn, v, &bn, w, work, &lwork, iwork, &liwork, &info_code, 1, 1);
    free(work);
    free(iwork);
  }
  if (info_code != 0)
    return lapack_error(env, t == DT_F64 ? "dsyevd" : "ssyevd", info_code,
                        info_code == -4 ? ": the matrix contains NaN" : "");
  if (t == DT_F64) transpose_square_d(v, (size_t)n);
  else transpose_square_s(v, (size_t)n);
  return result;
}

/* --------------------------------------------------------------- threads ---- */

/* setThreads(n): the number of OpenBLAS threads for later calls. */
static napi_value js_set_threads(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int64_t n;
  if (!get_args(env, info, "setThreads", 1, argv) ||
      !arg_count(env, argv[0], "setThreads", "n", 4096, &n))
    return NULL;
  if (n < 1) return throw_(env, ERR_RANGE, "setThreads: n = 0 is not a positive integer");
  openblas_set_num_threads((int)n);
  return NULL;
}

/* threads(): the number of OpenBLAS threads in use. */
static napi_value js_threads(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  NAPI_CALL(env, napi_create_int32(env, openblas_get_num_threads(), &result));
  return result;
}

/* config(): OpenBLAS's build description, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH … Zen …". */
static napi_value js_config(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  const char *config = openblas_get_config();
  NAPI_CALL(env, napi_create_string_utf8(env, config ? config : "OpenBLAS", NAPI_AUTO_LENGTH, &result));
  return result;
}

/* corename(): the CPU kernel set OpenBLAS picked at run time, e.g. "Haswell". */
static napi_value js_corename(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  const char *core = openblas_get_corename();
  NAPI_CALL(env, napi_create_string_utf8(env, core ? core : "unknown", NAPI_AUTO_LENGTH, &result));
  return result;
}

/* ------------------------------------------------------------------ init ---- */

NAPI_MODULE_INIT() {
  /* Single-threaded unless the loader asks otherwise (TNKIT_THREADS). */
  openblas_set_num_threads(1);
  const char *core = openblas_get_corename();
  blas_has_small_kernels = core && (strstr(core, "SkylakeX") || strstr(core, "skylakex") ||
                                    strstr(core, "Cooperlake") || strstr(core, "cooperlake") ||
                                    strstr(core, "SapphireRapids") || strstr(core, "sapphirerapids"));
  napi_value small_dim;
  NAPI_CALL(env, napi_create_int32(env, TNKIT_SMALL_DIM, &small_dim));
  const napi_property_descriptor props[] = {
      {"gemm", NULL, js_gemm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"gemmBatched", NULL, js_gemm_batched, NULL, NULL, NULL, napi_enumerable, NULL},
      {"svd", NULL, js_svd, NULL, NULL, NULL, napi_enumerable, NULL},
      {"qr", NULL, js_qr, NULL, NULL, NULL, napi_enumerable, NULL},
      {"eigh", NULL, js_eigh, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setThreads", NULL, js_set_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"threads", NULL, js_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"config", NULL, js_config, NULL, NULL, NULL, napi_enumerable, NULL},
      {"smallDim", NULL, NULL, NULL, NULL, small_dim, napi_enumerable, NULL},
      {"corename", NULL, js_corename, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  NAPI_CALL(env, napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
  return exports;
}
