namespace ChatOpsMfa.Okta;

/// <summary>One enrolled factor as <c>listFactors</c> returns it (no secrets).</summary>
public sealed record OktaUserFactor(string Id, string FactorType, string Provider, string Status);
