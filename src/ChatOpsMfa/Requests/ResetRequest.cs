using System.Text.Json.Serialization;
using ChatOpsMfa.Channels;
using Stateless;
using Stateless.Graph;

namespace ChatOpsMfa.Requests;

/// <summary>
/// One MFA reset request. It owns its state and is the only caller of <c>Fire</c>: the rest of the bot asks through
/// intent methods (<see cref="Approve"/>, <see cref="Deny"/>, ...) and gets a <see cref="TransitionOutcome"/> back.
/// </summary>
public sealed class ResetRequest
{
    private const string MustBeApprover = "only an authorised approver may decide";
    private const string NotTheRequester = "the requester cannot decide their own request";
    private const string NotTheTarget = "the person being reset cannot approve their own reset";
    private const string NotTwice = "each approver counts once";
    private const string OnlyRequester = "only the requester may cancel";
    private const string OnlyTarget = "only the person being reset may object";
    private const string RequesterUnknown = "the requester's Okta user is not known, so nobody can be shown not to be them";
    private const string OnlyFactorOwner = "only the person whose new factor it is may activate it";

    /// <summary>Wrong codes allowed before the activation stops and needs an approver's Retry: chat is no place to guess codes.</summary>
    public const int MaxWrongCodes = 5;

    private readonly List<RequestTransition> _pendingTransitions = [];
    private StateMachine<RequestState, RequestTrigger>? _machine;
    private StateMachine<RequestState, RequestTrigger>.TriggerWithParameters<Actor>? _approve;
    private StateMachine<RequestState, RequestTrigger>.TriggerWithParameters<Actor>? _deny;
    private StateMachine<RequestState, RequestTrigger>.TriggerWithParameters<Actor>? _cancel;
    private StateMachine<RequestState, RequestTrigger>.TriggerWithParameters<Actor>? _retry;
    private StateMachine<RequestState, RequestTrigger>.TriggerWithParameters<Actor>? _object;
    private StateMachine<RequestState, RequestTrigger>.TriggerWithParameters<Actor>? _confirmManager;
    private StateMachine<RequestState, RequestTrigger>.TriggerWithParameters<Actor>? _reportManager;
    private StateMachine<RequestState, RequestTrigger>.TriggerWithParameters<string>? _resetFailed;
    private StateMachine<RequestState, RequestTrigger>.TriggerWithParameters<string>? _enrollFailed;
    private StateMachine<RequestState, RequestTrigger>.TriggerWithParameters<EnrollmentResult>? _enrolled;
    private StateMachine<RequestState, RequestTrigger>.TriggerWithParameters<string>? _activationStopped;
    private TimeSpan _activationTimeout = TimeSpan.FromMinutes(30);
    private Actor _currentActor = Actor.System;
    private DateTimeOffset _now;
    private string? _currentDetail;

    [JsonConstructor]
    private ResetRequest()
    {
    }

    public ResetRequest(
        string id,
        ChatUser requester,
        ConversationRef requesterConversation,
        TargetUser target,
        FactorRequest factor,
        DateTimeOffset createdAt,
        DateTimeOffset expiresAt,
        int requiredApprovals = 1,
        TargetInsight? insight = null,
        string? approvalNote = null,
        ChatUser? targetChatUser = null,
        string? requesterOktaUserId = null,
        ManagerCheck? manager = null)
    {
        Manager = manager;
        ArgumentOutOfRangeException.ThrowIfLessThan(requiredApprovals, 1);
        Insight = insight;
        ApprovalNote = approvalNote;
        TargetChatUser = targetChatUser;
        Id = id;
        Requester = requester;
        // Asking for one's own reset means the requester is the target: their Okta user came from the requester's email.
        RequesterOktaUserId = requesterOktaUserId ?? (targetChatUser is null ? target.OktaUserId : null);
        RequesterConversation = requesterConversation;
        Target = target;
        Factor = factor;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
        ExpiresAt = expiresAt;
        RequiredApprovals = requiredApprovals;
        State = RequestState.AwaitingApproval;
    }

    [JsonInclude] public string Id { get; private set; } = "";

    /// <summary>The short number people quote ("request #12"). Assigned by the store.</summary>
    [JsonInclude] public long Number { get; internal set; }

    [JsonInclude] public RequestState State { get; private set; }

    /// <summary>Optimistic-concurrency version, owned by the store.</summary>
    [JsonIgnore] public long Version { get; internal set; }

    [JsonInclude] public ChatUser Requester { get; private set; } = null!;

    /// <summary>The requester's Okta user id, established when they asked; approvers must be someone else.</summary>
    [JsonInclude] public string? RequesterOktaUserId { get; private set; }

    [JsonInclude] public ConversationRef RequesterConversation { get; private set; } = null!;

    [JsonInclude] public TargetUser Target { get; private set; } = null!;

    [JsonInclude] public FactorRequest Factor { get; private set; } = null!;

    [JsonInclude] public DateTimeOffset CreatedAt { get; private set; }

    [JsonInclude] public DateTimeOffset UpdatedAt { get; private set; }

    [JsonInclude] public DateTimeOffset ExpiresAt { get; private set; }

    [JsonInclude] public int RequiredApprovals { get; private set; } = 1;

    /// <summary>What Okta said about the target when the request was made, for the approvers.</summary>
    [JsonInclude] public TargetInsight? Insight { get; private set; }

    /// <summary>Why this request needs more than one approval, in plain words.</summary>
    [JsonInclude] public string? ApprovalNote { get; private set; }

    /// <summary>The person being reset, in chat, when someone else (the help desk) asked on their behalf.</summary>
    [JsonInclude] public ChatUser? TargetChatUser { get; private set; }

    /// <summary>The notice that told the target about the request (with its Object button).</summary>
    [JsonInclude] public MessageRef? TargetNotice { get; private set; }

    [JsonIgnore] public bool IsOnBehalf => TargetChatUser is not null;

