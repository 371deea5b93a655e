using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace ChatOpsMfa.Tests.Cards;

/// <summary>
/// Test-only: reads a non-interlaced PNG (any bit depth of grayscale, palette, RGB, gray+alpha or RGBA, all five
/// scanline filters) into 8-bit luminance, and decodes the QR code in it with ZXing, so tests can check what a
/// rendered image really holds.
/// </summary>
internal static class PngTestReader
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>The text of the QR code in the PNG; throws when there is none.</summary>
    public static string DecodeQr(byte[] png)
    {
        var (width, height, luminance) = ReadLuminance(png);
        var source = new RGBLuminanceSource(luminance, width, height, RGBLuminanceSource.BitmapFormat.Gray8);
        var hints = new Dictionary<DecodeHintType, object> { [DecodeHintType.TRY_HARDER] = true };
        var result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), hints)
            ?? throw new InvalidDataException("No QR code found in the image.");
        return result.Text;
    }

    public static (int Width, int Height, byte[] Luminance) ReadLuminance(byte[] png)
    {
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(Signature))
        {
            throw new InvalidDataException("Not a PNG file.");
        }

        int width = 0, height = 0, bitDepth = 0, colorType = -1;
        byte[] palette = [];
        byte[] transparency = [];
        using var idat = new MemoryStream();
        var offset = 8;
        while (offset + 8 <= png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    bitDepth = data[8];
                    colorType = data[9];
                    if (data[12] != 0)
                    {
                        throw new InvalidDataException("Interlaced PNGs are not supported by this test reader.");
                    }

                    break;
                case "PLTE":
                    palette = data.ToArray();
                    break;
                case "tRNS":
                    transparency = data.ToArray();
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
            }

            offset += 12 + length;
            if (type == "IEND")
            {
                break;
            }
        }

        var channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => throw new InvalidDataException($"Colour type {colorType}.") };
        var bitsPerPixel = channels * bitDepth;
        var stride = (width * bitsPerPixel + 7) / 8;
        var filterUnit = Math.Max(1, bitsPerPixel / 8);

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        var raw = inflated.ToArray();
        var pixels = new byte[height * stride];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var line = raw.AsSpan(y * (stride + 1) + 1, stride);
            var current = pixels.AsSpan(y * stride, stride);
            var previous = y > 0 ? pixels.AsSpan((y - 1) * stride, stride) : new byte[stride];
            for (var x = 0; x < stride; x++)
            {
                int a = x >= filterUnit ? current[x - filterUnit] : 0, b = previous[x], c = x >= filterUnit ? previous[x - filterUnit] : 0;
                current[x] = (byte)(line[x] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"Filter type {filter}."),
                });
            }
        }

        var luminance = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                luminance[y * width + x] = Luminance(pixels, y * stride, x, bitDepth, colorType, palette, transparency);
            }
        }

        return (width, height, luminance);
    }

    private static byte Luminance(byte[] pixels, int lineStart, int x, int bitDepth, int colorType, byte[] palette, byte[] transparency)
    {
        int Sample(int index)
        {
            if (bitDepth == 16)
            {
                return pixels[lineStart + index * 2];
            }

            if (bitDepth == 8)
            {
                return pixels[lineStart + index];
            }

            var bit = index * bitDepth;
            var value = (pixels[lineStart + bit / 8] >> (8 - bitDepth - bit % 8)) & ((1 << bitDepth) - 1);
            return colorType == 3 ? value : value * 255 / ((1 << bitDepth) - 1);
        }

        // Transparent pixels count as white paper, as a chat client would show them on a light background.
        static int OverWhite(int value, int alpha) => (value * alpha + 255 * (255 - alpha)) / 255;

        switch (colorType)
        {
            case 0:
                return (byte)Sample(x);
            case 4:
                return (byte)OverWhite(Sample(x * 2), Sample(x * 2 + 1));
            case 3:
                var entry = Sample(x);
                var alpha = entry < transparency.Length ? transparency[entry] : 255;
                return (byte)OverWhite(Gray(palette[entry * 3], palette[entry * 3 + 1], palette[entry * 3 + 2]), alpha);
            case 2:
                return (byte)Gray(Sample(x * 3), Sample(x * 3 + 1), Sample(x * 3 + 2));
            default:
                return (byte)OverWhite(Gray(Sample(x * 4), Sample(x * 4 + 1), Sample(x * 4 + 2)), Sample(x * 4 + 3));
        }
    }

    private static int Gray(int r, int g, int b) => (r * 299 + g * 587 + b * 114) / 1000;

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
