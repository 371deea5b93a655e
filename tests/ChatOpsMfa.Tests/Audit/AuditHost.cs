using System.Net.Http.Headers;
using ChatOpsMfa.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatOpsMfa.Tests.Audit;

/// <summary>The real host with the given <c>Audit:ApiKeys</c> (a temporary SQLite file, every log line captured).</summary>
internal sealed class AuditHost(IEnumerable<KeyValuePair<string, string?>> settings) : BotTestHost("audit", settings)
{
    public const string Key = "audit-key-0123456789-first";
    public const string OtherKey = "audit-key-9876543210-second";

    public AuditHost(params string[] keys)
        : this(keys.Select((k, i) => KeyValuePair.Create($"Audit:ApiKeys:{i}", (string?)k)))
    {
    }

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

    /// <summary>
    /// Without the expiry sweep: the seeded requests are months old, and its reminders and expiries would add audit rows
    /// (and undeliverable messages) while a test reads the trail, whenever the sweep's round falls.
    /// </summary>
    protected override void ConfigureHost(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services =>
        {
            var sweep = services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(ChatOpsMfa.Requests.ExpiryWorker));
            services.Remove(sweep);
        });
}
