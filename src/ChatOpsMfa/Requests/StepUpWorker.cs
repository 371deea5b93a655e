using ChatOpsMfa.Storage;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Polls the Okta Verify pushes approvers owe an answer to, so a decision counts the moment its push is accepted.
/// Pushes are stored with the request: after a restart the watch goes on where it was.
/// </summary>
public sealed partial class StepUpWorker(
    ResetWorkflowService requests, ApprovalPolicy policy, WorkLeases leases, TimeProvider time, IOptions<ApprovalOptions> options, ILogger<StepUpWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (policy.Verification == ApproverVerification.None)
        {
            LogNoStepUp();
        }

        using var timer = new PeriodicTimer(options.Value.VerificationPollInterval, time);
        do
        {
            try
            {
                if (await leases.TryTakeSweepAsync("stepups", options.Value.VerificationPollInterval, stoppingToken))
                {
                    await requests.WatchStepUpsAsync(stoppingToken);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogFailed(error);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Approvals:ApproverVerification is None: an approval is a chat click, and a chat session is not an Okta session. Use OktaVerifyPush so each decision is bound to the approver's own MFA")]
    private partial void LogNoStepUp();

    [LoggerMessage(Level = LogLevel.Error, Message = "Watching approvers' Okta Verify pushes failed; trying again shortly")]
    private partial void LogFailed(Exception error);
}
