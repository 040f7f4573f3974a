package org.sgdsim.metrics.plot;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Encodes an opaque image as an 8-bit RGB PNG. A chart is flat colours and antialiased lines on white: rows without
 * a filter, deflated at zlib's default level, come out a little smaller than ImageIO's adaptive filtering at its
 * highest level and take a tenth of its time (about 10 ms against 90–100 ms for an 800 × 560 chart, warm), which a
 * sweep's report pays for every chart.
 */
public final class PngWriter
{
    private static final byte[] SIGNATURE = {(byte)0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int RGB = 2;

    private PngWriter()
    {
    }

    /** The image as PNG bytes; transparency, if any, is dropped. */
    public static byte[] write(final BufferedImage image)
    {
        final int width = image.getWidth();
        final int height = image.getHeight();
        final ByteArrayOutputStream png = new ByteArrayOutputStream(64 * 1024);
        png.writeBytes(SIGNATURE);
        final byte[] header = new byte[13];
        putInt(header, 0, width);
        putInt(header, 4, height);
        header[8] = 8; // bits per channel
        header[9] = RGB;
        chunk(png, "IHDR", header, header.length);

        final int[] pixels = image.getType() == BufferedImage.TYPE_INT_RGB
            && image.getRaster().getDataBuffer() instanceof DataBufferInt ints && ints.getNumBanks() == 1
            && image.getRaster().getSampleModelTranslateX() == 0 && image.getRaster().getSampleModelTranslateY() == 0
            ? ints.getData() : null;
        final int[] argb = pixels == null ? new int[width] : null;
        final byte[] row = new byte[1 + 3 * width]; // filter byte 0: none
        final ByteArrayOutputStream idat = new ByteArrayOutputStream(64 * 1024);
        final byte[] buffer = new byte[32 * 1024];
        final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try
        {
            for (int y = 0; y < height; y++)
            {
                final int[] source = pixels != null ? pixels : image.getRGB(0, y, width, 1, argb, 0, width);
                packRow(source, pixels != null ? y * width : 0, width, row);
                deflater.setInput(row);
                while (!deflater.needsInput())
                {
                    idat.write(buffer, 0, deflater.deflate(buffer));
                }
            }
            deflater.finish();
            while (!deflater.finished())
            {
                idat.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        finally
        {
            deflater.end();
        }
        chunk(png, "IDAT", idat.toByteArray(), idat.size());
        chunk(png, "IEND", new byte[0], 0);
        return png.toByteArray();
    }

    /**
     * One row's pixels as R, G, B bytes after the filter byte. A method of its own: the JIT compiles this small loop
     * instead of replacing the whole of {@link #write} on the stack (an OSR compilation of 0.1 s of CPU while a sweep's
     * report is drawn).
     */
    private static void packRow(final int[] source, final int offset, final int width, final byte[] row)
    {
        for (int x = 0, b = 1; x < width; x++, b += 3)
        {
            final int p = source[offset + x];
            row[b] = (byte)(p >>> 16);
            row[b + 1] = (byte)(p >>> 8);
            row[b + 2] = (byte)p;
        }
    }

    private static void chunk(final ByteArrayOutputStream png, final String type, final byte[] data, final int length)
    {
        final byte[] word = new byte[4];
        putInt(word, 0, length);
        png.writeBytes(word);
        final byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        png.writeBytes(name);
        png.write(data, 0, length);
        final CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data, 0, length);
        putInt(word, 0, (int)crc.getValue());
        png.writeBytes(word);
    }

    private static void putInt(final byte[] to, final int at, final int value)
    {
        to[at] = (byte)(value >>> 24);
        to[at + 1] = (byte)(value >>> 16);
        to[at + 2] = (byte)(value >>> 8);
        to[at + 3] = (byte)value;
    }
}
