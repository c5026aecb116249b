package org.nettricks.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.InvalidInputException;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/** A training state written to a checkpoint file and read back holds the same values, to the bit. */
class CheckpointFileTest {
    @TempDir
    Path dir;

    @Test
    void aStateReadsBackBitForBit() throws Exception {
        TrainingState s = new TrainingState("test");
        TrainingState loop = s.scope("loop");
        double[] doubles = {0.1, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE, 1e308, 4.2e-17};
        for (int i = 0; i < doubles.length; i++) {
            loop.putDouble("d" + i, doubles[i]);
        }
        loop.putLong("big", Long.MIN_VALUE);
        loop.putBoolean("flag", true);
        loop.putInts("order", new int[] {3, 0, 2, 1});
        loop.putStrings("warnings", List.of("a `lr` warning", "ünïcödé"));
        Matrix f = Matrix.of(Precision.FLOAT32, 2, 3, 1.5, -0.0, 3e-38, 7, 8, Float.MAX_VALUE);
        Matrix d = Matrix.of(Precision.FLOAT64, 1, 2, Math.PI, -1e-300);
        s.scope("parameters").putTensor("layers.0.weight", f);
        s.scope("optimizer").putTensor("layers.0.weight.exp_avg", d);
        Path file = dir.resolve("c.safetensors");
        CheckpointFile.write(file, Map.of("recipe", "{}"), s);

        CheckpointFile.Contents c = CheckpointFile.read(file);
        assertEquals(Map.of("recipe", "{}"), c.header());
        TrainingState r = c.state().scope("loop");
        for (int i = 0; i < doubles.length; i++) {
            assertEquals(Double.doubleToRawLongBits(doubles[i]), Double.doubleToRawLongBits(r.getDouble("d" + i)));
        }
        assertEquals(Long.MIN_VALUE, r.getLong("big"));
        assertTrue(r.getBoolean("flag"));
        assertArrayEquals(new int[] {3, 0, 2, 1}, r.getInts("order", 4, 4));
        assertEquals(List.of("a `lr` warning", "ünïcödé"), r.getStrings("warnings"));
        Matrix f2 = Matrix.zeros(2, 3, Precision.FLOAT32);
        c.state().scope("parameters").copyTensor("layers.0.weight", f2);
        assertArrayEquals(f.floats(), f2.floats());
        Matrix d2 = Matrix.zeros(1, 2, Precision.FLOAT64);
        c.state().scope("optimizer").copyTensor("layers.0.weight.exp_avg", d2);
        assertArrayEquals(d.doubles(), d2.doubles());

        // reading checks what the run needs: an order entry out of range, a tensor of another size
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> r.getInts("order", 4, 3));
        assertEquals(file + ": not a usable checkpoint: entry 'loop.order' entry 0 must be in [0, 3), got 3",
                e.getMessage());
        assertThrows(InvalidInputException.class, () -> c.state().scope("parameters").copyTensor("layers.0.weight",
                Matrix.zeros(3, 3, Precision.FLOAT32)));
    }

    @Test
    void aModelFileIsNotACheckpoint() throws Exception {
        Path file = dir.resolve("m.safetensors");
        org.nettricks.io.Safetensors.write(file, Map.of("format", "nettricks-classifier"), List.of());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> CheckpointFile.read(file));
        assertEquals(file + ": not a usable checkpoint: its __metadata__ has no \"format\": \"nettricks-checkpoint\""
                + " entry", e.getMessage());
        assertTrue(Files.exists(file));
    }

    @Test
    void aTensorOfAnotherShapeIsRefusedEvenWithTheSameSize() {
        // found by a fresh user: a checkpoint whose weight's header said [784, 128] instead of
        // [128, 784] was resumed and trained on
        TrainingState s = new TrainingState("ck.safetensors");
        s.scope("parameters").putTensor("layers.0.weight", Matrix.zeros(3, 2, Precision.FLOAT32));
        Matrix target = Matrix.zeros(2, 3, Precision.FLOAT32);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> s.scope("parameters").copyTensor("layers.0.weight", target));
        assertEquals("ck.safetensors: not a usable checkpoint: entry 'parameters.layers.0.weight' has shape [3, 2],"
                + " the run needs [2, 3]", e.getMessage());
    }
}
