package org.nettricks.training;

import java.util.List;
import java.util.random.RandomGenerator;

import org.nettricks.layers.Buffer;
import org.nettricks.layers.Parameter;

/**
 * What the {@link TrainingLoop} fits: a model, its examples and its loss, seen one mini-batch at
 * a time. Supervised training of a network ({@link ClassificationTask}) and the unsupervised
 * criteria of greedy layer-wise pre-training are tasks; the loop, its gradient chain, its optimizer
 * and its callbacks are the same for all.
 *
 * <p>Per step the loop calls {@link #forward} then {@link #backward}; neither may allocate.
 */
public interface TrainingTask {
    /** The trained tensors, in a fixed order. */
    List<Parameter> parameters();

    /** Tensors saved with the model but not trained (batch normalization's statistics); may be empty. */
    List<Buffer> buffers();

    /** Number of training examples, N. */
    int exampleCount();

    /**
     * Forward pass and mean loss of the mini-batch of examples {@code order[start … start+count)}.
     *
     * @param random draws dropout masks or corruption noise
     * @return the batch's mean loss
     */
    double forward(int[] order, int start, int count, RandomGenerator random);

    /** Fills every parameter's gradient of the last {@link #forward}'s mean loss. */
    void backward();

    /** Misclassified examples of the last {@link #forward}'s batch; 0 for tasks without classes. */
    int batchErrors();

    /** Whether the task counts classification errors (the training error is reported only then). */
    boolean classifies();

    /**
     * The epoch's training error of a task that counts no classification errors, derived from what
     * the loop already has: {@code meanLoss}, the mean over the epoch's N examples of the batch losses
     * (Σ_b B_b·L_b / N, measured while the parameters were being updated, in training mode); NaN (the
     * default) when it cannot be derived exactly from that mean. Called once per epoch; not used when
     * {@link #classifies()}.
     */
    default double trainingError(double meanLoss) {
        return Double.NaN;
    }

    /** The validation figures after an epoch, or null when there is no validation set. */
    Validation validate();

    /**
     * A loss that a reasonable start can reach, below which a first step's loss does not set the
     * divergence limit: ln C for C classes (uniform predictions), 0 for losses without one.
     */
    double referenceLoss();

    /** Where a non-finite loss came from, e.g. "the pre-activations of layers.1 overflow". */
    String describeOverflow();

    /**
     * Validation figures of an epoch.
     *
     * @param loss      mean loss on the validation set
     * @param error     share of misclassified validation examples, NaN for tasks without classes
     *                  (regression puts its mean validation RMSE here)
     * @param monitored the figure of the task's monitored metric when it is neither the validation
     *                  error nor the loss (see {@link EpochReport#monitored()}), else NaN
     */
    record Validation(double loss, double error, double monitored) {
        /** Figures without a further monitored metric. */
        public Validation(double loss, double error) {
            this(loss, error, Double.NaN);
        }
    }
}
