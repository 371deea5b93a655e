namespace ChatOpsMfa.Cards;

/// <summary>One line of a request's history: who did what, when ("Approved", "Denied", "Cancelled").</summary>
public sealed record DecisionEntry(string Actor, string Decision, DateTimeOffset At);
