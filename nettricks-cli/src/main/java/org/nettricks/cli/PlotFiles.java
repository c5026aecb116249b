package org.nettricks.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.nettricks.io.AtomicFiles;

/**
 * {@code --plots DIR}: each chart of the training report ({@link org.nettricks.report.HtmlReport#charts()})
 * drawn again on the server side, by JFreeChart 1.5.6, as {@code DIR/ID.png} (ChartUtils) and
 * {@code DIR/ID.svg} (JFreeSVG 5.0.6), {@value #WIDTH} × {@value #HEIGHT} pixels, each file
 * written atomically: pure Java, no browser needed. Line charts whose series have the style
 * {@code points} (a regression's predicted against true values) are drawn as scatters; the
 * confusion matrix writes each cell's count in it (up to {@value #COUNTS_UP_TO} classes; dark
 * text on light cells, light on dark, as scikit-learn's {@code ConfusionMatrixDisplay}).
 */
final class PlotFiles {
    static final int WIDTH = 800;
    static final int HEIGHT = 500;
    /** The confusion matrix's cells carry their counts up to this many classes (beyond, they would not fit). */
    static final int COUNTS_UP_TO = 30;

    private PlotFiles() {
    }

    /** Writes every chart into {@code dir} (created if needed); returns the files written. */
    static List<Path> write(List<Map<String, Object>> charts, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (Map<String, Object> c : charts) {
            JFreeChart chart = chart(c);
            String id = (String) c.get("id");
            Path png = dir.resolve(id + ".png");
            AtomicFiles.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
            SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
            chart.draw(g, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
            Path svg = dir.resolve(id + ".svg");
            AtomicFiles.writeString(svg, g.getSVGDocument());
            written.add(png);
            written.add(svg);
        }
        return written;
    }

    @SuppressWarnings("unchecked")
    static JFreeChart chart(Map<String, Object> c) {
        String title = (String) c.get("title");
        JFreeChart chart = switch ((String) c.get("kind")) {
            case "line" -> line(title, c);
            case "histogram" -> histogram(title, (List<String>) c.get("bins"), (List<Map<String, Object>>) c.get("series"),
                    c.get("x") instanceof String x ? x : "value (bin centre)", c.get("y") instanceof String y ? y : "count");
            case "heatmap" -> heatmap(title, (List<String>) c.get("classes"), (List<int[]>) c.get("cells"),
                    ((Number) c.get("max")).intValue());
            default -> throw new IllegalArgumentException("unknown chart kind " + c.get("kind"));
        };
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        return chart;
    }

    @SuppressWarnings("unchecked")
    private static JFreeChart line(String title, Map<String, Object> c) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map<String, Object> s : (List<Map<String, Object>>) c.get("series")) {
            XYSeries series = new XYSeries((String) s.get("name"), false, true);
            for (double[] p : (List<double[]>) s.get("data")) {
                series.add(p[0], Double.isFinite(p[1]) ? (Double) p[1] : null);
            }
            data.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, (String) c.get("x"), (String) c.get("y"), data);
        XYPlot plot = chart.getXYPlot();
        style(plot);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        List<Map<String, Object>> series = (List<Map<String, Object>>) c.get("series");
        for (int i = 0; i < data.getSeriesCount(); i++) {
            Map<String, Object> s = series.get(i);
            if ("points".equals(s.get("style"))) { // a scatter: symbols, no line through them
                renderer.setSeriesLinesVisible(i, false);
                renderer.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-3, -3, 6, 6));
            } else {
                renderer.setSeriesStroke(i, Boolean.TRUE.equals(s.get("dashed"))
                        ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f)
                        : new BasicStroke(2f));
            }
            if (s.get("color") instanceof String css) {
                renderer.setSeriesPaint(i, Color.decode(css.length() == 4 ? "#" + css.charAt(1) + css.charAt(1)
                        + css.charAt(2) + css.charAt(2) + css.charAt(3) + css.charAt(3) : css));
                if (!"points".equals(s.get("style"))) {
                    renderer.setSeriesShapesVisible(i, false);
                }
            }
        }
        plot.setRenderer(renderer);
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        if (Boolean.TRUE.equals(c.get("xContinuous"))) {
            x.setAutoRangeIncludesZero(false);
        } else {
            x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        if (Boolean.TRUE.equals(c.get("logY"))) {
            plot.setRangeAxis(new LogAxis((String) c.get("y")));
        } else {
            ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        }
        if (c.get("mark") instanceof Number epoch) {
            ValueMarker marker = new ValueMarker(epoch.doubleValue(), Color.GRAY, new BasicStroke(1f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
            marker.setLabel((String) c.get("markName"));
            marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            plot.addDomainMarker(marker);
        }
        return chart;
    }

    private static JFreeChart histogram(String title, List<String> bins, List<Map<String, Object>> series,
                                        String xName, String yName) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Map<String, Object> s : series) {
            int[] counts = (int[]) s.get("data");
            for (int b = 0; b < counts.length; b++) {
                data.addValue(counts[b], (String) s.get("name"), bins.get(b));
            }
        }
        JFreeChart chart = ChartFactory.createBarChart(title, xName, yName, data);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        CategoryAxis x = plot.getDomainAxis();
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
        x.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        x.setCategoryMargin(0.05);
        return chart;
    }

    private static JFreeChart heatmap(String title, List<String> classes, List<int[]> cells, int max) {
        double[][] xyz = new double[3][cells.size()];
        for (int i = 0; i < cells.size(); i++) {
            xyz[0][i] = cells.get(i)[0];
            xyz[1][i] = cells.get(i)[1];
            xyz[2][i] = cells.get(i)[2];
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("examples", xyz);
        String[] names = classes.toArray(String[]::new);
        SymbolAxis x = new SymbolAxis("predicted", names);
        SymbolAxis y = new SymbolAxis("true", names);
        y.setInverted(true);
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setBlockAnchor(org.jfree.chart.ui.RectangleAnchor.CENTER); // cell (j, i) centred on its labels
        LookupPaintScale scale = new LookupPaintScale(0, Math.max(1, max) + 1e-9, Color.WHITE);
        int steps = 20;
        for (int s = 0; s < steps; s++) {
            double v = s * Math.max(1, max) / (double) steps;
            float t = s / (float) (steps - 1);
            scale.add(v, new Color(1f - 0.75f * t, 1f - 0.6f * t, 1f - 0.2f * t));
        }
        renderer.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        style(plot);
        if (classes.size() <= COUNTS_UP_TO) { // each cell's count, as scikit-learn's ConfusionMatrixDisplay
            Font font = new Font(Font.SANS_SERIF, Font.PLAIN, classes.size() <= 12 ? 12 : classes.size() <= 20 ? 9 : 7);
            for (int[] cell : cells) {
                XYTextAnnotation count = new XYTextAnnotation(Integer.toString(cell[2]), cell[0], cell[1]);
                count.setFont(font);
                count.setPaint(textOn((Color) scale.getPaint(cell[2])));
                plot.addAnnotation(count);
            }
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        NumberAxis legendAxis = new NumberAxis("examples");
        legendAxis.setRange(0, Math.max(1, max));
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 4, 4);
        chart.addSubtitle(legend);
        return chart;
    }

    /**
     * Dark text on a light cell, light on a dark one: by the cell's relative luminance (ITU-R BT.709
     * weights on the sRGB components), the threshold half-way.
     */
    static Color textOn(Color cell) {
        double luminance = (0.2126 * cell.getRed() + 0.7152 * cell.getGreen() + 0.0722 * cell.getBlue()) / 255;
        return luminance < 0.5 ? Color.WHITE : new Color(0x22, 0x22, 0x22);
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }
}
