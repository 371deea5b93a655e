using System.Text;

namespace ChatOpsMfa.Requests;

/// <summary>The factor to enrol after the reset, with what Okta needs to send the first challenge.</summary>
/// <param name="PhoneNumber">Where SMS or voice codes go (E.164); protected at rest, forgotten when the request ends.</param>
/// <param name="Email">Where email codes go; protected at rest, forgotten when the request ends.</param>
public sealed record FactorRequest(string FactorType, string Provider, string Label, string? PhoneNumber = null, string? Email = null)
{
    /// <summary>
    /// Where the phone number or email came from, for approvers ("the mobilePhone in Alice's Okta profile", "typed by
    /// the requester; …"). Never the value itself.
    /// </summary>
    public string? DestinationSource { get; init; }

    // Records print every property; the phone number and email never reach a log line or an exception text.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"FactorType = {FactorType}, Provider = {Provider}, Label = {Label}, HasDestination = {PhoneNumber is not null || Email is not null}");
        return true;
    }
}
