using ChatOpsMfa.Arazzo;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Telemetry;
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
    OktaActivationRunner activation,
    OktaStepUpRunner stepUps,
    OktaContainmentRunner containment,
    ManagerResolver managers,
    Func<OktaClient> oktaClients,
    OutboxDispatcher outbox,
    OutboxSignal outboxSignal,
    WorkLeases leases,
    ResultProtector results,
    CrashPoints crashPoints,
    ResetWorkQueue queue,
    TimeProvider time,
    IOptionsMonitor<ApprovalOptions> approvals,
    IOptionsMonitor<ActivationOptions> activationOptions,
    IOptionsMonitor<MonitoringOptions> monitoring,
    IOptionsMonitor<ContainmentOptions> containmentOptions,
    ChatOpsMfaMetrics metrics,
    ILogger<ResetWorkflowService> logger)
{
    private const int MaxSaveAttempts = 5;
    private const int ClaimBatch = 20;

    private static readonly RequestState[] OpenStates =
    [
        RequestState.AwaitingApproval, RequestState.Approved, RequestState.ResettingFactors, RequestState.EnrollingFactor,
        RequestState.EnrollFailed, RequestState.Failed, RequestState.AwaitingActivation, RequestState.RemovingFactor,
        RequestState.ActivationFailed,
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

        // The manager vouches for the person in chat; one who cannot be reached blocks the request, it never waives the check.
        var manager = managers.IsRequired(assessment.Insight)
            ? await managers.ResolveAsync(match.Profile!, conversation.ChannelId, cancellationToken)
            : null;

        var now = time.GetUtcNow();
        var request = new ResetRequest(
            Guid.NewGuid().ToString("N"), requester, conversation, match.Target, factor, now, now + approvals.CurrentValue.Timeout,
            assessment.RequiredApprovals, assessment.Insight, assessment.ApprovalNote, onBehalfOf, requesterOktaUserId, manager);
        List<OutboxMessage> messages = [new(OutboxKind.ApprovalCard), new(OutboxKind.StatusCard)];
        if (onBehalfOf is not null)
        {
            messages.Add(new(OutboxKind.TargetNotice));
        }

        if (manager?.ChatUser is not null)
        {
            messages.Add(new(OutboxKind.ManagerCard));
        }

        var managerNote = manager is null ? "" : manager.Problem is { } blocked ? $"; blocked: {blocked}" : $"; manager {manager.Name} must confirm";
        await store.CreateAsync(request, new AuditNote(requester.Id, requester.Name, "Requested",
            $"{factor.FactorType}/{factor.Provider} for {match.Target.Login}; identity {how}; approvals needed: {assessment.RequiredApprovals}{managerNote}"),
            messages, cancellationToken);
        metrics.RequestCreated();
        using var scope = BeginRequestScope(request);
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
        var verification = policy.Verification;
        if (action is RequestTrigger.Approve or RequestTrigger.Retry && verification == ApproverVerification.OktaVerifyPush)
        {
            return await BeginStepUpAsync(actor, requestId, action, cancellationToken);
        }

        var chatOnly = verification == ApproverVerification.None && action is RequestTrigger.Approve or RequestTrigger.Retry
            ? "in chat only (Approvals:ApproverVerification=None)"
            : null;
        for (var attempt = 0; attempt < MaxSaveAttempts; attempt++)
        {
            var request = await store.FindAsync(requestId, cancellationToken);
            if (request is null)
            {
                return RequestOutcome.Refused("That request does not exist (any more).");
            }

            using var scope = BeginRequestScope(request);
            var now = time.GetUtcNow();
            var outcome = action switch
            {
                RequestTrigger.Approve => request.Approve(actor, now, chatOnly),
                RequestTrigger.Deny => request.Deny(actor, now),
                RequestTrigger.Retry => request.Retry(actor, now, chatOnly),
                RequestTrigger.Cancel => request.Cancel(actor, now),
                RequestTrigger.Object => request.Object(actor, now),
                RequestTrigger.ConfirmManager => request.ConfirmManager(actor, now),
                RequestTrigger.ReportManager => request.ReportManager(actor, now),
                _ => TransitionOutcome.Refused($"'{action}' is not something a person can do to a request"),
            };
            if (!outcome.Succeeded)
            {
                await store.AuditAsync(request, new AuditNote(user.Id, user.Name, $"{action}Refused", outcome.Refusal), now, cancellationToken);
                LogRefused(request.Number, action, outcome.Refusal!);
                return RequestOutcome.Refused($"{RequestPresenter.Reference(request)}: {Capitalise(outcome.Refusal!)}.", request);
            }

            if (await SaveAsync(request, MessagesFor(request), cancellationToken) == SaveOutcome.Conflict)
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
    /// <param name="beforeOktaCall">
    /// Called before the work starts and before each Okta call: the worker checks there that it still holds the
    /// request's lease (and throws if another instance took it over), so no Okta call is made twice.
    /// </param>
    public async Task ExecuteAsync(string requestId, CancellationToken cancellationToken, Func<CancellationToken, Task>? beforeOktaCall = null)
    {
        var request = await store.FindAsync(requestId, cancellationToken);
        if (request is null || !request.NeedsOktaWork)
        {
            return;
        }

        beforeOktaCall ??= _ => Task.CompletedTask;
        await beforeOktaCall(cancellationToken);

        using var activity = ChatOpsMfaTracing.Source.StartActivity("request okta work");
        activity?.SetTag("chatopsmfa.request.number", request.Number);
        using var scope = BeginRequestScope(request);
        if (request.State == RequestState.RemovingFactor)
        {
            await RemovePendingFactorAsync(request, cancellationToken);
            return;
        }

        if (request.State == RequestState.Approved)
        {
            request.StartReset(time.GetUtcNow());
            await SaveOwnedAsync(request, cancellationToken);
        }

        // Killed between the reset and the revocation: the sessions are still owed, before anything else.
        if (request.NeedsSessionRevocation)
        {
            await RevokeSessionsAsync(request, cancellationToken);
        }

        // An enrolment that is resumed or retried (not the one straight after the reset) may have left a pending factor
        // in Okta whose setup key nobody received: delete it first, so the person holds the key of the one factor Okta has.
        if (request.State == RequestState.EnrollingFactor && !await ClearLostEnrolmentsAsync(request, cancellationToken))
        {
            return;
        }

        var startAt = request.State == RequestState.EnrollingFactor ? OktaResetRunner.EnrollStepId : null;
        var run = await okta.RunAsync(request, startAt,
            async (attempt, ct) =>
            {
                await beforeOktaCall(ct);
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
                    request.ResetSucceeded(time.GetUtcNow(), monitoring.CurrentValue.WatchWindow);
                    await SaveOwnedAsync(request, ct, crashPoint: CrashPoints.AfterReset);
                    await RevokeSessionsAsync(request, ct);
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
            request.EnrollSucceeded(run.Result!, time.GetUtcNow(), activationOptions.CurrentValue.Timeout);
            LogEnrolled(request.Number, run.Result!.FactorStatus);
            // The key card first, then the card where the code is typed: one outbox, delivered in order.
            List<OutboxMessage> extra = [new(OutboxKind.Result, results.Protect(run.Activation))];
            await SaveOwnedAsync(request, cancellationToken, extra, CrashPoints.AfterEnrol);
            return;
        }

        // A definite answer from Okta means the enrol did not happen. No answer leaves it unknown: the flag stays, and
        // the retry (or the restart) deletes whatever pending factor the lost answer made before enrolling again.
        if (run.OutcomeKnown)
        {
            request.MarkEnrollInFlight(false);
        }

        var now = time.GetUtcNow();
        _ = request.State == RequestState.ResettingFactors
            ? request.ResetFailed(run.Problem!, now)
            : request.EnrollFailed(run.Problem!, now);
        LogOktaFailed(request.Number, request.State);
        await SaveOwnedAsync(request, cancellationToken);
    }

    /// <summary>
    /// The person whose new factor it is typed a code: it is counted first (so neither a crash nor two clicks add a
    /// guess), then sent to Okta. Okta's answer decides: ACTIVE completes the request; a wrong code says how many tries
    /// are left, and the last one stops the activation. The code itself is never stored, logged or audited.
    /// </summary>
    public async Task<RequestOutcome> SubmitCodeAsync(ChatUser user, string requestId, string? typedCode, CancellationToken cancellationToken)
    {
        var passCode = PassCodes.Normalise(typedCode);
        if (passCode is null)
        {
            return RequestOutcome.Refused(PassCodes.FormatProblem);
        }

        var owner = await policy.ActorForAsync(user, cancellationToken);
        var (request, refusal) = await UpdateAsync(requestId, r => r.BeginCodeAttempt(owner, time.GetUtcNow()), cancellationToken);
        if (request is null)
        {
            return RequestOutcome.Refused(refusal!);
        }

        var answer = await activation.ActivateAsync(request, passCode, cancellationToken);
        switch (answer.Answer)
        {
            case ActivationAnswer.Active:
                crashPoints.Reached(CrashPoints.CodeAccepted);
                return await CompleteActivationAsync(request, cancellationToken);
            case ActivationAnswer.WrongCode:
                var (rejected, _) = await UpdateAsync(requestId, r => r.CodeRejected(time.GetUtcNow()), cancellationToken);
                rejected ??= request;
                LogCodeRejected(request.Number, rejected.CodeAttemptsLeft);
                if (rejected.State == RequestState.RemovingFactor)
                {
                    queue.Enqueue(requestId);
                    return RequestOutcome.Refused(
                        $"That code did not match either. After {ResetRequest.MaxWrongCodes} wrong codes I stopped this activation; the help desk has been told and can start it again.", rejected);
                }

                return RequestOutcome.Refused(
                    $"That code did not match. Please check it and try again: {rejected.CodeAttemptsLeft} attempt(s) left.", rejected);
            default:
                // Okta may already hold the factor as ACTIVE: a code it accepted whose answer was lost (the bot was killed).
                if (await IsActiveInOktaAsync(request, cancellationToken) == true)
                {
                    return await CompleteActivationAsync(request, cancellationToken);
                }

                // Okta did not judge the code (not reached, rate limited, refused for another reason): it does not count.
                var (unjudged, _) = await UpdateAsync(requestId, r =>
                {
                    r.CodeAttemptNotJudged();
                    return TransitionOutcome.Done;
                }, cancellationToken);
                await store.AuditAsync(unjudged ?? request, new AuditNote(user.Id, user.Name, "ActivationCodeNotChecked", answer.Problem),
                    time.GetUtcNow(), cancellationToken);
                return RequestOutcome.Refused($"Okta could not check the code just now ({answer.Problem}). Please try again in a moment.", unjudged ?? request);
        }
    }

    /// <summary>The owner asks Okta for a new SMS, call or email code, a bounded number of times.</summary>
    public async Task<RequestOutcome> ResendCodeAsync(ChatUser user, string requestId, CancellationToken cancellationToken, bool bySms = false)
    {
        var owner = await policy.ActorForAsync(user, cancellationToken);
        var maxResends = activationOptions.CurrentValue.MaxResends;
        var (request, refusal) = await UpdateAsync(requestId, r =>
            r.Factor.FactorType is "sms" or "call" or "email" or "push"
                ? r.BeginResend(owner, time.GetUtcNow(), maxResends)
                : TransitionOutcome.Refused("only SMS, voice call and email factors get a new code; an app makes its own"), cancellationToken);
        if (request is null)
        {
            return RequestOutcome.Refused(refusal!);
        }

        var answer = request.Factor.FactorType == "push"
            ? await SendPushActivationLinkAsync(request, bySms, cancellationToken)
            : await activation.ResendAsync(request, cancellationToken);
        if (answer.Answer == ActivationAnswer.Failed)
        {
            var (undone, _) = await UpdateAsync(requestId, r =>
            {
                r.ResendNotDone();
                return TransitionOutcome.Done;
            }, cancellationToken);
            return RequestOutcome.Refused($"Okta did not send a new code: {answer.Problem}", undone ?? request);
        }

        await store.AuditAsync(request, new AuditNote(user.Id, user.Name, "ActivationCodeResent",
            request.Factor.FactorType == "push"
                ? $"Okta Verify activation link emailed ({request.CodesResent} of {maxResends})"
                : $"new {request.Factor.FactorType} code {request.CodesResent} of {maxResends}"), time.GetUtcNow(), cancellationToken);
        var (shown, _) = await UpdateAsync(requestId, _ => TransitionOutcome.Done, cancellationToken, [new(OutboxKind.ActivationCard)]);
        return RequestOutcome.Done(shown ?? request) with
        {
            Notice = request.Factor.FactorType == "push"
                ? $"Okta is {(bySms ? "texting" : "emailing")} you its Okta Verify setup link. Open it on your new phone."
                : $"Okta is sending a new code to {FactorDestination.Masked(request.Factor)}.",
        };
    }

    /// <summary>
    /// Okta's own Okta Verify activation link, by email to the person's primary email, or by SMS to the phone in their
    /// Okta profile (never a number typed in chat: the link enrols a device for their account).
    /// </summary>
    private async Task<ActivationCall> SendPushActivationLinkAsync(ResetRequest request, bool bySms, CancellationToken cancellationToken)
    {
        var okta = oktaClients();
        OktaResult<bool> sent;
        if (bySms)
        {
            var profile = await okta.GetUserAsync(request.Target.OktaUserId, cancellationToken);
            if (!profile.IsSuccess)
            {
                return new ActivationCall(ActivationAnswer.Failed, profile.Error.Message);
            }

            var phone = RequestForm.NormalisePhone(profile.Value.MobilePhone) ?? RequestForm.NormalisePhone(profile.Value.PrimaryPhone);
            if (phone is null)
            {
                return new ActivationCall(ActivationAnswer.Failed, "your Okta profile has no phone number in international format to text the link to");
            }

            sent = await okta.SendActivationSmsAsync(request.Target.OktaUserId, request.Result!.FactorId, phone, cancellationToken);
        }
        else
        {
            sent = await okta.SendActivationEmailAsync(request.Target.OktaUserId, request.Result!.FactorId, cancellationToken);
        }

        return sent.IsSuccess ? ActivationCall.Pending : new ActivationCall(ActivationAnswer.Failed, sent.Error.Message);
    }

    /// <summary>
    /// Runs with the poll interval: ends activations whose time is up, asks Okta about Okta Verify scans, and picks up
    /// pending factors still to be removed.
    /// </summary>
    public async Task WatchActivationsAsync(CancellationToken cancellationToken)
    {
        foreach (var request in await store.ListInStatesAsync([RequestState.AwaitingActivation, RequestState.RemovingFactor], cancellationToken))
        {
            if (request.State == RequestState.RemovingFactor)
            {
                queue.Enqueue(request.Id);
                continue;
            }

            if (request.KeyUndeliverable)
            {
                await StopAsync(request.Id, r => r.StopActivation("the setup details could not be delivered to the person in chat", time.GetUtcNow()), cancellationToken);
                continue;
            }

            if (request.ActivationExpiresAt <= time.GetUtcNow())
            {
                // Never remove a factor Okta holds as ACTIVE (a code it accepted whose answer a crash lost), nor one it
                // could not be asked about: the next round asks again.
                switch (await IsActiveInOktaAsync(request, cancellationToken))
                {
                    case true:
                        await CompleteActivationAsync(request, cancellationToken);
                        break;
                    case false:
                        await StopAsync(request.Id, r => r.ExpireActivation(time.GetUtcNow()), cancellationToken);
                        break;
                }

                continue;
            }

            if (request.Factor.FactorType != "push")
            {
                continue;
            }

            var answer = await activation.PollAsync(request, cancellationToken);
            switch (answer.Answer)
            {
                case ActivationAnswer.Active:
                    await CompleteActivationAsync(request, cancellationToken);
                    break;
                case ActivationAnswer.Ended:
                    await StopAsync(request.Id, r => r.StopActivation(answer.Problem!, time.GetUtcNow()), cancellationToken);
                    break;
                case ActivationAnswer.Failed:
                    LogPollFailed(request.Number, answer.Problem!);
                    break;
            }
        }
    }

    /// <summary>Okta says the factor is ACTIVE: the request completes, unless its activation already ended meanwhile.</summary>
    private async Task<RequestOutcome> CompleteActivationAsync(ResetRequest request, CancellationToken cancellationToken)
    {
        var (done, _) = await UpdateAsync(request.Id, r => r.Activated(time.GetUtcNow()), cancellationToken);
        if (done is null)
        {
            // The activation ended while the code was at Okta (it expired): the pending factor goes, and the owner is told so.
            var ended = await store.FindAsync(request.Id, cancellationToken);
            return RequestOutcome.Refused(
                $"That code came too late: this activation had already ended ({ended?.ActivationEndedBecause ?? "it was stopped"}), so the new factor is being removed. The help desk can start it again.", ended);
        }

        LogActivated(request.Number);
        return RequestOutcome.Done(done) with { Notice = $"{request.Factor.Label} is active. You can sign in with it now." };
    }

    /// <summary>Whether Okta lists the request's new factor as ACTIVE; null when Okta could not be asked.</summary>
    private async Task<bool?> IsActiveInOktaAsync(ResetRequest request, CancellationToken cancellationToken)
    {
        if (request.Result?.FactorId is not { } factorId)
        {
            return false;
        }

        var factors = await oktaClients().ListFactorsAsync(request.Target.OktaUserId, cancellationToken);
        return factors.IsSuccess
            ? factors.Value.Any(f => f.Id == factorId && string.Equals(f.Status, "ACTIVE", StringComparison.OrdinalIgnoreCase))
            : null;
    }

    private async Task StopAsync(string requestId, Func<ResetRequest, TransitionOutcome> stop, CancellationToken cancellationToken)
    {
        var (stopped, _) = await UpdateAsync(requestId, stop, cancellationToken);
        if (stopped?.State == RequestState.RemovingFactor)
        {
            LogActivationStopped(stopped.Number, stopped.ActivationEndedBecause!);
            queue.Enqueue(requestId);
        }
    }

    /// <summary>
    /// Loads, changes and saves a request with the chat messages its transitions call for, again on a concurrent
    /// change (the change is a fact, or a check, that holds against whichever version is stored). Null and the refusal
    /// when it could not be made.
    /// </summary>
    private async Task<(ResetRequest? Request, string? Refusal)> UpdateAsync(
        string requestId, Func<ResetRequest, TransitionOutcome> change, CancellationToken cancellationToken, IReadOnlyList<OutboxMessage>? extra = null)
    {
        for (var attempt = 0; attempt < MaxSaveAttempts; attempt++)
        {
            var request = await store.FindAsync(requestId, cancellationToken);
            if (request is null)
            {
                return (null, "That request does not exist (any more).");
            }

            var outcome = change(request);
            if (!outcome.Succeeded)
            {
                return (null, $"{RequestPresenter.Reference(request)}: {Capitalise(outcome.Refusal!)}.");
            }

            var messages = MessagesFor(request, extra);
            if (await SaveAsync(request, messages, cancellationToken) == SaveOutcome.Saved)
            {
                if (messages.Count > 0)
                {
                    outboxSignal.Notify(request.Id);
                }

                return (request, null);
            }
        }

        return (null, "The request is changing right now; please try again in a moment.");
    }

    /// <summary>Deletes the pending factor of an activation that ended, then lets an approver retry.</summary>
    private async Task RemovePendingFactorAsync(ResetRequest request, CancellationToken cancellationToken)
    {
        var removed = await activation.RemoveAsync(request, null, cancellationToken);
        if (removed.Answer == ActivationAnswer.Failed)
        {
            // It stays in RemovingFactor: the activation watcher tries again, and a pending factor is never left behind.
            LogRemoveFailed(request.Number, removed.Problem!);
            return;
        }

        crashPoints.Reached(CrashPoints.FactorDeleted);
        request.FactorRemoved(time.GetUtcNow());
        await SaveOwnedAsync(request, cancellationToken);
    }

    /// <summary>
    /// Deletes pending factors of the chosen type that an earlier, lost enrolment made (their keys never reached
    /// anyone), so the enrolment that follows leaves exactly one. False when that could not be made sure of.
    /// </summary>
    private async Task<bool> ClearLostEnrolmentsAsync(ResetRequest request, CancellationToken cancellationToken)
    {
        var factors = await oktaClients().ListFactorsAsync(request.Target.OktaUserId, cancellationToken);
        if (!factors.IsSuccess)
        {
            // Without knowing what Okta holds, enrolling again could leave a factor whose key nobody has.
            request.EnrollFailed($"Could not check Okta for an earlier, unfinished enrolment: {factors.Error.Message}", time.GetUtcNow());
            await SaveOwnedAsync(request, cancellationToken);
            return false;
        }

        foreach (var lost in factors.Value.Where(f =>
                     string.Equals(f.FactorType, request.Factor.FactorType, StringComparison.OrdinalIgnoreCase) &&
                     string.Equals(f.Provider, request.Factor.Provider, StringComparison.OrdinalIgnoreCase) &&
                     f.Status == "PENDING_ACTIVATION"))
        {
            var removed = await activation.RemoveAsync(request, lost.Id, cancellationToken);
            if (removed.Answer == ActivationAnswer.Failed)
            {
                request.EnrollFailed($"An earlier enrolment left factor {lost.Id} pending and it could not be removed: {removed.Problem}", time.GetUtcNow());
                await SaveOwnedAsync(request, cancellationToken);
                return false;
            }

            LogLostEnrolmentRemoved(request.Number, lost.Id);
            await store.AuditAsync(request, new AuditNote("system", "ChatOpsMfa", "LostEnrolmentRemoved",
                $"factor {lost.Id} ({lost.FactorType}/{lost.Provider}) was pending from an enrolment whose answer was lost; deleted before enrolling again"),
                time.GetUtcNow(), cancellationToken);
        }

        request.MarkEnrollInFlight(false);
        return true;
    }

    /// <summary>Expires every request whose approval window has passed, and reminds the approvers of those left waiting.</summary>
    public async Task ExpireDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var request in await store.ListInStatesAsync([RequestState.AwaitingApproval], cancellationToken))
        {
            using var scope = BeginRequestScope(request);
            if (request.ExpiresAt > now)
            {
                // Nothing is ever approved for want of a decision: the approvers are reminded, once, and it expires.
                if (request.Remind(now, approvals.CurrentValue.ReminderAfter).Succeeded
                    && await SaveAsync(request, MessagesFor(request), cancellationToken) == SaveOutcome.Saved)
                {
                    LogReminded(request.Number);
                    await outbox.DeliverAsync(request.Id, cancellationToken);
                }

                continue;
            }

            if (!request.Expire(now).Succeeded)
            {
                continue;
            }

            if (await SaveAsync(request, MessagesFor(request), cancellationToken) == SaveOutcome.Saved)
            {
                LogExpired(request.Number);
                await outbox.DeliverAsync(request.Id, cancellationToken);
            }
        }
    }

    /// <summary>Whether the request still owes Okta work (a removal that failed, say): then it is tried again later.</summary>
    public async Task<bool> StillOwesOktaWorkAsync(string requestId, CancellationToken cancellationToken) =>
        await store.FindAsync(requestId, cancellationToken) is { NeedsOktaWork: true };

    /// <summary>
    /// Claims the Okta work nobody holds and queues it: at start, what a crash interrupted; later, what an instance
    /// that died was doing (its lease ran out), or what was approved on an instance that stopped before running it.
    /// (The outbox worker sends what was owed.)
    /// </summary>
    public async Task ResumeAsync(CancellationToken cancellationToken)
    {
        foreach (var requestId in await leases.ClaimAsync(LeaseKind.OktaWork, ClaimBatch, cancellationToken))
        {
            if (await store.FindAsync(requestId, cancellationToken) is { NeedsOktaWork: true } request)
            {
                LogResumed(request.Number, request.State);
                queue.Enqueue(request.Id);
            }
        }
    }

    /// <summary>
    /// Saves a request only the worker may change now (no person can act on it mid-flight), with the chat messages its
    /// transitions call for, then delivers them.
    /// </summary>
    private async Task SaveOwnedAsync(
        ResetRequest request, CancellationToken cancellationToken, IReadOnlyList<OutboxMessage>? extra = null, string? crashPoint = null)
    {
        var messages = MessagesFor(request, extra);

        // No person can change a request in the worker's states, but the outbox, delivering in the background, records
        // where it posted the cards: take those over and save again. Any other change means something is wrong.
        var stateLoaded = request.PendingTransitions.Count > 0 ? request.PendingTransitions[0].From : request.State;
        for (var attempt = 0; await SaveAsync(request, messages, cancellationToken) == SaveOutcome.Conflict; attempt++)
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
    internal static IReadOnlyList<OutboxMessage> MessagesFor(ResetRequest request, IReadOnlyList<OutboxMessage>? extra = null)
    {
        if (request.PendingTransitions.Count == 0)
        {
            return extra ?? [];
        }

        List<OutboxMessage> messages =
        [
            new(OutboxKind.ApprovalCard),
            .. request.PendingTransitions.Select(t => new OutboxMessage(
                t.Trigger == RequestTrigger.Reminded ? OutboxKind.Reminder : OutboxKind.ThreadReply, RequestPresenter.ThreadLine(request, t))),
            new(OutboxKind.StatusCard),
        ];
        if (request.IsOnBehalf)
        {
            messages.Add(new OutboxMessage(OutboxKind.TargetNotice));
        }

        if (request.Manager?.ChatUser is not null)
        {
            messages.Add(new OutboxMessage(OutboxKind.ManagerCard));
        }

        // The key card (from the worker) comes before the card where its code is typed.
        messages.AddRange(extra ?? []);

        // The owner's activation card follows the enrolment; the key message goes once the activation ends either way.
        if (request.State is RequestState.AwaitingActivation or RequestState.RemovingFactor or RequestState.ActivationFailed
            || request.ActivationMessage is not null)
        {
            messages.Add(new OutboxMessage(OutboxKind.ActivationCard));
        }

        if (request.PendingTransitions.Any(t => t.Trigger is RequestTrigger.Activated or RequestTrigger.ActivationStopped))
        {
            messages.Add(new OutboxMessage(OutboxKind.KeyRemoval));
        }

        return messages;
    }

    /// <summary>Saves, and counts the outcomes among the transitions that were saved.</summary>
    private async Task<SaveOutcome> SaveAsync(ResetRequest request, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        var transitions = request.PendingTransitions.ToArray();
        var saved = await store.SaveAsync(request, messages, cancellationToken);
        if (saved == SaveOutcome.Saved)
        {
            metrics.Saved(request, transitions);
        }

        return saved;
    }

    /// <summary>Every log line written while a request is handled carries its number (never its id or a person's).</summary>
    private IDisposable? BeginRequestScope(ResetRequest request) =>
        logger.BeginScope(new RequestLogScope(request.Number));

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {Number} created: {FactorType}/{Provider}")]
    private partial void LogRequested(long number, string factorType, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A reset for privileged Okta user {OktaUserId} was refused by policy")]
    private partial void LogRefusedPrivileged(string oktaUserId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {Number}: {Action} done, now {State}")]
    private partial void LogDecided(long number, RequestTrigger action, RequestState state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Number}: {Action} refused: {Reason}")]
    private partial void LogRefused(long number, RequestTrigger action, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {Number}: factor enrolled, Okta status {FactorStatus}")]
    private partial void LogEnrolled(long number, string factorStatus);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {Number} completed: Okta says the new factor is ACTIVE")]
    private partial void LogActivated(long number);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Number}: a wrong activation code, {AttemptsLeft} attempt(s) left")]
    private partial void LogCodeRejected(long number, int attemptsLeft);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Number}: activation stopped ({Reason}); removing the pending factor")]
    private partial void LogActivationStopped(long number, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Number}: removing the pending factor failed ({Problem}); trying again shortly")]
    private partial void LogRemoveFailed(long number, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Number}: polling the Okta Verify activation failed ({Problem})")]
    private partial void LogPollFailed(long number, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Number}: pending factor {FactorId} from a lost enrolment deleted before enrolling again")]
    private partial void LogLostEnrolmentRemoved(long number, string factorId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Number}: Okta work failed, now {State}")]
    private partial void LogOktaFailed(long number, RequestState state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {Number}: approvers reminded")]
    private partial void LogReminded(long number);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {Number} expired")]
    private partial void LogExpired(long number);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {Number}: resuming Okta work from {State}")]
    private partial void LogResumed(long number, RequestState state);
}
