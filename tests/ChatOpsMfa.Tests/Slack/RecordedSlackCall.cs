using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// One Web API call the fake Slack received: the arguments Slack would have read (JSON-valued form fields such as
/// <c>blocks</c> and <c>view</c> parsed), the media type it was sent as, and what the fake answered.
/// </summary>
internal sealed record RecordedSlackCall(string Method, JsonObject Body, string? Authorization, JsonObject Answer, string? MediaType = null)
{
    public bool Ok => Answer["ok"]?.GetValue<bool>() == true;

    public string? Channel => Body["channel"]?.GetValue<string>();

    public string? ThreadTs => Body["thread_ts"]?.GetValue<string>();

    public string AllText => Body.ToJsonString();
}
