namespace ChatOpsMfa.Arazzo;

/// <summary>Raised inside the condition lexer/parser only; <see cref="ConditionParser.TryParse"/> turns it into an error.</summary>
internal sealed class ConditionSyntaxException(string message) : Exception(message);
