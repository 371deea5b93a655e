namespace ChatOpsMfa.Arazzo;

internal enum ConditionTokenKind
{
    Literal,
    Expression,
    Operator,
    OpenParen,
    CloseParen,
    End,
}
