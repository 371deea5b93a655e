namespace ChatOpsMfa.Arazzo;

public enum ArazzoSeverity
{
    Error,
    Warning,
}
