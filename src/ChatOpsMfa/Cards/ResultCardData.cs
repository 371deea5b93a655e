using System.Text;
using System.Text.Json.Nodes;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Cards;

/// <summary>
/// The outcome for the requester, and only for them: it can hold the TOTP shared secret and QR link.
/// </summary>
/// <param name="FactorStatus">Okta's status, e.g. "PENDING_ACTIVATION" or "ACTIVE".</param>
/// <param name="Instructions">How to finish; <see cref="ActivationInstructions.For"/> writes a default.</param>
/// <param name="SharedSecret">The TOTP key from Okta's activation, when there is one. A secret: never log it.</param>
/// <param name="QrCodeUrl">Okta's QR code link, when there is one.</param>
public sealed record ResultCardData(
    string RequestNumber,
    FactorKind Factor,
    string FactorId,
    string FactorStatus,
    string Instructions,
    string? SharedSecret = null,
    Uri? QrCodeUrl = null)
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
        if (QrCodeUrl is { IsAbsoluteUri: true } qr && qr.Scheme == Uri.UriSchemeHttps)
        {
            data["qrCodeUrl"] = qr.AbsoluteUri;
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
        builder.Append($"HasSharedSecret = {SharedSecret is not null}, HasQrCode = {QrCodeUrl is not null}");
        return true;
    }
}
