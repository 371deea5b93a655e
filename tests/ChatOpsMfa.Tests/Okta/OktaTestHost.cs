using ChatOpsMfa.Okta;
using ChatOpsMfa.Okta.Sandbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChatOpsMfa.Tests.Okta;

/// <summary>A minimal host wired with <see cref="OktaExtensions.AddOkta"/>, configured like a real deployment.</summary>
internal static class OktaTestHost
{
    public static IHost Build(IDictionary<string, string?> settings, TimeProvider? timeProvider = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        builder.AddOkta();
        return builder.Build();
    }

    /// <summary>A host pointed at a standalone sandbox, as a real org would be configured.</summary>
    public static IHost PointedAt(OktaSandbox sandbox, TimeProvider? timeProvider = null, int maxRetries = 2) =>
        Build(new Dictionary<string, string?>
        {
            ["Okta:Client:OrgUrl"] = sandbox.BaseUrl!.ToString(),
            ["Okta:Client:Token"] = sandbox.Token,
            ["Okta:Client:MaxRetries"] = maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, timeProvider);
}
