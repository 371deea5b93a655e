using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Teams.Auth;

/// <summary>
/// The key caches, one per metadata document: the Bot Framework's, and for single-tenant bots the bot's own tenant's.
/// Only URLs built from configuration get here, never one taken from a token.
/// </summary>
internal sealed class SigningKeySources(
    IHttpClientFactory httpClients, IOptions<TeamsOptions> options, TimeProvider time, ILogger<OpenIdSigningKeys> logger)
{
    public const string HttpClientName = "TeamsOpenIdMetadata";

    private readonly ConcurrentDictionary<string, OpenIdSigningKeys> _byUrl = new(StringComparer.Ordinal);

    public OpenIdSigningKeys BotFramework => For(options.Value.OpenIdMetadataUrl);

    public OpenIdSigningKeys Tenant(string tenantId) =>
        For($"{options.Value.EntraInstance}{tenantId}/v2.0/.well-known/openid-configuration");

    private OpenIdSigningKeys For(string url) =>
        _byUrl.GetOrAdd(url, u => new OpenIdSigningKeys(u, httpClients.CreateClient(HttpClientName), time, logger));
}
