using ChatOpsMfa.Audit;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Tests.Audit;

public class AuditApiKeyVerifierTests
{
    private static AuditApiKeyVerifier Verifier(params string[] keys) =>
        new(Options.Create(new AuditExportOptions { ApiKeys = [.. keys] }));

    [Fact]
    public void The_matching_key_is_reported_by_its_number_not_its_value()
    {
        var verifier = Verifier(AuditHost.Key, AuditHost.OtherKey);

        Assert.Equal(new AuditKeyCheck(AuditKeyOutcome.Accepted, 1), verifier.Check("Bearer " + AuditHost.Key));
        Assert.Equal(new AuditKeyCheck(AuditKeyOutcome.Accepted, 2), verifier.Check("Bearer " + AuditHost.OtherKey));
    }

    [Fact]
    public void Without_keys_nothing_is_accepted_not_even_an_empty_bearer()
    {
        var verifier = Verifier();

        Assert.False(verifier.Enabled);
        Assert.Equal(AuditKeyOutcome.ExportDisabled, verifier.Check("Bearer ").Outcome);
        Assert.Equal(AuditKeyOutcome.ExportDisabled, verifier.Check("Bearer " + AuditHost.Key).Outcome);
    }

    [Theory]
    [InlineData("Bearer nope-nope-nope-nope", AuditKeyOutcome.UnknownKey)]
    [InlineData("Bearer   ", AuditKeyOutcome.NoBearerKey)]
    [InlineData("Basic abc", AuditKeyOutcome.NoBearerKey)]
    [InlineData(" Bearer x", AuditKeyOutcome.NoBearerKey)]
    [InlineData("", AuditKeyOutcome.NoBearerKey)]
    public void Other_credentials_are_refused_with_a_reason(string authorization, AuditKeyOutcome outcome)
    {
        Assert.Equal(outcome, Verifier(AuditHost.Key).Check(authorization).Outcome);
    }

    [Fact]
    public void No_header_is_refused()
    {
        Assert.Equal(AuditKeyOutcome.NoBearerKey, Verifier(AuditHost.Key).Check(default).Outcome);
    }
}
