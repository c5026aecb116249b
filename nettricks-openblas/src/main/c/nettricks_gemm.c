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
#include <stdlib.h>

enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int, float,
                         float *, int);
typedef void (*dgemm_fn)(int, int, int, int, int, int, double, const double *, int, const double *, int, double,
                         double *, int);

static sgemm_fn sgemm;
static dgemm_fn dgemm;
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

JNIEXPORT void JNICALL Java_org_nettricks_openblas_CriticalGemm_sgemm(JNIEnv *env, jclass cls, jboolean ta,
        jboolean tb, jint m, jint n, jint k, jfloat alpha, jfloatArray a, jint lda, jfloatArray b, jint ldb,
        jfloat beta, jfloatArray c, jint ldc) {
    float *pa = PIN(a);
    float *pb = PIN(b);
    float *pc = PIN(c);
    if (pa != NULL && pb != NULL && pc != NULL) {
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
    if (pa != NULL && pb != NULL && pc != NULL) {
        dgemm(ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, m, n, k, alpha, pa, lda, pb, ldb, beta, pc,
              ldc);
    }
    UNPIN(c, pc, 0);
    UNPIN(b, pb, JNI_ABORT);
    UNPIN(a, pa, JNI_ABORT);
}
