package org.nettricks.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.nettricks.activations.Activation;
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
 * Bias + ReLU over one 1000×1024 layer of an inference batch, the way training does it (a and h in
 * two matrices) and the way inference does it (in place), with the caches flushed before each call
 * as after the product that precedes it. Run:
 * <pre>java -jar nettricks-bench/target/benchmarks.jar BiasActivation</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BiasActivationBenchmark {
    /** separate (training: a written back, h in its own matrix) or in-place (inference). */
    @Param({"separate", "in-place"})
    public String layout;

    private JavaBackend backend;
    private Matrix z;
    private Matrix h;
    private Matrix bias;
    private float[] flush;

    @Setup(Level.Trial)
    public void setUp() {
        backend = new JavaBackend(2);
        SplittableRandom r = new SplittableRandom(1);
        z = Matrix.zeros(1000, 1024, Precision.FLOAT32);
        for (int i = 0; i < z.size(); i++) {
            z.setFlat(i, r.nextDouble(-1, 1));
        }
        bias = Matrix.zeros(1, 1024, Precision.FLOAT32); // zero: repeated in-place calls leave the values as they are
        h = layout.equals("in-place") ? z : Matrix.zeros(1000, 1024, Precision.FLOAT32);
        flush = new float[16 << 20]; // 64 MiB, twice the L3 cache
    }

    /** Evicts the layer from the caches, untimed. */
    @Setup(Level.Invocation)
    public void flushCaches() {
        Arrays.fill(flush, flush[0] + 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
    }

    @Benchmark
    public Matrix biasAndRelu() {
        backend.addBiasAndActivate(z, bias, Activation.RELU, h);
        return h;
    }
}
