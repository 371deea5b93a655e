using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace ChatOpsMfa.FlowBench;

/// <summary>
/// Times the Okta sandbox's handlers from inside this process, without changing the sandbox: ASP.NET Core's hosting
/// diagnostics (<c>Microsoft.AspNetCore.Hosting.BeginRequest</c>/<c>EndRequest</c>, with the HttpContext and a
/// Stopwatch timestamp) fire for every request of every Kestrel host here; those on the sandbox's port are the
/// sandbox's, and their span is the time its pipeline and handlers spent (the socket I/O before and after is not in it).
/// The ends of requests on the fake Slack's port are reported too, so the moment a message arrived can be taken there.
/// </summary>
internal sealed class SandboxTiming : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private const string StartedKey = "flowbench.started";
    private readonly ConcurrentQueue<(long Start, long End, string Path)> _sandbox = new();
    private readonly List<IDisposable> _subscriptions = [];
    private readonly IDisposable _all;

    public SandboxTiming() => _all = DiagnosticListener.AllListeners.Subscribe(this);

    public int SandboxPort { get; set; }

    public int SlackPort { get; set; }

    /// <summary>Called (on the request's thread) when a request to the fake Slack has been answered.</summary>
    public Action<string, long>? SlackAnswered { get; set; }

    /// <summary>Sandbox handler time (ms) of the requests that ran entirely within [from, to] (Stopwatch timestamps).</summary>
    public (double Milliseconds, int Requests) SandboxTimeBetween(long from, long to)
    {
        var inside = _sandbox.Where(r => r.Start >= from && r.End <= to).ToList();
        return (inside.Sum(r => Stopwatch.GetElapsedTime(r.Start, r.End).TotalMilliseconds), inside.Count);
    }

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == "Microsoft.AspNetCore")
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(value.Subscribe(this, name => name is "Microsoft.AspNetCore.Hosting.BeginRequest" or "Microsoft.AspNetCore.Hosting.EndRequest"));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Value is null || Read<HttpContext>(value.Value, "httpContext") is not { } context)
        {
            return;
        }

        var port = context.Connection.LocalPort;
        var timestamp = Read<long>(value.Value, "timestamp");
        if (value.Key.EndsWith("BeginRequest", StringComparison.Ordinal))
        {
            if (port == SandboxPort)
            {
                context.Items[StartedKey] = timestamp;
            }

            return;
        }

        if (port == SandboxPort && context.Items[StartedKey] is long started)
        {
            _sandbox.Enqueue((started, timestamp, context.Request.Path + context.Request.QueryString));
        }
        else if (port == SlackPort)
        {
            SlackAnswered?.Invoke(context.Request.Path, timestamp);
        }
    }

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }

    public void Dispose()
    {
        _all.Dispose();
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
        }
    }

    private static T? Read<T>(object payload, string name) =>
        payload.GetType().GetProperty(name)?.GetValue(payload) is T value ? value : default;
}
