namespace ChatOpsMfa.Channels.Slack.WebApi;

/// <summary>
/// Where file bytes may go: Slack's upload host, <c>https://files.slack.com</c>, exactly (no other host, scheme, port or
/// user info). The only exception is for the tests' fake Slack: when the Web API itself is on loopback
/// (<c>Slack:ApiBaseUrl</c> pointed at a local fake), uploads may go to that same loopback origin and nowhere else.
/// A production base URL is never loopback, so the exception cannot widen what production trusts.
/// </summary>
public static class SlackUploadHost
{
    public const string Host = "files.slack.com";

    /// <summary>The error a refused upload URL is reported with.</summary>
    public const string Refused = "untrusted_upload_url";

    public static bool Trusts(Uri uploadUrl, Uri apiBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(uploadUrl);
        ArgumentNullException.ThrowIfNull(apiBaseUrl);
        if (!uploadUrl.IsAbsoluteUri || uploadUrl.UserInfo.Length > 0)
        {
            return false;
        }

        if (uploadUrl.Scheme == Uri.UriSchemeHttps && uploadUrl.IsDefaultPort &&
            string.Equals(uploadUrl.IdnHost, Host, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return apiBaseUrl.IsAbsoluteUri && apiBaseUrl.IsLoopback && uploadUrl.IsLoopback &&
            Uri.Compare(uploadUrl, apiBaseUrl, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0;
    }
}
