namespace ChatOpsMfa.Audit;

/// <summary>The JSON body: a page of rows, and the <c>after</c> value of the next page (null on the last page).</summary>
public sealed record AuditExportPage(IReadOnlyList<AuditExportItem> Items, string? Next);