    /// <summary>The target's manager, when they must confirm before the request can be approved.</summary>
    [JsonInclude] public ManagerCheck? Manager { get; private set; }

    /// <summary>The private card asking the manager to confirm.</summary>
    [JsonInclude] public MessageRef? ManagerCard { get; private set; }

    /// <summary>Approvers' decisions waiting for their own Okta Verify push.</summary>
    [JsonInclude] public List<StepUp> StepUps { get; private set; } = [];

    /// <summary>When the approvers were reminded of this undecided request (once).</summary>
    [JsonInclude] public DateTimeOffset? RemindedAt { get; private set; }

    /// <summary>When the person's Okta sessions and OAuth tokens were revoked, right after the reset.</summary>
    [JsonInclude] public DateTimeOffset? SessionsRevokedAt { get; private set; }

    /// <summary>Why revoking the sessions failed, when it did (the thread was alerted).</summary>
    [JsonInclude] public string? SessionRevocationProblem { get; private set; }

    /// <summary>Until when the person's System Log is watched for the 2023 pattern after the reset.</summary>
    [JsonInclude] public DateTimeOffset? WatchUntil { get; private set; }

    /// <summary>When Okta first said the new factor is ACTIVE.</summary>
    [JsonInclude] public DateTimeOffset? ActivatedAt { get; private set; }

    /// <summary>When the factors were reset: the watch window starts here.</summary>
    [JsonInclude] public DateTimeOffset? WatchStartedAt { get; private set; }

    /// <summary>Up to when the System Log has been read during the watch window.</summary>
    [JsonInclude] public DateTimeOffset? WatchedUpTo { get; private set; }

    /// <summary>System Log events at <see cref="WatchedUpTo"/> already looked at (the next read starts there again).</summary>
    [JsonInclude] public List<string> WatchSeenEvents { get; private set; } = [];

    /// <summary>Security alerts raised during the watch window.</summary>
    [JsonInclude] public int WatchAlerts { get; private set; }

    /// <summary>Why the System Log could not be read during the watch window (said once in the thread).</summary>
    [JsonInclude] public string? WatchProblem { get; private set; }

    /// <summary>Whether the manager's confirmation is still owed before the request can be approved.</summary>
    [JsonIgnore] public bool AwaitsManager => Manager is { ConfirmedAt: null };

    /// <summary>A reset happened and the watch window has not ended at <paramref name="now"/>.</summary>
    /// <summary>Whether the System Log watch still has a stretch of this person's log to read (stored as an indexed flag).</summary>
    [JsonIgnore] public bool WatchPending => WatchUntil is { } until && WatchedUpTo < until;

    public bool IsWatchedAt(DateTimeOffset now) => WatchUntil is { } until && now < until && WatchStartedAt is not null;

    /// <summary>Revoking the sessions is still owed: the factors were reset and nobody revoked or tried yet.</summary>
    [JsonIgnore] public bool NeedsSessionRevocation =>
        State == RequestState.EnrollingFactor && SessionsRevokedAt is null && SessionRevocationProblem is null && WatchStartedAt is not null;

    [JsonInclude] public List<Decision> Decisions { get; private set; } = [];

    [JsonInclude] public EnrollmentResult? Result { get; private set; }

    /// <summary>Okta's refusal in plain words, when the last attempt failed.</summary>
    [JsonInclude] public string? FailureMessage { get; private set; }

    /// <summary>True while an enrol call is on its way to Okta: after a crash its outcome is unknown and must be checked.</summary>
    [JsonInclude] public bool EnrollInFlight { get; private set; }

    /// <summary>The approval card in the support channel; its thread holds the request's history.</summary>
    [JsonInclude] public MessageRef? ApprovalMessage { get; private set; }

    /// <summary>The requester's status card in their private chat, updated in place.</summary>
    [JsonInclude] public MessageRef? StatusMessage { get; private set; }

    /// <summary>The owner's private message with the setup key or QR code; replaced once the activation ends.</summary>
    [JsonInclude] public MessageRef? KeyMessage { get; private set; }

    /// <summary>The owner's "enter the code" card, updated in place.</summary>
    [JsonInclude] public MessageRef? ActivationMessage { get; private set; }

    /// <summary>When the pending factor's activation expires (<c>Activation:Timeout</c> after enrolment).</summary>
    [JsonInclude] public DateTimeOffset? ActivationExpiresAt { get; private set; }

    /// <summary>Codes sent to Okta for this enrolment, counted before each call so a crash or two clicks cannot add guesses.</summary>
    [JsonInclude] public int CodesTried { get; private set; }

    /// <summary>Codes Okta said did not match. Only <see cref="MaxWrongCodes"/> of these stop the activation: a code
    /// counted but still at Okta may be the right one.</summary>
    [JsonInclude] public int WrongCodes { get; private set; }

    /// <summary>New SMS, call or email codes asked for during this enrolment.</summary>
    [JsonInclude] public int CodesResent { get; private set; }

    /// <summary>Why the last activation ended without success ("the activation expired"), for the cards and the thread.</summary>
    [JsonInclude] public string? ActivationEndedBecause { get; private set; }

    /// <summary>The chat platform refused the key card for good (the person blocked the bot, the chat is gone): nobody holds the key.</summary>
    [JsonInclude] public bool KeyUndeliverable { get; private set; }

    /// <summary>The person whose new factor it is: the target of a help-desk request, else the requester.</summary>
    [JsonIgnore] public ChatUser FactorOwner => TargetChatUser ?? Requester;

    [JsonIgnore] public int CodeAttemptsLeft => Math.Max(0, MaxWrongCodes - CodesTried);

    [JsonIgnore] public IEnumerable<Decision> Approvals => Decisions.Where(d => d.Action == RequestTrigger.Approve);

    [JsonIgnore] public int ApprovalsRemaining => Math.Max(0, RequiredApprovals - Approvals.Count());

