namespace ChatOpsMfa.Arazzo;

/// <summary>Announces a request about to be sent; <see cref="Attempt"/> counts from 1 for each step.</summary>
public sealed record StepAttempt(string StepId, string OperationId, string Method, int Attempt);
