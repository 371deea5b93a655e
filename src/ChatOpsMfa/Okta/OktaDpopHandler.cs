using System.Net;
using System.Net.Http.Headers;

namespace ChatOpsMfa.Okta;

/// <summary>
/// PrivateKey mode, innermost in the Okta pipeline so every attempt (a 429 retry too) gets its own proof:
/// <c>Authorization: DPoP &lt;token&gt;</c> and a <c>DPoP</c> proof with <c>ath</c>; when the API answers 401
/// <c>WWW-Authenticate: DPoP error="use_dpop_nonce"</c> with a <c>DPoP-Nonce</c>, one retry with that nonce; when it
/// answers <c>error="invalid_token"</c> (revoked early), one retry with a new token.
/// SSWS mode: passes the request through untouched.
/// </summary>
internal sealed partial class OktaDpopHandler(OktaEndpoint endpoint, OktaAccessTokenSource tokens, ILogger<OktaDpopHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!endpoint.UsesPrivateKey)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        if (request.Content is not null)
        {
            // A nonce retry sends the same content again.
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        string accessToken;
        try
        {
            accessToken = await tokens.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized)
        {
            // Okta refused the credentials for good (not a network failure): answer as Okta answers a bad API token,
            // so callers fail closed exactly as in SSWS mode, with the reason in the summary. The request was not sent.
            return Refused(request, ex.Message);
        }

        var nonceRetried = false;
        var tokenRenewed = false;
        for (var attempt = 0; ; attempt++)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("DPoP", accessToken);
            request.Headers.Remove("DPoP");
            request.Headers.TryAddWithoutValidation("DPoP", tokens.ProofFor(request.Method, request.RequestUri!, accessToken));

            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var nonce = OktaAccessTokenSource.NonceOf(response);
            if (nonce is not null)
            {
                tokens.ApiNonce = nonce;
            }

            if (attempt < 2 && response.StatusCode == HttpStatusCode.Unauthorized)
            {
                if (!nonceRetried && nonce is not null && Challenge(response, "use_dpop_nonce"))
                {
                    nonceRetried = true;
                    response.Dispose();
                    OktaAccessTokenSource.LogNonceDemanded(logger, "API");
                    continue;
                }

                if (!tokenRenewed && Challenge(response, "invalid_token"))
                {
                    // Revoked or expired early at Okta: drop it and get one new token, once.
                    tokenRenewed = true;
                    response.Dispose();
                    tokens.Forget(accessToken);
                    LogTokenRefusedByApi(logger);
                    try
                    {
                        accessToken = await tokens.GetAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (HttpRequestException ex) when (ex.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized)
                    {
                        return Refused(request, ex.Message);
                    }

                    continue;
                }
            }

            return response;
        }
    }

    private static HttpResponseMessage Refused(HttpRequestMessage request, string reason) => new(HttpStatusCode.Unauthorized)
    {
        RequestMessage = request,
        Content = System.Net.Http.Json.JsonContent.Create(new System.Text.Json.Nodes.JsonObject
        {
            ["errorCode"] = "E0000011",
            ["errorSummary"] = "Invalid token provided: " + reason,
            ["errorCauses"] = new System.Text.Json.Nodes.JsonArray(),
        }),
    };

    /// <summary>RFC 9449 sections 7.1 and 9: <c>WWW-Authenticate: DPoP error="use_dpop_nonce"</c> or <c>error="invalid_token"</c>.</summary>
    private static bool Challenge(HttpResponseMessage response, string error) =>
        response.Headers.WwwAuthenticate.Any(h =>
            string.Equals(h.Scheme, "DPoP", StringComparison.OrdinalIgnoreCase) &&
            (h.Parameter ?? "").Contains($"error=\"{error}\"", StringComparison.Ordinal));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Okta's API refused the bot's access token as invalid before it expired; getting a new one once")]
    private static partial void LogTokenRefusedByApi(ILogger logger);
}
