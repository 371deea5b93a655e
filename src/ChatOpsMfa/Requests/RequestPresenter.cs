using System.Globalization;
using ChatOpsMfa.Cards;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Says what a request looks like to people: its cards and the lines in its thread. Pure: no I/O, so every
/// platform shows the same words, and the buttons are exactly what the machine permits.
/// </summary>
public static class RequestPresenter
{
    public static string Reference(ResetRequest request) =>
        string.Create(CultureInfo.InvariantCulture, $"MFA-{request.Number:D4}");

    public static FactorKind FactorKind(ResetRequest request) =>
        FactorCatalog.Find(request.Factor.FactorType, request.Factor.Provider)
        ?? new FactorKind(request.Factor.FactorType, request.Factor.Provider, request.Factor.Label, FactorProfileNeed.None);

    public static ChatMessage ApprovalMessage(ResetRequest request)
    {
        var actions = new List<CardAction>();
        if (request.Permits(RequestTrigger.Approve, Actor.AnyOtherApprover))
        {
            actions.Add(CardAction.Approve);
        }

        if (request.Permits(RequestTrigger.Deny, Actor.AnyOtherApprover))
        {
            actions.Add(CardAction.Deny);
        }

        if (request.Permits(RequestTrigger.Retry, Actor.AnyOtherApprover))
        {
            actions.Add(CardAction.Retry);
        }

        var card = new ApprovalCardData(
            request.Id,
            Reference(request),
            request.Requester,
            request.Target.Login,
            request.Target.DisplayName,
            FactorKind(request),
            request.CreatedAt,
            StatusText(request),
            request.Decisions.Select(d => new DecisionEntry(d.By.Name, DecisionText(d.Action), d.At)).ToList(),
            actions,
            request.Factor.PhoneNumber,
            request.Factor.Email,
            request.FailureMessage);
        return new ChatMessage(
            $"{Reference(request)}: {request.Requester.Name} asks to reset MFA for {request.Target.Login} ({FactorKind(request).Label}). {StatusText(request)}",
            card.ToCardContent());
    }

    public static ChatMessage StatusMessage(ResetRequest request)
    {
        var actions = request.Permits(RequestTrigger.Cancel, new Actor(request.Requester, false))
            ? new[] { CardAction.Cancel }
            : [];
        var card = new StatusCardData(
            request.Id, Reference(request), FactorKind(request), StatusText(request), NextStep(request), actions, request.UpdatedAt);
        return new ChatMessage($"{Reference(request)}: {StatusText(request)}", card.ToCardContent());
    }

    /// <summary>The private result for the requester. It may carry the activation secret: it goes nowhere else.</summary>
    public static ChatMessage ResultMessage(ResetRequest request, EnrollmentActivation activation)
    {
        var result = request.Result ?? throw new InvalidOperationException("A result message needs a completed request.");
        var kind = FactorKind(request);
        var card = new ResultCardData(
            Reference(request),
            kind,
            result.FactorId,
            result.FactorStatus,
            ActivationInstructions.For(kind, result.FactorStatus),
            activation.SharedSecret,
            activation.QrCodeUrl);
        return new ChatMessage(
            $"{Reference(request)} is done: {kind.Label} was enrolled (factor {result.FactorId}, status {result.FactorStatus}).",
            card.ToCardContent());
    }

    /// <summary>The line posted in the approval thread for a transition. Never carries a secret or a full phone number.</summary>
    public static string ThreadLine(ResetRequest request, RequestTransition transition) => transition.Trigger switch
    {
        RequestTrigger.Approve when transition.To == RequestState.AwaitingApproval =>
            $"Approved by {transition.By.User.Name}. {request.ApprovalsRemaining} more approval(s) needed.",
        RequestTrigger.Approve => $"Approved by {transition.By.User.Name}.",
        RequestTrigger.Deny => $"Denied by {transition.By.User.Name}.",
        RequestTrigger.Cancel => $"Cancelled by the requester, {transition.By.User.Name}.",
        RequestTrigger.Expire => "Expired: nobody decided in time.",
        RequestTrigger.Retry => $"{transition.By.User.Name} asked to try again.",
        RequestTrigger.StartReset => $"Resetting all factors of {request.Target.Login} in Okta.",
        RequestTrigger.ResetSucceeded => $"Factors reset. Enrolling {request.Factor.Label}.",
        RequestTrigger.ResetFailed => $"The reset failed: {transition.Detail}",
        RequestTrigger.EnrollSucceeded => request.Result is { } result
            ? $"Enrolled {request.Factor.Label}: factor {result.FactorId}, status {result.FactorStatus}. Activation details went privately to {request.Requester.Name}."
            : $"Enrolled {request.Factor.Label}.",
        RequestTrigger.EnrollFailed => $"The factors were reset, but enrolling {request.Factor.Label} failed: {transition.Detail}",
        _ => transition.Trigger.ToString(),
    };

    public static string StatusText(ResetRequest request) => request.State switch
    {
        RequestState.AwaitingApproval when request.Approvals.Any() =>
            $"Waiting for {request.ApprovalsRemaining} more approval(s).",
        RequestState.AwaitingApproval => "Waiting for approval by the help desk.",
        RequestState.Approved => $"Approved by {LastBy(request, RequestTrigger.Approve)}. Starting the reset.",
        RequestState.ResettingFactors => $"Approved by {LastBy(request, RequestTrigger.Approve)}. Resetting factors in Okta.",
        RequestState.EnrollingFactor => $"Factors reset. Enrolling {request.Factor.Label}.",
        RequestState.Completed => $"Completed: {request.Factor.Label} enrolled (factor {request.Result?.FactorId}, {request.Result?.FactorStatus}).",
        RequestState.EnrollFailed => $"Factors were reset, but enrolling {request.Factor.Label} failed: {request.FailureMessage}",
        RequestState.Failed => $"The reset failed: {request.FailureMessage}",
        RequestState.Denied => $"Denied by {LastBy(request, RequestTrigger.Deny)}.",
        RequestState.Cancelled => "Cancelled by the requester.",
        RequestState.Expired => "Expired: nobody decided in time.",
        _ => request.State.ToString(),
    };

    private static string? NextStep(ResetRequest request) => request.State switch
    {
        RequestState.AwaitingApproval => "Someone from the help desk will check the request. You'll see the outcome here.",
        RequestState.Approved or RequestState.ResettingFactors or RequestState.EnrollingFactor =>
            "Nothing to do yet. Your setup details will appear here in a moment.",
        RequestState.Completed => "Your setup details are in the next message. Only you can see them.",
        RequestState.EnrollFailed or RequestState.Failed => "The help desk has been told and can try again.",
        RequestState.Denied => "If you think this is a mistake, call the help desk.",
        RequestState.Expired => "You can ask again with /mfa-reset.",
        _ => null,
    };

    private static string DecisionText(RequestTrigger action) => action switch
    {
        RequestTrigger.Approve => "Approved",
        RequestTrigger.Deny => "Denied",
        RequestTrigger.Cancel => "Cancelled",
        RequestTrigger.Retry => "Retried",
        _ => action.ToString(),
    };

    private static string LastBy(ResetRequest request, RequestTrigger action) =>
        request.Decisions.LastOrDefault(d => d.Action == action)?.By.Name ?? "the help desk";
}
