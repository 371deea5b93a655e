using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Teams.Fakes;

/// <summary>One request the fake Bot Framework service received, as it arrived, with the host it was addressed to.</summary>
public sealed record RecordedCall(string Method, string Path, string? Authorization, string Body, string Host = "127.0.0.1", string Query = "")
{
    public JsonObject Json => Body.Length == 0 ? [] : JsonNode.Parse(Body)!.AsObject();

    public bool IsConnector => Path.StartsWith("/v3/", StringComparison.Ordinal);
}
