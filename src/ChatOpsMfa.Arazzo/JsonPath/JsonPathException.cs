namespace ChatOpsMfa.Arazzo.JsonPath;

/// <summary>The query is not valid RFC 9535 JSONPath (syntax or function typing); the message says where.</summary>
public sealed class JsonPathException(string message) : Exception(message);
