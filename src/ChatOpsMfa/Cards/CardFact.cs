namespace ChatOpsMfa.Cards;

/// <summary>One labelled value on a card ("Title: Accountant").</summary>
public sealed record CardFact(string Title, string Value);
