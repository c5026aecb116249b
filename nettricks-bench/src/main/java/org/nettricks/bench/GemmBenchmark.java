package org.nettricks.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.nettricks.openblas.OpenBlasBackend;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * GEMM at the shapes of one training step of the reference network (784-1024-1024-10, batch 128):
 * forward products A Wᵀ, weight gradients ∇Aᵀ H, input gradients ∇A W. Reports the time per call;
 * GFLOP/s = 2 m n k / time. Run:
 * <pre>java -jar nettricks-bench/target/benchmarks.jar Gemm -p backend=java,openblas,openblas-copying</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GemmBenchmark {
    /** m x n x k and the transposes, e.g. 128x1024x784:NT. */
    @Param({"128x1024x784:NT", "128x1024x1024:NT", "1024x784x128:TN", "1024x1024x128:TN", "128x1024x1024:NN"})
    public String shape;

    /** java, openblas (arrays pinned), openblas-copying (JavaCPP's array calls, which copy them). */
    @Param({"java", "openblas", "openblas-copying"})
    public String backend;

    @Param({"2"})
    public int threads;

    private Backend impl;
    private Matrix a;
    private Matrix b;
    private Matrix c;
    private boolean ta;
    private boolean tb;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = shape.split(":");
        String[] dims = parts[0].split("x");
        int m = Integer.parseInt(dims[0]);
        int n = Integer.parseInt(dims[1]);
        int k = Integer.parseInt(dims[2]);
        ta = parts[1].charAt(0) == 'T';
        tb = parts[1].charAt(1) == 'T';
        SplittableRandom r = new SplittableRandom(1);
        a = random(ta ? k : m, ta ? m : k, r);
        b = random(tb ? n : k, tb ? k : n, r);
        c = Matrix.zeros(m, n, Precision.FLOAT32);
        impl = switch (backend) {
            case "java" -> new JavaBackend(threads);
            case "openblas" -> new OpenBlasBackend(threads);
            case "openblas-copying" -> OpenBlasBackend.copying(threads);
            default -> throw new IllegalArgumentException("backend must be java, openblas or openblas-copying");
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        impl.close();
    }

    @Benchmark
    public Matrix gemm() {
        impl.gemm(ta, tb, 1.0, a, b, 0.0, c);
        return c;
    }

    private static Matrix random(int rows, int cols, SplittableRandom r) {
        Matrix m = Matrix.zeros(rows, cols, Precision.FLOAT32);
        for (int i = 0; i < m.size(); i++) {
            m.setFlat(i, r.nextDouble(-1, 1));
        }
        return m;
    }
}
