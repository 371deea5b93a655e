using System.Net;
using System.Net.Http.Headers;

namespace ChatOpsMfa.Okta;

/// <summary>
/// PrivateKey mode, innermost in the Okta pipeline so every attempt (a 429 retry too) gets its own proof:
/// <c>Authorization: DPoP &lt;token&gt;</c> and a <c>DPoP</c> proof with <c>ath</c>; when the API answers 401
/// <c>WWW-Authenticate: DPoP error="use_dpop_nonce"</c> with a <c>DPoP-Nonce</c>, one retry with that nonce.
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

            if (attempt == 0 && nonce is not null && response.StatusCode == HttpStatusCode.Unauthorized && AsksForNonce(response))
            {
                response.Dispose();
                OktaAccessTokenSource.LogNonceDemanded(logger, "API");
                continue;
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

    /// <summary>RFC 9449 section 9: <c>WWW-Authenticate: DPoP error="use_dpop_nonce"</c>.</summary>
    private static bool AsksForNonce(HttpResponseMessage response) =>
        response.Headers.WwwAuthenticate.Any(h =>
            string.Equals(h.Scheme, "DPoP", StringComparison.OrdinalIgnoreCase) &&
            (h.Parameter ?? "").Contains("error=\"use_dpop_nonce\"", StringComparison.Ordinal));
}
