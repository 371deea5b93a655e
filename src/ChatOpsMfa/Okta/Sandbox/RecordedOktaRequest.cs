namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>One request the sandbox received, exactly as sent (raw path and query, headers, body text).</summary>
public sealed record RecordedOktaRequest(
    string Method,
    string PathAndQuery,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    string? OperationId)
{
    public string Path => PathAndQuery.Split('?', 2)[0];

    public string Query => PathAndQuery.Contains('?', StringComparison.Ordinal) ? PathAndQuery[PathAndQuery.IndexOf('?', StringComparison.Ordinal)..] : "";

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
