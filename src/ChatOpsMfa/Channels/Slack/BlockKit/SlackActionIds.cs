namespace ChatOpsMfa.Channels.Slack.BlockKit;

/// <summary>The ids the bot puts on what it renders, so inbound payloads can be mapped back without guessing.</summary>
public static class SlackActionIds
{
    /// <summary>The button in a message that opens the request modal (Slack cannot show the form's inputs in a message reliably).</summary>
    public const string OpenRequestForm = "openRequestForm";

    /// <summary>The modal's callback id.</summary>
    public const string RequestModal = "mfa-reset-request";

    /// <summary>The activation code modal's callback id (opened by the <c>enterCode</c> button).</summary>
    public const string ActivationCodeModal = "mfa_activation_code";

    public const string FactorTypeBlock = "factorType";
    public const string ProviderBlock = "provider";
    public const string PhoneBlock = "phoneNumber";
    public const string EmailBlock = "email";

    /// <summary>Every input block holds one element with this action id.</summary>
    public const string InputAction = "value";

    public const string ActionsBlock = "request-actions";
}
