package org.nettricks.experiment;

import java.util.List;
import java.util.Locale;

import org.nettricks.InvalidInputException;
import org.nettricks.activations.Activation;
import org.nettricks.config.Recipe;
import org.nettricks.evaluation.Evaluator;
import org.nettricks.layers.LayerSpec;
import org.nettricks.network.Architecture;
import org.nettricks.optim.Optimizer;
import org.nettricks.tensor.Precision;

/**
 * The memory that training a network of a given shape needs at the least, checked before anything
 * of that size is allocated, so that a size typed by mistake ({@code --hidden 40000000}), a recipe
 * or search space that asks too much, or data with a huge number of features is refused with a
 * message instead of an {@link OutOfMemoryError} or an internal error.
 *
 * <p>The estimate is a lower bound, so that no run that fits is refused. Every parameter (weights,
 * biases, batch normalization's γ and β) has its value, its gradient, the optimizer's update buffer
 * and the optimizer's state tensors (none for SGD, one for momentum, two for Adam). Every linear
 * layer keeps, for one mini-batch, its pre-activations a and their gradient ∇a, and every nonlinear
 * activation its output h; evaluation (validation after each epoch, the test set at the end) runs in
 * batches of up to {@value org.nettricks.evaluation.Evaluator#DEFAULT_BATCH_SIZE} examples and keeps
 * one output matrix per linear layer. Dropout masks, batch normalization's workspaces, the gradients
 * of the inputs and the data come on top. Separately, every such matrix must fit in one Java array
 * (at most {@value #MAX_ARRAY} values).
 */
public final class TrainingMemory {
    /** The most values one Java array (one matrix) can hold on HotSpot. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private TrainingMemory() {
    }

    /**
     * What training a network needs at the least, in bytes ({@link Long#MAX_VALUE} when more).
     *
     * @param parameters  the parameters' values, gradients, update buffers and optimizer state
     * @param training    one mini-batch's pre-activations, their gradients and the activations
     * @param evaluation  one evaluation batch's layer outputs
     */
    public record Estimate(long parameterCount, long parameters, long training, long evaluation) {
        /** The sum of the parts. */
        public long total() {
            return saturated(saturated(parameters, training), evaluation);
        }
    }

    /**
     * Values of the parameters of {@code arch}: weights, biases and batch normalization's γ and β
     * ({@link Long#MAX_VALUE} when there are more).
     */
    public static long parameterCount(Architecture arch) {
        long count = 0;
        long size = arch.inputSize();
        for (LayerSpec spec : arch.layers()) {
            if (spec instanceof LayerSpec.LinearSpec linear) {
                count = saturated(count, saturated(product(size, linear.size()), linear.bias() ? linear.size() : 0));
            } else if (spec instanceof LayerSpec.BatchNormSpec) {
                count = saturated(count, 2 * size);
            }
            size = spec.outputSize((int) size);
        }
        return count;
    }

    /**
     * The least memory training {@code arch} needs (see the class comment).
     *
     * @param batchSize       examples per mini-batch
     * @param stateTensors    the optimizer's state tensors per parameter (0 for SGD, 2 for Adam)
     * @param evaluationRows  examples of the largest evaluated set (validation or test); at most
     *                        {@link Evaluator#DEFAULT_BATCH_SIZE} of them are held at once
     */
    public static Estimate estimate(Architecture arch, int batchSize, Precision precision, int stateTensors,
                                    int evaluationRows) {
        long trainingPerExample = 0;
        long evaluationPerExample = 0;
        for (LayerSpec spec : arch.layers()) {
            if (spec instanceof LayerSpec.LinearSpec linear) {
                trainingPerExample += 2L * linear.size();
                evaluationPerExample += linear.size();
            } else if (spec instanceof LayerSpec.ActivationSpec a && a.activation() != Activation.LINEAR) {
                // h has the size of the layer before: the last linear layer's
                trainingPerExample += lastLinearSize(arch, spec);
            }
        }
        long count = parameterCount(arch);
        int bytes = precision.bytes();
        return new Estimate(count, product(product(3L + stateTensors, bytes), count),
                product(product(batchSize, bytes), trainingPerExample),
                product(product(Math.min(evaluationRows, Evaluator.DEFAULT_BATCH_SIZE), bytes), evaluationPerExample));
    }

