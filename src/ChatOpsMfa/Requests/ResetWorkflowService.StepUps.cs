using System.Globalization;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Telemetry;

namespace ChatOpsMfa.Requests;

// The approver's Okta Verify step-up, the containment right after a reset, and the System Log watch that follows it.
public sealed partial class ResetWorkflowService
{
    private static readonly RequestState[] StepUpStates =
        [RequestState.AwaitingApproval, RequestState.Failed, RequestState.EnrollFailed, RequestState.ActivationFailed];

    /// <summary>A push still without a transaction after this long was interrupted (the bot was killed while sending it).</summary>
    private static readonly TimeSpan SendGrace = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Approve or Retry with step-up: the decision is held, and counts only once the approver accepts an Okta Verify
    /// push on their own device. Refused up front (no push sent) when the decision could not count anyway, or when the
    /// approver has no active push factor.
    /// </summary>
    private async Task<RequestOutcome> BeginStepUpAsync(Actor actor, string requestId, RequestTrigger action, CancellationToken cancellationToken)
    {
        var user = actor.User;
        var request = await store.FindAsync(requestId, cancellationToken);
        if (request is null)
        {
            return RequestOutcome.Refused("That request does not exist (any more).");
        }

        var timeout = approvals.CurrentValue.VerificationTimeout;
        var now = time.GetUtcNow();
        var probe = request.BeginStepUp(actor, action, "-", now, timeout);
        var (factorId, noFactor) = probe.Succeeded ? await stepUps.FindPushFactorAsync(actor.OktaUserId!, cancellationToken) : (null, null);
        var refusal = probe.Refusal ?? (factorId is null ? $"{noFactor}. Another approver can decide, or you can Deny (which needs no push)" : null);
        if (refusal is not null)
        {
            // The probe changed only the loaded copy; the stored request is untouched.
            var stored = await store.FindAsync(requestId, cancellationToken) ?? request;
            await store.AuditAsync(stored, new AuditNote(user.Id, user.Name, $"{action}Refused", refusal), now, cancellationToken);
            LogRefused(stored.Number, action, refusal);
            return RequestOutcome.Refused($"{RequestPresenter.Reference(stored)}: {Capitalise(refusal)}.", stored);
        }

        var (waiting, raced) = await UpdateAsync(requestId, r => r.BeginStepUp(actor, action, factorId!, time.GetUtcNow(), timeout), cancellationToken);
        if (waiting is null)
        {
            return RequestOutcome.Refused(raced!);
        }

        var stepUp = waiting.StepUps.Last(s => s.By.Id == user.Id);
        using var scope = BeginRequestScope(waiting);
        LogStepUpStarted(waiting.Number, action);
        var sent = await stepUps.SendAsync(stepUp, cancellationToken);
        if (sent.Answer != StepUpAnswer.Waiting)
        {
            metrics.StepUp("failed");
            var (ended, _) = await UpdateAsync(requestId,
                r => r.EndStepUp(stepUp.Id, rejected: false, $"the Okta Verify push to {user.Name} could not be sent ({sent.Problem})", time.GetUtcNow()),
                cancellationToken);
            return RequestOutcome.Refused(
                $"{RequestPresenter.Reference(waiting)}: Okta could not send the Okta Verify push ({sent.Problem}), so your {Describe(action)} did not count. Please try again.",
                ended ?? waiting);
        }

        var (recorded, _) = await UpdateAsync(requestId, r => r.RecordStepUpSent(stepUp.Id, sent.TransactionId!, time.GetUtcNow()), cancellationToken);
        return RequestOutcome.Done(recorded ?? waiting) with
        {
            Notice = string.Create(CultureInfo.InvariantCulture,
                $"{RequestPresenter.Reference(waiting)}: I sent an Okta Verify push to your phone. Your {Describe(action)} counts only once you accept it there (within {Duration(timeout)}). If you did not click {(action == RequestTrigger.Retry ? "Try again" : "Approve")}, reject the push."),
        };
    }

    /// <summary>
    /// Runs with <c>Approvals:VerificationPollInterval</c>: asks Okta about every push an approver still owes an answer
    /// to. SUCCESS counts the decision (the approver is checked again first), REJECTED is a security event in the thread
    /// and the audit trail, and a push unanswered within <c>Approvals:VerificationTimeout</c> counts for nothing.
    /// </summary>
    public async Task WatchStepUpsAsync(CancellationToken cancellationToken)
    {
        foreach (var request in await store.ListInStatesAsync(StepUpStates, cancellationToken))
        {
            foreach (var stepUp in request.StepUps.ToArray())
            {
                await WatchStepUpAsync(request, stepUp, cancellationToken);
            }
        }
    }

