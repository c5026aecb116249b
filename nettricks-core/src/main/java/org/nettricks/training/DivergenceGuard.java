package org.nettricks.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.nettricks.layers.Buffer;
import org.nettricks.layers.Parameter;
import org.nettricks.layers.internal.ParameterAccess;
import org.nettricks.tensor.Matrix;

/**
 * Stops a run at the step where it diverges, keeping the last good parameters, at almost no cost:
 * the optimizer checks that every updated value is finite in its own pass, and the previous
 * parameters are kept by its commit/revert double buffer, not copied. Diverged means a NaN or an
 * infinity in the loss, a gradient or a parameter, or a batch loss above
 * {@value #DIVERGENCE_FACTOR} times the first step's (or the task's reference loss, ln C, if
 * larger): for 10 classes, 115 nats, a probability of e^−115 on the true class. Throws
 * {@link TrainingDivergedException} naming the epoch, the step and the cause.
 */
public final class DivergenceGuard implements Callback {
    /** A batch loss above this many times the first step's means training diverged. */
    public static final double DIVERGENCE_FACTOR = 50;
    /** The parameters' update double buffers (revert), which are not part of the API. */
    private static final ParameterAccess BUFFERS = ParameterAccess.get();

    private List<Matrix> buffersBefore = new ArrayList<>();
    /** The buffers before the previous step: restored when a divergence is charged to that step. */
    private List<Matrix> buffersBeforePrevious = new ArrayList<>();
    private double firstLoss;
    /** Updates applied in this run: 0 means the parameters are still those the run began with. */
    private long updates;
    /**
     * A first loss above this many times ln K (uniform guessing's) draws a warning: a network
     * initialized as the lecture says starts near ln K (digits, 64-64-10 ReLU: 2.3–2.5).
     */
    static final double LARGE_FIRST_LOSS = 100;
    /** Where the last update was made: the step a non-finite parameter found later is charged to. */
    private int lastUpdateEpoch;
    private int lastUpdateStep;

    @Override
    public void onTrainBegin(TrainingRun run) {
        firstLoss = Double.NaN;
        updates = 0;
        buffersBefore.clear();
        buffersBeforePrevious.clear();
        for (Buffer b : run.task().buffers()) {
            buffersBefore.add(b.value().copy());
            buffersBeforePrevious.add(b.value().copy());
        }
    }

    /**
     * The first step's loss (which sets the divergence limit), the updates made, the step the last
     * update belongs to, and the running statistics before the last two steps (put back on a
     * divergence).
     */
    @Override
    public void saveState(TrainingState state) {
        state.putDouble("first_loss", firstLoss);
        state.putLong("updates", updates);
        state.putLong("last_update_epoch", lastUpdateEpoch);
        state.putLong("last_update_step", lastUpdateStep);
        for (int i = 0; i < buffersBefore.size(); i++) {
            state.putTensor("buffers_before." + i, buffersBefore.get(i));
            state.putTensor("buffers_before_previous." + i, buffersBeforePrevious.get(i));
        }
    }

    @Override
    public void restoreState(TrainingState state, TrainingRun run) {
        firstLoss = state.getDouble("first_loss");
        updates = state.getLong("updates");
        lastUpdateEpoch = state.getInt("last_update_epoch", 0, run.maxEpochs());
        lastUpdateStep = state.getInt("last_update_step", 0, run.batchCount());
        for (int i = 0; i < buffersBefore.size(); i++) {
            state.copyTensor("buffers_before." + i, buffersBefore.get(i));
            state.copyTensor("buffers_before_previous." + i, buffersBeforePrevious.get(i));
        }
    }

    /** Batch normalization's running statistics before the forward pass (small: one row per layer). */
    @Override
    public void onBatchBegin(TrainingRun run) {
        List<Matrix> swap = buffersBeforePrevious; // two generations, swapped: no copy of the older one
        buffersBeforePrevious = buffersBefore;
        buffersBefore = swap;
        List<Buffer> buffers = run.task().buffers();
        for (int i = 0; i < buffers.size(); i++) { // indexed: no iterator per step
            buffersBefore.get(i).copyFrom(buffers.get(i).value());
        }
    }

