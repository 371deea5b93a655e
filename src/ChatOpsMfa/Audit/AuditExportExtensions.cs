using ChatOpsMfa.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Audit;

/// <summary>Wires the audit export (<c>GET /api/audit</c>) into the host.</summary>
public static class AuditExportExtensions
{
    /// <summary>
    /// Binds <c>Audit:ApiKeys</c>. A key shorter than <see cref="AuditExportOptions.MinimumKeyLength"/> characters, or
    /// a single string where a list belongs, stops startup; no keys at all leaves the export refusing everything.
    /// </summary>
    public static WebApplicationBuilder AddAuditExport(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(AuditExportOptions.SectionName);
        var keysSection = section.GetSection(nameof(AuditExportOptions.ApiKeys));
        builder.Services.AddOptions<AuditExportOptions>()
            .BindConfiguration(AuditExportOptions.SectionName)
            .Validate(_ => string.IsNullOrEmpty(keysSection.Value),
                "Audit:ApiKeys must be a list (Audit:ApiKeys:0, Audit:ApiKeys:1, ... or a JSON array), not a single string.")
            .Validate(options => options.ApiKeys.All(k => k is not null && k.Trim().Length >= AuditExportOptions.MinimumKeyLength),
                $"Every Audit:ApiKeys entry must be at least {AuditExportOptions.MinimumKeyLength} characters long.")
            .ValidateOnStart();
        builder.Services.AddSingleton<AuditApiKeyVerifier>();
        builder.Services.AddSingleton<AuditQuery>();
        return builder;
    }

    /// <summary>Maps <c>GET /api/audit</c>, and says once at startup whether it is usable.</summary>
    public static WebApplication MapAuditExport(this WebApplication app)
    {
        var keys = app.Services.GetRequiredService<AuditApiKeyVerifier>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditExportEndpoint));
        if (keys.Enabled)
        {
            AuditExportLog.ExportEnabled(logger, keys.KeyCount);
        }
        else
        {
            AuditExportLog.ExportDisabled(logger);
        }

        AuditExportEndpoint.Map(app);
        return app;
    }
}
