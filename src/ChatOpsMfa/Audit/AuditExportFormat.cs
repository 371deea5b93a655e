using Microsoft.Net.Http.Headers;

namespace ChatOpsMfa.Audit;

/// <summary>Content negotiation for the export: CSV when the caller's Accept prefers <c>text/csv</c>, JSON otherwise.</summary>
public static class AuditExportFormat
{
    private const string Csv = "text/csv";
    private const string Json = "application/json";

    public static bool PrefersCsv(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
        {
            return false;
        }

        var csv = BestQuality(accepted, Csv);
        return csv > 0 && csv >= BestQuality(accepted, Json);
    }

    private static double BestQuality(IList<MediaTypeHeaderValue> accepted, string mediaType) =>
        accepted.Where(m => m.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase))
            .Select(m => m.Quality ?? 1.0)
            .DefaultIfEmpty(0)
            .Max();
}
