namespace ChatOpsMfa.Requests;

/// <summary>One transition the machine made, waiting to be written to the audit trail with the request.</summary>
public sealed record RequestTransition(
    RequestTrigger Trigger, RequestState From, RequestState To, Actor By, DateTimeOffset At, string? Detail);