    [JsonIgnore] public bool IsFinished => State is RequestState.Completed or RequestState.Denied
        or RequestState.Cancelled or RequestState.Expired;

    /// <summary>Waiting for the background worker to call Okta (after approval, a retry, or a restart).</summary>
    /// <summary>The states in which a request still owes Okta work the background worker does (and leases).</summary>
    public static readonly IReadOnlyList<RequestState> OktaWorkStates =
        [RequestState.Approved, RequestState.ResettingFactors, RequestState.EnrollingFactor, RequestState.RemovingFactor];

    [JsonIgnore] public bool NeedsOktaWork => OktaWorkStates.Contains(State);

    private StateMachine<RequestState, RequestTrigger> Machine => _machine ??= BuildMachine();

    public TransitionOutcome Approve(Actor approver, DateTimeOffset now, string? detail = null) =>
        FireWith(_ => Machine.Fire(_approve!, approver), RequestTrigger.Approve, approver, now, detail,
            () => ApprovalRefusal(approver));

    public TransitionOutcome Deny(Actor approver, DateTimeOffset now) =>
        FireWith(_ => Machine.Fire(_deny!, approver), RequestTrigger.Deny, approver, now, null,
            () => DecisionRefusal(approver));

    public TransitionOutcome Cancel(Actor requester, DateTimeOffset now) =>
        FireWith(_ => Machine.Fire(_cancel!, requester), RequestTrigger.Cancel, requester, now, null,
            () => IsRequester(requester) ? null : OnlyRequester);

    public TransitionOutcome Object(Actor target, DateTimeOffset now) =>
        FireWith(_ => Machine.Fire(_object!, target), RequestTrigger.Object, target, now, "the person being reset said they did not ask for it",
            () => IsTargetChatUser(target) ? null : OnlyTarget);

    public TransitionOutcome Retry(Actor approver, DateTimeOffset now, string? detail = null) =>
        FireWith(_ => Machine.Fire(_retry!, approver), RequestTrigger.Retry, approver, now, detail,
            () => DecisionRefusal(approver));

    /// <summary>The target's manager says it really is the target asking; the last thing an approval may wait for.</summary>
    public TransitionOutcome ConfirmManager(Actor manager, DateTimeOffset now) =>
        FireWith(_ => Machine.Fire(_confirmManager!, manager), RequestTrigger.ConfirmManager, manager, now,
            $"{Manager?.Name} confirmed it is {Target?.DisplayName}", () => ManagerRefusal(manager));

    /// <summary>The target's manager could not confirm it is the target: the request is cancelled and the thread alerted.</summary>
    public TransitionOutcome ReportManager(Actor manager, DateTimeOffset now) =>
        FireWith(_ => Machine.Fire(_reportManager!, manager), RequestTrigger.ReportManager, manager, now,
            $"{Manager?.Name}, the manager, could not confirm it is {Target?.DisplayName}", () => ManagerRefusal(manager));

    /// <summary>
    /// An approver's Approve or Retry now waits for their Okta Verify push to <paramref name="factorId"/>. Refused
    /// exactly when the decision itself would be, and while the same person's push is already waiting.
    /// </summary>
    public TransitionOutcome BeginStepUp(Actor approver, RequestTrigger action, string factorId, DateTimeOffset now, TimeSpan timeout)
    {
        if (action is not (RequestTrigger.Approve or RequestTrigger.Retry))
        {
            throw new ArgumentOutOfRangeException(nameof(action), action, "Only Approve and Retry need a step-up.");
        }

        if (!Permits(action, approver))
        {
            return TransitionOutcome.Refused(
                (action == RequestTrigger.Approve ? ApprovalRefusal(approver) : DecisionRefusal(approver)) ?? StateRefusal(action));
        }

        if (StepUps.Any(s => s.By.Id == approver.User.Id || SameOktaUser(s.OktaUserId, approver.OktaUserId)))
        {
            return TransitionOutcome.Refused("your Okta Verify push for this request is already waiting on your phone; accept it there");
        }

        StepUps.Add(new StepUp(Guid.NewGuid().ToString("N"), action, approver.User, approver.OktaUserId!, factorId, now, now + timeout));
        RecordEvent(RequestTrigger.StepUpStarted, approver, now, $"Okta Verify push to {approver.User.Name} to confirm the {Describe(action)}");
        return TransitionOutcome.Done;
    }

    public StepUp? FindStepUp(string stepUpId) => StepUps.FirstOrDefault(s => s.Id == stepUpId);

    /// <summary>Okta took the push: its transaction is what the watcher polls.</summary>
    public TransitionOutcome RecordStepUpSent(string stepUpId, string transactionId, DateTimeOffset now)
    {
        var index = StepUps.FindIndex(s => s.Id == stepUpId);
        if (index < 0)
        {
            return TransitionOutcome.Refused("that Okta Verify push is no longer awaited");
        }

        StepUps[index] = StepUps[index] with { TransactionId = transactionId };
        UpdatedAt = now;
        return TransitionOutcome.Done;
    }

    /// <summary>Okta says the approver accepted the push: their decision counts now, if it still can.</summary>
    public TransitionOutcome CompleteStepUp(string stepUpId, Actor approver, DateTimeOffset now)
    {
        if (FindStepUp(stepUpId) is not { } stepUp)
        {
            return TransitionOutcome.Refused("that Okta Verify push is no longer awaited");
        }

        StepUps.Remove(stepUp);
        if (approver.User.Id != stepUp.By.Id || !SameOktaUser(approver.OktaUserId, stepUp.OktaUserId))
        {
            return TransitionOutcome.Refused("the push was accepted by another Okta user than the one who clicked");
        }

        const string Confirmed = "confirmed with their Okta Verify push";
        var outcome = stepUp.Action == RequestTrigger.Approve ? Approve(approver, now, Confirmed) : Retry(approver, now, Confirmed);
        UpdatedAt = now;
        return outcome;
    }

