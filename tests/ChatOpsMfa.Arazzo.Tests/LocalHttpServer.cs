using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsMfa.Arazzo.Tests;

/// <summary>A real HTTP server on a free loopback port, for the tests that must go through a socket.</summary>
internal static class LocalHttpServer
{
    /// <summary>Builds the server, lets <paramref name="map"/> add its routes, starts it and returns its address.</summary>
    public static async Task<(WebApplication App, string Address)> StartAsync(Action<WebApplication> map, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        map(app);
        await app.StartAsync(cancellationToken);
        return (app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }
}
