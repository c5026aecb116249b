/*
 * Two BLAS libraries' cblas_sgemm at the reference network's layer shapes, in one process,
 * interleaved (round r times library A then library B, 21 rounds, medians): on a shared machine
 * whose speed drifts by ±15% between runs, only side-by-side figures compare the libraries.
 *
 * Build and run: scripts/gemm-libraries.sh (it finds the OpenBLAS bundled with org.bytedeco:openblas
 * and the system's, which PyTorch uses here).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int, float,
                         float *, int);
enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112, ROUNDS = 21 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

static sgemm_fn open_blas(const char *path, int threads) {
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (h == NULL) {
        fprintf(stderr, "gemm_libraries: %s\n", dlerror());
        exit(2);
    }
    void (*set_threads)(int) = (void (*)(int)) dlsym(h, "openblas_set_num_threads");
    const char *(*config)(void) = (const char *(*)(void)) dlsym(h, "openblas_get_config");
    if (set_threads != NULL) {
        set_threads(threads);
    }
    printf("# %s: %s\n", path, config != NULL ? config() : "(not OpenBLAS)");
    return (sgemm_fn) dlsym(h, "cblas_sgemm");
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: gemm_libraries LIBRARY_A LIBRARY_B THREADS\n");
        return 2;
    }
    int threads = atoi(argv[3]);
    sgemm_fn gemm[2] = {open_blas(argv[1], threads), open_blas(argv[2], threads)};
    /* m, n, k, transpose A, transpose B: the products of a training step and of inference (batch 1,000) */
    static const int shapes[][5] = {
        {128, 1024, 784, 0, 1}, {128, 1024, 1024, 0, 1}, {1024, 784, 128, 1, 0}, {1024, 1024, 128, 1, 0},
        {128, 1024, 1024, 0, 0}, {1000, 1024, 784, 0, 1}, {1000, 1024, 1024, 0, 1}};
    printf("%-20s %12s %12s %8s\n", "m x n x k, op", "A us (GF/s)", "B us (GF/s)", "A/B speed");
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int m = shapes[s][0], n = shapes[s][1], k = shapes[s][2], ta = shapes[s][3], tb = shapes[s][4];
        float *a = malloc(sizeof(float) * m * k), *b = malloc(sizeof(float) * n * k), *c = malloc(sizeof(float) * m * n);
        for (long i = 0; i < (long) m * k; i++) a[i] = (float) (i % 7) * 0.1f;
        for (long i = 0; i < (long) n * k; i++) b[i] = (float) (i % 5) * 0.1f;
        int lda = ta ? m : k, ldb = tb ? k : n, reps = m >= 1000 ? 4 : 25;
        double t[2][ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            for (int l = 0; l < 2; l++) {
                double t0 = now();
                for (int i = 0; i < reps; i++) {
                    gemm[l](ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, m, n, k, 1.0f, a, lda, b, ldb,
                            0.0f, c, n);
                }
                t[l][r] = (now() - t0) / reps;
            }
        }
        qsort(t[0], ROUNDS, sizeof(double), compare);
        qsort(t[1], ROUNDS, sizeof(double), compare);
        double ta_ = t[0][ROUNDS / 2], tb_ = t[1][ROUNDS / 2], flop = 2.0 * m * n * k;
        char name[32];
        snprintf(name, sizeof name, "%dx%dx%d %c%c", m, n, k, ta ? 'T' : 'N', tb ? 'T' : 'N');
        printf("%-20s %5.0f (%4.0f) %5.0f (%4.0f) %7.0f%%\n", name, ta_ * 1e6, flop / ta_ / 1e9, tb_ * 1e6,
               flop / tb_ / 1e9, 100.0 * tb_ / ta_);
        free(a);
        free(b);
        free(c);
    }
    return 0;
}
