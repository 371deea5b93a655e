using System.Diagnostics;
using System.Diagnostics.Metrics;
using ChatOpsMfa.Requests;

namespace ChatOpsMfa.Telemetry;

/// <summary>
/// The bot's own instruments (Prometheus shows them as <c>chatopsmfa_*</c>). Every label comes from a small fixed set:
/// outcomes, Okta operation ids, HTTP status codes. Never a user id, email, phone number or request id.
/// </summary>
public sealed class ChatOpsMfaMetrics
{
    public const string MeterName = "ChatOpsMfa";

    /// <summary>From minutes to a working day: how long a request waits for its decision.</summary>
    private static readonly double[] DecisionBuckets = [5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400];

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _decisionTime;
    private readonly Counter<long> _oktaCalls;
    private readonly Counter<long> _stepUps;

    public ChatOpsMfaMetrics(IMeterFactory meters, OutboxBacklog backlog)
    {
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("chatopsmfa.requests", "{request}",
            "Reset requests by outcome: created, approved, denied, cancelled, expired, completed, failed, enroll_failed, activation_failed.");
        _decisionTime = meter.CreateHistogram("chatopsmfa.decision.duration", "s",
            "Time from a request's creation to its decision (approved or denied).", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DecisionBuckets });
        _oktaCalls = meter.CreateCounter<long>("chatopsmfa.okta.calls", "{call}",
            "HTTP calls to Okta by operation and status code; every attempt, so a 429 that was retried counts too.");
        _stepUps = meter.CreateCounter<long>("chatopsmfa.stepups", "{stepup}",
            "Approvers' Okta Verify step-ups by result: accepted, rejected, timed_out, failed.");
        meter.CreateObservableGauge("chatopsmfa.outbox.backlog",
            () => backlog.Read() is { } now ? [new Measurement<long>(now.Count)] : Array.Empty<Measurement<long>>(), "{message}",
            "Chat messages the bot still owes (the outbox table).");
        meter.CreateObservableGauge("chatopsmfa.outbox.oldest_age",
            () => backlog.Read() is { } now ? [new Measurement<double>(now.OldestAge.TotalSeconds)] : Array.Empty<Measurement<double>>(), "s",
            "Age of the oldest message still in the outbox; 0 when it is empty.");
    }

    public void RequestCreated() => _requests.Add(1, new KeyValuePair<string, object?>("outcome", "created"));

    /// <summary>Counts the outcomes among transitions just saved, and the time to decision of a decided request.</summary>
    public void Saved(ResetRequest request, IEnumerable<RequestTransition> transitions)
    {
        foreach (var transition in transitions)
        {
            if (transition.From == transition.To || OutcomeOf(transition.To) is not { } outcome)
            {
                continue;
            }

            _requests.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
            if (transition.From == RequestState.AwaitingApproval && transition.To is RequestState.Approved or RequestState.Denied)
            {
                _decisionTime.Record(Math.Max(0, (transition.At - request.CreatedAt).TotalSeconds), new KeyValuePair<string, object?>("decision", outcome));
            }
        }
    }

    public void OktaCall(string operation, int status) =>
        _oktaCalls.Add(1, new TagList { { "operation", operation }, { "status", status } });

    public void StepUp(string result) => _stepUps.Add(1, new KeyValuePair<string, object?>("result", result));

    private static string? OutcomeOf(RequestState state) => state switch
    {
        RequestState.Approved => "approved",
        RequestState.Denied => "denied",
        RequestState.Cancelled => "cancelled",
        RequestState.Expired => "expired",
        RequestState.Completed => "completed",
        RequestState.Failed => "failed",
        RequestState.EnrollFailed => "enroll_failed",
        RequestState.ActivationFailed => "activation_failed",
        _ => null,
    };
}
