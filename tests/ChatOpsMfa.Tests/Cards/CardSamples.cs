using ChatOpsMfa.Cards;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Tests.Cards;

/// <summary>Representative and awkward card data, shared by the card tests.</summary>
internal static class CardSamples
{
    public const string Hostile = "${secret} \"quoted\" </script><script>alert(1)</script> ${$root.requestId} \\ }]";

    public static readonly DateTimeOffset Created = new(2025, 3, 14, 9, 26, 53, TimeSpan.FromHours(1));

    public static FactorKind Sms => FactorCatalog.Find("sms", "OKTA")!;

    public static FactorKind GoogleTotp => FactorCatalog.Find("token:software:totp", "GOOGLE")!;

    public static FactorKind Email => FactorCatalog.Find("email", "OKTA")!;

    public static ApprovalCardData Approval(
        IReadOnlyList<CardAction>? actions = null,
        IReadOnlyList<DecisionEntry>? history = null) => new(
        RequestId: "req-7f3a",
        RequestNumber: "MFA-0042",
        Requester: new ChatUser("29:requester", "Grace Hopper", "grace@example.com"),
        TargetLogin: "grace@example.com",
        TargetDisplayName: "Grace Hopper",
        Factor: Sms,
        CreatedAt: Created,
        StatusText: "Waiting for approval",
        History: history ?? [],
        Actions: actions ?? [CardAction.Approve, CardAction.Deny],
        PhoneNumber: "+14155554567",
        Reason: "Phone fell in the harbour");

    public static StatusCardData Status(IReadOnlyList<CardAction>? actions = null) => new(
        RequestId: "req-7f3a",
        RequestNumber: "MFA-0042",
        Factor: Sms,
        StatusText: "Waiting for approval",
        NextStep: "Someone from support will review your request. You will get a message here when it is decided.",
        Actions: actions ?? [CardAction.Cancel],
        UpdatedAt: Created.AddMinutes(3));

    public static ResultCardData TotpResult(string? secret = "JBSWY3DPEHPK3PXP", Uri? qr = null) => new(
        RequestNumber: "MFA-0042",
        Factor: GoogleTotp,
        FactorId: "uftm3iHSGFqXsngEm0g4",
        FactorStatus: "PENDING_ACTIVATION",
        Instructions: ActivationInstructions.For(GoogleTotp, "PENDING_ACTIVATION"),
        SharedSecret: secret,
        QrCodeUrl: qr ?? new Uri("https://example.okta.com/api/v1/users/00u1/factors/uftm3/qr/20fEjR5qh1y2Dr4cVz4k"));
}
