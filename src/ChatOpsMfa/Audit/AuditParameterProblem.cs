namespace ChatOpsMfa.Audit;

/// <summary>A query parameter of <c>GET /api/audit</c> that cannot be used, and why, in words the caller can act on.</summary>
public sealed record AuditParameterProblem(string Parameter, string Message);
