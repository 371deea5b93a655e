namespace ChatOpsMfa.Requests;

/// <summary>
/// What the user needs to finish setting up the new factor. Secret: it goes to the requester once and is never
/// stored, logged or audited.
/// </summary>
public sealed record EnrollmentActivation(string? SharedSecret, Uri? QrCodeUrl)
{
    public static EnrollmentActivation None { get; } = new(null, null);

    // Records print every property; keep the secret out of any log line or exception text.
    public override string ToString() => $"EnrollmentActivation {{ HasSharedSecret = {SharedSecret is not null}, HasQrCode = {QrCodeUrl is not null} }}";
}
