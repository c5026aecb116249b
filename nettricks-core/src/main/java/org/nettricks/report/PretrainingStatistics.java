package org.nettricks.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nettricks.layers.DenseLayer;
import org.nettricks.network.Network;
import org.nettricks.tensor.Matrix;
import org.nettricks.training.EpochReport;
import org.nettricks.training.TrainingListener;

/**
 * Gathers what the report of greedy layer-wise pre-training shows, as a {@link TrainingListener}
 * that passes every call on to another (the console's): each hidden layer's mean reconstruction
 * error per epoch on the training and validation inputs (the layer model's criterion, as
 * {@code pretrain} prints it: {@link org.nettricks.pretraining.LayerModel#reconstructionError}),
 * and, once pre-training has ended, each pre-trained layer's filters.
 *
 * <p>The filters of hidden layer 1 are the rows of W(1) [units, inputs]. A unit of a higher layer k
 * sees the input only through the layers below, so its filter is shown in input space as the
 * linear combination of the filters below it: the rows of W(k) W(k−1) … W(1) [units of k, inputs],
 * the visualization of Lee, Ekanadham and Ng (2008, "Sparse deep belief net model for visual area
 * V2", NIPS) and Erhan, Bengio, Courville and Vincent (2009, "Visualizing higher-layer features of
 * a deep network", its linear-combination baseline); it ignores the non-linearities, so it is a
 * sketch of what the unit responds to, not an exact preferred input.
 */
public final class PretrainingStatistics implements TrainingListener {
    /** At most this many filters of each layer are shown. */
    public static final int MAX_FILTERS = 400;
    /** One colour per layer: ECharts' default palette; validation dashed in the layer's colour. */
    private static final String[] COLORS = {"#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272"};

    /** One epoch of one layer: training and validation reconstruction error (NaN without validation). */
    public record LayerEpoch(int layer, int epoch, double train, double validation, double seconds) {
    }

    private final TrainingListener delegate;
    private final Runnable onEpoch;
    private final List<LayerEpoch> epochs = new ArrayList<>();
    private List<Matrix> filters;
    private Network finishOn;

    /**
     * @param delegate receives every call as well (e.g. the console); {@link TrainingListener#NONE} for none
     * @param onEpoch  run after each pre-training epoch has been recorded (e.g. rewriting the report); may be null
     */
    public PretrainingStatistics(TrainingListener delegate, Runnable onEpoch) {
        this.delegate = delegate;
        this.onEpoch = onEpoch;
    }

    @Override
    public void onPretrainingEpoch(int layer, int epoch, double trainReconstruction, double validationReconstruction,
                                   double seconds) {
        delegate.onPretrainingEpoch(layer, epoch, trainReconstruction, validationReconstruction, seconds);
        synchronized (this) {
            epochs.add(new LayerEpoch(layer, epoch, trainReconstruction, validationReconstruction, seconds));
        }
        if (onEpoch != null) {
            onEpoch.run();
        }
    }

    /**
     * Calls {@link #finish} with {@code network} when supervised training starts (its first epoch),
     * for a run that pre-trains and then fine-tunes ({@code train --pretrain}).
     *
     * @return this
     */
    public PretrainingStatistics finishWhenTrainingStarts(Network network) {
        this.finishOn = network;
        return this;
    }

    @Override
    public void onEpochStart(int epoch, int batches) {
        if (finishOn != null && !finished() && pretrainedLayers() > 0) {
            finish(finishOn);
        }
        delegate.onEpochStart(epoch, batches);
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int batches, double batchLoss) {
        delegate.onBatchEnd(epoch, batch, batches, batchLoss);
    }

    @Override
    public void onEpochEnd(EpochReport report) {
        delegate.onEpochEnd(report);
    }

    @Override
    public boolean stopRequested() {
        return delegate.stopRequested();
    }

    @Override
    public void onWarning(String message) {
        delegate.onWarning(message);
    }

