package dev.parley.bench.report;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A small line chart rendered to PNG with Java2D, so the report needs no charting library. */
public final class LineChart {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 480;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};

    /** One line: its name, whether it is dashed, and its points in data units. */
    public record Series(String name, boolean dashed, List<double[]> points) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();

    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public LineChart add(Series line) {
        if (!line.points().isEmpty()) {
            series.add(line);
        }
        return this;
    }

    public void write(Path file) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double xMax = niceCeiling(series.stream().flatMap(s -> s.points().stream()).mapToDouble(p -> p[0]).max().orElse(1));
        double yMax = niceCeiling(series.stream().flatMap(s -> s.points().stream()).mapToDouble(p -> p[1]).max().orElse(1));
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 5; i++) {
            int y = TOP + plotHeight - plotHeight * i / 5;
            int x = LEFT + plotWidth * i / 5;
            g.setColor(new Color(0xe5e5e5));
            g.drawLine(LEFT, y, LEFT + plotWidth, y);
            g.drawLine(x, TOP, x, TOP + plotHeight);
            g.setColor(Color.DARK_GRAY);
            String yTick = format(yMax * i / 5);
            g.drawString(yTick, LEFT - 8 - g.getFontMetrics().stringWidth(yTick), y + 4);
            String xTick = format(xMax * i / 5);
            g.drawString(xTick, x - g.getFontMetrics().stringWidth(xTick) / 2, TOP + plotHeight + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotWidth, plotHeight);
        g.drawString(xLabel, LEFT + plotWidth / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, HEIGHT - 30);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(TOP + plotHeight / 2 + g.getFontMetrics().stringWidth(yLabel) / 2), 22);
        rotated.dispose();

        int legendX = LEFT;
        for (int s = 0; s < series.size(); s++) {
            Series line = series.get(s);
            Color color = PALETTE[s % PALETTE.length];
            g.setColor(color);
            g.setStroke(stroke(line.dashed()));
            Path2D path = new Path2D.Double();
            for (int i = 0; i < line.points().size(); i++) {
                double[] p = line.points().get(i);
                double x = LEFT + plotWidth * p[0] / xMax;
                double y = TOP + plotHeight - plotHeight * Math.min(p[1], yMax) / yMax;
                if (i == 0) {
                    path.moveTo(x, y);
                } else {
                    path.lineTo(x, y);
                }
                g.fillOval((int) x - 3, (int) y - 3, 7, 7);
            }
            g.draw(path);
            g.drawLine(legendX, HEIGHT - 12, legendX + 24, HEIGHT - 12);
            g.setColor(Color.BLACK);
            g.drawString(line.name(), legendX + 30, HEIGHT - 8);
            legendX += 40 + g.getFontMetrics().stringWidth(line.name());
        }
        g.dispose();
        try {
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BasicStroke stroke(boolean dashed) {
        return dashed
                ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {8f, 5f}, 0f)
                : new BasicStroke(2f);
    }

    /** The smallest 1, 2 or 5 times a power of ten at or above the value. */
    static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String format(double value) {
        if (value >= 1_000_000) {
            return String.format("%.1fM", value / 1e6);
        }
        if (value >= 10_000) {
            return String.format("%.0fk", value / 1e3);
        }
        if (value == Math.rint(value)) {
            return String.format("%.0f", value);
        }
        return String.format("%.2f", value);
    }
}
