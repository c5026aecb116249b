package org.nettricks.bench;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.nettricks.layers.Parameter;
import org.nettricks.optim.Adam;
import org.nettricks.optim.Optimizer;
import org.nettricks.optim.OptimizerState;
import org.nettricks.optim.Sgd;
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
 * One optimizer step (update and finiteness check) of the 784-256-10 network's parameters, float32:
 * the per-step cost that per-example SGD pays once per example (issue 15). Run:
 * <pre>java -jar nettricks-bench/target/benchmarks.jar OptimizerStep</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OptimizerStepBenchmark {
    @Param({"sgd", "momentum", "adam"})
    public String rule;

    @Param({"1", "2"})
    public int threads;

    private JavaBackend backend;
    private Optimizer optimizer;
    private List<Parameter> parameters;
    private OptimizerState state;

    @Setup(Level.Trial)
    public void setUp() {
        backend = new JavaBackend(threads);
        SplittableRandom r = new SplittableRandom(1);
        int[][] shapes = {{256, 784}, {1, 256}, {10, 256}, {1, 10}};
        parameters = new java.util.ArrayList<>();
        for (int[] s : shapes) {
            Parameter p = new Parameter("p" + parameters.size(), Parameter.Role.WEIGHT,
                    Matrix.zeros(s[0], s[1], Precision.FLOAT32));
            for (int i = 0; i < p.value().size(); i++) {
                p.value().setFlat(i, r.nextDouble(-0.1, 0.1));
                p.gradient().setFlat(i, r.nextDouble(-1e-3, 1e-3));
            }
            parameters.add(p);
        }
        optimizer = switch (rule) {
            case "adam" -> new Adam(Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2, org.nettricks.optim.Adagrad.DEFAULT_EPSILON);
            case "momentum" -> new org.nettricks.optim.Momentum(org.nettricks.optim.Momentum.DEFAULT_MOMENTUM);
            default -> new Sgd();
        };
        state = optimizer.createState(parameters).runOn(backend);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
    }

    @Benchmark
    public boolean step() {
        return optimizer.step(parameters, state, 1e-7);
    }
}
