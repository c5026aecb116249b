package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code train --plots DIR}: every chart of the report as PNG and SVG, read back by independent
 * readers: the JDK's PNG decoder (size, and the first series' colour among the pixels) and its XML
 * parser (a well-formed SVG document; in the loss chart one marker per epoch for each series,
 * plus its legend's).
 */
class PlotFilesTest {
    @TempDir
    Path dir;

    @Test
    void trainWritesEveryChartAsPngAndSvg() throws Exception {
        Path plots = dir.resolve("plots").resolve("run1");
        CliRun run = CliRun.of("train", "--data", "digits", "--hidden", "16", "--epochs", "3", "--seed", "4",
                "--backend", "java", "--threads", "1", "--plots", plots.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("20 plot files (SVG and PNG) written to " + plots), run.out());
        List<String> expected = Stream.of("confusion", "error", "gradient-norm", "learning-rate", "loss",
                "preactivations-1", "saturation", "weight-norm", "weights-1", "weights-2")
                .flatMap(id -> Stream.of(id + ".png", id + ".svg")).sorted().toList();
        try (Stream<Path> files = Files.list(plots)) {
            assertEquals(expected, files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
        xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        for (String name : expected) {
            Path file = plots.resolve(name);
            if (name.endsWith(".png")) {
                BufferedImage image = ImageIO.read(file.toFile());
                assertEquals(PlotFiles.WIDTH, image.getWidth(), name);
                assertEquals(PlotFiles.HEIGHT, image.getHeight(), name);
                if (!name.startsWith("confusion")) {
                    assertTrue(hasColour(image, 0xFF5555), name + " draws its first series (JFreeChart's red)");
                }
            } else {
                Document svg = xml.newDocumentBuilder().parse(file.toFile());
                assertEquals("svg", svg.getDocumentElement().getTagName(), name);
                assertTrue(svg.getElementsByTagName("text").getLength() > 5, name + " has its labels");
            }
        }
        Document loss = xml.newDocumentBuilder().parse(plots.resolve("loss.svg").toFile());
        assertEquals(4, markers(loss, "rgb(255,85,85)"), "training: 3 epochs and the legend's marker");
        assertEquals(4, markers(loss, "rgb(85,85,255)"), "validation: 3 epochs and the legend's marker");
    }

    /**
     * A regression run's plots: the RMSE chart instead of the classification error, the predicted
     * against true scatter with one marker per test example (the run's {@code --json} test size)
     * plus its legend's and no line through them, and the residual histogram; no confusion matrix.
     */
    @Test
    void regressionPlotsAreTheScatterAndTheResiduals() throws Exception {
        Path train = ReportBrowserTest.regressionCsv(dir.resolve("train.csv"), 160, 5);
        Path test = ReportBrowserTest.regressionCsv(dir.resolve("test.csv"), 45, 6);
        Path plots = dir.resolve("plots");
        CliRun run = CliRun.of("train", "--task", "regression", "--data", train.toString(), "--test-data",
                test.toString(), "--label", "y", "--hidden", "8", "--epochs", "3", "--seed", "4", "--backend", "java",
                "--threads", "1", "--json", "--plots", plots.toString());
        assertEquals(0, run.status(), run.err());
        int testSize = ((Number) run.json().get("test_examples")).intValue();
        assertEquals(45, testSize);
        List<String> expected = Stream.of("gradient-norm", "learning-rate", "loss", "preactivations-1", "predicted-1",
                "residuals-1", "rmse", "saturation", "weight-norm", "weights-1", "weights-2")
                .flatMap(id -> Stream.of(id + ".png", id + ".svg")).sorted().toList();
        try (Stream<Path> files = Files.list(plots)) {
            assertEquals(expected, files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
        xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document scatter = xml.newDocumentBuilder().parse(plots.resolve("predicted-1.svg").toFile());
        assertEquals(testSize + 1, markers(scatter, "rgb(255,85,85)"), "one marker per test example and the legend's");
        assertTrue(texts(scatter).contains("y = x"), "the diagonal's legend");
        Document residuals = xml.newDocumentBuilder().parse(plots.resolve("residuals-1.svg").toFile());
        assertTrue(texts(residuals).contains("Test set: residuals true − predicted y (" + testSize + " examples)"),
                texts(residuals).toString());
        for (String id : List.of("predicted-1", "residuals-1", "rmse")) {
            BufferedImage image = ImageIO.read(plots.resolve(id + ".png").toFile());
            assertTrue(hasColour(image, 0xFF5555), id + " draws its first series");
        }
    }

    /**
     * The confusion matrix's plot writes each cell's count in it: the SVG's last k² text elements,
     * row by row, are the confusion matrix of {@code evaluate --json} on the same test file; the
     * fullest cell's count is light on its dark cell and an empty cell's dark on white.
     */
    @Test
    void theConfusionPlotWritesEachCellsCount() throws Exception {
        Path train = classesCsv(dir.resolve("train.csv"), 240, 7);
        Path test = classesCsv(dir.resolve("test.csv"), 90, 8);
        Path plots = dir.resolve("plots");
        Path model = dir.resolve("m.safetensors");
        CliRun run = CliRun.of("train", "--data", train.toString(), "--test-data", test.toString(), "--label", "label",
                "--hidden", "8", "--epochs", "3", "--seed", "1", "--backend", "java", "--threads", "1", "--out",
                model.toString(), "--plots", plots.toString());
        assertEquals(0, run.status(), run.err());
        CliRun e = CliRun.of("evaluate", "--model", model.toString(), "--data", test.toString(), "--json",
                "--backend", "java", "--threads", "1");
        assertEquals(0, e.status(), e.err());
        List<?> confusion = (List<?>) e.json().get("confusion");
        List<String> counts = new java.util.ArrayList<>();
        int max = 0;
        for (Object row : confusion) {
            for (Object c : (List<?>) row) {
                counts.add(String.valueOf(((Number) c).intValue()));
                max = Math.max(max, ((Number) c).intValue());
            }
        }
        assertEquals(9, counts.size());
        assertTrue(counts.contains("0") && max > 0, "an empty cell and a full one: " + counts);
        DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
        xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document svg = xml.newDocumentBuilder().parse(plots.resolve("confusion.svg").toFile());
        NodeList all = svg.getElementsByTagName("text");
        List<Element> cells = new java.util.ArrayList<>();
        for (int i = all.getLength() - 9; i < all.getLength(); i++) {
            cells.add((Element) all.item(i));
        }
        assertEquals(counts, cells.stream().map(Element::getTextContent).toList(), "the cells' counts, row by row");
        for (int r = 0; r < 3; r++) { // and each in its cell: columns left to right, rows top to bottom
            for (int c = 0; c < 2; c++) {
                assertTrue(coordinate(cells.get(3 * r + c), "x") < coordinate(cells.get(3 * r + c + 1), "x"),
                        "row " + r + ", columns " + c + " and " + (c + 1));
                assertTrue(coordinate(cells.get(3 * c + r), "y") < coordinate(cells.get(3 * (c + 1) + r), "y"),
                        "column " + r + ", rows " + c + " and " + (c + 1));
            }
        }
        for (int i = 0; i < 9; i++) {
            String style = cells.get(i).getAttribute("style");
            if (counts.get(i).equals(String.valueOf(max))) {
                assertTrue(style.contains("fill: rgb(255,255,255)"), "light text on the fullest cell: " + style);
            } else if (counts.get(i).equals("0")) {
                assertTrue(style.contains("fill: rgb(34,34,34)"), "dark text on an empty cell: " + style);
            }
        }
    }

    /** Three classes of two features, overlapping (so that some test examples are confused), as a CSV. */
    private static Path classesCsv(Path file, int n, long seed) throws java.io.IOException {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            double x1 = (c == 1 ? 1.5 : 0) + random.nextDouble(-1, 1);
            double x2 = (c == 2 ? 1.5 : 0) + random.nextDouble(-1, 1);
            sb.append(x1).append(',').append(x2).append(',').append(c).append('\n');
        }
        return Files.writeString(file, sb.toString());
    }

    private static double coordinate(Element text, String axis) {
        return Double.parseDouble(text.getAttribute(axis));
    }

    private static List<String> texts(Document svg) {
        NodeList all = svg.getElementsByTagName("text");
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            out.add(all.item(i).getTextContent());
        }
        return out;
    }

    @Test
    void plotsIntoAFileAreRefusedBeforeTraining() throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        CliRun run = CliRun.of("train", "--data", "digits", "--epochs", "1", "--plots", file.toString());
        assertEquals(2, run.status());
        assertEquals("nettricks train: error: --plots " + file + " is a file, not a directory; give a directory (it"
                + " is created if needed)", run.err().strip());
        assertTrue(run.out().isEmpty());
    }

    private static boolean hasColour(BufferedImage image, int rgb) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Filled shapes of one colour: JFreeSVG draws each marker as a group styled fill:COLOUR;stroke:none. */
    private static int markers(Document svg, String colour) {
        NodeList groups = svg.getElementsByTagName("g");
        int n = 0;
        for (int i = 0; i < groups.getLength(); i++) {
            if (((Element) groups.item(i)).getAttribute("style").equals("fill:" + colour + ";stroke:none")) {
                n++;
            }
        }
        return n;
    }
}
