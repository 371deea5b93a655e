namespace ChatOpsMfa.Cards;

/// <summary>The input ids on the activation card (and Slack's code modal): the keys of the submitted values.</summary>
public static class ActivationInputs
{
    /// <summary>The code from the authenticator app, or the SMS, call or email Okta sent. Never logged or audited.</summary>
    public const string PassCode = "passCode";
}
