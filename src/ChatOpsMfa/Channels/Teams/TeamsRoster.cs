using ChatOpsMfa.Channels.Teams.Connector;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Teams;

/// <summary>
/// Keeps the support team's roster in the member map: paged from the Connector
/// (<c>GET v3/conversations/{team}/pagedmembers</c>) when the bot starts and whenever Teams reports a membership
/// change there (<c>conversationUpdate</c>). Approvers are then known by their <c>29:</c> ids before they ever
/// write to the bot, so their cards refresh with the buttons.
/// </summary>
internal sealed partial class TeamsRoster(
    ConnectorClient connector,
    TeamsDirectory directory,
    IOptions<TeamsOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<TeamsRoster> logger) : BackgroundService
{
    /// <summary>A bound on one sync: 100 pages of 500 members.</summary>
    public const int MaximumPages = 100;

    private readonly SemaphoreSlim _syncing = new(1, 1);
    private readonly TaskCompletionSource _firstSync = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the sync at start has finished (or failed).</summary>
    public Task FirstSync => _firstSync.Task;

    // The team's id (channelData.team.id, the General channel's id), learnt from activities in the support channel.
    private volatile string? _supportTeamId;

    /// <summary>
    /// Whether <paramref name="activity"/> is a membership change of the support team. Teams sends those in the
    /// team's General channel, which is the support channel only when it was chosen so; the team's id, learnt from
    /// any activity in the support channel, covers the other case.
    /// </summary>
    public bool IsSupportTeamChange(TeamsInboundActivity activity)
    {
        var support = TeamsDirectory.ThreadRoot(options.Value.SupportChannelId);
        if (activity.ConversationId is { } conversation && TeamsDirectory.ThreadRoot(conversation) == support && activity.TeamId is { } team)
        {
            _supportTeamId = team;
        }

        return activity.Type == "conversationUpdate" && activity.ConversationId is { } changed
            && (TeamsDirectory.ThreadRoot(changed) == support
                || (activity.TeamId is { } teamId && (teamId == support || teamId == _supportTeamId)));
    }

    /// <summary>Starts a sync in the background; the activity that asked for it does not wait.</summary>
    public void SyncSoon() => _ = Task.Run(() => SyncAsync(lifetime.ApplicationStopping));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await SyncAsync(stoppingToken);
        }
        finally
        {
            _firstSync.TrySetResult();
        }
    }

    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        await _syncing.WaitAsync(cancellationToken);
        try
        {
            var settings = options.Value;
            var team = TeamsDirectory.ThreadRoot(settings.SupportChannelId);
            var serviceUrl = await directory.ServiceUrlForAsync(
                new ConversationRef(TeamsChatChannel.TeamsChannelId, team, IsGroup: true, settings.HomeTenantId), cancellationToken);
            string? continuation = null;
            var count = 0;
            for (var page = 0; page < MaximumPages; page++)
            {
                var (members, next) = await connector.GetPagedMembersAsync(serviceUrl, team, continuation, cancellationToken);
                foreach (var byTenant in members.GroupBy(m => m.TenantId ?? settings.HomeTenantId, StringComparer.OrdinalIgnoreCase))
                {
                    if (byTenant.Key is { } tenant && settings.ServesTenant(tenant))
                    {
                        await directory.RememberMembersAsync(tenant, byTenant.ToList(), cancellationToken);
                        count += byTenant.Count();
                    }
                }

                if (next is null)
                {
                    break;
                }

                continuation = next;
            }

            LogSynced(logger, count);
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Members are still looked up one by one as they write to the bot; approvers can pull their buttons.
            LogSyncFailed(logger, error.Message);
        }
        finally
        {
            _syncing.Release();
        }
    }

    [LoggerMessage(EventId = 4460, Level = LogLevel.Information, Message = "Read {Count} members of the support team's roster")]
    private static partial void LogSynced(ILogger logger, int count);

    [LoggerMessage(EventId = 4461, Level = LogLevel.Warning, Message = "Could not read the support team's roster: {Problem}")]
    private static partial void LogSyncFailed(ILogger logger, string problem);
}
