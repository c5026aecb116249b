package org.nettricks.tensor;

import org.nettricks.activations.Activation;

/**
 * The numerical seam: every loop over matrix data that a layer, loss or optimizer needs.
 *
 * <p>Layers call these operations and never branch on the precision; an implementation dispatches
 * on {@link Matrix#precision()}. All operands of one call must share a precision. Output matrices
 * are written in place, so a training step can run without allocating. {@link JavaBackend} is
 * always available; a native BLAS backend can be plugged in behind the same interface.
 */
public interface Backend extends AutoCloseable {

    /** A short name for notices and provenance, e.g. {@code java}. */
    String name();

    /**
     * What a model's provenance records about how this backend computes, beside its {@link #name()}
     * and thread count: at least {@code blas}, the library that computes the matrix products and its
     * version ({@code none (pure-Java loops)} for a backend without one), and for a native library the
     * kernel it chose for this CPU ({@code blas_kernel}). The same seed gives the same bits only with
     * the same backend, thread count and kernel.
     */
    default java.util.Map<String, String> provenance() {
        return java.util.Map.of("blas", "none (pure-Java loops)");
    }

    /**
     * How to get back the {@link #provenance()} entry {@code key} that a checkpoint recorded as
     * {@code recorded}, when this backend now differs there (e.g. which setting chooses the BLAS
     * library), in words for a refusal's message; null when there is nothing to say. By default, null.
     */
    default String provenanceAdvice(String key, String recorded) {
        return null;
    }

    /** Releases threads and native resources; the backend is unusable afterwards. */
    @Override
    default void close() {
    }

    /** The number of threads this backend computes with. */
    int threads();

    /**
     * Runs {@code part.accept(0)} … {@code part.accept(parts − 1)} concurrently on the backend's
     * threads (the caller's thread runs one) and returns when all have finished: one parallel
     * region, e.g. an optimizer step whose parts are ranges of every parameter. An exception in a
     * part is rethrown after all parts have ended.
     *
     * @param parts at most {@link #threads()} parts run at the same time; more queue up
     */
    default void parallel(int parts, java.util.function.IntConsumer part) {
        for (int i = 0; i < parts; i++) {
            part.accept(i);
        }
    }

    /**
     * General matrix product, as in BLAS {@code xGEMM}:
     * <pre>C ← α · op(A) · op(B) + β · C,   op(X) = Xᵀ if the flag is set, else X</pre>
     * With β = 0 the previous contents of C are ignored (even NaN).
     */
    void gemm(boolean transposeA, boolean transposeB, double alpha, Matrix a, Matrix b, double beta, Matrix c);

    /**
     * Adds the bias row vector to every row of {@code preActivation} and applies g, in one pass:
     * <pre>a ← a + b,   h ← g(a)</pre>
     * {@code activation} may be the same matrix as {@code preActivation}: it then ends up holding
     * h = g(a + b) and a is not kept (what inference does, in one pass over one matrix).
     *
     * @param bias a 1 × cols matrix, or null for no bias (h ← g(a))
     */
    void addBiasAndActivate(Matrix preActivation, Matrix bias, Activation g, Matrix activation);

    /**
     * Backpropagates through g elementwise:
     * <pre>∇a ← ∇h ⊙ g'(a)</pre>
     * {@code gradActivation} and {@code gradPreActivation} may be the same matrix.
     */
    void activationBackward(Activation g, Matrix preActivation, Matrix activation,
                            Matrix gradActivation, Matrix gradPreActivation);

    /**
     * Column sums (a reduction over the rows, i.e. over the examples of a batch):
     * <pre>out ← α · Σᵢ m[i, ·] + β · out</pre>
     *
     * @param out a 1 × cols matrix
     */
    void columnSums(double alpha, Matrix m, double beta, Matrix out);

    /** y ← y + α · x, elementwise over matrices of the same shape. */
    void axpy(double alpha, Matrix x, Matrix y);

    /** out ← x ⊙ m, elementwise; {@code out} may be {@code x}. */
    void multiply(Matrix x, Matrix m, Matrix out);

    /**
     * Batch normalization of each column (one unit over the B examples of a batch), training mode
     * (Ioffe &amp; Szegedy 2015, as in the lecture):
     * <pre>
     * μ_B = (1/B) Σᵢ xᵢ                   σ²_B = (1/B) Σᵢ (xᵢ − μ_B)²
     * x̂ᵢ = (xᵢ − μ_B) / √(σ²_B + ε)       yᵢ = γ x̂ᵢ + β
     * </pre>
     *
     * @param batchMean     receives μ_B, 1 × cols
     * @param batchVariance receives σ²_B (biased, 1/B), 1 × cols
     */
    void batchNormTrain(Matrix x, Matrix gamma, Matrix beta, double epsilon, Matrix xHat, Matrix y,
                        Matrix batchMean, Matrix batchVariance);

