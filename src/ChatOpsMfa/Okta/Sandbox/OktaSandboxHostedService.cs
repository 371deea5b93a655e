using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>Starts the sandbox with the host when <c>Okta:Sandbox:Enabled</c> is true (local mode).</summary>
internal sealed partial class OktaSandboxHostedService(
    OktaSandbox sandbox,
    IOptions<OktaSandboxOptions> options,
    ILogger<OktaSandboxHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        await sandbox.StartAsync(cancellationToken).ConfigureAwait(false);
        LogStarted(logger, sandbox.BaseUrl!);
    }

    public Task StopAsync(CancellationToken cancellationToken) => sandbox.StopAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Okta SANDBOX is running at {BaseUrl}: a fake Okta for local use; no real user is affected")]
    private static partial void LogStarted(ILogger logger, Uri baseUrl);
}
