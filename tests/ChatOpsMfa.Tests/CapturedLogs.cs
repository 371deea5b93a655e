using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ChatOpsMfa.Tests;

/// <summary>Every log line the host writes, at every level, with its structured values, scopes and exception text.</summary>
internal sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLogLine> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<CapturedLogLine> Lines => [.. _lines];

    /// <summary>Everything written, as one text to search for leaks.</summary>
    public string AllText => string.Join("\n", _lines.Select(l => l.Text));

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines, () => _scopes);

    /// <summary>The host's scopes, including the trace and span ids its ActivityTrackingOptions add.</summary>
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLogLine> lines, Func<IExternalScopeProvider> scopes) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => scopes().Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            var message = formatter(state, exception);
            var scope = new List<string>();
            scopes().ForEachScope((s, list) => list.Add(s is IEnumerable<KeyValuePair<string, object?>> kv
                ? string.Join(" ", kv.Select(p => $"{p.Key}={p.Value}"))
                : s?.ToString() ?? ""), scope);
            var scopeText = string.Join(" ", scope);
            lines.Enqueue(new CapturedLogLine(category, logLevel, eventId.Id, message, exception,
                $"{category} {logLevel} {eventId.Id} {message} {values} {scopeText} {exception}", scopeText));
        }
    }
}

internal sealed record CapturedLogLine(string Category, LogLevel Level, int EventId, string Message, Exception? Exception, string Text, string Scope = "");
