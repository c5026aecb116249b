package org.nettricks.pretraining;

import java.util.List;
import java.util.random.RandomGenerator;

import org.nettricks.layers.Buffer;
import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;
import org.nettricks.training.TrainingTask;

/**
 * Unsupervised training of one layer model (an autoencoder or an RBM) on the outputs of the fixed
 * layers below it, as a task of the training loop: the loss is the batch's mean reconstruction
 * error, the gradient the model's (for an RBM, the contrastive-divergence estimate).
 */
final class LayerTask implements TrainingTask {
    private final LayerModel model;
    private final Matrix inputs;
    private final Matrix validationInputs;
    private final int batchSize;
    private final Matrix batch;

    /**
     * @param inputs           the training inputs of this layer, one per row
     * @param validationInputs may be null
     * @param batchSize        rows per batch; the loop leaves the remainder of each epoch out
     */
    LayerTask(LayerModel model, Matrix inputs, Matrix validationInputs, int batchSize) {
        this.model = model;
        this.inputs = inputs;
        this.validationInputs = validationInputs;
        this.batchSize = Math.min(batchSize, inputs.rows());
        this.batch = Matrix.zeros(this.batchSize, inputs.cols(), inputs.precision());
    }

    @Override
    public List<Parameter> parameters() {
        return model.parameters();
    }

    @Override
    public List<Buffer> buffers() {
        return List.of();
    }

    @Override
    public int exampleCount() {
        return inputs.rows();
    }

    @Override
    public double forward(int[] order, int start, int count, RandomGenerator random) {
        if (count != batchSize) {
            throw new IllegalStateException("layer-wise pre-training runs full batches of " + batchSize + ", got "
                    + count);
        }
        for (int i = 0; i < count; i++) {
            copyRow(inputs, order[start + i], batch, i);
        }
        return model.gradients(batch, random);
    }

    /** Nothing: the layer model computes its loss and gradients in one pass, in {@link #forward}. */
    @Override
    public void backward() {
    }

    @Override
    public int batchErrors() {
        return 0;
    }

    @Override
    public boolean classifies() {
        return false;
    }

    @Override
    public Validation validate() {
        return validationInputs == null ? null
                : new Validation(model.reconstructionError(validationInputs), Double.NaN);
    }

    @Override
    public double referenceLoss() {
        return 0;
    }

    @Override
    public String describeOverflow() {
        return "the reconstruction overflows";
    }

    private static void copyRow(Matrix from, int row, Matrix to, int toRow) {
        int d = from.cols();
        if (from.precision() == Precision.FLOAT32) {
            System.arraycopy(from.floats(), row * d, to.floats(), toRow * d, d);
        } else {
            System.arraycopy(from.doubles(), row * d, to.doubles(), toRow * d, d);
        }
    }
}
