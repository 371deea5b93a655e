using System.Text;

namespace ChatOpsMfa.Arazzo;

/// <summary>Reads a text file only when it is no larger than a limit, without reading past the limit.</summary>
internal static class BoundedFile
{
    /// <summary>The file's text, or null with <paramref name="problem"/> naming the size and the limit.</summary>
    public static async Task<(string? Text, string? Problem)> ReadAsync(string path, long limit, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        if (stream.CanSeek && stream.Length > limit)
        {
            return (null, $"is {stream.Length} bytes; the limit is {limit} bytes");
        }

        // The length can change after the check (or be unknown, for a device): never read more than limit + 1.
        var buffer = new byte[Math.Min(limit + 1, stream.CanSeek ? stream.Length + 1 : limit + 1)];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        if (total > limit)
        {
            return (null, $"is more than {limit} bytes; the limit is {limit} bytes");
        }

        return (new UTF8Encoding(false).GetString(buffer, 0, total).TrimStart('\uFEFF'), null);
    }
}
