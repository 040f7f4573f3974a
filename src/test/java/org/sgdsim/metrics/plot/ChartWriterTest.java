package org.sgdsim.metrics.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/** Charts render headless to a decodable PNG and a well-formed SVG, whatever the data. */
class ChartWriterTest
{
    @Test
    void logLogChartWithBandAndTheoryRenders() throws Exception
    {
        final double[] x = {16, 256, 4096};
        final PlotSpec spec = new PlotSpec("T against n_b", "n_b", "T", true, true, List.of(
            PlotSeries.band("q", 0, x, new double[] {1.5e4, 9e2, 50}, new double[] {3e4, 2e3, 90}),
            PlotSeries.linePoints("median", 0, x, new double[] {2e4, 1.2e3, 70}),
            PlotSeries.dashed("theory", 1, x, new double[] {2.1e4, 1.3e3, 80}),
            // zero and NaN cannot sit on a log axis: dropped, not an error
            PlotSeries.points("with gaps", 2, x, new double[] {0.0, Double.NaN, 60})),
            List.of("slope -1.00 [-1.02, -0.98]"));
        assertDecodes(ChartWriter.draw(spec).png());
        assertWellFormed(ChartWriter.draw(spec).svg());
    }

    @Test
    void logAxesLabelTheirTicksAsPlainNumbersNotExponents()
    {
        final double[] x = {16, 256, 4096};
        final PlotSpec spec = new PlotSpec("T against n_b", "n_b", "T", true, true, List.of(
            PlotSeries.linePoints("median", 0, x, new double[] {2e4, 9e2, 0.004})), List.of());
        final org.knowm.xchart.style.XYStyler styler = ChartWriter.chart(spec).getStyler();
        // XChart's log-axis formatter applies the pattern to the number format of the styler's locale.
        final java.text.DecimalFormat y = (java.text.DecimalFormat)java.text.NumberFormat.getNumberInstance(styler.getLocale());
        y.applyPattern(styler.getYAxisDecimalPattern());
        assertEquals(List.of("0.001", "0.004", "900", "1,000", "10,000", "100,000"),
            java.util.stream.DoubleStream.of(1e-3, 4e-3, 9e2, 1e3, 1e4, 1e5).mapToObj(y::format).toList());
        final java.text.DecimalFormat xf = (java.text.DecimalFormat)java.text.NumberFormat.getNumberInstance(styler.getLocale());
        xf.applyPattern(styler.getXAxisDecimalPattern());
        assertEquals(List.of("10", "200", "1,000", "4,096"),
            java.util.stream.DoubleStream.of(10, 200, 1000, 4096).mapToObj(xf::format).toList());
    }

    @Test
    void chartWithoutAnyDrawablePointStillRenders() throws Exception
    {
        final PlotSpec spec = new PlotSpec("nothing reached", "n_b", "T", true, true,
            List.of(PlotSeries.points("none", 0, new double[] {1, 2}, new double[] {Double.NaN, 0.0})), List.of());
        assertDecodes(ChartWriter.draw(spec).png());
        assertWellFormed(ChartWriter.draw(spec).svg());
    }

    @Test
    void mismatchedArraysAreRejected()
    {
        assertThrows(IllegalArgumentException.class,
            () -> PlotSeries.line("bad", 0, new double[] {1, 2}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
            () -> new PlotSeries("bad", PlotSeries.Kind.BAND, 0, new double[] {1}, new double[] {1}, null));
    }

    static void assertDecodes(final byte[] png) throws IOException
    {
        assertTrue(png.length > 1000, "PNG of " + png.length + " bytes");
        final BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(image, "ImageIO decodes the PNG");
        assertEquals(ChartWriter.WIDTH, image.getWidth());
        assertEquals(ChartWriter.HEIGHT, image.getHeight());
    }

    static void assertWellFormed(final String svg) throws Exception
    {
        final DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        // no network look-up of the SVG DTD
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        final Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        assertTrue(doc.getElementsByTagName("*").getLength() > 10, "SVG has drawing elements");
    }
}
