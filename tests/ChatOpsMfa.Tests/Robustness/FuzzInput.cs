namespace ChatOpsMfa.Tests.Robustness;

/// <summary>One generated request: what it is (for the failure message), and how to build it.</summary>
internal sealed record FuzzInput(string Description, Func<HttpRequestMessage> Build);
