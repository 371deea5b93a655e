namespace ChatOpsMfa.Arazzo;

public enum WorkflowFailureKind
{
    UnknownWorkflow,
    InvalidInputs,
    StepFailed,
    Transport,
    InvalidDocument,
}
