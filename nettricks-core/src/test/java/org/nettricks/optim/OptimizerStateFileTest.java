package org.nettricks.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.InvalidInputException;
import org.nettricks.io.Safetensors;
import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * Every optimizer's state written to safetensors and read back: continuing from the read state
 * gives the same parameters, bit for bit, as never having stopped; a state is refused for another
 * rule, other hyperparameters or other parameters.
 */
class OptimizerStateFileTest {
    private static final List<Optimizer> RULES = List.of(new Sgd(), new Momentum(0.9), new Nesterov(0.8),
            new Adagrad(1e-8), new RmsProp(0.9, 1e-6), new Adam(0.9, 0.999, 1e-8));

    @TempDir
    Path dir;

    private static List<Parameter> parameters(Precision precision) {
        SplittableRandom r = new SplittableRandom(5);
        List<Parameter> ps = new ArrayList<>();
        ps.add(new Parameter("layers.0.weight", Parameter.Role.WEIGHT, Matrix.zeros(3, 4, precision)));
        ps.add(new Parameter("layers.0.bias", Parameter.Role.BIAS, Matrix.zeros(1, 3, precision)));
        for (Parameter p : ps) {
            for (int i = 0; i < p.value().size(); i++) {
                p.value().setFlat(i, r.nextDouble(-1, 1));
            }
        }
        return ps;
    }

    /** Steps with gradients drawn from {@code r}. */
    private static void steps(Optimizer rule, List<Parameter> ps, OptimizerState state, SplittableRandom r, int n) {
        for (int t = 0; t < n; t++) {
            for (Parameter p : ps) {
                for (int i = 0; i < p.gradient().size(); i++) {
                    p.gradient().setFlat(i, r.nextGaussian());
                }
            }
            assertTrue(rule.step(ps, state, 0.01));
        }
    }

    private static double[] values(List<Parameter> ps) {
        List<Double> all = new ArrayList<>();
        for (Parameter p : ps) {
            for (int i = 0; i < p.value().size(); i++) {
                all.add(p.value().getFlat(i));
            }
        }
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void resumingFromTheSavedStateEqualsNeverStopping() throws IOException {
        for (Precision precision : Precision.values()) {
            for (Optimizer rule : RULES) {
                List<Parameter> straight = parameters(precision);
                OptimizerState straightState = rule.createState(straight);
                steps(rule, straight, straightState, new SplittableRandom(9), 6);

                List<Parameter> resumed = parameters(precision);
                OptimizerState first = rule.createState(resumed);
                SplittableRandom r = new SplittableRandom(9);
                steps(rule, resumed, first, r, 3);
                Path file = dir.resolve(rule.name() + "-" + precision.displayName() + ".safetensors");
                OptimizerStateFile.save(file, rule, first);
                OptimizerState read = OptimizerStateFile.load(file, rule, resumed);
                assertEquals(3, read.count(), rule.name());
                steps(rule, resumed, read, r, 3);
                assertArrayEquals(values(straight), values(resumed), 0.0, rule.name() + " " + precision);
                assertEquals(6, read.count());
            }
        }
    }

    @Test
    void tensorsAreNamedAsPyTorchNamesThem() throws IOException {
        List<Parameter> ps = parameters(Precision.FLOAT32);
        Optimizer adam = new Adam(0.9, 0.999, 1e-8);
        OptimizerState state = adam.createState(ps);
        steps(adam, ps, state, new SplittableRandom(1), 2);
        Path file = dir.resolve("adam.safetensors");
        OptimizerStateFile.save(file, adam, state);
        Safetensors.Contents c = Safetensors.read(file);
        assertEquals(List.of("layers.0.weight.exp_avg", "layers.0.bias.exp_avg", "layers.0.weight.exp_avg_sq",
                "layers.0.bias.exp_avg_sq"), c.tensors().stream().map(Safetensors.Tensor::name).toList());
        assertArrayEquals(new int[] {3}, c.tensor("layers.0.bias.exp_avg").shape());
        assertEquals("2", c.metadata().get("step"));
        assertEquals("0.999", c.metadata().get("beta2"));
        assertEquals(Map.of("momentum_buffer", 1), Map.of("momentum_buffer",
                new Momentum(0.9).createState(ps).tensors().size()));
        // m after two steps from 0 is (1 − β1)(β1 g1 + g2): check one element against the gradients
        SplittableRandom r = new SplittableRandom(1);
        double[] g1 = new double[12];
        for (int i = 0; i < 12; i++) {
            g1[i] = r.nextGaussian();
        }
        for (int i = 0; i < 3; i++) {
            r.nextGaussian();
        }
        double g2 = r.nextGaussian();
        assertEquals((float) (0.1f * (0.9f * (float) g1[0] + (float) g2)),
                c.tensor("layers.0.weight.exp_avg").values().getFlat(0), 1e-6);
    }

    @Test
    void aStateIsRefusedForAnotherRuleOrOtherConstantsOrOtherParameters() throws IOException {
        List<Parameter> ps = parameters(Precision.FLOAT64);
        Optimizer adam = new Adam(0.9, 0.999, 1e-8);
        OptimizerState state = adam.createState(ps);
        steps(adam, ps, state, new SplittableRandom(1), 1);
        Path file = dir.resolve("adam.safetensors");
        OptimizerStateFile.save(file, adam, state);
        InvalidInputException other = assertThrows(InvalidInputException.class,
                () -> OptimizerStateFile.load(file, new RmsProp(0.9, 1e-8), ps));
        assertTrue(other.getMessage().contains("it holds the state of adam, not of rmsprop"), other.getMessage());
        InvalidInputException beta = assertThrows(InvalidInputException.class,
                () -> OptimizerStateFile.load(file, new Adam(0.8, 0.999, 1e-8), ps));
        assertTrue(beta.getMessage().contains("beta1 is 0.9 in the file but 0.8 here"), beta.getMessage());
        List<Parameter> wider = new ArrayList<>(ps);
        wider.add(new Parameter("layers.1.weight", Parameter.Role.WEIGHT, Matrix.zeros(2, 3, Precision.FLOAT64)));
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> OptimizerStateFile.load(file, adam, wider));
        assertTrue(missing.getMessage().contains("tensor layers.1.weight.exp_avg is missing"), missing.getMessage());
        InvalidInputException extra = assertThrows(InvalidInputException.class,
                () -> OptimizerStateFile.load(file, adam, ps.subList(0, 1)));
        assertTrue(extra.getMessage().contains("tensor layers.0.bias.exp_avg belongs to no parameter"),
                extra.getMessage());
        assertThrows(IllegalArgumentException.class, () -> adam.step(ps, new Sgd().createState(ps), 0.1),
                "a state of another rule is refused by step");
    }
}
