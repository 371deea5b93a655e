namespace ChatOpsMfa.Cards;

/// <summary>One of Okta's security questions: its key (e.g. "disliked_food") and the text shown.</summary>
public sealed record SecurityQuestionChoice(string Key, string Text);
