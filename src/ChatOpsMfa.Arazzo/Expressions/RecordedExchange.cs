using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>The request a step sent and the response it got, as the expressions of that step see them.</summary>
internal sealed class RecordedExchange
{
    public required string Url { get; init; }

    public required string Method { get; init; }

    public required IReadOnlyDictionary<string, string> RequestHeaders { get; init; }

    public required IReadOnlyDictionary<string, string> RequestQuery { get; init; }

    public required IReadOnlyDictionary<string, string> RequestPath { get; init; }

    public JsonNode? RequestBody { get; init; }

    public int StatusCode { get; set; }

    public IReadOnlyDictionary<string, string> ResponseHeaders { get; set; } = new Dictionary<string, string>();

    public JsonNode? ResponseBody { get; set; }
}
