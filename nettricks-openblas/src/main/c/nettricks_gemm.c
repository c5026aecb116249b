/*
 * Zero-copy GEMM for the OpenBLAS backend.
 *
 * JavaCPP passes Java arrays to native code with Get<Type>ArrayElements, which copies every
 * operand into a fresh native buffer and copies it back afterwards: for the reference network's
 * products that doubles the time of a GEMM at batch 1,000. This helper pins the arrays instead
 * (GetPrimitiveArrayCritical: no copy while the garbage collector waits) and calls the cblas_sgemm
 * and cblas_dgemm of the OpenBLAS that org.bytedeco:openblas has already loaded, found with dlsym
 * through JavaCPP's JNI library (which links it).
 *
 * Built by Maven where a C compiler is present (profile 'native-helper' of nettricks-openblas);
 * without it the backend falls back to JavaCPP's copying calls.
 */
#include <dlfcn.h>
#include <jni.h>
#include <stdio.h>
#include <stdlib.h>

enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int, float,
                         float *, int);
typedef void (*dgemm_fn)(int, int, int, int, int, int, double, const double *, int, const double *, int, double,
                         double *, int);

typedef void (*sgemv_fn)(int, int, int, int, float, const float *, int, const float *, int, float, float *, int);
typedef void (*dgemv_fn)(int, int, int, int, double, const double *, int, const double *, int, double, double *,
                         int);
typedef void (*sger_fn)(int, int, int, float, const float *, int, const float *, int, float *, int);
typedef void (*dger_fn)(int, int, int, double, const double *, int, const double *, int, double *, int);
static sgemm_fn sgemm;
static dgemm_fn dgemm;
/* Matrix-vector and rank-one products: a GEMM with one row, one column or k = 1 is one of these,
   and OpenBLAS's GEMM packs its whole operand first (a 256×784 weight matrix: 800 KB copied to
   multiply it by one vector). NULL when the library lacks them: then every product is a GEMM. */
static sgemv_fn sgemv;
static dgemv_fn dgemv;
static sger_fn sger;
static dger_fn dger;
/* OpenBLAS's process-wide thread count: the vector products run on one thread (below). */
static int (*get_num_threads)(void);
static void (*set_num_threads)(int);
static const char *(*get_config)(void);
static const char *(*get_corename)(void);

/* setenv(name, value) unless name is set: for OpenBLAS's settings, read when it loads. */
JNIEXPORT void JNICALL Java_org_nettricks_openblas_CriticalGemm_setDefaultEnvironment(JNIEnv *env, jclass cls,
        jstring name, jstring value) {
    const char *n = (*env)->GetStringUTFChars(env, name, NULL);
    const char *v = n == NULL ? NULL : (*env)->GetStringUTFChars(env, value, NULL);
    if (n != NULL && v != NULL) {
        setenv(n, v, 0);
    }
    if (v != NULL) {
        (*env)->ReleaseStringUTFChars(env, value, v);
    }
    if (n != NULL) {
        (*env)->ReleaseStringUTFChars(env, name, n);
    }
}

/*
 * Opens the library 'name' the way the dynamic loader finds it (e.g. "libopenblas.so.0": the system's
 * OpenBLAS), asks it how it runs in parallel and how it was built, and closes it again. Returns NULL
 * when it does not load, else "P<tab>CONFIG" where P is openblas_get_parallel() (0 sequential,
 * 1 POSIX threads, 2 OpenMP; -1 when the library does not say) and CONFIG is openblas_get_config().
 */
JNIEXPORT jstring JNICALL Java_org_nettricks_openblas_CriticalGemm_probe(JNIEnv *env, jclass cls, jstring name) {
    const char *n = (*env)->GetStringUTFChars(env, name, NULL);
    if (n == NULL) {
        return NULL; /* OutOfMemoryError pending */
    }
    void *handle = dlopen(n, RTLD_NOW | RTLD_LOCAL);
    (*env)->ReleaseStringUTFChars(env, name, n);
    if (handle == NULL) {
        return NULL;
    }
    int (*parallel)(void) = (int (*)(void)) dlsym(handle, "openblas_get_parallel");
    const char *(*config)(void) = (const char *(*)(void)) dlsym(handle, "openblas_get_config");
    char text[512];
    const char *c = config != NULL ? config() : NULL;
    snprintf(text, sizeof text, "%d\t%s", parallel != NULL ? parallel() : -1, c != NULL ? c : "");
    jstring result = (*env)->NewStringUTF(env, text);
    dlclose(handle);
    return result;
}