    private static long lastLinearSize(Architecture arch, LayerSpec at) {
        long size = arch.inputSize();
        for (LayerSpec spec : arch.layers()) {
            if (spec == at) {
                return size;
            }
            size = spec.outputSize((int) size);
        }
        return size;
    }

    /** The state tensors the recipe's optimizer keeps per parameter (asked of an empty state: nothing allocated). */
    static int stateTensors(Recipe recipe) {
        Optimizer optimizer = recipe.optimizer().create();
        return optimizer.createState(List.of()).tensors().size();
    }

    /**
     * Refuses a recipe whose network, on data of {@code inputSize} features and {@code classes}
     * classes, cannot be trained in this JVM: its {@linkplain #estimate least memory} exceeds the
     * maximum heap ({@link Runtime#maxMemory()}), or one of its matrices exceeds a Java array.
     *
     * @param evaluationRows examples of the largest evaluated set (validation or test)
     * @throws InvalidInputException naming the recipe key to change ({@code `hidden`}; {@code
     *                               `batch-size`} when one batch's activations dominate; {@code `data`}
     *                               for a network without hidden layers), the memory needed and the heap
     */
    public static void require(Recipe recipe, int inputSize, int classes, int evaluationRows) {
        require(recipe, inputSize, classes, evaluationRows, Runtime.getRuntime().maxMemory(), null);
    }

    /**
     * As {@link #require(Recipe, int, int, int)}, against {@code maxHeap} bytes, with {@code subject}
     * in front of the message instead of the recipe key and its value (null: the key and value).
     */
    static void require(Recipe recipe, int inputSize, int classes, int evaluationRows, long maxHeap, String subject) {
        Architecture arch = Experiment.architecture(recipe, inputSize, classes);
        int batch = recipe.batchSize();
        Precision precision = recipe.precision();
        Estimate e = estimate(arch, batch, precision, stateTensors(recipe), evaluationRows);
        List<Integer> hidden = recipe.network().hidden();
        String key = e.training() > e.parameters() ? "batch-size" : hidden.isEmpty() ? "data" : "hidden";
        String value = key.equals("batch-size") ? Integer.toString(batch) : key.equals("data")
                ? recipe.data().source() : hidden.toString().replaceAll("[\\[\\] ]", "");
        String at = (subject != null ? subject : "`" + key + "` " + value) + ": ";
        if (e.total() > maxHeap) {
            throw new InvalidInputException(at + "training a " + arch.describe() + " network in "
                    + precision.displayName() + " with " + recipe.optimizer().rule().displayName() + " and batches of "
                    + batch + " needs at least " + size(e.total()) + String.format(Locale.ROOT, " (%,d parameters"
                    + " with their gradients, update buffers and optimizer state: %s; one batch's activations and"
                    + " their gradients: %s; evaluation: %s)", e.parameterCount(), size(e.parameters()),
                    size(e.training()), size(e.evaluation())) + " but the JVM's maximum heap is " + size(maxHeap)
                    + "; choose smaller layers (`hidden`) or batches (`batch-size`), or raise the heap limit (e.g."
                    + " NETTRICKS_JAVA_OPTS=-Xmx" + Math.max(1, (long) Math.ceil(Math.min(e.total(), 1L << 62) * 1.5
                    / (1L << 30))) + "g)");
        }
        long in = inputSize;
        int k = 0;
        for (LayerSpec spec : arch.layers()) {
            if (spec instanceof LayerSpec.LinearSpec linear) {
                long values = in * linear.size();
                if (values > MAX_ARRAY) {
                    throw new InvalidInputException(at + "the weight matrix layers." + k + ".weight would hold "
                            + linear.size() + " × " + in + String.format(Locale.ROOT, " = %,d values, more than one"
                            + " Java array holds (%,d); choose smaller layers (`hidden`)", values, MAX_ARRAY));
                }
                if ((long) batch * linear.size() > MAX_ARRAY) {
                    throw new InvalidInputException(at + "one batch's pre-activations of layer " + k + " would hold "
                            + batch + " × " + linear.size() + String.format(Locale.ROOT, " = %,d values, more than"
                            + " one Java array holds (%,d); choose smaller batches (`batch-size`) or layers",
                            (long) batch * linear.size(), MAX_ARRAY));
                }
                k++;
            }
            in = spec.outputSize((int) in);
        }
    }

    private static long saturated(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static long product(long a, long b) {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    private static String size(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "more than 8 EiB";
        }
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
