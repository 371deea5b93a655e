using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>One Web API call the fake Slack received, with what it answered.</summary>
internal sealed record RecordedSlackCall(string Method, JsonObject Body, string? Authorization, JsonObject Answer)
{
    public bool Ok => Answer["ok"]?.GetValue<bool>() == true;

    public string? Channel => Body["channel"]?.GetValue<string>();

    public string? ThreadTs => Body["thread_ts"]?.GetValue<string>();

    public string AllText => Body.ToJsonString();
}