    /// <summary>The push was rejected (a security event), timed out or could not be sent: the decision does not count.</summary>
    public TransitionOutcome EndStepUp(string stepUpId, bool rejected, string reason, DateTimeOffset now)
    {
        if (FindStepUp(stepUpId) is not { } stepUp)
        {
            return TransitionOutcome.Refused("that Okta Verify push is no longer awaited");
        }

        StepUps.Remove(stepUp);
        RecordEvent(rejected ? RequestTrigger.StepUpRejected : RequestTrigger.StepUpFailed,
            new Actor(stepUp.By, true, stepUp.OktaUserId), now, reason);
        return TransitionOutcome.Done;
    }

    /// <summary>The manager's card could not be delivered: nobody can confirm, so the request cannot be approved.</summary>
    public TransitionOutcome RecordManagerUnreachable(string reason, DateTimeOffset now)
    {
        if (Manager is null || Manager.Problem is not null || Manager.ConfirmedAt is not null || State != RequestState.AwaitingApproval)
        {
            return TransitionOutcome.Refused("the manager's confirmation is not awaited");
        }

        Manager = Manager with { Problem = reason };
        RecordEvent(RequestTrigger.ManagerUnreachable, Actor.System, now, reason);
        return TransitionOutcome.Done;
    }

    /// <summary>One reminder to the approvers, once <paramref name="after"/> has passed undecided; never a decision.</summary>
    public TransitionOutcome Remind(DateTimeOffset now, TimeSpan after)
    {
        if (State != RequestState.AwaitingApproval || RemindedAt is not null || now < CreatedAt + after || now >= ExpiresAt)
        {
            return TransitionOutcome.Refused("no reminder is due");
        }

        RemindedAt = now;
        RecordEvent(RequestTrigger.Reminded, Actor.System, now, $"undecided for {(int)(now - CreatedAt).TotalMinutes} min; {MinutesLeft(now)} min left");
        return TransitionOutcome.Done;
    }

    /// <summary>Whole minutes until the request expires, as of <paramref name="now"/>.</summary>
    public int MinutesLeft(DateTimeOffset now) => (int)Math.Max(0, Math.Ceiling((ExpiresAt - now).TotalMinutes));

    /// <summary>Right after the reset: the person's sessions and OAuth tokens are revoked.</summary>
    public void RecordSessionsRevoked(DateTimeOffset now)
    {
        SessionsRevokedAt = now;
        RecordEvent(RequestTrigger.SessionsRevoked, Actor.System, now, "every Okta session and OAuth token revoked");
    }

    public void RecordSessionRevocationFailed(string problem, DateTimeOffset now)
    {
        SessionRevocationProblem = problem;
        RecordEvent(RequestTrigger.SessionRevocationFailed, Actor.System, now, problem);
    }

    /// <summary>The System Log was read up to <paramref name="upTo"/>; <paramref name="seenAtUpTo"/> are the events published then.</summary>
    public void RecordWatchRead(DateTimeOffset upTo, IEnumerable<string> seenAtUpTo, DateTimeOffset now)
    {
        WatchedUpTo = upTo;
        WatchSeenEvents = [.. seenAtUpTo.Distinct().Take(200)];
        UpdatedAt = now;
    }

    public void RecordWatchAlert(string alert, DateTimeOffset now)
    {
        WatchAlerts++;
        RecordEvent(RequestTrigger.WatchAlert, Actor.System, now, alert);
    }

    /// <summary>The watch cannot read the System Log; said once, so the thread is not flooded.</summary>
    public void RecordWatchProblem(string problem, DateTimeOffset now)
    {
        if (WatchProblem is null)
        {
            WatchProblem = problem;
            RecordEvent(RequestTrigger.WatchAlert, Actor.System, now, $"the System Log could not be read, so this reset is not being watched: {problem}");
        }
    }

    public TransitionOutcome Expire(DateTimeOffset now) =>
        now < ExpiresAt
            ? TransitionOutcome.Refused("the request has not expired yet")
            : FireWith(_ => Machine.Fire(RequestTrigger.Expire), RequestTrigger.Expire, Actor.System, now, null, () => null);

    public TransitionOutcome StartReset(DateTimeOffset now) =>
        FireWith(_ => Machine.Fire(RequestTrigger.StartReset), RequestTrigger.StartReset, Actor.System, now, null, () => null);

    /// <summary>Okta reset the factors; the person's System Log is watched for <paramref name="watchWindow"/> from now.</summary>
    public TransitionOutcome ResetSucceeded(DateTimeOffset now, TimeSpan? watchWindow = null)
    {
        var outcome = FireWith(_ => Machine.Fire(RequestTrigger.ResetSucceeded), RequestTrigger.ResetSucceeded, Actor.System, now, null, () => null);
        if (outcome.Succeeded)
        {
            WatchedUpTo = now;
            WatchStartedAt = now;
            WatchUntil = watchWindow is { } window && window > TimeSpan.Zero ? now + window : null;
        }

        return outcome;
    }

    public TransitionOutcome ResetFailed(string message, DateTimeOffset now) =>
        FireWith(_ => Machine.Fire(_resetFailed!, message), RequestTrigger.ResetFailed, Actor.System, now, message, () => null);

    /// <summary>Okta enrolled the factor: done when it is already ACTIVE, else the activation starts, ending after <paramref name="activationTimeout"/>.</summary>
    public TransitionOutcome EnrollSucceeded(EnrollmentResult result, DateTimeOffset now, TimeSpan? activationTimeout = null)
    {
        _activationTimeout = activationTimeout ?? TimeSpan.FromMinutes(30);
        return FireWith(_ => Machine.Fire(_enrolled!, result), RequestTrigger.EnrollSucceeded, Actor.System, now,
            $"factor {result.FactorId} {result.FactorStatus}", () => null, () => Machine.CanFire(_enrolled!, result));
    }

