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
            Reason: null,
            TargetFacts: TargetFacts(request),
            ApprovalNote: ApprovalNote(request),
            Problem: request.State is RequestState.Failed or RequestState.EnrollFailed or RequestState.ActivationFailed ? request.FailureMessage : null,
            DestinationSource: request.Factor.DestinationSource);
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

    /// <summary>What the target of a help-desk request is told, privately, with the button to object while it waits.</summary>
    public static ChatMessage TargetNoticeMessage(ResetRequest request)
    {
        var target = request.TargetChatUser ?? request.Requester;
        var actions = request.Permits(RequestTrigger.Object, new Actor(target, false)) ? new[] { CardAction.Object } : [];
        // The target sees where the codes would go (masked), so they can object to a phone or address that is not theirs.
        var destination = request.Factor.PhoneNumber is null && request.Factor.Email is null ? null
            : FactorDestination.Masked(request.Factor) is { } masked ? $", sending codes to {masked} (from your Okta profile)" : null;
        var status = request.State == RequestState.AwaitingApproval
            ? $"{request.Requester.Name} from the help desk asked to reset your Okta MFA and set up {request.Factor.Label}{destination}."
            : $"The reset {request.Requester.Name} asked for: {StatusText(request)}";
        var card = new StatusCardData(
            request.Id, Reference(request), FactorKind(request), status,
            actions.Length > 0 ? "If you did not ask for this, press the button: the request is cancelled and the help desk is told." : null,
            actions, request.UpdatedAt, Title: $"A reset of your MFA was requested ({Reference(request)})");
        return new ChatMessage($"{Reference(request)}: {status}", card.ToCardContent());
    }

    /// <summary>
    /// The private key card for the person whose factor it is: factor id, setup key, QR picture. It goes nowhere else
    /// and is replaced by <see cref="KeyRemovedMessage"/> once the activation ends.
    /// </summary>
    public static ChatMessage ResultMessage(ResetRequest request, EnrollmentActivation activation, ChatImage? qrImage = null)
    {
        var result = request.Result ?? throw new InvalidOperationException("A result message needs an enrolled factor.");
        var kind = FactorKind(request);
        var card = new ResultCardData(
            Reference(request),
            kind,
            result.FactorId,
            result.FactorStatus,
            ActivationInstructions.For(kind, result.FactorStatus),
            activation.SharedSecret,
            qrImage);
        return new ChatMessage(
            $"{Reference(request)}: {kind.Label} was enrolled (factor {result.FactorId}, status {result.FactorStatus}). Only you can see this.",
            card.ToCardContent(), qrImage);
    }

    /// <summary>What replaces the key card once the activation has ended: nothing of the key or QR code remains.</summary>
    public static ChatMessage KeyRemovedMessage(ResetRequest request)
    {
        var why = request.State == RequestState.Completed ? "after activation" : "because the activation ended";
        var kind = FactorKind(request);
        var card = new StatusCardData(request.Id, Reference(request), kind, $"Setup key removed {why}.",
            request.State == RequestState.Completed ? $"{kind.Label} is active." : null, [], request.UpdatedAt,
            Title: $"Setup details for {Reference(request)}");
        return new ChatMessage($"{Reference(request)}: setup key removed {why}.", card.ToCardContent());
    }

    /// <summary>
    /// The owner's activation card: type the code (attempts left, a new code or Okta Verify link while fewer than
    /// <paramref name="maxResends"/> were sent), or wait for the Okta Verify scan, and how it ended. Null while there is no enrolment to activate.
    /// </summary>
    public static ChatMessage? ActivationMessage(ResetRequest request, int maxResends)
    {
        if (request.Result is null || request.State is not (RequestState.AwaitingActivation or RequestState.RemovingFactor
                or RequestState.ActivationFailed or RequestState.Completed or RequestState.EnrollingFactor or RequestState.EnrollFailed))
        {
            return null;
        }

        var kind = FactorKind(request);
        var waiting = request.State == RequestState.AwaitingActivation;
        var isPush = kind.FactorType == "push";
        var acceptsCode = waiting && !isPush && request.CodeAttemptsLeft > 0;
        var actions = new List<CardAction>();
        if (acceptsCode && kind.FactorType is ("sms" or "call" or "email") && request.CodesResent < maxResends)
        {
            actions.Add(CardAction.ResendCode);
        }
        else if (waiting && isPush && request.CodesResent < maxResends)
        {
            actions.Add(CardAction.SendActivationLink);
            actions.Add(CardAction.TextActivationLink);
        }

        var (status, instructions) = request.State switch
        {
            RequestState.Completed => ($"Done: {kind.Label} is active. You can sign in with it now.", (string?)null),
            RequestState.AwaitingActivation when isPush =>
                ("Waiting for Okta Verify.", "Open Okta Verify on your new device, add an account and scan the QR code above. This card changes when Okta confirms it."),
            RequestState.AwaitingActivation => ("Enter the code to finish.", CodeInstructions(request, kind)),
            RequestState.RemovingFactor or RequestState.ActivationFailed =>
                ($"The setup did not finish: {request.ActivationEndedBecause}.", "The help desk has been told and can start it again for you."),
            _ => ("A new setup is on its way.", (string?)null),
        };
        var card = new ActivationCardData(request.Id, Reference(request), kind, $"Finish setting up {kind.Label}", status, instructions,
            acceptsCode, request.CodeAttemptsLeft, actions, waiting ? request.ActivationExpiresAt : null);
        return new ChatMessage($"{Reference(request)}: {status}", card.ToCardContent());
    }

    private static string CodeInstructions(ResetRequest request, FactorKind kind) => kind.FactorType switch
    {
        "token:software:totp" => "Type the 6-digit code your authenticator app shows for the new account.",
        "sms" => $"Okta texted a code to {FactorDestination.Masked(request.Factor)}. Type it here.",
        "call" => $"Okta is calling {FactorDestination.Masked(request.Factor)} with a code. Type it here.",
        "email" => $"Okta emailed a code to {FactorDestination.Masked(request.Factor)}. Type it here.",
        _ => "Type the code here.",
    };

    /// <summary>The line posted in the approval thread for a transition. Never carries a secret or a full phone number.</summary>
    public static string ThreadLine(ResetRequest request, RequestTransition transition) => transition.Trigger switch
    {
        RequestTrigger.Approve when transition.To == RequestState.AwaitingApproval =>
            $"Approved by {transition.By.User.Name}{How(transition)}. {StillNeeded(request)}",
        RequestTrigger.Approve => $"Approved by {transition.By.User.Name}{How(transition)}.",
        RequestTrigger.StepUpStarted =>
            $"{transition.By.User.Name} clicked {(transition.Detail?.EndsWith("retry", StringComparison.Ordinal) == true ? "Try again" : "Approve")}: waiting for {transition.By.User.Name}'s Okta Verify. It counts only once they accept the push on their own phone.",
        RequestTrigger.StepUpRejected => $"\u26a0\ufe0f Security event: {transition.Detail}.",
        RequestTrigger.StepUpFailed => $"Not counted: {transition.Detail}.",
        RequestTrigger.ConfirmManager when transition.To == RequestState.AwaitingApproval =>
            $"{transition.By.User.Name}, {request.Target.DisplayName}'s manager, confirmed it is them. {StillNeeded(request)}",
        RequestTrigger.ConfirmManager => $"{transition.By.User.Name}, {request.Target.DisplayName}'s manager, confirmed it is them. Approved.",
        RequestTrigger.ReportManager =>
            $"\u26a0\ufe0f Cancelled: {transition.By.User.Name}, {request.Target.DisplayName}'s manager, reported this request: they could not confirm it is {request.Target.DisplayName} asking. Treat it as a possible social-engineering attempt.",
        RequestTrigger.ManagerUnreachable => $"Blocked: {transition.Detail}. The request can be denied or cancelled, not approved.",
        RequestTrigger.SessionsRevoked => $"Every Okta session and OAuth token of {request.Target.Login} was revoked, so no session opened before the reset outlives it.",
        RequestTrigger.SessionRevocationFailed =>
            $"\u26a0\ufe0f Revoking {request.Target.Login}'s Okta sessions failed ({transition.Detail}). Revoke them in the Okta Admin Console (Clear user sessions).",
        RequestTrigger.Reminded => string.Create(CultureInfo.InvariantCulture,
            $"Reminder: {Reference(request)} has waited {(int)(transition.At - request.CreatedAt).TotalMinutes} min for a decision. It expires at {Format(request.ExpiresAt)} ({request.MinutesLeft(transition.At)} min left); nothing is ever approved automatically."),
        RequestTrigger.WatchAlert => $"\u26a0\ufe0f Security alert: {transition.Detail}. If this was not expected, suspend the account in Okta and investigate.",
        RequestTrigger.Deny => $"Denied by {transition.By.User.Name}.",
        RequestTrigger.Cancel => $"Cancelled by the requester, {transition.By.User.Name}.",
        RequestTrigger.Object => $"Cancelled: {transition.By.User.Name}, whose MFA it is, says they did not ask for this reset.",
        RequestTrigger.Expire => "Expired: nobody decided in time.",
        RequestTrigger.Retry => $"{transition.By.User.Name} asked to try again.",
        RequestTrigger.StartReset => $"Resetting all factors of {request.Target.Login} in Okta.",
        RequestTrigger.ResetSucceeded => $"Factors reset. Enrolling {request.Factor.Label}.",
        RequestTrigger.ResetFailed => $"The reset failed: {transition.Detail}",
        RequestTrigger.EnrollSucceeded => request.Result is { } result
            ? $"Enrolled {request.Factor.Label}: factor {result.FactorId}, status {result.FactorStatus}. Setup details went privately to {request.FactorOwner.Name}."
            : $"Enrolled {request.Factor.Label}.",
        RequestTrigger.CodeRejected => $"A wrong activation code was entered ({transition.Detail}).",
        RequestTrigger.Activated => $"Activated: {request.Factor.Label} (factor {request.Result?.FactorId}) is ACTIVE in Okta. The recovery is complete.",
        RequestTrigger.ActivationStopped => $"Activation stopped: {transition.Detail}. Removing the pending factor from Okta.",
        RequestTrigger.FactorRemoved => $"The pending factor {request.Result?.FactorId} was deleted in Okta. An approver can Retry to enrol again (no second reset).",
        RequestTrigger.EnrollFailed => $"The factors were reset, but enrolling {request.Factor.Label} failed: {transition.Detail}",
        _ => transition.Trigger.ToString(),
    };

    public static string StatusText(ResetRequest request) => request.State switch
    {
        RequestState.AwaitingApproval when request.Manager?.Problem is { } blocked => $"Blocked: {blocked}. It can be denied or cancelled, not approved.",
        _ when request.StepUps.Count > 0 =>
            $"Waiting for {string.Join(" and ", request.StepUps.Select(s => s.By.Name))}'s Okta Verify to confirm the {(request.StepUps[0].Action == RequestTrigger.Retry ? "retry" : "approval")}.",
        RequestState.AwaitingApproval when request.ApprovalsRemaining == 0 && request.AwaitsManager =>
            $"Approved; waiting for {request.Manager!.Name}, {request.Target.DisplayName}'s manager, to confirm it is them.",
        RequestState.AwaitingApproval when request.Approvals.Any() =>
            $"Waiting for {request.ApprovalsRemaining} more approval(s).",
        RequestState.AwaitingApproval => "Waiting for approval by the help desk.",
        RequestState.Approved => $"Approved by {LastBy(request, RequestTrigger.Approve)}. Starting the reset.",
        RequestState.ResettingFactors => $"Approved by {LastBy(request, RequestTrigger.Approve)}. Resetting factors in Okta.",
        RequestState.EnrollingFactor => $"Factors reset. Enrolling {request.Factor.Label}.",
        RequestState.Completed => $"Completed: {request.Factor.Label} activated (factor {request.Result?.FactorId}, {request.Result?.FactorStatus}).",
        RequestState.AwaitingActivation => $"Enrolled {request.Factor.Label} (factor {request.Result?.FactorId}); waiting for {request.FactorOwner.Name} to activate it.",
        RequestState.RemovingFactor => $"Activation expired or stopped ({request.ActivationEndedBecause}); removing the pending factor.",
        RequestState.ActivationFailed => $"Activation expired or stopped: {request.ActivationEndedBecause}. An approver can retry the enrolment.",
        RequestState.EnrollFailed => $"Factors were reset, but enrolling {request.Factor.Label} failed: {request.FailureMessage}",
        RequestState.Failed => $"The reset failed: {request.FailureMessage}",
        RequestState.Denied => $"Denied by {LastBy(request, RequestTrigger.Deny)}.",
        RequestState.Cancelled when request.Decisions.LastOrDefault()?.Action == RequestTrigger.Object =>
            "Cancelled: the person being reset said they did not ask for it.",
        RequestState.Cancelled when request.Decisions.LastOrDefault()?.Action == RequestTrigger.ReportManager =>
            "Cancelled: the manager could not confirm it was the right person asking.",
        RequestState.Cancelled => "Cancelled by the requester.",
        RequestState.Expired => "Expired: nobody decided in time.",
        _ => request.State.ToString(),
    };

    private static string? NextStep(ResetRequest request) => request.State switch
    {
        RequestState.AwaitingApproval when request.ApprovalNote is not null =>
            $"Someone from the help desk will check the request. You'll see the outcome here. {ApprovalNote(request)} {TimeLeft(request)}",
        RequestState.AwaitingApproval => $"Someone from the help desk will check the request. You'll see the outcome here. {TimeLeft(request)}",
        RequestState.Approved or RequestState.ResettingFactors or RequestState.EnrollingFactor =>
            "Nothing to do yet. Your setup details will appear here in a moment.",
        RequestState.Completed => "Your new factor is active. Use it the next time you sign in.",
        RequestState.AwaitingActivation when request.IsOnBehalf => $"{request.FactorOwner.Name} has the setup details and finishes the setup.",
        RequestState.AwaitingActivation => "Your setup details are in the next messages. Only you can see them. Finish with the code.",
        RequestState.RemovingFactor or RequestState.ActivationFailed => "The help desk has been told and can start the setup again.",
        RequestState.EnrollFailed or RequestState.Failed => "The help desk has been told and can try again.",
        RequestState.Denied => "If you think this is a mistake, call the help desk.",
        RequestState.Expired => "You can ask again with /mfa-reset.",
        _ => null,
    };

    private static string? ApprovalNote(ResetRequest request) =>
        request.ApprovalNote is null ? null
        : request.State == RequestState.AwaitingApproval ? $"{request.ApprovalNote} {request.ApprovalsRemaining} more approval(s) needed."
        : request.ApprovalNote;

    private static List<CardFact>? TargetFacts(ResetRequest request)
    {
        if (request.Insight is not { } insight)
        {
            return null;
        }

        var facts = new List<CardFact> { new("Name", request.Target.DisplayName) };
        AddIf(facts, "Email", insight.Email);
        AddIf(facts, "Title", insight.Title);
        AddIf(facts, "Department", insight.Department);
        AddIf(facts, "Manager", insight.Manager);
        AddIf(facts, "Okta status", insight.Status);
        facts.Add(new("Last sign-in", insight.LastLogin is { } last ? Format(last) : "never"));
        facts.Add(new("Factors now", insight.FactorTypes.Count > 0 ? string.Join(", ", insight.FactorTypes) : "none"));
        facts.Add(new("Admin roles", insight.AdminRoles.Count > 0 ? string.Join(", ", insight.AdminRoles) : "none"));
        facts.Add(new("Resets (30 days)", insight.ResetsLast30Days == 0 ? "none"
            : $"{insight.ResetsLast30Days}, last {Format(insight.LastResetAt!.Value)}"));
        facts.Add(new("Identity", insight.MatchedBy));
        if (insight.Risk is { } risk)
        {
            AddRisk(facts, risk);
        }

        if (request.Manager is { } manager)
        {
            facts.Add(new("Manager check", manager.Problem is { } blocked ? $"BLOCKED: {blocked}"
                : manager.ConfirmedAt is { } at ? $"confirmed by {manager.Name} at {Format(at)}"
                : $"waiting for {manager.Name} to confirm in chat"));
        }

        if (request.SessionsRevokedAt is { } revoked)
        {
            facts.Add(new("Sessions", $"all Okta sessions and OAuth tokens revoked at {Format(revoked)}"));
        }
        else if (request.SessionRevocationProblem is { } failed)
        {
            facts.Add(new("Sessions", $"NOT revoked: {failed}"));
        }

        if (request.WatchUntil is { } until)
        {
            facts.Add(new("Watch", $"System Log watched until {Format(until)}; {(request.WatchAlerts == 0 ? "no alerts" : $"{request.WatchAlerts} ALERT(S), see the thread")}"));
        }

        return facts;
    }

    /// <summary>The System Log's last 7 days, in facts an approver can say no on: Okta's silence is shown as such.</summary>
    private static void AddRisk(List<CardFact> facts, SignInRisk risk)
    {
        if (risk.Problem is { } problem)
        {
            facts.Add(new("System Log (7 days)", $"unknown: {problem}"));
            return;
        }

        facts.Add(new("Last sign-in (7 days)", risk.LastSignInAt is { } at
            ? $"{Format(at)} from {(risk.LastSignInCity is { } city ? $"{city}, " : "")}{risk.LastSignInCountry ?? "an unknown country"}"
              + (risk.NewCountry == true ? " (NEW COUNTRY for this user)" : risk.NewCountry == false ? " (a usual country)" : "")
            : "none in the System Log"));
        facts.Add(new("Password (7 days)", risk.PasswordChangedAt is { } password ? $"CHANGED or reset at {Format(password)}" : "no change"));
        facts.Add(new("Factors (7 days)", risk.FactorsChangedAt is { } factors ? $"CHANGED at {Format(factors)}" : "no change"));
        facts.Add(new("MFA resets (7 days)", risk.ResetsInLog == 0 ? "none" : $"{risk.ResetsInLog}, last at {Format(risk.LastResetInLogAt!.Value)}"));
    }

    private static string StillNeeded(ResetRequest request) =>
        request.ApprovalsRemaining > 0 ? $"{request.ApprovalsRemaining} more approval(s) needed."
        : request.AwaitsManager ? $"Waiting for {request.Manager!.Name}, {request.Target.DisplayName}'s manager, to confirm."
        : "";

    private static string How(RequestTransition transition) => transition.Detail switch
    {
        { } detail when detail.StartsWith("confirmed with", StringComparison.Ordinal) => " (" + detail.Split(';')[0] + ")",
        _ => "",
    };

    private static string TimeLeft(ResetRequest request) => string.Create(CultureInfo.InvariantCulture,
        $"If nobody decides by {Format(request.ExpiresAt)} ({request.MinutesLeft(request.UpdatedAt)} min left), it expires and you can ask again.");

    /// <summary>
    /// The manager's private card: who asked, what they asked for, and the plain warning that a click in chat is not
    /// a check. Confirm and Report while the request waits; then how it ended.
    /// </summary>
    public static ChatMessage ManagerMessage(ResetRequest request)
    {
        var manager = request.Manager ?? throw new InvalidOperationException("A manager card needs a manager.");
        var actor = new Actor(manager.ChatUser ?? new ChatUser("\u0000manager", manager.Name), false, manager.OktaUserId);
        var actions = request.Permits(RequestTrigger.ConfirmManager, actor)
            || (request.State == RequestState.AwaitingApproval && request.Permits(RequestTrigger.ReportManager, actor))
            ? new[] { CardAction.ConfirmManager, CardAction.ReportManager }
            : [];
        var asker = request.IsOnBehalf ? $"{request.Requester.Name} from the help desk asked, on {request.Target.DisplayName}'s behalf," : $"{request.Target.DisplayName} asked";
        var status = actions.Length > 0
            ? $"{asker} to reset {(request.IsOnBehalf ? "their" : "their own")} Okta MFA and set up {request.Factor.Label}. Confirm only if you have checked it is {request.Target.DisplayName}, in person or on a video call."
            : manager.ConfirmedAt is { } at ? $"You confirmed it is {request.Target.DisplayName} at {Format(at)}. {StatusText(request)}"
            : StatusText(request);
        var card = new StatusCardData(request.Id, Reference(request), FactorKind(request), status,
            actions.Length > 0 ? "A message or a call can be faked. Report it if you have any doubt: the request is cancelled and the help desk alerted." : null,
            actions, request.UpdatedAt, Title: $"Please confirm: an MFA reset for {request.Target.DisplayName} ({Reference(request)})");
        return new ChatMessage($"{Reference(request)}: {status}", card.ToCardContent());
    }

    private static void AddIf(List<CardFact> facts, string title, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            facts.Add(new CardFact(title, value));
        }
    }

    private static string Format(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string DecisionText(RequestTrigger action) => action switch
    {
        RequestTrigger.Approve => "Approved",
        RequestTrigger.Deny => "Denied",
        RequestTrigger.Cancel => "Cancelled",
        RequestTrigger.Retry => "Retried",
        RequestTrigger.Object => "Objected (did not ask for it)",
        RequestTrigger.ConfirmManager => "Confirmed (manager)",
        RequestTrigger.ReportManager => "Reported (manager)",
        _ => action.ToString(),
    };

    private static string LastBy(ResetRequest request, RequestTrigger action) =>
        request.Decisions.LastOrDefault(d => d.Action == action)?.By.Name ?? "the help desk";
}
