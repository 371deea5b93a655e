namespace ChatOpsMfa.Arazzo;

internal sealed record BuiltRequest(HttpRequestMessage Message, RecordedExchange Exchange);
