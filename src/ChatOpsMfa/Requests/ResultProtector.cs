using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Encrypts activation data (a TOTP key, a QR link) for the few moments it waits in the outbox, so the database
/// never holds a usable secret; the row is deleted once the requester has it.
/// </summary>
public sealed partial class ResultProtector(IDataProtectionProvider protection, ILogger<ResultProtector> logger)
{
    private readonly IDataProtector _protector = protection.CreateProtector("ChatOpsMfa.Outbox.Result.v1");

    public string Protect(EnrollmentActivation activation) =>
        _protector.Protect(JsonSerializer.Serialize(new Payload(activation.SharedSecret, activation.QrCodeUrl?.AbsoluteUri)));

    /// <summary>The activation data, or none when the key that protected it is gone (the requester then finishes in Okta).</summary>
    public EnrollmentActivation Unprotect(string? protectedPayload)
    {
        if (protectedPayload is null)
        {
            return EnrollmentActivation.None;
        }

        try
        {
            var payload = JsonSerializer.Deserialize<Payload>(_protector.Unprotect(protectedPayload));
            return payload is null
                ? EnrollmentActivation.None
                : new EnrollmentActivation(payload.SharedSecret, Uri.TryCreate(payload.QrCodeUrl, UriKind.Absolute, out var qr) ? qr : null);
        }
        catch (CryptographicException)
        {
            LogUnreadable();
            return EnrollmentActivation.None;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Activation data waiting in the outbox could not be decrypted (data-protection keys changed); the result is sent without it")]
    private partial void LogUnreadable();

    private sealed record Payload(string? SharedSecret, string? QrCodeUrl);
}
