namespace ChatOpsMfa.Cards;

/// <summary>
/// A button on a card. Which buttons appear is decided by the request's state machine, not the template.
/// <paramref name="Style"/> is "default", "positive" or "destructive" (Slack: plain, primary, danger).
/// </summary>
public sealed record CardAction(string Verb, string Title, string Style = CardAction.DefaultStyle)
{
    public const string DefaultStyle = "default";
    public const string PositiveStyle = "positive";
    public const string DestructiveStyle = "destructive";

    public static CardAction Approve { get; } = new(CardVerbs.Approve, "Approve", PositiveStyle);

    public static CardAction Deny { get; } = new(CardVerbs.Deny, "Deny", DestructiveStyle);

    public static CardAction Cancel { get; } = new(CardVerbs.Cancel, "Cancel request");

    public static CardAction Retry { get; } = new(CardVerbs.Retry, "Try again");
}
