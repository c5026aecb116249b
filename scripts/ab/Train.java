import java.util.List;
import java.util.SplittableRandom;
import org.nettricks.activations.Activation;
import org.nettricks.config.Recipe;
import org.nettricks.experiment.Experiment;
import org.nettricks.network.Network;
import org.nettricks.data.Dataset;
import org.nettricks.training.*;
import org.nettricks.openblas.OpenBlasBackend;
/**
 * One timed pass for scripts/training-ab.sh: one epoch of training the reference network
 * (784-1024-1024-10 ReLU, Adam 1e-3, batch 128, float32, OpenBLAS with 2 threads) on the first 12,800
 * Fashion-MNIST training images; "bn" adds batch normalization and dropout 0.5 on both hidden layers.
 * The network keeps training from pass to pass, as epochs do.
 */
public class Train implements Runnable {
    final Recipe recipe; final Network network; final Dataset train; final TrainingConfig config;
    final SplittableRandom random = new SplittableRandom(1);
    public Train(String variant) {
        Recipe.Builder b = Recipe.builder().data("fashion-mnist").trainLimit(12800).validationFraction(0)
                .hidden(1024, 1024).activation(Activation.RELU).optimizer("adam").learningRate(0.001)
                .batchSize(128).seed(1);
        if (variant.equals("bn")) {
            b.batchNorm(true).dropout(0.5, 0.5);
        }
        recipe = b.build();
        Experiment e = Experiment.prepare(recipe, new OpenBlasBackend(2));
        network = e.network(); train = e.train();
        TrainingConfig base = Experiment.trainingConfig(recipe);
        config = new TrainingConfig(1, base.batchSize(), base.learningRate(), base.schedule(), base.penalty(),
                base.clipping(), null, false);
    }
    public void run() {
        new Trainer(Experiment.optimizer(recipe), config).fit(network, train, null, random, TrainingListener.NONE, List.of());
    }
}