    @Override
    public void afterForward(TrainingRun run, double loss) {
        if (Double.isNaN(firstLoss)) {
            firstLoss = loss;
            double reference = run.task().referenceLoss(); // ln K: the loss of a network that guesses
            if (reference > 0 && loss > LARGE_FIRST_LOSS * reference && Double.isFinite(loss)) {
                // later losses are compared with this one, so a run that starts this far off is not
                // stopped: say why it may not learn
                run.warn(String.format(Locale.ROOT, "the first step's loss %.4g is %.0f times that of uniform"
                        + " guessing (ln %d = %.4f): the initial outputs are far too large; lower `init-gain` (or"
                        + " choose another `init`), or normalize the inputs (`normalize`)", loss, loss / reference,
                        Math.round(Math.exp(reference)), reference));
            }
        }
        if (!Double.isFinite(loss)) {
            String madeNonFinite = nonFiniteParameter(run);
            if (madeNonFinite != null) { // an update that was not checked as it was made (SGD's float32 pass)
                throw uncheckedUpdate(run, madeNonFinite, " (found by the next step's loss, " + loss + ")",
                        buffersBeforePrevious, run.reports());
            }
            throw diverged(run, "the loss is " + loss + " (" + run.task().describeOverflow() + ")", updates == 0);
        }
    }

    /**
     * After the epoch's last update, which no later loss checks: a parameter made NaN or infinite by
     * it ends the run there (one pass over the parameters per epoch).
     */
    @Override
    public void onEpochEnd(TrainingRun run, EpochReport report) {
        String madeNonFinite = nonFiniteParameter(run);
        if (madeNonFinite != null) {
            // the epoch's report was made with the non-finite parameters: the epoch did not complete
            throw uncheckedUpdate(run, madeNonFinite, "", buffersBefore,
                    run.reports().subList(0, run.reports().size() - 1));
        }
    }

    /**
     * The last update made {@code parameter} NaN or infinite and was not checked as it was made:
     * charged to its step, with its cause named as {@link #afterUpdate} would (the gradients are
     * still that step's: no backward pass ran since).
     */
    private TrainingDivergedException uncheckedUpdate(TrainingRun run, String parameter, String foundBy,
                                                      List<Matrix> buffersBeforeThatStep,
                                                      List<EpochReport> completed) {
        for (Parameter q : run.parameters()) {
            if (!q.gradient().allFinite()) {
                // the first update's gradient came from the parameters the run began with
                return diverged(run, "the gradient of " + q.name() + " holds NaN or infinity" + foundBy, updates == 1,
                        lastUpdateEpoch, lastUpdateStep, buffersBeforeThatStep, completed);
            }
        }
        return diverged(run, "the update of step " + lastUpdateStep + " made " + parameter + " NaN or infinite"
                + foundBy, false, lastUpdateEpoch, lastUpdateStep, buffersBeforeThatStep, completed);
    }

    /** The first parameter holding NaN or infinity, or null. */
    private static String nonFiniteParameter(TrainingRun run) {
        for (Parameter q : run.parameters()) {
            if (!q.value().allFinite()) {
                return q.name();
            }
        }
        return null;
    }

    @Override
    public void afterBackward(TrainingRun run, double loss) {
        double limit = DIVERGENCE_FACTOR * Math.max(firstLoss, run.task().referenceLoss());
        if (loss > limit) {
            throw diverged(run, String.format(Locale.ROOT, "the loss %.4g exceeds %.0f times the first step's %.4g"
                            + " (the largest gradient relative to its tensor is that of %s)", loss, DIVERGENCE_FACTOR,
                    firstLoss, largestRelativeGradient(run.parameters())), false);
        }
    }

