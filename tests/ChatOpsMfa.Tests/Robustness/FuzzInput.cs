namespace ChatOpsMfa.Tests.Robustness;

/// <summary>
/// One generated request: what it is (for the failure message), how to build it, and the one 5xx status the
/// protocol itself prescribes for it, if any (Bot Framework answers an invoke it does not implement with 501).
/// </summary>
internal sealed record FuzzInput(string Description, Func<HttpRequestMessage> Build, int? ProtocolStatus = null);
