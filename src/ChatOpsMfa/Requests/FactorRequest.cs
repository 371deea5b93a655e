namespace ChatOpsMfa.Requests;

/// <summary>The factor to enrol after the reset, with what Okta needs to send the first challenge.</summary>
public sealed record FactorRequest(string FactorType, string Provider, string Label, string? PhoneNumber = null, string? Email = null);
