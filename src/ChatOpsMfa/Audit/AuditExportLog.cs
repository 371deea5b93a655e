using Microsoft.Extensions.Logging;

namespace ChatOpsMfa.Audit;

// Never log a key, the Authorization header or exported rows here: outcomes, counts and key numbers only.
internal static partial class AuditExportLog
{
    [LoggerMessage(EventId = 6100, Level = LogLevel.Warning,
        Message = "The audit export (GET /api/audit) is disabled: Audit:ApiKeys lists no keys, so every request to it is refused")]
    public static partial void ExportDisabled(ILogger logger);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information,
        Message = "The audit export (GET /api/audit) accepts {KeyCount} API key(s) from Audit:ApiKeys")]
    public static partial void ExportEnabled(ILogger logger, int keyCount);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning,
        Message = "Refused an audit export request from {RemoteAddress}: {Outcome}")]
    public static partial void Refused(ILogger logger, string remoteAddress, AuditKeyOutcome outcome);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Information,
        Message = "Refused an audit export request with API key #{KeyNumber}: parameter '{Parameter}' is not usable")]
    public static partial void BadParameter(ILogger logger, int keyNumber, string parameter);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Information,
        Message = "Exported {Count} audit row(s) as {Format} to API key #{KeyNumber} from {RemoteAddress}")]
    public static partial void Exported(ILogger logger, int count, string format, int keyNumber, string remoteAddress);
}