    /**
     * Records the filters of the pre-trained hidden layers of {@code network} as they stand now;
     * call it once pre-training has ended (before fine-tuning changes them). Costs one matrix product
     * per layer above the first.
     */
    public void finish(Network network) {
        List<DenseLayer> dense = network.denseLayers();
        int layers = pretrainedLayers();
        List<Matrix> f = new ArrayList<>();
        Matrix below = null;
        for (int k = 0; k < layers && k < dense.size() - 1; k++) {
            Matrix w = dense.get(k).weight().value();
            Matrix projected;
            if (below == null) {
                projected = w.copy();
            } else {
                projected = Matrix.zeros(w.rows(), below.cols(), w.precision());
                network.backend().gemm(false, false, 1, w, below, 0, projected);
            }
            f.add(projected);
            below = projected;
        }
        synchronized (this) {
            filters = f;
        }
    }

    /** The epochs recorded so far, in the order they ran (layer by layer). */
    public synchronized List<LayerEpoch> epochs() {
        return List.copyOf(epochs);
    }

    /** The number of layers that reported an epoch. */
    public synchronized int pretrainedLayers() {
        int n = 0;
        for (LayerEpoch e : epochs) {
            n = Math.max(n, e.layer() + 1);
        }
        return n;
    }

    /** Whether {@link #finish} has run. */
    public synchronized boolean finished() {
        return filters != null;
    }

    /**
     * Each pre-trained layer's filters in input space ([units, inputs]; see the class comment), first
     * layer first; empty before {@link #finish}.
     */
    public synchronized List<Matrix> filters() {
        return filters == null ? List.of() : filters;
    }

    /**
     * The reconstruction-error chart (id {@code reconstruction}, log y axis): per layer, a training and
     * (with a validation set) a validation series of [epoch, error] points; epochs count from 1 in each layer.
     */
    public synchronized Map<String, Object> chart() {
        List<Map<String, Object>> series = new ArrayList<>();
        for (int k = 0; k < pretrainedLayers(); k++) {
            List<double[]> train = new ArrayList<>();
            List<double[]> validation = new ArrayList<>();
            for (LayerEpoch e : epochs) {
                if (e.layer() == k) {
                    train.add(new double[] {e.epoch(), e.train()});
                    if (!Double.isNaN(e.validation())) {
                        validation.add(new double[] {e.epoch(), e.validation()});
                    }
                }
            }
            String color = COLORS[k % COLORS.length];
            series.add(Map.of("name", "layer " + (k + 1) + " training", "data", train, "color", color));
            if (!validation.isEmpty()) {
                series.add(Map.of("name", "layer " + (k + 1) + " validation", "data", validation, "color", color,
                        "dashed", true));
            }
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", "reconstruction");
        c.put("title", "Pre-training: mean reconstruction error per layer and epoch");
        c.put("kind", "line");
        c.put("x", "epoch of the layer");
        c.put("y", "reconstruction error");
        c.put("logY", true); // the layers' errors differ by their input sizes: a log axis shows each one's course
        c.put("series", series);
        return c;
    }

    /**
     * The filters as HTML (a heading and one image per layer, each with id {@code filters-K}), or
     * nothing before {@link #finish} or without 2-D image inputs of {@code imageShape}.
     */
    public String filtersHtml(List<Integer> imageShape) {
        List<Matrix> f = filters();
        if (f.isEmpty() || imageShape == null || imageShape.size() != 2) {
            return "";
        }
        StringBuilder sb = new StringBuilder("<h2>Pre-trained filters per layer</h2>\n<p class=\"small\">Layer 1: each"
                + " unit's incoming weights (a row of W(1)); layer k &gt; 1: the row of W(k) … W(1), the unit's"
                + " weights on the filters below it, as a linear combination of them in input space (Lee et al."
                + " 2008); each tile scaled from its own minimum (black) to maximum (white); at most " + MAX_FILTERS
                + " per layer.</p>\n");
        for (int k = 0; k < f.size(); k++) {
            sb.append("<h3>Layer ").append(k + 1).append(" (").append(f.get(k).rows()).append(" units)</h3>\n")
                    .append("<img id=\"filters-").append(k + 1).append("\" class=\"filters\" src=\"")
                    .append(ChartPage.png(org.nettricks.io.FilterImage.image(f.get(k), MAX_FILTERS)))
                    .append("\" alt=\"filters of layer ").append(k + 1).append("\">\n");
        }
        return sb.toString();
    }
}