    /// <summary>
    /// Counts a code before it goes to Okta. Refused unless <paramref name="owner"/> is the person whose factor it is,
    /// the activation is open, and wrong codes are left.
    /// </summary>
    public TransitionOutcome BeginCodeAttempt(Actor owner, DateTimeOffset now)
    {
        if (CodeRefusal(owner, now) is { } refusal)
        {
            return TransitionOutcome.Refused(refusal);
        }

        CodesTried++;
        UpdatedAt = now;
        return TransitionOutcome.Done;
    }

    /// <summary>Okta could not judge the code (it was not reached, or it refused for another reason): the try does not count.</summary>
    public void CodeAttemptNotJudged() => CodesTried = Math.Max(0, CodesTried - 1);

    /// <summary>
    /// Okta said the code did not match. The <see cref="MaxWrongCodes"/>th wrong code stops the activation; a code
    /// that was merely counted may still be at Okta, and may be the right one, so it does not.
    /// </summary>
    public TransitionOutcome CodeRejected(DateTimeOffset now)
    {
        var outcome = FireWith(_ => Machine.Fire(RequestTrigger.CodeRejected), RequestTrigger.CodeRejected, Actor.System, now,
            $"{WrongCodes + 1} wrong code(s); {CodeAttemptsLeft} attempt(s) left", () => null);
        return outcome.Succeeded && WrongCodes >= MaxWrongCodes
            ? StopActivation($"{MaxWrongCodes} wrong codes were entered", now)
            : outcome;
    }

    /// <summary>Counts a request for a new SMS, call or email code; refused for anyone but the owner, or past <paramref name="maxResends"/>.</summary>
    public TransitionOutcome BeginResend(Actor owner, DateTimeOffset now, int maxResends)
    {
        if (CodeRefusal(owner, now) is { } refusal)
        {
            return TransitionOutcome.Refused(refusal);
        }

        if (CodesResent >= maxResends)
        {
            return TransitionOutcome.Refused($"a new code was already sent {CodesResent} time(s), the most allowed; please type the latest code, or ask the help desk");
        }

        CodesResent++;
        UpdatedAt = now;
        return TransitionOutcome.Done;
    }

    /// <summary>Okta did not send the new code: the request does not count.</summary>
    public void ResendNotDone() => CodesResent = Math.Max(0, CodesResent - 1);

    /// <summary>Okta says the new factor is ACTIVE: the recovery is done.</summary>
    public TransitionOutcome Activated(DateTimeOffset now) =>
        FireWith(_ => Machine.Fire(RequestTrigger.Activated), RequestTrigger.Activated, Actor.System, now,
            $"factor {Result?.FactorId} ACTIVE", () => null);

    /// <summary>The activation cannot finish; the pending factor is to be removed from Okta.</summary>
    public TransitionOutcome StopActivation(string reason, DateTimeOffset now) =>
        FireWith(_ => Machine.Fire(_activationStopped!, reason), RequestTrigger.ActivationStopped, Actor.System, now, reason, () => null);

    /// <summary>Stops an activation whose time is up.</summary>
    public TransitionOutcome ExpireActivation(DateTimeOffset now) =>
        State != RequestState.AwaitingActivation || ActivationExpiresAt is not { } expiresAt || now < expiresAt
            ? TransitionOutcome.Refused("the activation has not expired")
            : StopActivation("the activation expired before the factor was activated", now);

    /// <summary>The pending factor is gone from Okta.</summary>
    public TransitionOutcome FactorRemoved(DateTimeOffset now) =>
        FireWith(_ => Machine.Fire(RequestTrigger.FactorRemoved), RequestTrigger.FactorRemoved, Actor.System, now,
            $"factor {Result?.FactorId} deleted in Okta", () => null);

    public TransitionOutcome EnrollFailed(string message, DateTimeOffset now) =>
        FireWith(_ => Machine.Fire(_enrollFailed!, message), RequestTrigger.EnrollFailed, Actor.System, now, message, () => null);

    /// <summary>Marks the enrol call as sent (true) or answered (false); persisted before and after the call.</summary>
    public void MarkEnrollInFlight(bool inFlight) => EnrollInFlight = inFlight;

    /// <summary>The phone number or email only serves the enrol call; once the request ends, keep the masked form only.</summary>
    public void ForgetContactDetails() => Factor = Factor with { PhoneNumber = null, Email = null };

    public void RecordApprovalMessage(MessageRef message) => ApprovalMessage = message;

    public void RecordStatusMessage(MessageRef message) => StatusMessage = message;

    public void RecordTargetNotice(MessageRef message) => TargetNotice = message;

    public void RecordManagerCard(MessageRef message) => ManagerCard = message;

    public void RecordKeyMessage(MessageRef message) => KeyMessage = message;

    /// <summary>The key message was replaced: nothing is left to remove.</summary>
    public void RecordKeyRemoved() => KeyMessage = null;

    public void RecordActivationMessage(MessageRef message) => ActivationMessage = message;

    /// <summary>The key card can never be delivered: the activation is stopped by the watcher, and the factor removed.</summary>
    public void RecordKeyUndeliverable() => KeyUndeliverable = true;

    /// <summary>Takes where the cards were posted from <paramref name="stored"/>, the newer stored copy, and its version.</summary>
    internal void AdoptPostedMessages(ResetRequest stored)
    {
        ApprovalMessage = stored.ApprovalMessage ?? ApprovalMessage;
        StatusMessage = stored.StatusMessage ?? StatusMessage;
        TargetNotice = stored.TargetNotice ?? TargetNotice;
        ManagerCard = stored.ManagerCard ?? ManagerCard;
        KeyMessage = stored.KeyMessage ?? KeyMessage;
        ActivationMessage = stored.ActivationMessage ?? ActivationMessage;
        Version = stored.Version;
    }

