namespace ChatOpsMfa.Cards;

/// <summary>
/// A button on a card. Which buttons appear is decided by the request's state machine, not the template.
/// <see cref="Style"/> is "default", "positive" or "destructive" (Slack: plain, primary, danger).
/// </summary>
public sealed record CardAction
{
    public const string DefaultStyle = "default";
    public const string PositiveStyle = "positive";
    public const string DestructiveStyle = "destructive";

    public CardAction(string verb, string title, string style = DefaultStyle)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(verb);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        // An unknown style would make every platform's card invalid; refuse it where it is written.
        if (style is not (DefaultStyle or PositiveStyle or DestructiveStyle))
        {
            throw new ArgumentException($"'{style}' is not a button style.", nameof(style));
        }

        Verb = verb;
        Title = title;
        Style = style;
    }

    public static CardAction Approve { get; } = new(CardVerbs.Approve, "Approve", PositiveStyle);

    public static CardAction Deny { get; } = new(CardVerbs.Deny, "Deny", DestructiveStyle);

    public static CardAction Cancel { get; } = new(CardVerbs.Cancel, "Cancel request");

    public static CardAction Retry { get; } = new(CardVerbs.Retry, "Try again");

    public static CardAction Object { get; } = new(CardVerbs.Object, "I did not ask for this", DestructiveStyle);

    public static CardAction ConfirmManager { get; } = new(CardVerbs.ConfirmManager, "Confirm, I checked it is them", PositiveStyle);

    public static CardAction ReportManager { get; } = new(CardVerbs.ReportManager, "Report: I could not confirm", DestructiveStyle);

    public static CardAction ResendCode { get; } = new(CardVerbs.ResendCode, "Send a new code");

    public static CardAction SendActivationLink { get; } = new(CardVerbs.SendActivationLink, "Email me the setup link");

    public static CardAction TextActivationLink { get; } = new(CardVerbs.TextActivationLink, "Text me the setup link");

    /// <summary>Slack only: opens the modal where the code is typed.</summary>
    public static CardAction EnterCode { get; } = new(CardVerbs.EnterCode, "Enter the code", PositiveStyle);

    public string Verb { get; }

    public string Title { get; }

    public string Style { get; }
}
