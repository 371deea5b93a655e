using ChatOpsMfa.Channels;
using ChatOpsMfa.Channels.Local;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsMfa.BrowserTests;

/// <summary>The local chat on a real Kestrel socket (loopback, free port), wired as Program.cs does.</summary>
internal sealed class LocalChatKestrelHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private LocalChatKestrelHost(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<LocalChatKestrelHost> StartAsync(IInboundHandler handler, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Development",
            ContentRootPath = RepositoryPaths.WebProject,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<ILocalCardRenderer, ApprovalCardRenderer>();
        builder.Services.AddSingleton(handler);
        builder.AddLocalChat();

        var app = builder.Build();
        app.MapLocalChat();
        await app.StartAsync(cancellationToken);
        return new LocalChatKestrelHost(app, new Uri(app.Urls.Single()));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }
}
