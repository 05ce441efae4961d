/*
 * Prototypes of the LAPACK routines tnkit calls, as exported by OpenBLAS (Fortran
 * calling convention: every argument by pointer, column-major storage, and one hidden
 * trailing length argument per CHARACTER argument, which gfortran-built libraries read
 * and f2c-style builds ignore). Integers are OpenBLAS's `blasint` (32-bit unless the
 * library was built with 64-bit integers, in which case cblas.h says so).
 */
#ifndef TNKIT_LAPACK_H
#define TNKIT_LAPACK_H

#include <stddef.h>
#include <cblas.h>

/* Divide-and-conquer SVD. */
void dgesdd_(const char *jobz, const blasint *m, const blasint *n, double *a, const blasint *lda,
             double *s, double *u, const blasint *ldu, double *vt, const blasint *ldvt,
             double *work, const blasint *lwork, blasint *iwork, blasint *info, size_t jobz_len);
void sgesdd_(const char *jobz, const blasint *m, const blasint *n, float *a, const blasint *lda,
             float *s, float *u, const blasint *ldu, float *vt, const blasint *ldvt,
             float *work, const blasint *lwork, blasint *iwork, blasint *info, size_t jobz_len);

/* Householder QR factorization, and the explicit Q from its reflectors. */
void dgeqrf_(const blasint *m, const blasint *n, double *a, const blasint *lda, double *tau,
             double *work, const blasint *lwork, blasint *info);
void sgeqrf_(const blasint *m, const blasint *n, float *a, const blasint *lda, float *tau,
             float *work, const blasint *lwork, blasint *info);
void dorgqr_(const blasint *m, const blasint *n, const blasint *k, double *a, const blasint *lda,
             const double *tau, double *work, const blasint *lwork, blasint *info);
void sorgqr_(const blasint *m, const blasint *n, const blasint *k, float *a, const blasint *lda,
             const float *tau, float *work, const blasint *lwork, blasint *info);

/* Divide-and-conquer symmetric eigensolver. */
void dsyevd_(const char *jobz, const char *uplo, const blasint *n, double *a, const blasint *lda,
             double *w, double *work, const blasint *lwork, blasint *iwork, const blasint *liwork,
             blasint *info, size_t jobz_len, size_t uplo_len);
void ssyevd_(const char *jobz, const char *uplo, const blasint *n, float *a, const blasint *lda,
             float *w, float *work, const blasint *lwork, blasint *iwork, const blasint *liwork,
             blasint *info, size_t jobz_len, size_t uplo_len);

#endif