/* Binds to the cblas functions reachable from the library at 'path'; returns NULL or an error. */
JNIEXPORT jstring JNICALL Java_org_nettricks_openblas_CriticalGemm_bind(JNIEnv *env, jclass cls, jstring path) {
    const char *p = (*env)->GetStringUTFChars(env, path, NULL);
    if (p == NULL) {
        return NULL; /* OutOfMemoryError pending */
    }
    void *handle = dlopen(p, RTLD_NOW);
    (*env)->ReleaseStringUTFChars(env, path, p);
    if (handle == NULL) {
        const char *e = dlerror();
        return (*env)->NewStringUTF(env, e != NULL ? e : "dlopen failed");
    }
    sgemm = (sgemm_fn) dlsym(handle, "cblas_sgemm");
    dgemm = (dgemm_fn) dlsym(handle, "cblas_dgemm");
    sgemv = (sgemv_fn) dlsym(handle, "cblas_sgemv");
    dgemv = (dgemv_fn) dlsym(handle, "cblas_dgemv");
    sger = (sger_fn) dlsym(handle, "cblas_sger");
    dger = (dger_fn) dlsym(handle, "cblas_dger");
    get_num_threads = (int (*)(void)) dlsym(handle, "openblas_get_num_threads"); /* OpenBLAS only */
    set_num_threads = (void (*)(int)) dlsym(handle, "openblas_set_num_threads");
    get_config = (const char *(*)(void)) dlsym(handle, "openblas_get_config"); /* OpenBLAS only */
    get_corename = (const char *(*)(void)) dlsym(handle, "openblas_get_corename"); /* OpenBLAS only */
    if (sgemm == NULL || dgemm == NULL) {
        sgemm = NULL;
        dgemm = NULL;
        return (*env)->NewStringUTF(env, "cblas_sgemm or cblas_dgemm not found");
    }
    return NULL;
}

/* The bound library's build, e.g. "OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64";
   NULL when it does not say (another BLAS) or before bind. */
JNIEXPORT jstring JNICALL Java_org_nettricks_openblas_CriticalGemm_config(JNIEnv *env, jclass cls) {
    if (get_config == NULL) {
        return NULL;
    }
    const char *c = get_config();
    return c == NULL ? NULL : (*env)->NewStringUTF(env, c);
}

/* The kernel set the bound OpenBLAS chose for this CPU (or was told with OPENBLAS_CORETYPE), e.g. "Haswell";
   NULL when it does not say (another BLAS) or before bind. */
JNIEXPORT jstring JNICALL Java_org_nettricks_openblas_CriticalGemm_corename(JNIEnv *env, jclass cls) {
    if (get_corename == NULL) {
        return NULL;
    }
    const char *c = get_corename();
    return c == NULL ? NULL : (*env)->NewStringUTF(env, c);
}

#define PIN(array) (*env)->GetPrimitiveArrayCritical(env, array, NULL)
#define UNPIN(array, ptr, mode) if (ptr != NULL) (*env)->ReleasePrimitiveArrayCritical(env, array, ptr, mode)

/*
 * Row-major C <- alpha op(A) op(B) + beta C as a matrix-vector or rank-one product where it is one:
 * one row of C (m = 1: C is op(B)^T times A's row), one column (n = 1: op(A) times B's column), or
 * k = 1 with beta = 0 (C is the outer product of A's column and B's row). Returns 0 when the shape
 * is a general GEMM (or the library lacks the routine), after doing nothing.
 */
