namespace ChatOpsMfa.Arazzo;

/// <summary>
/// A parsed runtime expression such as <c>$steps.enroll.outputs.factorId#/id</c>: the root, the
/// dot-separated segments after it, and an optional JSON pointer after '#'.
/// </summary>
internal sealed record RuntimeExpression(string Text, ExpressionRoot Root, IReadOnlyList<string> Segments, string? JsonPointer)
{
    public override string ToString() => Text;
}
