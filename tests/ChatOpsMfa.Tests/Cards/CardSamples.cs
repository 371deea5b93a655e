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

    public static ResultCardData TotpResult(string? secret = "JBSWY3DPEHPK3PXP", ChatImage? qr = null) => new(
        RequestNumber: "MFA-0042",
        Factor: GoogleTotp,
        FactorId: "uftm3iHSGFqXsngEm0g4",
        FactorStatus: "PENDING_ACTIVATION",
        Instructions: ActivationInstructions.For(GoogleTotp, "PENDING_ACTIVATION"),
        SharedSecret: secret,
        QrImage: qr ?? QrCodeImage.Render(QrCodeImage.TotpUri("example.okta.com", "alice@example.com", secret ?? "JBSWY3DPEHPK3PXP"), "QR code", "setup.png"));

    public static SecurityQuestionChoice Question { get; } = new("disliked_food", "What is the food you least liked as a child?");

    /// <summary>
    /// Data for every template in cards/, chosen so each $when and $data goes both ways at least once: with and
    /// without buttons, history, optional fields, and with hostile user text.
    /// </summary>
    public static IReadOnlyDictionary<string, CardContent> TemplateCases { get; } = new Dictionary<string, CardContent>
    {
        ["approval, waiting with buttons"] = Approval().ToCardContent(),
        ["approval, decided without buttons"] = Approval(
            actions: [],
            history: [new DecisionEntry("Ada Lovelace", "Approved", Created.AddMinutes(4)), new DecisionEntry("Alan Turing", "Approved", Created.AddMinutes(9))]).ToCardContent(),
        ["approval, everything shown"] = (Approval(actions: [CardAction.Retry]) with
        {
            Factor = Email,
            Email = "grace@example.com",
            TargetFacts = [new CardFact("Title", "Rear Admiral"), new CardFact("Factors", "sms, push")],
            ApprovalNote = "Needs 2 approvals; 1 more to go.",
            Problem = "Okta refused: the factor is already enrolled.",
            History = [new DecisionEntry("Ada Lovelace", "Approved", Created.AddMinutes(4))],
        }).ToCardContent(),
        ["approval, nothing optional"] = (Approval() with { Factor = GoogleTotp, PhoneNumber = null, Reason = null }).ToCardContent(),
        ["approval, hostile text"] = (Approval(history: [new DecisionEntry(Hostile, Hostile, Created)]) with
        {
            Requester = new ChatUser("29:x", Hostile, "x@example.com"),
            TargetDisplayName = Hostile,
            Reason = Hostile,
            TargetFacts = [new CardFact(Hostile, Hostile)],
            Problem = Hostile,
        }).ToCardContent(),
        ["request-form, every factor"] = RequestFormCard.Create(FactorCatalog.All, error: "That number is not in international format.", securityQuestions: [Question]),
        ["request-form, app only"] = RequestFormCard.Create([GoogleTotp]),
        ["request-form, on behalf"] = OnBehalfForm(),
        ["status, waiting"] = Status().ToCardContent(),
        ["status, titled, no buttons"] = (Status(actions: []) with { Title = "A reset was requested for you", NextStep = null, UpdatedAt = null }).ToCardContent(),
        ["status, hostile next step"] = (Status(actions: [CardAction.Object, CardAction.Retry]) with { NextStep = Hostile, StatusText = Hostile }).ToCardContent(),
        ["result, totp with key and qr"] = TotpResult().ToCardContent(),
        ["result, active, nothing to copy"] = new ResultCardData("MFA-0042", Sms, "mbl1", "ACTIVE", ActivationInstructions.For(Sms, "ACTIVE")).ToCardContent(),
        ["activation, code with a resend"] = new ActivationCardData("r1", "MFA-0042", Sms, "Finish setting up SMS", "Enter the code to finish.",
            "Okta texted a code to +1 *** *** 4567.", true, 4, [CardAction.ResendCode], Created.AddMinutes(30)).ToCardContent(),
        ["activation, ended, hostile text"] = new ActivationCardData("r1", "MFA-0042", GoogleTotp, Hostile, Hostile, null, false, 0, []).ToCardContent(),
    };

    private static CardContent OnBehalfForm()
    {
        var form = RequestFormCard.Create([Sms, GoogleTotp]);
        form.Data["onBehalfOf"] = new System.Text.Json.Nodes.JsonObject { ["draft"] = "draft-123", ["name"] = Hostile };
        return form;
    }
}
