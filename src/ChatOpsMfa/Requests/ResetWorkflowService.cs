using ChatOpsMfa.Arazzo;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta;
using ChatOpsMfa.Storage;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Requests;

/// <summary>
/// The one place that does a request's I/O: load, fire, save, call Okta, fire the outcome, save, update the chat.
/// Channel-neutral: it never knows which platform a request came from.
/// </summary>
public sealed partial class ResetWorkflowService(
    RequestStore store,
    ApprovalPolicy policy,
    IdentityResolver identities,
    TargetAssessor assessor,
    OktaResetRunner okta,
    OutboxDispatcher outbox,
    OutboxSignal outboxSignal,
    ResultProtector results,
    CrashPoints crashPoints,
    ResetWorkQueue queue,
    TimeProvider time,
    IOptionsMonitor<ApprovalOptions> approvals,
    ILogger<ResetWorkflowService> logger)
{
    private const int MaxSaveAttempts = 5;

    private static readonly RequestState[] OpenStates =
    [
        RequestState.AwaitingApproval, RequestState.Approved, RequestState.ResettingFactors, RequestState.EnrollingFactor,
        RequestState.EnrollFailed, RequestState.Failed,
    ];

    /// <summary>
    /// Creates a request and shows it to the help desk: for the requester's own account, or, when a help-desk member
    /// names someone (<paramref name="onBehalfOf"/>), for that person, who is then told and may object.
    /// </summary>
    public async Task<RequestOutcome> SubmitAsync(
        ChatUser requester, ConversationRef conversation, FactorRequest factor, ChatUser? onBehalfOf,
        CancellationToken cancellationToken)
    {
        if (onBehalfOf is not null && !policy.IsHelpDesk(requester))
        {
            return RequestOutcome.Refused("Only the help desk may ask for a reset on someone else's behalf. To reset your own MFA, send /mfa-reset alone.");
        }

        var match = onBehalfOf is null
            ? await identities.ResolveAsync(requester, cancellationToken)
            : await identities.ResolveAsync(onBehalfOf, cancellationToken);
        if (match.Target is null)
        {
            return RequestOutcome.Refused(match.Problem!);
        }

        // Approvers must be told apart from the requester by Okta user id, so a help desk whose own Okta user is unknown
        // cannot ask for anyone (their second chat account could approve). Asking for oneself, requester = target.
        var requesterOktaUserId = match.Target.OktaUserId;
        if (onBehalfOf is not null)
        {
            var self = await identities.IdentifyAsync(requester, cancellationToken);
            if (self.Target is null)
            {
                return RequestOutcome.Refused(
                    $"I could not establish who you are in Okta ({self.Problem}), so you cannot ask for a reset on someone's behalf. Nothing was requested.");
            }

            if (self.Target.OktaUserId == match.Target.OktaUserId)
            {
                return RequestOutcome.Refused("That is your own Okta account: send /mfa-reset alone to reset your own MFA. Nothing was requested.");
            }

            requesterOktaUserId = self.Target.OktaUserId;
        }

        var (settled, destinationRefusal) = FactorDestination.Settle(factor, match.Profile!, onBehalf: onBehalfOf is not null);
        if (settled is null)
        {
            return RequestOutcome.Refused(destinationRefusal!);
        }

        factor = settled;

        var open = await store.FindForTargetAsync(match.Target.OktaUserId, OpenStates, cancellationToken);
        if (open is not null)
        {
            return RequestOutcome.Refused(
                $"There is already an open request for {open.Target.Login}: {RequestPresenter.Reference(open)} ({RequestPresenter.StatusText(open)})");
        }

        var how = onBehalfOf is null ? match.How! : $"{match.How}; asked for by {requester.Name} on their behalf";
        var assessment = await assessor.AssessAsync(match.Profile!, how, cancellationToken);
        if (assessment.Refusal is not null)
        {
            LogRefusedPrivileged(match.Target.OktaUserId);
            return RequestOutcome.Refused(assessment.Refusal);
        }

        var now = time.GetUtcNow();
        var request = new ResetRequest(
            Guid.NewGuid().ToString("N"), requester, conversation, match.Target, factor, now, now + approvals.CurrentValue.Timeout,
            assessment.RequiredApprovals, assessment.Insight, assessment.ApprovalNote, onBehalfOf, requesterOktaUserId);
        OutboxMessage[] messages = onBehalfOf is null
            ? [new(OutboxKind.ApprovalCard), new(OutboxKind.StatusCard)]
            : [new(OutboxKind.ApprovalCard), new(OutboxKind.StatusCard), new(OutboxKind.TargetNotice)];
        await store.CreateAsync(request, new AuditNote(requester.Id, requester.Name, "Requested",
            $"{factor.FactorType}/{factor.Provider} for {match.Target.Login}; identity {how}; approvals needed: {assessment.RequiredApprovals}"),
            messages, cancellationToken);
        LogRequested(request.Number, factor.FactorType, factor.Provider);

        // The cards are stored with the request: the requester is answered now, the chat platform is called after.
        outboxSignal.Notify(request.Id);
        return RequestOutcome.Done(request);
    }

    /// <summary>Approve, deny, retry or cancel, as clicked by <paramref name="user"/>. Two clicks at once make one transition.</summary>
    public async Task<RequestOutcome> DecideAsync(ChatUser user, string requestId, RequestTrigger action, CancellationToken cancellationToken)
    {
        // Who the clicker is does not change between attempts: ask Okta (for group approvers) once.
        var actor = await policy.ActorForAsync(user, cancellationToken);
        for (var attempt = 0; attempt < MaxSaveAttempts; attempt++)
        {
            var request = await store.FindAsync(requestId, cancellationToken);
            if (request is null)
            {
                return RequestOutcome.Refused("That request does not exist (any more).");
            }

            var now = time.GetUtcNow();
            var outcome = action switch
            {
                RequestTrigger.Approve => request.Approve(actor, now),
                RequestTrigger.Deny => request.Deny(actor, now),
                RequestTrigger.Retry => request.Retry(actor, now),
                RequestTrigger.Cancel => request.Cancel(actor, now),
                RequestTrigger.Object => request.Object(actor, now),
                _ => TransitionOutcome.Refused($"'{action}' is not something a person can do to a request"),
            };
            if (!outcome.Succeeded)
            {
                await store.AuditAsync(request, new AuditNote(user.Id, user.Name, $"{action}Refused", outcome.Refusal), now, cancellationToken);
                LogRefused(request.Number, action, outcome.Refusal!);
                return RequestOutcome.Refused($"{RequestPresenter.Reference(request)}: {Capitalise(outcome.Refusal!)}.", request);
            }

            if (await store.SaveAsync(request, MessagesFor(request), cancellationToken) == SaveOutcome.Conflict)
            {
                continue; // Someone else changed it first: look again, and the machine decides what still makes sense.
            }

            LogDecided(request.Number, action, request.State);
            if (request.State == RequestState.Approved)
            {
                crashPoints.Reached(CrashPoints.AfterApproval);
            }

            // The messages were stored with the decision: the click is answered now, the chat platform is called after.
            outboxSignal.Notify(request.Id);
            if (request.NeedsOktaWork)
            {
                queue.Enqueue(request.Id);
            }

            return RequestOutcome.Done(request);
        }

        return RequestOutcome.Refused("The request is changing right now; please try again in a moment.");
    }

    /// <summary>
    /// Does the Okta work an approved request still needs, from wherever it stopped: reset then enrol, or only the
    /// enrolment when the reset already succeeded. Runs in the background worker.
    /// </summary>
    public async Task ExecuteAsync(string requestId, CancellationToken cancellationToken)
    {
        var request = await store.FindAsync(requestId, cancellationToken);
        if (request is null || !request.NeedsOktaWork)
        {
            return;
        }

        if (request.State == RequestState.Approved)
        {
            request.StartReset(time.GetUtcNow());
            await SaveOwnedAsync(request, cancellationToken);
        }

        if (request.State == RequestState.EnrollingFactor && request.EnrollInFlight &&
            await AdoptEarlierEnrolmentAsync(request, cancellationToken))
        {
            return;
        }

        var startAt = request.State == RequestState.EnrollingFactor ? OktaResetRunner.EnrollStepId : null;
        var run = await okta.RunAsync(request, startAt,
            async (attempt, ct) =>
            {
                if (attempt.StepId == OktaResetRunner.EnrollStepId && !request.EnrollInFlight)
                {
                    request.MarkEnrollInFlight(true);
                    await SaveOwnedAsync(request, ct);
                }
            },
            async (step, ct) =>
            {
                if (step.StepId == OktaResetRunner.ResetStepId && step.Succeeded)
                {
                    request.ResetSucceeded(time.GetUtcNow());
                    await SaveOwnedAsync(request, ct, crashPoint: CrashPoints.AfterReset);
                }
                else if (step.StepId == OktaResetRunner.EnrollStepId)
                {
                    crashPoints.Reached(CrashPoints.EnrolAnswered);
                }
            },
            cancellationToken);

        if (run.Succeeded)
        {
            request.MarkEnrollInFlight(false);
            request.EnrollSucceeded(run.Result!, time.GetUtcNow());
            request.ForgetContactDetails();
            LogCompleted(request.Number, run.Result!.FactorStatus);
            await SaveOwnedAsync(request, cancellationToken, new OutboxMessage(OutboxKind.Result, results.Protect(run.Activation)), CrashPoints.AfterEnrol);
            return;
        }

        // A definite answer from Okta means the enrol did not happen; no answer at all leaves it unknown, so look.
        if (run.OutcomeKnown)
        {
            request.MarkEnrollInFlight(false);
        }
        else if (request.State == RequestState.EnrollingFactor && await AdoptEarlierEnrolmentAsync(request, cancellationToken))
        {
            return;
        }

        var now = time.GetUtcNow();
        _ = request.State == RequestState.ResettingFactors
            ? request.ResetFailed(run.Problem!, now)
            : request.EnrollFailed(run.Problem!, now);
        LogOktaFailed(request.Number, request.State);
        await SaveOwnedAsync(request, cancellationToken);
    }

    /// <summary>Expires every request whose approval window has passed.</summary>
    public async Task ExpireDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var request in await store.ListInStatesAsync([RequestState.AwaitingApproval], cancellationToken))
        {
            if (request.ExpiresAt > now || !request.Expire(now).Succeeded)
            {
                continue;
            }

            if (await store.SaveAsync(request, MessagesFor(request), cancellationToken) == SaveOutcome.Saved)
            {
                LogExpired(request.Number);
                await outbox.DeliverAsync(request.Id, cancellationToken);
            }
        }
    }

    /// <summary>After a restart: queue the Okta work that was interrupted (the outbox worker sends what was owed).</summary>
    public async Task ResumeAsync(CancellationToken cancellationToken)
    {
        foreach (var request in await store.ListInStatesAsync(OpenStates, cancellationToken))
        {
            if (request.NeedsOktaWork)
            {
                LogResumed(request.Number, request.State);
                queue.Enqueue(request.Id);
            }
        }
    }

    private async Task<bool> AdoptEarlierEnrolmentAsync(ResetRequest request, CancellationToken cancellationToken)
    {
        var lookup = await okta.FindEnrolledFactorAsync(request, cancellationToken);
        if (!lookup.IsSuccess)
        {
            // Without knowing whether the earlier enrol went through, enrolling again could make a second factor.
            request.EnrollFailed($"Could not check whether the earlier enrolment went through: {lookup.Error.Message}", time.GetUtcNow());
            await SaveOwnedAsync(request, cancellationToken);
            return true;
        }

        if (lookup.Value is not { } earlier)
        {
            request.MarkEnrollInFlight(false);
            return false;
        }

        // The enrol call went through before the crash: do not enrol a second time. Its activation secret is gone.
        LogAdopted(request.Number);
        request.MarkEnrollInFlight(false);
        request.EnrollSucceeded(earlier, time.GetUtcNow());
        request.ForgetContactDetails();
        await SaveOwnedAsync(request, cancellationToken, new OutboxMessage(OutboxKind.Result, results.Protect(EnrollmentActivation.None)));
        return true;
    }

    /// <summary>
    /// Saves a request only the worker may change now (no person can act on it mid-flight), with the chat messages its
    /// transitions call for, then delivers them.
    /// </summary>
    private async Task SaveOwnedAsync(
        ResetRequest request, CancellationToken cancellationToken, OutboxMessage? extra = null, string? crashPoint = null)
    {
        var messages = MessagesFor(request);
        if (extra is not null)
        {
            messages = [.. messages, extra];
        }

        // No person can change a request in the worker's states, but the outbox, delivering in the background, records
        // where it posted the cards: take those over and save again. Any other change means something is wrong.
        var stateLoaded = request.PendingTransitions.Count > 0 ? request.PendingTransitions[0].From : request.State;
        for (var attempt = 0; await store.SaveAsync(request, messages, cancellationToken) == SaveOutcome.Conflict; attempt++)
        {
            var stored = await store.FindAsync(request.Id, cancellationToken);
            if (attempt >= MaxSaveAttempts || stored is null || stored.State != stateLoaded || !stored.NeedsOktaWork)
            {
                throw new InvalidOperationException(
                    $"Request {request.Number} changed while its Okta work was running; only the worker may change it then.");
            }

            request.AdoptPostedMessages(stored);
        }

        if (crashPoint is not null)
        {
            crashPoints.Reached(crashPoint);
        }

        if (messages.Count > 0)
        {
            await outbox.DeliverAsync(request.Id, cancellationToken);
        }
    }

    /// <summary>What the chat must show after the request's unsaved transitions: both cards, and a thread line for each.</summary>
    private static IReadOnlyList<OutboxMessage> MessagesFor(ResetRequest request)
    {
        if (request.PendingTransitions.Count == 0)
        {
            return [];
        }

        List<OutboxMessage> messages =
        [
            new(OutboxKind.ApprovalCard),
            .. request.PendingTransitions.Select(t => new OutboxMessage(OutboxKind.ThreadReply, RequestPresenter.ThreadLine(request, t))),
            new(OutboxKind.StatusCard),
        ];
        if (request.IsOnBehalf)
        {
            messages.Add(new OutboxMessage(OutboxKind.TargetNotice));
        }

        return messages;
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {Number} created: {FactorType}/{Provider}")]
    private partial void LogRequested(long number, string factorType, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A reset for privileged Okta user {OktaUserId} was refused by policy")]
    private partial void LogRefusedPrivileged(string oktaUserId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {Number}: {Action} done, now {State}")]
    private partial void LogDecided(long number, RequestTrigger action, RequestState state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Number}: {Action} refused: {Reason}")]
    private partial void LogRefused(long number, RequestTrigger action, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {Number} completed, factor {FactorStatus}")]
    private partial void LogCompleted(long number, string factorStatus);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Number}: Okta work failed, now {State}")]
    private partial void LogOktaFailed(long number, RequestState state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {Number} expired")]
    private partial void LogExpired(long number);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {Number}: resuming Okta work from {State}")]
    private partial void LogResumed(long number, RequestState state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Number}: an enrolment from before a restart was found in Okta and adopted instead of enrolling again")]
    private partial void LogAdopted(long number);
}
