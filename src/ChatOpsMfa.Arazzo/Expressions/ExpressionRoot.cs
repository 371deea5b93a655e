namespace ChatOpsMfa.Arazzo;

internal enum ExpressionRoot
{
    Url,
    Method,
    StatusCode,
    Request,
    Response,
    Inputs,
    Outputs,
    Steps,
    Workflows,
    SourceDescriptions,
    Components,
}
