package org.nettricks.pretraining;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nettricks.activations.Activation;
import org.nettricks.debugging.RelativeError;
import org.nettricks.layers.Parameter;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * Float64 central differences of the autoencoder and denoising-autoencoder objectives against
 * their backpropagation, tied and untied, cross-entropy and squared error, with the corruption
 * held fixed (the corrupted input is drawn once and reused for every evaluation).
 */
class AutoencoderGradientTest {
    private static final JavaBackend BACKEND = new JavaBackend(1);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    @Test
    void autoencodersTiedAndUntied() {
        for (boolean tied : new boolean[] {true, false}) {
            for (boolean sigmoidOutput : new boolean[] {true, false}) {
                check(tied, sigmoidOutput, Autoencoder.Corruption.NONE, Activation.SIGMOID);
            }
        }
        check(false, true, Autoencoder.Corruption.NONE, Activation.TANH);
    }

    @Test
    void denoisingAutoencodersWithFixedCorruption() {
        for (boolean tied : new boolean[] {true, false}) {
            check(tied, true, new Autoencoder.Corruption(Autoencoder.Corruption.Kind.MASKING, 0.3), Activation.SIGMOID);
            check(tied, false, new Autoencoder.Corruption(Autoencoder.Corruption.Kind.GAUSSIAN, 0.2), Activation.RELU);
        }
    }

    private static void check(boolean tied, boolean sigmoidOutput, Autoencoder.Corruption corruption, Activation g) {
        SplittableRandom r = new SplittableRandom(8);
        Autoencoder ae = new Autoencoder(6, 4, g, tied, sigmoidOutput, corruption, Precision.FLOAT64, BACKEND, 0);
        for (Parameter p : ae.parameters()) {
            for (int i = 0; i < p.value().size(); i++) {
                p.value().setFlat(i, r.nextDouble(-0.8, 0.8));
            }
        }
        Matrix x = Matrix.zeros(5, 6, Precision.FLOAT64);
        for (int i = 0; i < x.size(); i++) {
            x.setFlat(i, sigmoidOutput ? r.nextDouble() : r.nextDouble(-2, 2));
        }
        Matrix corrupted = ae.corrupt(x, r);
        ae.lossAndGradients(x, corrupted, true);
        double worst = 0;
        String where = "";
        double eps = 1e-5;
        for (Parameter p : ae.parameters()) {
            Matrix analytic = p.gradient().copy();
            for (int i = 0; i < p.value().size(); i++) {
                double original = p.value().getFlat(i);
                p.value().setFlat(i, original + eps);
                double plus = ae.lossAndGradients(x, corrupted, false);
                p.value().setFlat(i, original - eps);
                double minus = ae.lossAndGradients(x, corrupted, false);
                p.value().setFlat(i, original);
                double e = RelativeError.of(analytic.getFlat(i), (plus - minus) / (2 * eps));
                if (e > worst) {
                    worst = e;
                    where = p.name() + "[" + i + "]";
                }
            }
        }
        assertTrue(worst < 1e-6, "tied=" + tied + " sigmoid=" + sigmoidOutput + " " + corruption + " " + g
                + ": largest relative error " + worst + " at " + where);
    }
}