    private async Task WatchStepUpAsync(ResetRequest request, StepUp stepUp, CancellationToken cancellationToken)
    {
        using var activity = ChatOpsMfaTracing.Source.StartActivity("request step-up poll");
        using var scope = BeginRequestScope(request);
        var now = time.GetUtcNow();
        var name = stepUp.By.Name;
        if (now >= stepUp.ExpiresAt)
        {
            metrics.StepUp("timed_out");
            await EndStepUpAsync(request, stepUp, false,
                $"{name}'s Okta Verify push was not answered within {Duration(stepUp.ExpiresAt - stepUp.StartedAt)}",
                cancellationToken);
            return;
        }

        if (stepUp.TransactionId is null)
        {
            if (now - stepUp.StartedAt > SendGrace)
            {
                metrics.StepUp("failed");
                await EndStepUpAsync(request, stepUp, false, $"the Okta Verify push to {name} was interrupted before Okta confirmed it", cancellationToken);
            }

            return;
        }

        var answer = await stepUps.PollAsync(stepUp, cancellationToken);
        switch (answer.Answer)
        {
            case StepUpAnswer.Success:
                metrics.StepUp("accepted");
                // Still an approver now? Group membership is asked again: a push accepted after removal counts for nothing.
                var actor = await policy.ActorForAsync(stepUp.By, cancellationToken);
                var (decided, refusal) = await UpdateAsync(request.Id, r => r.CompleteStepUp(stepUp.Id, actor, time.GetUtcNow()), cancellationToken);
                if (decided is null)
                {
                    await EndStepUpAsync(request, stepUp, false, $"{name} accepted the Okta Verify push, but the {Describe(stepUp.Action)} could not count: {refusal}", cancellationToken);
                    return;
                }

                LogStepUpSucceeded(decided.Number, stepUp.Action, decided.State);
                if (decided.NeedsOktaWork)
                {
                    queue.Enqueue(decided.Id);
                }

                return;
            case StepUpAnswer.Rejected:
                metrics.StepUp("rejected");
                LogStepUpRejected(request.Number, stepUp.OktaUserId);
                await EndStepUpAsync(request, stepUp, true,
                    $"{name}'s Okta Verify push was REJECTED on their device, so the {Describe(stepUp.Action)} did not count. If {name} did not reject it, someone else may be clicking with their chat account",
                    cancellationToken);
                return;
            case StepUpAnswer.TimedOut:
                metrics.StepUp("timed_out");
                await EndStepUpAsync(request, stepUp, false, $"Okta says {name}'s Okta Verify push timed out", cancellationToken);
                return;
            case StepUpAnswer.Failed:
                LogStepUpPollFailed(request.Number, answer.Problem!);
                return;
        }
    }

    private async Task EndStepUpAsync(ResetRequest request, StepUp stepUp, bool rejected, string reason, CancellationToken cancellationToken) =>
        await UpdateAsync(request.Id, r => r.EndStepUp(stepUp.Id, rejected, reason, time.GetUtcNow()), cancellationToken);

    /// <summary>
    /// Right after the reset: every Okta session and OAuth token of the person is revoked, once, and recorded. A session
    /// opened by whoever holds the account must not outlive its MFA. A failure is said loudly; the recovery goes on.
    /// </summary>
    private async Task RevokeSessionsAsync(ResetRequest request, CancellationToken cancellationToken)
    {
        if (!containmentOptions.CurrentValue.RevokeSessionsOnReset || !request.NeedsSessionRevocation)
        {
            return;
        }

        var problem = await containment.RevokeSessionsAsync(request.Target.OktaUserId, cancellationToken);
        if (problem is null)
        {
            request.RecordSessionsRevoked(time.GetUtcNow());
            LogSessionsRevoked(request.Number);
        }
        else
        {
            request.RecordSessionRevocationFailed(problem, time.GetUtcNow());
            LogSessionsNotRevoked(request.Number, problem);
        }

        await SaveOwnedAsync(request, cancellationToken);
    }

