using System.Net;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Channels.Local;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatOpsMfa.Tests.Local;

/// <summary>
/// A minimal host that wires the local chat exactly as Program.cs does (<c>AddLocalChat</c>, <c>MapLocalChat</c>)
/// on a TestServer, with the caller's address set explicitly because TestServer has none.
/// </summary>
internal sealed class LocalChatTestHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private LocalChatTestHost(WebApplication app, RecordingInboundHandler handler)
    {
        this.app = app;
        Handler = handler;
        Client = new DirectLineTestClient(app.GetTestClient());
    }

    public RecordingInboundHandler Handler { get; }

    public DirectLineTestClient Client { get; }

    public FakeTimeProvider Time => (FakeTimeProvider)app.Services.GetRequiredService<TimeProvider>();

    public IChatChannel Channel => app.Services.GetServices<IChatChannel>().Single(c => c.ChannelId == "local");

    /// <summary>A service of the host, to look at what a refused request left behind.</summary>
    public T Service<T>()
        where T : notnull => app.Services.GetRequiredService<T>();

    public static async Task<LocalChatTestHost> StartAsync(
        RecordingInboundHandler? handler = null,
        IPAddress? remoteAddress = null,
        IDictionary<string, string?>? settings = null)
    {
        handler ??= RecordingInboundHandler.Echoing();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Development",
            ContentRootPath = RepoPaths.WebProject,
        });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)));
        builder.Services.AddSingleton<ILocalCardRenderer, PlaceholderCardRenderer>();
        builder.Services.AddSingleton<IInboundHandler>(handler);
        builder.AddLocalChat();

        var app = builder.Build();
        var caller = remoteAddress ?? IPAddress.Loopback;
        app.Use((context, next) =>
        {
            context.Connection.RemoteIpAddress = caller;
            return next(context);
        });
        app.MapLocalChat();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new LocalChatTestHost(app, handler);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(TestContext.Current.CancellationToken);
        await app.DisposeAsync();
    }
}
