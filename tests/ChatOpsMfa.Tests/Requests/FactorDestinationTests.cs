using ChatOpsMfa.Okta;
using ChatOpsMfa.Requests;

namespace ChatOpsMfa.Tests.Requests;

/// <summary>Where SMS, voice and email codes go: the target's Okta profile on someone's behalf, the typed value for oneself.</summary>
public class FactorDestinationTests
{
    private static readonly FactorRequest Sms = new("sms", "OKTA", "SMS text message");
    private static readonly FactorRequest Email = new("email", "OKTA", "Email");

    private static OktaUserProfile Profile(string? mobile = null, string? primary = null, string? email = "alice@example.com") =>
        new("00u1alice", "ACTIVE", "alice@example.com", email, "Alice", "Example", null, null, null, null, mobile, primary);

    [Fact]
    public void On_behalf_a_typed_number_is_refused_whatever_the_profile_says()
    {
        var (factor, refusal) = FactorDestination.Settle(Sms with { PhoneNumber = "+15555550199" }, Profile(mobile: "+14155550101"), onBehalf: true);

        Assert.Null(factor);
        Assert.Contains("never used", refusal);
    }

    [Theory]
    [InlineData("+14155550101", null, "+14155550101", "mobilePhone")]
    [InlineData("+1 (415) 555-0101", "+14155550102", "+14155550101", "mobilePhone")]
    [InlineData("555-415-1337", "+1 415 555 0104", "+14155550104", "primaryPhone")]
    [InlineData(null, "+44 20 7946 0958", "+442079460958", "primaryPhone")]
    public void On_behalf_the_number_is_the_first_international_one_in_the_profile(string? mobile, string? primary, string expected, string field)
    {
        var (factor, refusal) = FactorDestination.Settle(Sms, Profile(mobile, primary), onBehalf: true);

        Assert.Null(refusal);
        Assert.Equal(expected, factor!.PhoneNumber);
        Assert.Equal($"the {field} in Alice Example's Okta profile", factor.DestinationSource);
    }

    [Fact]
    public void On_behalf_without_an_international_phone_in_the_profile_nothing_is_requested()
    {
        var (factor, refusal) = FactorDestination.Settle(Sms, Profile(mobile: "555-415-1337"), onBehalf: true);

        Assert.Null(factor);
        Assert.Contains("no mobile or primary phone", refusal);
    }

    [Fact]
    public void On_behalf_email_goes_to_the_profile_email()
    {
        var (factor, _) = FactorDestination.Settle(Email, Profile(), onBehalf: true);
        Assert.Equal("alice@example.com", factor!.Email);

        var (typed, refusal) = FactorDestination.Settle(Email with { Email = "bob@example.com" }, Profile(), onBehalf: true);
        Assert.Null(typed);
        Assert.NotNull(refusal);
    }

    [Fact]
    public void For_oneself_the_typed_number_is_used_and_approvers_learn_whether_Okta_knows_it()
    {
        var (known, _) = FactorDestination.Settle(Sms with { PhoneNumber = "+14155550101" }, Profile(mobile: "+1 415 555 0101"), onBehalf: false);
        var (unknown, _) = FactorDestination.Settle(Sms with { PhoneNumber = "+14155550177" }, Profile(mobile: "+14155550101"), onBehalf: false);

        Assert.Equal("+14155550101", known!.PhoneNumber);
        Assert.Equal("typed by the requester; matches the mobilePhone in their Okta profile", known.DestinationSource);
        Assert.Equal("+14155550177", unknown!.PhoneNumber);
        Assert.Equal("typed by the requester; not a phone in their Okta profile", unknown.DestinationSource);
    }

    [Fact]
    public void A_factor_that_sends_no_codes_carries_no_destination()
    {
        var (factor, _) = FactorDestination.Settle(new FactorRequest("push", "OKTA", "Okta Verify", PhoneNumber: "+14155550101"), Profile(), onBehalf: false);

        Assert.Null(factor!.PhoneNumber);
        Assert.Null(FactorDestination.Masked(factor));
    }

    [Fact]
    public void A_factor_request_never_prints_its_phone_number_or_email()
    {
        var text = (Sms with { PhoneNumber = "+14155550101", Email = "alice@example.com" }).ToString();

        Assert.DoesNotContain("4155550101", text);
        Assert.DoesNotContain("alice@", text);
    }
}
