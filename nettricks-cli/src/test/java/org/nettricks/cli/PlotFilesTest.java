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
