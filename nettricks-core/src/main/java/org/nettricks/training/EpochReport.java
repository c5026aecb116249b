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
 * @param monitored          the validation figure of the run's monitored {@link org.nettricks.evaluation.Metric}
 *                           other than {@code val-error} and {@code val-loss} (which are the two fields
 *                           above), computed from the same validation pass; NaN when the run monitors one of
 *                           those two, or has no validation set
 */
public record EpochReport(int epoch, double trainLoss, double penalty, double trainError, double validationLoss,
                          double validationError, double learningRate, double seconds, double examplesPerSecond,
                          double monitored) {
    /** A report without a monitored figure besides the validation loss and error. */
    public EpochReport(int epoch, double trainLoss, double penalty, double trainError, double validationLoss,
                       double validationError, double learningRate, double seconds, double examplesPerSecond) {
        this(epoch, trainLoss, penalty, trainError, validationLoss, validationError, learningRate, seconds,
                examplesPerSecond, Double.NaN);
    }

    /** The figure of {@code metric} in this report: the validation error, the loss, or {@link #monitored()}. */
    public double valueOf(org.nettricks.evaluation.Metric metric) {
        return metric.isError() ? validationError : metric.isLoss() ? validationLoss : monitored;
    }

    public boolean hasValidation() {
        return !Double.isNaN(validationLoss);
    }
}
