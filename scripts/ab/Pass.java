import java.nio.file.Path;
import java.util.*;
import org.nettricks.model.Classifier;
import org.nettricks.model.ModelFile;
import org.nettricks.layers.Mode;
import org.nettricks.tensor.*;
import org.nettricks.openblas.OpenBlasBackend;
/** One timed pass: 10 batches of 1,000 random inputs through a saved model (scripts/inference-ab.sh). */
public class Pass implements Runnable {
    final Classifier model; final List<Matrix> batches = new ArrayList<>();
    public Pass(String path) {
        OpenBlasBackend backend = new OpenBlasBackend(2);
        model = ModelFile.load(Path.of(path), backend);
        int d = model.network().architecture().inputSize();
        SplittableRandom r = new SplittableRandom(1);
        for (int b = 0; b < 10; b++) { Matrix m = Matrix.zeros(1000, d, Precision.FLOAT32); for (int i = 0; i < m.size(); i++) m.setFlat(i, r.nextDouble()); batches.add(m); }
    }
    public void run() { for (Matrix m : batches) model.network().forward(m, Mode.EVAL); }
}
