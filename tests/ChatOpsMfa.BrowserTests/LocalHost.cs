using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsMfa.BrowserTests;

/// <summary>
/// The real bot, exactly as <c>dotnet run</c> starts it in Development (local web chat, Okta sandbox), on a real
/// Kestrel socket on loopback with a throw-away SQLite file, so a real browser can use it.
/// </summary>
internal sealed class LocalHost : WebApplicationFactory<Program>
{
    private readonly string _folder = Directory.CreateTempSubdirectory("chatopsmfa-browser-").FullName;

    public LocalHost()
    {
        UseKestrel(0);
    }

    public Uri Address
    {
        get
        {
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
            return new Uri(addresses.Addresses.First());
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:ChatOpsMfa", $"Data Source={Path.Combine(_folder, "browser.db")};Pooling=False");
        builder.UseSetting("Urls", "http://127.0.0.1:0");
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