    @Override
    public void afterUpdate(TrainingRun run, boolean finite) {
        lastUpdateEpoch = run.epoch();
        lastUpdateStep = run.step();
        if (finite) {
            updates++;
            return;
        }
        // a NaN gradient makes a NaN update: name the first cause
        String what = null;
        boolean gradient = false;
        for (Parameter q : run.parameters()) {
            if (what == null && !q.gradient().allFinite()) {
                what = "the gradient of " + q.name() + " holds NaN or infinity";
                gradient = true;
            }
        }
        for (Parameter q : run.parameters()) {
            if (what == null && !q.value().allFinite()) {
                what = "the update made " + q.name() + " NaN or infinite";
            }
        }
        // a gradient computed from the parameters the run began with: no learning rate was applied yet
        throw diverged(run, what == null ? "an updated value is NaN or infinite" : what, gradient && updates == 0);
    }

    /** The parameter whose gradient is largest relative to its values, with the ratio of norms. */
    private static String largestRelativeGradient(List<Parameter> parameters) {
        String name = null;
        double worst = -1;
        for (Parameter p : parameters) {
            double g = 0;
            double v = 0;
            for (int i = 0; i < p.value().size(); i++) {
                g += p.gradient().getFlat(i) * p.gradient().getFlat(i);
                v += p.value().getFlat(i) * p.value().getFlat(i);
            }
            double ratio = Math.sqrt(g) / Math.max(Math.sqrt(v), 1e-12);
            if (ratio > worst) {
                worst = ratio;
                name = p.name();
            }
        }
        return String.format(Locale.ROOT, "%s, ‖∇‖/‖θ‖ = %.3g", name, worst);
    }

    /**
     * Puts the task back to the last good step and describes what happened. The optimizer's
     * commit/revert keeps the previous parameters without copying: a non-finite update is undone
     * (the parameters before this step); a loss that exploded undoes the update before it too (the
     * parameters that produced the exploded loss are not good).
     *
     * @param initial the cause lies in the parameters the run began with (the loss or a gradient is
     *                not finite before any update), so the advice names the initialization and the
     *                inputs' scale instead of the learning rate
     */
    private TrainingDivergedException diverged(TrainingRun run, String what, boolean initial) {
        return diverged(run, what, initial, run.epoch(), run.step(), buffersBefore, run.reports());
    }

    /**
     * As above, charged to step {@code step} of epoch {@code epoch}, with the buffers (batch
     * normalization's running statistics) put back to {@code buffersBeforeThatStep}.
     */
    private TrainingDivergedException diverged(TrainingRun run, String what, boolean initial, int epoch, int step,
                                               List<Matrix> buffersBeforeThatStep, List<EpochReport> completed) {
        for (Parameter p : run.parameters()) {
            BUFFERS.revert(p);
        }
        List<Buffer> buffers = run.task().buffers();
        for (int i = 0; i < buffers.size(); i++) {
            buffers.get(i).value().copyFrom(buffersBeforeThatStep.get(i));
        }
        String advice = initial
                ? "before any update, so the cause is not the learning rate but the scale of the initial weights"
                        + " or of the inputs: lower `init-gain` (or choose another `init`), or normalize the inputs"
                        + " (`normalize`); " + INITIAL_PARAMETERS
                : "decrease the learning rate (it is " + run.learningRate() + "), or clip the gradients"
                        + " (`clip-norm`); " + TrainingDivergedException.LAST_GOOD_STEP;
        return new TrainingDivergedException("training diverged at epoch " + epoch + ", step " + step
                + ": " + what + (initial ? " " : "; ") + advice, epoch, step, List.copyOf(completed));
    }

    /** How the guard's message ends when no update succeeded: the network holds its initial parameters. */
    static final String INITIAL_PARAMETERS = "no update was made, so the network holds the parameters the run began"
            + " with";
}
