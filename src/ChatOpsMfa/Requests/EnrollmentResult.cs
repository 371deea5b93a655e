namespace ChatOpsMfa.Requests;

/// <summary>The factor Okta enrolled. Activation secrets are not kept here: they go to the requester once and are dropped.</summary>
public sealed record EnrollmentResult(string FactorId, string FactorStatus);
