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
}
