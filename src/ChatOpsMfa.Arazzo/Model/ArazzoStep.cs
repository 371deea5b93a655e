namespace ChatOpsMfa.Arazzo;

public sealed record ArazzoStep(
    string StepId,
    string? OperationId,
    string? OperationPath,
    string? WorkflowId,
    IReadOnlyList<ArazzoParameter> Parameters,
    ArazzoRequestBody? RequestBody,
    IReadOnlyList<ArazzoCriterion> SuccessCriteria,
    IReadOnlyList<ArazzoAction> OnSuccess,
    IReadOnlyList<ArazzoAction> OnFailure,
    IReadOnlyDictionary<string, string> Outputs,
    string Pointer);
