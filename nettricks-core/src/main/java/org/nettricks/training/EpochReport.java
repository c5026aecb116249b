package org.nettricks.training;

/**
 * The figures of one training epoch.
 *
 * @param trainLoss          mean −log f(x)_y over the epoch's mini-batches, in nats, measured during
 *                           the epoch (the parameters change as it runs); the data term only
 * @param penalty            λΩ(θ) at the end of the epoch (0 without L1/L2)
 * @param trainError         fraction of training examples misclassified during the epoch
 * @param validationLoss     mean loss on the validation set after the epoch, NaN without one
 * @param validationError    classification error on the validation set after the epoch, NaN without one
 * @param learningRate       α used in this epoch
 * @param seconds            wall time of the epoch's shuffle and training steps (not of the
 *                           validation pass)
 * @param examplesPerSecond  training examples per second over those steps
 */
public record EpochReport(int epoch, double trainLoss, double penalty, double trainError, double validationLoss,
                          double validationError, double learningRate, double seconds, double examplesPerSecond) {
    public boolean hasValidation() {
        return !Double.isNaN(validationLoss);
    }
}
