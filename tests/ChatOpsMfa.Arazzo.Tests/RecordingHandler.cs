using System.Net;
using System.Text;

namespace ChatOpsMfa.Arazzo.Tests;

/// <summary>Fake HTTP server: records every request and answers from a script of responses.</summary>
internal sealed class RecordingHandler(params Func<HttpRequestMessage, HttpResponseMessage>[] script) : HttpMessageHandler
{
    public List<RecordedRequest> Requests { get; } = [];

    public static Func<HttpRequestMessage, HttpResponseMessage> Json(HttpStatusCode status, string json, params (string Name, string Value)[] headers) => _ =>
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    };

    public static Func<HttpRequestMessage, HttpResponseMessage> Status(HttpStatusCode status, params (string Name, string Value)[] headers) =>
        Json(status, string.Empty, headers);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        Requests.Add(new RecordedRequest(request.Method.Method, request.RequestUri!, headers, body));
        var index = Math.Min(Requests.Count - 1, script.Length - 1);
        return script[index](request);
    }
}

internal sealed record RecordedRequest(string Method, Uri Url, IReadOnlyDictionary<string, string> Headers, string? Body);