    /// <summary>Whether <paramref name="actor"/> could fire <paramref name="trigger"/> now; drives the buttons on cards.</summary>
    public bool Permits(RequestTrigger trigger, Actor actor) => trigger switch
    {
        RequestTrigger.Approve => Machine.CanFire(_approve!, actor),
        RequestTrigger.Deny => Machine.CanFire(_deny!, actor),
        RequestTrigger.Cancel => Machine.CanFire(_cancel!, actor),
        RequestTrigger.Retry => Machine.CanFire(_retry!, actor),
        RequestTrigger.Object => Machine.CanFire(_object!, actor),
        RequestTrigger.ConfirmManager => Machine.CanFire(_confirmManager!, actor),
        RequestTrigger.ReportManager => Machine.CanFire(_reportManager!, actor),
        _ => Machine.CanFire(trigger),
    };

    /// <summary>The transitions made since the last save, not yet audited.</summary>
    [JsonIgnore] public IReadOnlyList<RequestTransition> PendingTransitions => _pendingTransitions;

    /// <summary>The transitions made since the last call, for the audit trail.</summary>
    public IReadOnlyList<RequestTransition> DrainTransitions()
    {
        var drained = _pendingTransitions.ToArray();
        _pendingTransitions.Clear();
        return drained;
    }

    /// <summary>The machine as a Mermaid state diagram, exported by Stateless from the real configuration.</summary>
    public static string MermaidDiagram()
    {
        var sample = new ResetRequest();
        return MermaidGraph.Format(sample.Machine.GetInfo());
    }

    private TransitionOutcome FireWith(
        Action<object?> fire, RequestTrigger trigger, Actor actor, DateTimeOffset now, string? detail, Func<string?> refusal,
        Func<bool>? permitted = null)
    {
        var canFire = permitted is not null ? permitted() : trigger switch
        {
            RequestTrigger.Approve or RequestTrigger.Deny or RequestTrigger.Cancel or RequestTrigger.Retry or RequestTrigger.Object
                or RequestTrigger.ConfirmManager or RequestTrigger.ReportManager => Permits(trigger, actor),
            _ => Machine.CanFire(trigger),
        };
        if (!canFire)
        {
            return TransitionOutcome.Refused(refusal() ?? StateRefusal(trigger));
        }

        _currentActor = actor;
        _now = now;
        _currentDetail = detail;
        fire(null);
        UpdatedAt = now;
        if (State is not (RequestState.AwaitingApproval or RequestState.Failed or RequestState.EnrollFailed or RequestState.ActivationFailed))
        {
            // Nothing is left to approve or retry: pushes still on approvers' phones no longer count for anything.
            StepUps.Clear();
        }

        if (IsFinished)
        {
            // The phone number or email only served the enrol call; an ended request keeps neither.
            ForgetContactDetails();
        }

        return TransitionOutcome.Done;
    }

    private string StateRefusal(RequestTrigger trigger) => State switch
    {
        RequestState.AwaitingApproval => $"{Describe(trigger)} is not possible while the request awaits approval",
        RequestState.Completed => $"this request was already approved by {DecidedBy(RequestTrigger.Approve)} and is completed",
        RequestState.Denied => $"this request was already denied by {DecidedBy(RequestTrigger.Deny)}",
        RequestState.Cancelled => "this request was cancelled by the requester",
        RequestState.Expired => "this request has expired",
        RequestState.Approved or RequestState.ResettingFactors or RequestState.EnrollingFactor or RequestState.RemovingFactor =>
            $"this request was already approved by {DecidedBy(RequestTrigger.Approve)} and is being carried out",
        RequestState.AwaitingActivation =>
            $"this request was already approved by {DecidedBy(RequestTrigger.Approve)}; the new factor waits for its owner to activate it",
        _ => $"{Describe(trigger)} is not possible now (the request is {State})",
    };

    private string DecidedBy(RequestTrigger action) =>
        Decisions.LastOrDefault(d => d.Action == action)?.By.Name ?? "someone else";

    private static string Describe(RequestTrigger trigger) => trigger.ToString().ToLowerInvariant();

    // Fails closed: someone whose Okta user is unknown cannot be shown to be neither requester nor target.
    private string? DecisionRefusal(Actor actor) =>
        actor.OktaUserId is null ? UnknownIdentity(actor)
        : !actor.IsAuthorisedApprover ? MustBeApprover
        : IsRequesterChatAccount(actor) ? NotTheRequester
        : IsTarget(actor) ? NotTheTarget
        : IsRequester(actor) ? NotTheRequester
        : RequesterOktaUserId is null ? RequesterUnknown
        : null;

    private static string UnknownIdentity(Actor actor) =>
        $"I could not establish who you are in Okta ({actor.IdentityProblem ?? "no Okta user"}), so you cannot approve, deny or retry";

    private string? ApprovalRefusal(Actor actor) =>
        DecisionRefusal(actor)
        ?? (HasApproved(actor) ? NotTwice
            : IsManagerActor(actor) ? $"as {Target?.DisplayName}'s manager you confirm on your own card; an approval must come from someone else"
            : Manager?.Problem is { } blocked ? $"approval cannot complete: {blocked}"
            : null);

    private string? ManagerRefusal(Actor actor) =>
        Manager is null ? "this request does not need a manager's confirmation"
        : actor.OktaUserId is null ? $"I could not establish who you are in Okta ({actor.IdentityProblem ?? "no Okta user"}), so you cannot confirm"
        : !SameOktaUser(actor.OktaUserId, Manager.OktaUserId) ? $"only {Manager.Name}, {Target?.DisplayName}'s manager in Okta, can confirm or report this request"
        : IsRequester(actor) || IsTarget(actor) ? "the requester or the person being reset cannot also vouch as the manager"
        : Manager.Problem is { } blocked ? $"the manager's confirmation is blocked: {blocked}"
        : Manager.ConfirmedAt is not null ? $"{Manager.Name} already confirmed this request"
        : null;

