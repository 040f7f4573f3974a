package org.sgdsim.metrics.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;

/** The PNG encoder: what it writes decodes, with ImageIO, to the very pixels it was given. */
class PngWriterTest
{
    @Test
    void everyPixelOfAnRgbImageReadsBack() throws IOException
    {
        final BufferedImage image = new BufferedImage(37, 11, BufferedImage.TYPE_INT_RGB);
        final SplittableRandom random = new SplittableRandom(7);
        for (int y = 0; y < image.getHeight(); y++)
        {
            for (int x = 0; x < image.getWidth(); x++)
            {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        assertSamePixels(image, decode(PngWriter.write(image)));
    }

    @Test
    void otherImageTypesAndSubimagesAreReadPixelByPixel() throws IOException
    {
        final BufferedImage argb = new BufferedImage(20, 9, BufferedImage.TYPE_INT_ARGB);
        final BufferedImage gray = new BufferedImage(20, 9, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 9; y++)
        {
            for (int x = 0; x < 20; x++)
            {
                argb.setRGB(x, y, 0xff000000 | (x * 12) << 16 | (y * 28) << 8 | (x + y));
                gray.setRGB(x, y, 0xff000000 | 0x010101 * (x * 11 + y));
            }
        }
        assertSamePixels(argb, decode(PngWriter.write(argb)));
        assertSamePixels(gray, decode(PngWriter.write(gray)));
        final BufferedImage rgb = new BufferedImage(20, 9, BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(argb, 0, 0, null);
        // a view into a larger raster: its own pixels, not the parent's from the start of the array
        assertSamePixels(rgb.getSubimage(3, 2, 10, 5), decode(PngWriter.write(rgb.getSubimage(3, 2, 10, 5))));
    }

    @Test
    void aChartIsTheImageXChartPaintsAsAnRgbPng() throws IOException
    {
        final PlotSpec spec = new PlotSpec("t", "x", "y", true, false,
            List.of(PlotSeries.line("a", 0, new double[] {1, 10, 100}, new double[] {0.1, 0.5, 0.9})), List.of());
        final byte[] png = ChartWriter.draw(spec).png();
        assertArrayEquals(new byte[] {(byte)0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
            java.util.Arrays.copyOf(png, 8));
        assertEquals(2, png[8 + 8 + 9], "colour type: RGB");
        final BufferedImage decoded = decode(png);
        assertEquals(ChartWriter.WIDTH, decoded.getWidth());
        assertEquals(ChartWriter.HEIGHT, decoded.getHeight());
        assertSamePixels(BitmapEncoder.getBufferedImage(ChartWriter.chart(spec)), decoded);
    }

    private static BufferedImage decode(final byte[] png) throws IOException
    {
        final BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(image, "decodes");
        return image;
    }

    private static void assertSamePixels(final BufferedImage expected, final BufferedImage actual)
    {
        assertEquals(expected.getWidth(), actual.getWidth());
        assertEquals(expected.getHeight(), actual.getHeight());
        int differing = 0;
        for (int y = 0; y < expected.getHeight(); y++)
        {
            for (int x = 0; x < expected.getWidth(); x++)
            {
                if ((expected.getRGB(x, y) & 0xffffff) != (actual.getRGB(x, y) & 0xffffff))
                {
                    differing++;
                }
            }
        }
        assertTrue(differing == 0, differing + " pixels differ");
    }
}
