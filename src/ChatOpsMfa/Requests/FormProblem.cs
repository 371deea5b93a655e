namespace ChatOpsMfa.Requests;

/// <summary>Why a submitted form was refused, and which input it is about (so Slack can mark the right field).</summary>
public sealed record FormProblem(string Input, string Message);
