namespace ChatOpsMfa.Cards;

/// <summary>The <c>verb</c> a button puts in its data; the inbound handler dispatches on it.</summary>
public static class CardVerbs
{
    public const string SubmitRequest = "submitRequest";
    public const string Approve = "approve";
    public const string Deny = "deny";
    public const string Cancel = "cancel";
    public const string Retry = "retry";
    public const string Object = "object";

    /// <summary>The target's manager confirms it really is the target asking.</summary>
    public const string ConfirmManager = "confirmManager";

    /// <summary>The target's manager reports the request: it is cancelled and the support thread alerted.</summary>
    public const string ReportManager = "reportManager";

    /// <summary>The person whose factor it is sends the code from their app, SMS, call or email (input <c>passCode</c>).</summary>
    public const string Activate = "activate";

    /// <summary>Ask Okta to send a new SMS, call or email code.</summary>
    public const string ResendCode = "resendCode";

    /// <summary>Okta Verify push: ask Okta to email its own activation link, for a person who cannot scan the QR code.</summary>
    public const string SendActivationLink = "sendActivationLink";

    /// <summary>Okta Verify push: ask Okta to text its activation link to the phone in the person's Okta profile.</summary>
    public const string TextActivationLink = "textActivationLink";

    /// <summary>Slack only: opens the modal where the code is typed (a Slack message has no text input of its own).</summary>
    public const string EnterCode = "enterCode";
}
