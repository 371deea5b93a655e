using System.Collections;
using System.Globalization;

namespace ChatOpsMfa.Telemetry;

/// <summary>
/// The logging scope of one request: <c>RequestNumber</c> as a structured value (for JSON and OTLP logs) and
/// "RequestNumber:7" in the console. The number only: never the request id or a person's identifier.
/// </summary>
public sealed class RequestLogScope(long number) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? new("RequestNumber", number) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"RequestNumber:{number}");
}
