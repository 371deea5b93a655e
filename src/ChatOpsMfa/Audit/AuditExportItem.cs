using System.Globalization;
using ChatOpsMfa.Storage;

namespace ChatOpsMfa.Audit;

/// <summary>One audit row as the export shows it; <see cref="At"/> is ISO-8601 UTC.</summary>
public sealed record AuditExportItem(
    long Id,
    string RequestId,
    long RequestNumber,
    string At,
    string ActorId,
    string ActorName,
    string Action,
    string? FromState,
    string? ToState,
    string? Detail)
{
    public static AuditExportItem From(AuditEntry entry) => new(
        entry.Id,
        entry.RequestId,
        entry.RequestNumber,
        entry.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        entry.ActorId,
        entry.ActorName,
        entry.Action,
        entry.FromState,
        entry.ToState,
        entry.Detail);

    /// <summary>The CSV cells, in <see cref="AuditCsvWriter.Header"/> order.</summary>
    public IEnumerable<string?> Cells() =>
    [
        Id.ToString(CultureInfo.InvariantCulture),
        RequestId,
        RequestNumber.ToString(CultureInfo.InvariantCulture),
        At,
        ActorId,
        ActorName,
        Action,
        FromState,
        ToState,
        Detail,
    ];
}
