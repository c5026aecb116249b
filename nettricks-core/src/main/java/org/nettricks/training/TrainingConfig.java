package org.nettricks.training;

import java.util.ArrayList;
import java.util.List;

import org.nettricks.losses.ClassWeights;
import org.nettricks.optim.LearningRateSchedule;
import org.nettricks.regularization.GradientTransform;
import org.nettricks.regularization.GradientClipping;
import org.nettricks.regularization.WeightPenalty;

/**
 * How to train: epochs and batches, learning rate and its schedule, the gradient transforms
 * applied before the optimizer (penalty, then clipping), early stopping, and which population
 * statistics batch normalization keeps after training.
 *
 * @param epochs        passes over the training set, ≥ 1 (the maximum, with early stopping)
 * @param batchSize     examples per mini-batch B, ≥ 1 (B = 1 is per-example SGD; a last, smaller
 *                      batch takes the remainder of the epoch)
 * @param learningRate  α &gt; 0, the base rate of the schedule
 * @param clipping      null for none
 * @param earlyStopping null for none (then every epoch runs and the last parameters are kept)
 * @param finalPass     true (default): after training, replace batch normalization's running
 *                      averages by exact population statistics from a pass over the training set
 * @param classWeights  how much each class's examples count in the training loss
 *                      ({@link ClassWeights#NONE}: all alike)
 */
public record TrainingConfig(int epochs, int batchSize, double learningRate, LearningRateSchedule schedule,
                             WeightPenalty penalty, GradientClipping clipping, EarlyStopping.Config earlyStopping,
                             boolean finalPass, ClassWeights classWeights) {
    /** A configuration whose examples all weigh alike. */
    public TrainingConfig(int epochs, int batchSize, double learningRate, LearningRateSchedule schedule,
                          WeightPenalty penalty, GradientClipping clipping, EarlyStopping.Config earlyStopping,
                          boolean finalPass) {
        this(epochs, batchSize, learningRate, schedule, penalty, clipping, earlyStopping, finalPass, ClassWeights.NONE);
    }

    public TrainingConfig {
        if (classWeights == null) {
            throw new IllegalArgumentException("classWeights must not be null; use ClassWeights.NONE");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a finite number > 0, got " + learningRate);
        }
        if (schedule == null || penalty == null) {
            throw new IllegalArgumentException("schedule and penalty must not be null; use Constant and NONE");
        }
    }

    /**
     * The gradient chain, in the order it is applied: the weight penalty (when active), then
     * clipping (when set), so that the clipped norm includes the penalty's gradient.
     */
    public List<GradientTransform> gradientChain() {
        List<GradientTransform> chain = new ArrayList<>();
        if (penalty.isActive()) {
            chain.add(penalty);
        }
        if (clipping != null) {
            chain.add(clipping);
        }
        return chain;
    }

    /** Plain mini-batch training: constant α, no penalty, no clipping, no early stopping. */
    public static TrainingConfig plain(int epochs, int batchSize, double learningRate) {
        return new TrainingConfig(epochs, batchSize, learningRate, new LearningRateSchedule.Constant(),
                WeightPenalty.NONE, null, null, true);
    }
}
