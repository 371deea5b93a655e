using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace SlackAckBench;

/// <summary>A signed <c>/mfa-reset</c> slash command as Slack sends it, with a fresh trigger id each time.</summary>
internal sealed class SignedCommand(string signingSecret)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(signingSecret);

    public HttpRequestMessage Create(string triggerId)
    {
        var body = "token=bench&team_id=T0001&team_domain=bench&channel_id=CGENERAL&channel_name=general&user_id=UBENCH" +
                   "&user_name=bench&command=%2Fmfa-reset&text=&api_app_id=A0001" +
                   "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT0001%2F1%2Fabc&trigger_id=" + triggerId;
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/slack/commands", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", signature);
        return request;
    }
}
