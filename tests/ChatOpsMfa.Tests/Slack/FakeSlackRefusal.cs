using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>An error the fake Slack gives chosen calls, e.g. <c>is_archived</c> for posts to one channel.</summary>
internal sealed record FakeSlackRefusal(string Method, string Error, Func<JsonObject, bool> When)
{
    public int Times { get; set; }
}