    /// <summary>
    /// Runs with <c>Monitoring:PollInterval</c>: reads the System Log of every person reset within
    /// <c>Monitoring:WatchWindow</c>, and raises an alert in the request's thread and audit trail for each event of the
    /// 2023 pattern (admin console, privilege grants, identity providers, policies, further factor changes).
    /// </summary>
    public async Task WatchSystemLogAsync(CancellationToken cancellationToken)
    {
        foreach (var request in await store.ListWatchPendingAsync(cancellationToken))
        {
            // Read until the window's end has been read: the last read after it closes catches events that arrived late.
            if (request.WatchPending)
            {
                await WatchOneAsync(request, time.GetUtcNow(), cancellationToken);
            }
        }
    }

    private async Task WatchOneAsync(ResetRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = request.WatchedUpTo!.Value;
        var until = now < request.WatchUntil!.Value ? now : request.WatchUntil.Value;
        var (events, problem) = await containment.ReadLogAsync(since, until, OktaContainmentRunner.UserFilter("actor.id", request.Target.OktaUserId), cancellationToken);
        if (events is null)
        {
            LogWatchFailed(request.Number, problem!);
            await UpdateAsync(request.Id, r =>
            {
                r.RecordWatchProblem(problem!, time.GetUtcNow());
                return TransitionOutcome.Done;
            }, cancellationToken);
            return;
        }

        var fresh = events.Where(e => e.Published >= since && !request.WatchSeenEvents.Contains(e.Uuid, StringComparer.Ordinal)).ToList();
        var alerts = fresh
            .Select(e => (Event: e, What: WatchPatterns.Describe(e, request.Result?.FactorId, request.ActivatedAt)))
            .Where(a => a.What is not null)
            .Select(a => AlertText(request, a.Event, a.What!))
            .ToList();
        // Events can reach the log late: the next read starts at the newest event seen, not at "now".
        var upTo = events.Count > 0 ? events.Max(e => e.Published) : since;
        var seen = events.Where(e => e.Published == upTo).Select(e => e.Uuid)
            .Concat(upTo == since ? request.WatchSeenEvents : []);
        if (now >= request.WatchUntil.Value)
        {
            upTo = request.WatchUntil.Value;
        }

        await UpdateAsync(request.Id, r =>
        {
            r.RecordWatchRead(upTo, seen, time.GetUtcNow());
            foreach (var alert in alerts)
            {
                r.RecordWatchAlert(alert, time.GetUtcNow());
            }

            return TransitionOutcome.Done;
        }, cancellationToken);
        foreach (var _ in alerts)
        {
            LogWatchAlert(request.Number);
        }
    }

    private static string AlertText(ResetRequest request, SystemLogEvent logEvent, string what)
    {
        var minutes = request.WatchStartedAt is { } start ? (int)(logEvent.Published - start).TotalMinutes : 0;
        var from = logEvent.Country is { } country ? $", from {(logEvent.City is { } city ? $"{city}, " : "")}{country}" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{request.Target.Login} {what} ({logEvent.EventType} at {logEvent.Published.UtcDateTime:HH:mm} UTC{from}), {Math.Max(0, minutes)} min after the reset");
    }

    private static string Duration(TimeSpan span) => span < TimeSpan.FromMinutes(1)
        ? string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)Math.Round(span.TotalSeconds))} s")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min");

    private static string Describe(RequestTrigger action) => action == RequestTrigger.Retry ? "retry" : "approval";

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {Number}: {Action} waits for the approver's Okta Verify push")]
    private partial void LogStepUpStarted(long number, RequestTrigger action);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {Number}: Okta Verify accepted, {Action} counted, now {State}")]
    private partial void LogStepUpSucceeded(long number, RequestTrigger action, RequestState state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Number}: SECURITY: approver {OktaUserId} rejected the Okta Verify push for their own decision")]
    private partial void LogStepUpRejected(long number, string oktaUserId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Number}: polling an approver's Okta Verify push failed ({Problem})")]
    private partial void LogStepUpPollFailed(long number, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {Number}: the person's Okta sessions and OAuth tokens were revoked")]
    private partial void LogSessionsRevoked(long number);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {Number}: revoking the person's Okta sessions failed ({Problem})")]
    private partial void LogSessionsNotRevoked(long number, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Number}: reading the System Log for the watch window failed ({Problem})")]
    private partial void LogWatchFailed(long number, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Number}: SECURITY: System Log event of the post-reset pattern in the watch window")]
    private partial void LogWatchAlert(long number);
}
