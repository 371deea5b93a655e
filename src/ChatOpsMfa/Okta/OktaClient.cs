using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace ChatOpsMfa.Okta;

/// <summary>
/// Read-only Okta look-ups the bot needs before and around a reset (who is this user, what factors and admin roles
/// do they have, are they in a group). Every outcome, including "not found" and "Okta is down", is a returned value.
/// </summary>
public sealed partial class OktaClient(HttpClient http, OktaEndpoint endpoint, ILogger<OktaClient> logger)
{
    internal const string HttpClientName = "Okta";

    /// <summary><c>GET /api/v1/users/{idOrLogin}</c> (getUser).</summary>
    public Task<OktaResult<OktaUserProfile>> GetUserAsync(string idOrLogin, CancellationToken cancellationToken) =>
        GetAsync($"api/v1/users/{Uri.EscapeDataString(idOrLogin)}", ReadUser, cancellationToken);

    /// <summary>
    /// The users whose profile attribute <paramref name="attribute"/> equals <paramref name="value"/>, from
    /// <c>GET /api/v1/users?search=profile.{attribute} eq "{value}"</c> (listUsers). The attribute name must be a plain
    /// identifier and the value is quoted and escaped, so neither can change the search expression.
    /// </summary>
    public Task<OktaResult<IReadOnlyList<OktaUserProfile>>> SearchUsersAsync(string attribute, string value, CancellationToken cancellationToken)
    {
        if (!IsAttributeName(attribute))
        {
            throw new ArgumentException($"'{attribute}' is not an Okta profile attribute name.", nameof(attribute));
        }

        var escaped = value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        var search = $"profile.{attribute} eq \"{escaped}\"";
        return GetAsync($"api/v1/users?search={Uri.EscapeDataString(search)}&limit=2", body => ReadArray(body, ReadUser), cancellationToken);
    }

    /// <summary>Okta profile attribute names: a letter, then letters, digits or underscores.</summary>
    public static bool IsAttributeName(string? name) =>
        name is { Length: > 0 and <= 64 } && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary><c>GET /api/v1/users/{userId}/factors</c> (listFactors).</summary>
    public Task<OktaResult<IReadOnlyList<OktaUserFactor>>> ListFactorsAsync(string userId, CancellationToken cancellationToken) =>
        GetAsync($"api/v1/users/{Uri.EscapeDataString(userId)}/factors", body => ReadArray(body, ReadFactor), cancellationToken);

    /// <summary>The <c>type</c> of every admin role assigned to the user (listAssignedRolesForUser).</summary>
    public Task<OktaResult<IReadOnlyList<string>>> ListAssignedRoleTypesAsync(string userId, CancellationToken cancellationToken) =>
        GetAsync($"api/v1/users/{Uri.EscapeDataString(userId)}/roles",
            body => ReadArray(body, role => Text(role, "type")), cancellationToken);

    /// <summary>Whether the user is in the group, from <c>GET /api/v1/users/{id}/groups</c> (listUserGroups).</summary>
    public async Task<OktaResult<bool>> IsMemberOfGroupAsync(string userId, string groupId, CancellationToken cancellationToken)
    {
        var groups = await GetAsync($"api/v1/users/{Uri.EscapeDataString(userId)}/groups",
            body => ReadArray(body, group => Text(group, "id")), cancellationToken).ConfigureAwait(false);
        return groups.IsSuccess
            ? OktaResult<bool>.Success(groups.Value.Contains(groupId, StringComparer.Ordinal))
            : groups.Error;
    }

