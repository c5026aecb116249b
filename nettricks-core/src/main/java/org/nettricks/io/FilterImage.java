package org.nettricks.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.nettricks.tensor.Matrix;

/**
 * Writes a first layer's filters as a PNG: each hidden unit's incoming weights (one row of W) as a
 * grey tile, square when the input size is a perfect square (28 × 28 for MNIST-like images), each
 * tile scaled from its own minimum (black) to maximum (white), tiles in a near-square grid with a
 * one-pixel gap.
 */
public final class FilterImage {
    private FilterImage() {
    }

    /** Writes at most {@code maxTiles} filters of {@code weight} [units, inputs] to {@code png}, atomically. */
    public static void write(Matrix weight, int maxTiles, Path png) throws IOException {
        BufferedImage image = image(weight, maxTiles);
        AtomicFiles.write(png, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    /** The image {@link #write} writes: at most {@code maxTiles} filters of {@code weight} [units, inputs], grey. */
    public static BufferedImage image(Matrix weight, int maxTiles) {
        int units = Math.min(weight.rows(), maxTiles);
        int inputs = weight.cols();
        int side = (int) Math.round(Math.sqrt(inputs));
        int tileW = side * side == inputs ? side : inputs;
        int tileH = side * side == inputs ? side : 1;
        int columns = (int) Math.ceil(Math.sqrt(units));
        int rows = (units + columns - 1) / columns;
        int width = columns * (tileW + 1) + 1;
        int height = rows * (tileH + 1) + 1;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int u = 0; u < units; u++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < inputs; j++) {
                double v = weight.get(u, j);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double range = max > min ? max - min : 1;
            int x0 = 1 + (u % columns) * (tileW + 1);
            int y0 = 1 + (u / columns) * (tileH + 1);
            for (int j = 0; j < inputs; j++) {
                int grey = (int) Math.round(255 * (weight.get(u, j) - min) / range);
                image.getRaster().setSample(x0 + j % tileW, y0 + j / tileW, 0, grey);
            }
        }
        return image;
    }
}