    private bool IsManagerActor(Actor actor) => Manager?.OktaUserId is { } id && SameOktaUser(actor.OktaUserId, id);

    private bool MayVouchAsManager(Actor actor) => ManagerRefusal(actor) is null;

    private bool ManagerSatisfied => Manager is null || Manager.ConfirmedAt is not null;

    private bool IsRequesterChatAccount(Actor actor) => string.Equals(actor.User.Id, Requester?.Id, StringComparison.Ordinal);

    private bool IsRequester(Actor actor) => IsRequesterChatAccount(actor) || SameOktaUser(actor.OktaUserId, RequesterOktaUserId);

    private string? CodeRefusal(Actor actor, DateTimeOffset now) =>
        State != RequestState.AwaitingActivation ? State switch
        {
            RequestState.Completed => "this factor is already active",
            RequestState.RemovingFactor or RequestState.ActivationFailed =>
                $"this activation has ended ({ActivationEndedBecause}); the help desk can try again",
            _ => $"the factor cannot be activated now (the request is {State})",
        }
        : !IsFactorOwner(actor) ? OnlyFactorOwner
        : ActivationExpiresAt is { } expiresAt && now >= expiresAt ? "the activation has expired; the help desk can try again"
        : CodeAttemptsLeft == 0 ? $"{MaxWrongCodes} codes were already sent to Okta for this activation, so no more are accepted; if none of them matches, the help desk can start it again"
        : null;

    // The owner in chat, and the same Okta user as the target: a second chat account of someone else is not enough.
    private bool IsFactorOwner(Actor actor) =>
        string.Equals(actor.User.Id, FactorOwner.Id, StringComparison.Ordinal) && SameOktaUser(actor.OktaUserId, Target?.OktaUserId);

    private bool IsActive(EnrollmentResult result) => string.Equals(result.FactorStatus, "ACTIVE", StringComparison.OrdinalIgnoreCase);

    private bool IsPending(EnrollmentResult result) => !IsActive(result);

    private bool IsTarget(Actor actor) => SameOktaUser(actor.OktaUserId, Target?.OktaUserId);

    private bool IsTargetChatUser(Actor actor) =>
        TargetChatUser is not null &&
        (string.Equals(actor.User.Id, TargetChatUser.Id, StringComparison.Ordinal) || IsTarget(actor));

    // Two chat accounts of one Okta user are one person: they approve once.
    private bool HasApproved(Actor actor) =>
        Approvals.Any(d => d.By.Id == actor.User.Id || SameOktaUser(d.OktaUserId, actor.OktaUserId));

    private static bool SameOktaUser(string? one, string? other) =>
        one is not null && other is not null && string.Equals(one, other, StringComparison.Ordinal);

    private bool MayApprove(Actor actor) => ApprovalRefusal(actor) is null;

    private bool MayDecide(Actor actor) => DecisionRefusal(actor) is null;

    private bool IsLastApproval(Actor actor) => MayApprove(actor) && ApprovalsRemaining <= 1 && ManagerSatisfied;

    private bool IsNotLastApproval(Actor actor) => MayApprove(actor) && (ApprovalsRemaining > 1 || !ManagerSatisfied);

