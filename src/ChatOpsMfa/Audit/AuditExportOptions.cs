namespace ChatOpsMfa.Audit;

/// <summary>Who may read the audit trail through <c>GET /api/audit</c>: the <c>Audit</c> configuration section.</summary>
public sealed class AuditExportOptions
{
    public const string SectionName = "Audit";

    /// <summary>Long keys make guessing hopeless, so an online attempt limit is not needed.</summary>
    public const int MinimumKeyLength = 16;

    /// <summary>
    /// The API keys, as the admin wrote them (surrounding whitespace ignored). Empty: the export refuses every request.
    /// </summary>
    public List<string> ApiKeys { get; set; } = [];
}