    /** Batch normalization with fixed statistics: y = γ (x − mean) / √(variance + ε) + β. */
    void batchNormInference(Matrix x, Matrix gamma, Matrix beta, Matrix mean, Matrix variance, double epsilon,
                            Matrix y);

    /**
     * {@link #batchNormInference} followed by the activation, as inference runs a normalized layer:
     * y = g(γ (x − mean) / √(variance + ε) + β), the same values as the two calls one after the
     * other ({@code y} may be {@code x}). This default makes those two calls; a backend may fuse
     * them into one pass.
     */
    default void batchNormInference(Matrix x, Matrix gamma, Matrix beta, Matrix mean, Matrix variance,
                                    double epsilon, Activation g, Matrix y) {
        batchNormInference(x, gamma, beta, mean, variance, epsilon, y);
        if (g != Activation.LINEAR) {
            addBiasAndActivate(y, null, g, y);
        }
    }

    /**
     * Backpropagation through {@link #batchNormTrain}, with the lecture's formulas:
     * <pre>
     * ∂ℓ/∂x̂ᵢ  = ∂ℓ/∂yᵢ · γ
     * ∂ℓ/∂σ²_B = Σᵢ ∂ℓ/∂x̂ᵢ · (xᵢ − μ_B) · (−1/2) (σ²_B + ε)^(−3/2)
     * ∂ℓ/∂μ_B  = (Σᵢ ∂ℓ/∂x̂ᵢ · −1/√(σ²_B + ε)) + ∂ℓ/∂σ²_B · (Σᵢ −2(xᵢ − μ_B)) / B
     * ∂ℓ/∂xᵢ   = ∂ℓ/∂x̂ᵢ / √(σ²_B + ε) + ∂ℓ/∂σ²_B · 2(xᵢ − μ_B)/B + ∂ℓ/∂μ_B / B
     * ∂ℓ/∂γ    = Σᵢ ∂ℓ/∂yᵢ · x̂ᵢ            ∂ℓ/∂β = Σᵢ ∂ℓ/∂yᵢ
     * </pre>
     * where xᵢ − μ_B is recovered as x̂ᵢ √(σ²_B + ε).
     */
    void batchNormBackward(Matrix gradY, Matrix xHat, Matrix gamma, Matrix batchVariance, double epsilon,
                           Matrix gradX, Matrix gradGamma, Matrix gradBeta);

    /**
     * Softmax followed by the negative log-likelihood, fused with its gradient, row by row:
     * <pre>
     * f(x) = softmax(z),   l = −log f(x)_y = logsumexp(z) − z_y
     * ∇z l = f(x) − e(y)              (stored scaled by gradScale)
     * </pre>
     * The log-sum-exp subtracts the row maximum first, so logits of ±1000 give finite results.
     *
     * @param labels the class index of each row, length ≥ rows
     * @param gradScale factor applied to the stored gradient (1/B for a mean over the batch)
     * @param gradLogits receives the scaled gradient; may be null when no gradient is needed
     * @param predictions receives argmax f(x) per row; may be null
     * @return the sum over the rows of −log f(x)_y, in nats
     */
    default double softmaxCrossEntropy(Matrix logits, int[] labels, double gradScale, Matrix gradLogits,
                                       int[] predictions) {
        return softmaxCrossEntropy(logits, labels, null, gradScale, gradLogits, predictions);
    }

    /**
     * The same, with a weight per example (the weighted negative log-likelihood, e.g. class weights):
     * row r's loss and gradient are multiplied by {@code weights[r]},
     * <pre>
     * l_r = w_r (logsumexp(z_r) − z_r,y)      ∇z_r = w_r (f(x_r) − e(y_r))   (stored scaled by gradScale)
     * </pre>
     *
     * @param weights the weight of each row, length ≥ rows, each finite and ≥ 0; null for all 1
     *                (exactly the unweighted computation)
     * @return the sum over the rows of w_r · (−log f(x_r)_y), in nats
     */
    double softmaxCrossEntropy(Matrix logits, int[] labels, double[] weights, double gradScale, Matrix gradLogits,
                               int[] predictions);

    /**
     * Row-wise softmax of {@code logits} into {@code probabilities} (same shape), stable for large
     * logits.
     */
    void softmax(Matrix logits, Matrix probabilities);
}