    private StateMachine<RequestState, RequestTrigger> BuildMachine()
    {
        var machine = new StateMachine<RequestState, RequestTrigger>(() => State, s => State = s);
        _approve = machine.SetTriggerParameters<Actor>(RequestTrigger.Approve);
        _deny = machine.SetTriggerParameters<Actor>(RequestTrigger.Deny);
        _cancel = machine.SetTriggerParameters<Actor>(RequestTrigger.Cancel);
        _retry = machine.SetTriggerParameters<Actor>(RequestTrigger.Retry);
        _object = machine.SetTriggerParameters<Actor>(RequestTrigger.Object);
        _confirmManager = machine.SetTriggerParameters<Actor>(RequestTrigger.ConfirmManager);
        _reportManager = machine.SetTriggerParameters<Actor>(RequestTrigger.ReportManager);
        _resetFailed = machine.SetTriggerParameters<string>(RequestTrigger.ResetFailed);
        _enrollFailed = machine.SetTriggerParameters<string>(RequestTrigger.EnrollFailed);
        _enrolled = machine.SetTriggerParameters<EnrollmentResult>(RequestTrigger.EnrollSucceeded);
        _activationStopped = machine.SetTriggerParameters<string>(RequestTrigger.ActivationStopped);

        machine.Configure(RequestState.AwaitingApproval)
            .PermitIf(_approve, RequestState.Approved, IsLastApproval, "authorised approver, not requester or target, final approval")
            .InternalTransitionIf(_approve, IsNotLastApproval, (actor, _) => Record(RequestTrigger.Approve, actor),
                "authorised approver, not requester or target, more approvals needed")
            .PermitIf(_deny, RequestState.Denied, MayDecide, "authorised approver, not requester or target")
            .PermitIf(_cancel, RequestState.Cancelled, IsRequester, "requester only")
            .PermitIf(_object, RequestState.Cancelled, IsTargetChatUser, "person being reset only")
            .PermitIf(_confirmManager, RequestState.Approved, a => MayVouchAsManager(a) && ApprovalsRemaining == 0,
                "target's manager, approvals complete")
            .InternalTransitionIf(_confirmManager, a => MayVouchAsManager(a) && ApprovalsRemaining > 0, (actor, _) => RecordManagerConfirmed(actor),
                "target's manager, approvals still needed")
            .PermitIf(_reportManager, RequestState.Cancelled, MayVouchAsManager, "target's manager only")
            .Permit(RequestTrigger.Expire, RequestState.Expired);

        machine.Configure(RequestState.Approved)
            .OnEntryFrom(_approve, actor => Record(RequestTrigger.Approve, actor), "record approver")
            .OnEntryFrom(_retry, actor => Record(RequestTrigger.Retry, actor), "record who retried")
            .OnEntryFrom(_confirmManager, RecordManagerConfirmed, "record the manager's confirmation")
            .Permit(RequestTrigger.StartReset, RequestState.ResettingFactors);

        machine.Configure(RequestState.ResettingFactors)
            .Permit(RequestTrigger.ResetSucceeded, RequestState.EnrollingFactor)
            .Permit(RequestTrigger.ResetFailed, RequestState.Failed);

        machine.Configure(RequestState.EnrollingFactor)
            .OnEntryFrom(_retry, actor =>
            {
                Record(RequestTrigger.Retry, actor);
                StartNewEnrolment();
            }, "record who retried, start a new enrolment")
            .PermitIf(_enrolled, RequestState.AwaitingActivation, IsPending, "Okta says PENDING_ACTIVATION")
            .PermitIf(_enrolled, RequestState.Completed, IsActive, "Okta says ACTIVE")
            .Permit(RequestTrigger.EnrollFailed, RequestState.EnrollFailed);

        machine.Configure(RequestState.AwaitingActivation)
            .OnEntryFrom(_enrolled, result =>
            {
                Result = result;
                FailureMessage = null;
                ActivationExpiresAt = _now + _activationTimeout;
            }, "keep factor id, start the activation clock")
            .InternalTransitionIf(RequestTrigger.CodeRejected, _ => WrongCodes < CodesTried, _ =>
            {
                WrongCodes++;
                // Internal transitions do not raise OnTransitioned; each wrong code is audited all the same.
                _pendingTransitions.Add(new RequestTransition(RequestTrigger.CodeRejected, State, State, _currentActor, _now, _currentDetail));
            }, "count the wrong code")
            .Permit(RequestTrigger.Activated, RequestState.Completed)
            .Permit(RequestTrigger.ActivationStopped, RequestState.RemovingFactor);

        machine.Configure(RequestState.RemovingFactor)
            .OnEntryFrom(_activationStopped, reason => ActivationEndedBecause = reason, "keep why")
            .Permit(RequestTrigger.FactorRemoved, RequestState.ActivationFailed);

        machine.Configure(RequestState.ActivationFailed)
            .OnEntry(() => FailureMessage = $"The activation did not finish: {ActivationEndedBecause}. The pending factor was removed from Okta.",
                "keep why")
            .PermitIf(_retry, RequestState.EnrollingFactor, MayDecide, "authorised approver, not requester or target");

        machine.Configure(RequestState.Completed)
            .OnEntryFrom(_enrolled, result =>
            {
                Result = result;
                FailureMessage = null;
                ActivatedAt = _now;
            }, "keep factor id and status")
            .OnEntryFrom(RequestTrigger.Activated, () =>
            {
                Result = Result! with { FactorStatus = "ACTIVE" };
                ActivationEndedBecause = null;
                ActivatedAt = _now;
            }, "factor ACTIVE");

        machine.Configure(RequestState.Failed)
            .OnEntryFrom(_resetFailed, message => FailureMessage = message, "keep Okta's reason")
            .PermitIf(_retry, RequestState.Approved, MayDecide, "authorised approver, not requester or target");

        machine.Configure(RequestState.EnrollFailed)
            .OnEntryFrom(_enrollFailed, message => FailureMessage = message, "keep Okta's reason")
            .PermitIf(_retry, RequestState.EnrollingFactor, MayDecide, "authorised approver, not requester or target");

        machine.Configure(RequestState.Denied).OnEntryFrom(_deny, actor => Record(RequestTrigger.Deny, actor), "record who denied");
        machine.Configure(RequestState.Cancelled)
            .OnEntryFrom(_cancel, actor => Record(RequestTrigger.Cancel, actor), "record cancellation")
            .OnEntryFrom(_object, actor => Record(RequestTrigger.Object, actor), "record objection")
            .OnEntryFrom(_reportManager, actor => Record(RequestTrigger.ReportManager, actor), "record the manager's report");

        machine.OnTransitioned(t => _pendingTransitions.Add(
            new RequestTransition(t.Trigger, t.Source, t.Destination, _currentActor, _now, _currentDetail)));
        return machine;
    }

    private void StartNewEnrolment()
    {
        CodesTried = 0;
        WrongCodes = 0;
        CodesResent = 0;
        KeyUndeliverable = false;
        ActivationExpiresAt = null;
        ActivationEndedBecause = null;
    }

    private void Record(RequestTrigger action, Actor actor)
    {
        Decisions.Add(new Decision(action, actor.User, _now, actor.OktaUserId));
        if (action == RequestTrigger.Approve && State == RequestState.AwaitingApproval)
        {
            // An internal transition (more approvals needed) does not raise OnTransitioned; audit it all the same.
            var still = ApprovalsRemaining > 0 ? $"{ApprovalsRemaining} approval(s) still needed" : $"waiting for {Manager?.Name}, the manager, to confirm";
            _pendingTransitions.Add(new RequestTransition(action, State, State, actor, _now,
                _currentDetail is null ? still : $"{_currentDetail}; {still}"));
        }
    }

    private void RecordManagerConfirmed(Actor actor)
    {
        Manager = Manager! with { ConfirmedAt = _now };
        Decisions.Add(new Decision(RequestTrigger.ConfirmManager, actor.User, _now, actor.OktaUserId));
        if (State == RequestState.AwaitingApproval)
        {
            _pendingTransitions.Add(new RequestTransition(RequestTrigger.ConfirmManager, State, State, actor, _now,
                $"{_currentDetail}; {ApprovalsRemaining} approval(s) still needed"));
        }
    }

    /// <summary>Something that happened within the current state (a step-up, a reminder, an alert): audited and told in the thread.</summary>
    private void RecordEvent(RequestTrigger trigger, Actor actor, DateTimeOffset now, string? detail)
    {
        _pendingTransitions.Add(new RequestTransition(trigger, State, State, actor, now, detail));
        UpdatedAt = now;
    }
}
