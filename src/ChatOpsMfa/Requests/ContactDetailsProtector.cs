using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Encrypts the phone number or email a new factor is enrolled with while its request waits in the database, as the
/// outbox does with activation data (<see cref="ResultProtector"/>): a copy of the database file does not hold it.
/// Its own purpose string, so a protected contact can never be read as anything else, or the other way round.
/// </summary>
public sealed partial class ContactDetailsProtector(IDataProtectionProvider protection, ILogger<ContactDetailsProtector> logger)
{
    private readonly IDataProtector _protector = protection.CreateProtector("ChatOpsMfa.Requests.ContactDetails.v1");

    public string Protect(string? phoneNumber, string? email) =>
        _protector.Protect(JsonSerializer.Serialize(new Payload(phoneNumber, email)));

    /// <summary>The phone number and email, or neither when the key that protected them is gone (the enrol then fails with Okta's reason).</summary>
    public (string? PhoneNumber, string? Email) Unprotect(string protectedPayload)
    {
        try
        {
            var payload = JsonSerializer.Deserialize<Payload>(_protector.Unprotect(protectedPayload));
            return (payload?.PhoneNumber, payload?.Email);
        }
        catch (CryptographicException)
        {
            LogUnreadable();
            return (null, null);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A request's contact details could not be decrypted (data-protection keys changed); it is kept without them")]
    private partial void LogUnreadable();

    private sealed record Payload(string? PhoneNumber, string? Email);
}
