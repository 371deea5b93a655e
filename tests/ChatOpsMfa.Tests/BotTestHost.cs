using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsMfa.Tests;

/// <summary>
/// The real host for a test: Development, a throw-away SQLite file, the Okta sandbox, the given settings on top, and
/// every log line captured. Each channel's test host adds its own settings and fakes.
/// </summary>
internal abstract class BotTestHost : WebApplicationFactory<Program>
{
    private readonly string _folder;
    private readonly Dictionary<string, string?> _settings;

    protected BotTestHost(string name, IEnumerable<KeyValuePair<string, string?>>? settings)
    {
        _folder = Directory.CreateTempSubdirectory($"chatopsmfa-{name}-").FullName;
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:ChatOpsMfa"] = $"Data Source={Path.Combine(_folder, name + ".db")};Pooling=False",
            ["Okta:Sandbox:Enabled"] = "true",
            ["Okta:Client:OrgUrl"] = "",
            // The local run's appsettings turn the approver's Okta Verify step-up on; tests that are not about it click
            // Approve alone, and the step-up tests turn it back on.
            ["Approvals:ApproverVerification"] = "None",
        };
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }
    }

    /// <summary>The database this host was given (a test may have named its own).</summary>
    public string ConnectionString => _settings["ConnectionStrings:ChatOpsMfa"]!;

    /// <summary>Every log line the host wrote, at every level, with exception texts.</summary>
    public CapturedLogs Logs { get; } = new();

    public RequestStore Store => Services.GetRequiredService<RequestStore>();

    public async Task<IReadOnlyList<ResetRequest>> AllRequestsAsync() =>
        await Store.ListInStatesAsync(Enum.GetValues<RequestState>(), CancellationToken.None);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        ConfigureHost(builder);
    }

    /// <summary>What a particular host adds: test services, fakes, startup filters.</summary>
    protected virtual void ConfigureHost(IWebHostBuilder builder)
    {
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            DeleteFolder(_folder);
        }
    }

    /// <summary>
    /// Deletes the host's temporary folder. SQLite may still be closing its write-ahead log files as the host stops
    /// (the final checkpoint), so a delete that races them is tried again; a folder left in /tmp fails no test.
    /// </summary>
    private static void DeleteFolder(string folder)
    {
        for (var attempt = 0; attempt < 5 && Directory.Exists(folder); attempt++)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException) when (attempt < 4)
            {
                Thread.Sleep(50);
            }
            catch (IOException)
            {
                // Left for the OS to clean up.
            }
        }
    }
}
