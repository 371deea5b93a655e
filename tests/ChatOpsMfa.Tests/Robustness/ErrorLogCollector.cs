using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ChatOpsMfa.Tests.Robustness;

/// <summary>Keeps every log entry at Error or Critical level, with its exception, so a test can say none happened.</summary>
internal sealed class ErrorLogCollector : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyList<string> Entries => [.. _entries];

    /// <summary>Entries that carry an exception or name one: what an unhandled failure leaves behind.</summary>
    public IReadOnlyList<string> ExceptionEntries =>
        [.. _entries.Where(e => e.Contains("Exception", StringComparison.OrdinalIgnoreCase))];

    public void Clear() => _entries.Clear();

    public ILogger CreateLogger(string categoryName) => new Collector(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Collector(string category, ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error)
            {
                entries.Enqueue($"{logLevel} {category} [{eventId.Id}] {formatter(state, exception)} {exception}");
            }
        }
    }
}
