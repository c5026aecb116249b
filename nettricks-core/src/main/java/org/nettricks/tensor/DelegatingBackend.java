package org.nettricks.tensor;

import org.nettricks.activations.Activation;

/**
 * A backend that forwards every call to another: the base of backends that replace a few
 * operations (the OpenBLAS backend replaces GEMM), and of tests that inject a bug into one.
 */
public class DelegatingBackend implements Backend {
    protected final Backend inner;

    public DelegatingBackend(Backend inner) {
        this.inner = inner;
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public int threads() {
        return inner.threads();
    }

    @Override
    public java.util.Map<String, String> provenance() {
        return inner.provenance();
    }

    @Override
    public void parallel(int parts, java.util.function.IntConsumer part) {
        inner.parallel(parts, part);
    }

    @Override
    public void gemm(boolean ta, boolean tb, double alpha, Matrix a, Matrix b, double beta, Matrix c) {
        inner.gemm(ta, tb, alpha, a, b, beta, c);
    }

    @Override
    public void addBiasAndActivate(Matrix pre, Matrix bias, Activation g, Matrix act) {
        inner.addBiasAndActivate(pre, bias, g, act);
    }

    @Override
    public void activationBackward(Activation g, Matrix pre, Matrix act, Matrix gradAct, Matrix gradPre) {
        inner.activationBackward(g, pre, act, gradAct, gradPre);
    }

    @Override
    public void columnSums(double alpha, Matrix m, double beta, Matrix out) {
        inner.columnSums(alpha, m, beta, out);
    }

    @Override
    public void axpy(double alpha, Matrix x, Matrix y) {
        inner.axpy(alpha, x, y);
    }

    @Override
    public void multiply(Matrix x, Matrix m, Matrix out) {
        inner.multiply(x, m, out);
    }

    @Override
    public void batchNormTrain(Matrix x, Matrix gamma, Matrix beta, double epsilon, Matrix xHat, Matrix y,
                               Matrix batchMean, Matrix batchVariance) {
        inner.batchNormTrain(x, gamma, beta, epsilon, xHat, y, batchMean, batchVariance);
    }

    @Override
    public void batchNormInference(Matrix x, Matrix gamma, Matrix beta, Matrix mean, Matrix variance, double epsilon,
                                   Matrix y) {
        inner.batchNormInference(x, gamma, beta, mean, variance, epsilon, y);
    }

    @Override
    public void batchNormInference(Matrix x, Matrix gamma, Matrix beta, Matrix mean, Matrix variance, double epsilon,
                                   Activation g, Matrix y) {
        inner.batchNormInference(x, gamma, beta, mean, variance, epsilon, g, y);
    }

    @Override
    public void batchNormBackward(Matrix gradY, Matrix xHat, Matrix gamma, Matrix batchVariance, double epsilon,
                                  Matrix gradX, Matrix gradGamma, Matrix gradBeta) {
        inner.batchNormBackward(gradY, xHat, gamma, batchVariance, epsilon, gradX, gradGamma, gradBeta);
    }

    @Override
    public double softmaxCrossEntropy(Matrix logits, int[] labels, double[] weights, double gradScale,
                                      Matrix gradLogits, int[] predictions) {
        return inner.softmaxCrossEntropy(logits, labels, weights, gradScale, gradLogits, predictions);
    }

    @Override
    public void softmax(Matrix logits, Matrix probabilities) {
        inner.softmax(logits, probabilities);
    }
}
