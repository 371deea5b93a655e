using System.Net.Http.Headers;
using ChatOpsMfa.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsMfa.Tests.Audit;

/// <summary>The real host with a temporary SQLite file, the given <c>Audit:ApiKeys</c>, and every log line captured.</summary>
internal sealed class AuditHost : WebApplicationFactory<Program>
{
    public const string Key = "audit-key-0123456789-first";
    public const string OtherKey = "audit-key-9876543210-second";

    private readonly string _folder = Directory.CreateTempSubdirectory("chatopsmfa-audit-").FullName;
    private readonly Dictionary<string, string?> _settings;

    public AuditHost(params string[] keys)
        : this(keys.Select((k, i) => KeyValuePair.Create($"Audit:ApiKeys:{i}", (string?)k)))
    {
    }

    public AuditHost(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:ChatOpsMfa"] = $"Data Source={Path.Combine(_folder, "audit.db")};Pooling=False",
            ["Okta:Sandbox:Enabled"] = "true",
            ["Okta:Client:OrgUrl"] = "",
        };
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    public CapturedLogs Logs { get; } = new();

    public RequestStore Store => Services.GetRequiredService<RequestStore>();

    /// <summary>A client that sends <paramref name="authorization"/> (verbatim) on every request, or nothing.</summary>
    public HttpClient ClientWith(string? authorization, string? accept = null)
    {
        var client = CreateClient();
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        if (accept is not null)
        {
            client.DefaultRequestHeaders.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        }

        return client;
    }

    public HttpClient Authorized(string? accept = null) => ClientWith("Bearer " + Key, accept);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            logging.AddProvider(Logs);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
