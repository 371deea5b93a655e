using System.Text.Json.Nodes;
using ChatOpsMfa.Channels.Teams.Connector;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Teams;

/// <summary>Microsoft Teams as the request logic sees it: posts, thread replies and updates through the Bot Connector.</summary>
internal sealed class TeamsChatChannel(
    ConnectorClient connector, TeamsDirectory directory, TeamsCardView cards, IOptions<TeamsOptions> options) : IChatChannel
{
    public const string TeamsChannelId = "msteams";

    public string ChannelId => TeamsChannelId;

    public ConversationRef SupportConversation =>
        new(TeamsChannelId, options.Value.SupportChannelId, IsGroup: true, options.Value.AppTenantId);

    public async Task<MessageRef> PostAsync(ConversationRef conversation, ChatMessage message, CancellationToken cancellationToken)
    {
        var id = await connector.SendAsync(
            directory.ServiceUrlFor(Require(conversation)), conversation.ConversationId, cards.Activity(message), cancellationToken);
        return new MessageRef(conversation, id);
    }

    /// <summary>Teams threads a channel reply only when it is posted to <c>&lt;channel id&gt;;messageid=&lt;root id&gt;</c>.</summary>
    public async Task<MessageRef> ReplyInThreadAsync(MessageRef root, ChatMessage message, CancellationToken cancellationToken)
    {
        var threadRoot = root.ThreadId ?? root.MessageId;
        var activity = cards.Activity(message);
        activity["replyToId"] = threadRoot;
        var id = await connector.SendAsync(
            directory.ServiceUrlFor(Require(root.Conversation)), ThreadConversation(root.Conversation, threadRoot), activity, cancellationToken);
        return new MessageRef(root.Conversation, id, threadRoot);
    }

    public Task UpdateAsync(MessageRef posted, ChatMessage message, CancellationToken cancellationToken)
    {
        var conversationId = posted.ThreadId is { } thread
            ? ThreadConversation(posted.Conversation, thread)
            : posted.Conversation.ConversationId;
        return connector.UpdateAsync(
            directory.ServiceUrlFor(Require(posted.Conversation)), conversationId, posted.MessageId, cards.Activity(message), cancellationToken);
    }

    /// <summary>
    /// Teams has no ephemeral messages: in a personal chat only that person sees the bot's message anyway; from a
    /// group conversation the notice goes to their 1:1 chat with the bot instead.
    /// </summary>
    public async Task PostEphemeralAsync(ConversationRef conversation, ChatUser user, ChatMessage message, CancellationToken cancellationToken)
    {
        var target = conversation.IsGroup ? await OpenDirectAsync(user, cancellationToken) : conversation;
        await PostAsync(target, message, cancellationToken);
    }

    /// <summary>Creates (Teams returns the existing one) the 1:1 conversation: bot, member and tenant are all required.</summary>
    public async Task<ConversationRef> OpenDirectAsync(ChatUser user, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var memberId = directory.MemberIdOf(user.Id) ?? (user.Email is { } email ? directory.MemberIdOf(email) : null) ?? user.Id;
        var tenantId = directory.TenantOf(user.Id) ?? settings.AppTenantId
            ?? throw new InvalidOperationException(
                $"Cannot open a 1:1 chat with {user.Id}: their tenant is unknown (set {TeamsConfigurationKeys.AppTenantId} or wait until they message the bot).");
        var parameters = new JsonObject
        {
            ["isGroup"] = false,
            ["bot"] = new JsonObject { ["id"] = "28:" + settings.AppId },
            ["members"] = new JsonArray(new JsonObject { ["id"] = memberId }),
            ["tenantId"] = tenantId,
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = tenantId } },
        };
        var serviceUrl = directory.ServiceUrlFor(new ConversationRef(TeamsChannelId, memberId, TenantId: tenantId));
        var id = await connector.CreateConversationAsync(serviceUrl, parameters, cancellationToken);
        directory.RememberServiceUrl(id, tenantId, serviceUrl);
        return new ConversationRef(TeamsChannelId, id, IsGroup: false, tenantId);
    }

    private static string ThreadConversation(ConversationRef conversation, string threadRoot) =>
        TeamsDirectory.ThreadRoot(conversation.ConversationId) + ";messageid=" + threadRoot;

    private static ConversationRef Require(ConversationRef conversation) =>
        conversation.ChannelId == TeamsChannelId
            ? conversation
            : throw new ArgumentException($"Conversation belongs to channel '{conversation.ChannelId}', not '{TeamsChannelId}'.", nameof(conversation));
}
