using System.Text;
using System.Text.Json.Nodes;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Cards;

/// <summary>
/// The key card for the person whose factor it is, and only for them: it can hold the TOTP shared secret and a QR
/// picture. It is replaced once the activation ends.
/// </summary>
/// <param name="FactorStatus">Okta's status, e.g. "PENDING_ACTIVATION" or "ACTIVE".</param>
/// <param name="Instructions">How to finish; <see cref="ActivationInstructions.For"/> writes a default.</param>
/// <param name="SharedSecret">The TOTP key from Okta's activation, when there is one. A secret: never log it.</param>
/// <param name="QrImage">The QR picture to scan (the TOTP key, or Okta Verify's activation), embedded in the card as a data URI.</param>
public sealed record ResultCardData(
    string RequestNumber,
    FactorKind Factor,
    string FactorId,
    string FactorStatus,
    string Instructions,
    string? SharedSecret = null,
    ChatImage? QrImage = null)
{
    public const string TemplateName = "result";

    public CardContent ToCardContent()
    {
        var data = new JsonObject
        {
            ["requestNumber"] = RequestNumber,
            ["factor"] = CardDataFields.Factor(Factor),
            ["factorId"] = FactorId,
            ["factorStatus"] = FactorStatus,
            ["factorStatusText"] = DescribeStatus(FactorStatus),
            ["instructions"] = Instructions,
        };
        data.SetIfPresent("sharedSecret", SharedSecret);
        if (QrImage is { } qr)
        {
            data["qrImage"] = qr.DataUri;
            data["qrImageAlt"] = qr.AltText;
        }

        return new CardContent(TemplateName, data);
    }

    private static string DescribeStatus(string status) => status.ToUpperInvariant() switch
    {
        "ACTIVE" => "Active",
        "PENDING_ACTIVATION" => "Waiting for you to finish setup",
        _ => status,
    };

    // Records print every property; the shared secret and QR link must never reach a log line.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"RequestNumber = {RequestNumber}, Factor = {Factor.FactorType}/{Factor.Provider}, ");
        builder.Append($"FactorId = {FactorId}, FactorStatus = {FactorStatus}, ");
        builder.Append($"HasSharedSecret = {SharedSecret is not null}, HasQrCode = {QrImage is not null}");
        return true;
    }
}