    /// <summary>
    /// Okta's activation QR image (a factor's <c>_embedded.activation._links.qrcode</c>), fetched with the API token so
    /// the person gets the picture, not a link. Only a link on the org's own origin is followed: the token goes nowhere else.
    /// </summary>
    public async Task<OktaResult<byte[]>> GetQrCodeImageAsync(Uri link, CancellationToken cancellationToken)
    {
        var org = endpoint.BaseUrl;
        if (!link.IsAbsoluteUri || Uri.Compare(link, org, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            return new OktaError(OktaErrorKind.Other, null, null, null, [], null,
                "Okta's QR code link is not on the Okta org's own address, so it was not followed.");
        }

        try
        {
            using var response = await http.GetAsync(link, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var error = OktaError.FromResponse((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                LogOktaRefused(logger, (int)response.StatusCode, error.ErrorCode, error.ErrorId);
                return error;
            }

            var image = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return image.Length is > 0 and <= MaxQrImageBytes && image.AsSpan().StartsWith(PngSignature)
                ? OktaResult<byte[]>.Success(image)
                : new OktaError(OktaErrorKind.Other, (int)response.StatusCode, null, null, [], null, "Okta's QR code was not a PNG image of a sensible size.");
        }
        catch (HttpRequestException ex)
        {
            LogUnreachable(logger, org, ex.HttpRequestError);
            return OktaError.Unreachable(org, DescribeConnectionError(ex));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(logger, org, HttpRequestError.Unknown);
            return OktaError.Unreachable(org, "no answer in time");
        }
    }

    /// <summary>
    /// Okta Verify push: has Okta email its own activation link to the user's primary email (the factor's
    /// <c>_embedded.activation._links.send</c> link named "email", <c>POST …/lifecycle/activate/email</c>).
    /// </summary>
    public Task<OktaResult<bool>> SendActivationEmailAsync(string userId, string factorId, CancellationToken cancellationToken) =>
        SendActivationLinkAsync(userId, factorId, "email", new JsonObject(), cancellationToken);

    /// <summary>As <see cref="SendActivationEmailAsync"/>, by SMS to <paramref name="phoneNumber"/> (the link named "sms").</summary>
    public Task<OktaResult<bool>> SendActivationSmsAsync(string userId, string factorId, string phoneNumber, CancellationToken cancellationToken) =>
        SendActivationLinkAsync(userId, factorId, "sms", new JsonObject { ["profile"] = new JsonObject { ["phoneNumber"] = phoneNumber } }, cancellationToken);

    private async Task<OktaResult<bool>> SendActivationLinkAsync(string userId, string factorId, string channel, JsonObject body, CancellationToken cancellationToken)
    {
        var url = $"api/v1/users/{Uri.EscapeDataString(userId)}/factors/{Uri.EscapeDataString(factorId)}/lifecycle/activate/{channel}";
        try
        {
            using var response = await http.PostAsync(url, new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return OktaResult<bool>.Success(true);
            }

            var error = OktaError.FromResponse((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            LogOktaRefused(logger, (int)response.StatusCode, error.ErrorCode, error.ErrorId);
            return error;
        }
        catch (HttpRequestException ex)
        {
            LogUnreachable(logger, endpoint.BaseUrl, ex.HttpRequestError);
            return OktaError.Unreachable(endpoint.BaseUrl, DescribeConnectionError(ex));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(logger, endpoint.BaseUrl, HttpRequestError.Unknown);
            return OktaError.Unreachable(endpoint.BaseUrl, "no answer in time");
        }
    }

    private const int MaxQrImageBytes = 256 * 1024;

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private async Task<OktaResult<T>> GetAsync<T>(string relativeUrl, Func<JsonNode?, T?> read, CancellationToken cancellationToken)
        where T : notnull
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(relativeUrl, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            LogUnreachable(logger, endpoint.BaseUrl, ex.HttpRequestError);
            return OktaError.Unreachable(endpoint.BaseUrl, DescribeConnectionError(ex));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient reports its own timeout as a cancellation the caller did not ask for.
            LogUnreachable(logger, endpoint.BaseUrl, HttpRequestError.Unknown);
            return OktaError.Unreachable(endpoint.BaseUrl, "no answer in time");
        }

        using (response)
        {
            JsonNode? body;
            try
            {
                body = await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                body = null;
            }

            if (!response.IsSuccessStatusCode)
            {
                var error = OktaError.FromResponse((int)response.StatusCode, body);
                LogOktaRefused(logger, (int)response.StatusCode, error.ErrorCode, error.ErrorId);
                return error;
            }

            var value = body is null ? default : read(body);
            return value is null
                ? OktaError.FromResponse((int)response.StatusCode, (JsonNode?)null) with
                {
                    Kind = OktaErrorKind.ServerError,
                    Message = $"Okta answered {relativeUrl.Split('?')[0]} with a body the bot could not read.",
                }
                : OktaResult<T>.Success(value);
        }
    }

    private static string DescribeConnectionError(HttpRequestException ex) => ex.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "the host name could not be resolved",
        HttpRequestError.ConnectionError => "the connection failed",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed",
        _ => "the request failed",
    };

    private static OktaUserProfile? ReadUser(JsonNode? body)
    {
        var id = Text(body, "id");
        if (id is null)
        {
            return null;
        }

        var profile = body?["profile"];
        var lastLogin = Text(body, "lastLogin");
        return new OktaUserProfile(
            id,
            Text(body, "status"),
            Text(profile, "login"),
            Text(profile, "email"),
            Text(profile, "firstName"),
            Text(profile, "lastName"),
            Text(profile, "title"),
            Text(profile, "department"),
            Text(profile, "manager"),
            DateTimeOffset.TryParse(lastLogin, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null,
            Text(profile, "mobilePhone"),
            Text(profile, "primaryPhone"),
            Text(profile, "managerId"),
            profile is JsonObject all
                ? all.Where(p => p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                    .ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal)
                : null);
    }

    private static OktaUserFactor? ReadFactor(JsonNode? factor) =>
        Text(factor, "id") is { } id && Text(factor, "factorType") is { } type
            ? new OktaUserFactor(id, type, Text(factor, "provider") ?? "", Text(factor, "status") ?? "")
            : null;

    private static IReadOnlyList<T>? ReadArray<T>(JsonNode? body, Func<JsonNode?, T?> item) where T : class =>
        body is JsonArray array ? array.Select(item).OfType<T>().ToArray() : null;

    private static string? Text(JsonNode? node, string name) =>
        node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) && value is JsonValue v &&
        v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Okta at {BaseUrl} could not be reached ({Reason})")]
    private static partial void LogUnreachable(ILogger logger, Uri baseUrl, HttpRequestError reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Okta answered {StatusCode} {ErrorCode} (errorId {ErrorId})")]
    private static partial void LogOktaRefused(ILogger logger, int statusCode, string? errorCode, string? errorId);
}