#define VECTOR_PRODUCT(T, gemv, ger)                                                                        \
    static int T##_vector_product_here(int ta, int tb, int m, int n, int k, T alpha, const T *a, int lda,    \
                                  const T *b, int ldb, T beta, T *c, int ldc) {                             \
        if (gemv != NULL && m == 1) {                                                                       \
            /* the row of A: contiguous unless A is stored transposed (k rows of lda) */                   \
            int inca = ta ? lda : 1;                                                                        \
            gemv(ROW_MAJOR, tb ? NO_TRANS : TRANS, tb ? n : k, tb ? k : n, alpha, b, ldb, a, inca, beta, c, 1); \
            return 1;                                                                                       \
        }                                                                                                   \
        if (gemv != NULL && n == 1) {                                                                       \
            int incb = tb ? 1 : ldb;                                                                        \
            gemv(ROW_MAJOR, ta ? TRANS : NO_TRANS, ta ? k : m, ta ? m : k, alpha, a, lda, b, incb, beta, c, ldc); \
            return 1;                                                                                       \
        }                                                                                                   \
        if (ger != NULL && k == 1 && beta == 0) {                                                           \
            for (int i = 0; i < m; i++) {                                                                   \
                for (int j = 0; j < n; j++) {                                                               \
                    c[(long) i * ldc + j] = 0;                                                              \
                }                                                                                           \
            }                                                                                               \
            ger(ROW_MAJOR, m, n, alpha, a, ta ? 1 : lda, b, tb ? ldb : 1, c, ldc);                          \
            return 1;                                                                                       \
        }                                                                                                   \
        return 0;                                                                                           \
    }
VECTOR_PRODUCT(float, sgemv, sger)
VECTOR_PRODUCT(double, dgemv, dger)

/*
 * A vector product reads its matrix once (a few hundred kilobytes at most for the shapes that reach
 * it): OpenBLAS would split it across its threads, whose wake-up and spinning afterwards cost more
 * than the product and take the cores from the Java threads' elementwise passes and optimizer step
 * (measured at batch 1, 784-256-10: the backward pass 105 µs with OpenBLAS on two threads, 39 µs on
 * one). So it runs on the calling thread: OpenBLAS's thread count is set to 1 around it.
 */
#define ON_ONE_THREAD(call)                                                                                 \
    int threads = get_num_threads != NULL && set_num_threads != NULL ? get_num_threads() : 1;               \
    if (threads > 1) {                                                                                      \
        set_num_threads(1);                                                                                 \
    }                                                                                                       \
    int done = call;                                                                                        \
    if (threads > 1) {                                                                                      \
        set_num_threads(threads);                                                                           \
    }                                                                                                       \
    return done;

static int float_vector_product(int ta, int tb, int m, int n, int k, float alpha, const float *a, int lda,
                                const float *b, int ldb, float beta, float *c, int ldc) {
    if (!(m == 1 || n == 1 || (k == 1 && beta == 0))) {
        return 0;
    }
    ON_ONE_THREAD(float_vector_product_here(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc))
}

static int double_vector_product(int ta, int tb, int m, int n, int k, double alpha, const double *a, int lda,
                                 const double *b, int ldb, double beta, double *c, int ldc) {
    if (!(m == 1 || n == 1 || (k == 1 && beta == 0))) {
        return 0;
    }
    ON_ONE_THREAD(double_vector_product_here(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc))
}

JNIEXPORT void JNICALL Java_org_nettricks_openblas_CriticalGemm_sgemm(JNIEnv *env, jclass cls, jboolean ta,
        jboolean tb, jint m, jint n, jint k, jfloat alpha, jfloatArray a, jint lda, jfloatArray b, jint ldb,
        jfloat beta, jfloatArray c, jint ldc) {
    float *pa = PIN(a);
    float *pb = PIN(b);
    float *pc = PIN(c);
    if (pa != NULL && pb != NULL && pc != NULL
            && !float_vector_product(ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc)) {
        sgemm(ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, m, n, k, alpha, pa, lda, pb, ldb, beta, pc,
              ldc);
    }
    UNPIN(c, pc, 0);
    UNPIN(b, pb, JNI_ABORT);
    UNPIN(a, pa, JNI_ABORT);
}

JNIEXPORT void JNICALL Java_org_nettricks_openblas_CriticalGemm_dgemm(JNIEnv *env, jclass cls, jboolean ta,
        jboolean tb, jint m, jint n, jint k, jdouble alpha, jdoubleArray a, jint lda, jdoubleArray b, jint ldb,
        jdouble beta, jdoubleArray c, jint ldc) {
    double *pa = PIN(a);
    double *pb = PIN(b);
    double *pc = PIN(c);
    if (pa != NULL && pb != NULL && pc != NULL
            && !double_vector_product(ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc)) {
        dgemm(ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, m, n, k, alpha, pa, lda, pb, ldb, beta, pc,
              ldc);
    }
    UNPIN(c, pc, 0);
    UNPIN(b, pb, JNI_ABORT);
    UNPIN(a, pa, JNI_ABORT);
}
