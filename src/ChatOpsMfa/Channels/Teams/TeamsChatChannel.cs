using System.Text.Json.Nodes;
using ChatOpsMfa.Channels.Teams.Connector;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Teams;

/// <summary>
/// Microsoft Teams as the request logic sees it: posts, thread replies and updates through the Bot Connector.
/// Teams' known-permanent refusals (blocked by the user, bot not in the team, conversation gone) become a permanent
/// <see cref="ChatDeliveryException"/>, so the outbox records them and moves on instead of trying again.
/// </summary>
internal sealed class TeamsChatChannel(
    ConnectorClient connector, TeamsDirectory directory, TeamsCardView cards, IOptions<TeamsOptions> options) : IChatChannel
{
    public const string TeamsChannelId = "msteams";

    public string ChannelId => TeamsChannelId;

    public ConversationRef SupportConversation =>
        new(TeamsChannelId, options.Value.SupportChannelId, IsGroup: true, options.Value.HomeTenantId);

    public Task<MessageRef> PostAsync(ConversationRef conversation, ChatMessage message, CancellationToken cancellationToken) =>
        Delivering(async () =>
        {
            var serviceUrl = await directory.ServiceUrlForAsync(Require(conversation), cancellationToken);
            var id = await connector.SendAsync(serviceUrl, conversation.ConversationId, await cards.ActivityAsync(message, cancellationToken), cancellationToken);
            return new MessageRef(conversation, id);
        });

    /// <summary>Teams threads a channel reply only when it is posted to <c>&lt;channel id&gt;;messageid=&lt;root id&gt;</c>.</summary>
    public Task<MessageRef> ReplyInThreadAsync(MessageRef root, ChatMessage message, CancellationToken cancellationToken) =>
        Delivering(async () =>
        {
            var threadRoot = root.ThreadId ?? root.MessageId;
            var activity = await cards.ActivityAsync(message, cancellationToken);
            activity["replyToId"] = threadRoot;
            var serviceUrl = await directory.ServiceUrlForAsync(Require(root.Conversation), cancellationToken);
            var id = await connector.SendAsync(serviceUrl, ThreadConversation(root.Conversation, threadRoot), activity, cancellationToken);
            return new MessageRef(root.Conversation, id, threadRoot);
        });

    public Task UpdateAsync(MessageRef posted, ChatMessage message, CancellationToken cancellationToken) =>
        Delivering(async () =>
        {
            var conversationId = posted.ThreadId is { } thread
                ? ThreadConversation(posted.Conversation, thread)
                : posted.Conversation.ConversationId;
            var serviceUrl = await directory.ServiceUrlForAsync(Require(posted.Conversation), cancellationToken);
            await connector.UpdateAsync(serviceUrl, conversationId, posted.MessageId, await cards.ActivityAsync(message, cancellationToken), cancellationToken);
            return true;
        });

    /// <summary>
    /// Teams keeps a bot's message as its last update: the key card is replaced in place (PUT) by
    /// <paramref name="replacement"/>, so the owner sees, where the key was, that it was removed. The Teams client shows
    /// no earlier version of an updated message (an edit and a delete are alike there and in compliance retention), and
    /// a PUT can simply be sent again after a lost answer, where a second DELETE would find nothing and fail. The QR
    /// image was only ever a data URI inside the card, so there is no file to delete besides.
    /// </summary>
    public Task RemoveSecretAsync(MessageRef posted, ChatMessage replacement, CancellationToken cancellationToken)
    {
        if (replacement.Image is not null)
        {
            throw new ArgumentException("The message that replaces a secret must not carry an image.", nameof(replacement));
        }

        return UpdateAsync(posted, replacement, cancellationToken);
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

    /// <summary>
    /// Creates (Teams returns the existing one) the 1:1 conversation: bot, member and tenant are all required, and
    /// Teams takes only the member's <c>29:</c> id, which the member map holds for everyone the Connector described.
    /// </summary>
    public Task<ConversationRef> OpenDirectAsync(ChatUser user, CancellationToken cancellationToken) =>
        Delivering(async () =>
        {
            var settings = options.Value;
            var member = await directory.MemberByUserAsync(user.Id, cancellationToken)
                ?? (user.Email is { } email ? await directory.MemberByUserAsync(email, cancellationToken) : null)
                ?? throw new ChatDeliveryException(
                    $"Cannot open a 1:1 chat with {user.Name}: the bot has not seen their Teams account (they are not in the support team and have not written to the bot).",
                    permanent: false);
            var tenantId = member.TenantId ?? settings.HomeTenantId
                ?? throw new ChatDeliveryException(
                    $"Cannot open a 1:1 chat with {user.Name}: their tenant is unknown (set {TeamsConfigurationKeys.AppTenantId} or {TeamsConfigurationKeys.AllowedTenants}).",
                    permanent: false);
            var parameters = new JsonObject
            {
                ["isGroup"] = false,
                ["bot"] = new JsonObject { ["id"] = "28:" + settings.AppId },
                ["members"] = new JsonArray(new JsonObject { ["id"] = member.Id }),
                ["tenantId"] = tenantId,
                ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = tenantId } },
            };
            var serviceUrl = await directory.ServiceUrlForAsync(new ConversationRef(TeamsChannelId, member.Id, TenantId: tenantId), cancellationToken);
            var id = await connector.CreateConversationAsync(serviceUrl, parameters, cancellationToken);
            await directory.RememberServiceUrlAsync(tenantId, id, serviceUrl, cancellationToken);
            return new ConversationRef(TeamsChannelId, id, IsGroup: false, tenantId);
        });

    /// <summary>
    /// The Teams member of the pinned tenant whose address (in the attribute <c>Teams:UserEmailAttribute</c> names) is
    /// <paramref name="email"/>, as the Connector described them (the support team's roster, or a lookup when they
    /// wrote to the bot): a manager to ask, an approver to mention. The address comes from Okta, and is compared only
    /// with what Microsoft said about the member; nobody's typed text is involved. Null when nobody matches, the member
    /// has no Entra object id, or the tenant is not pinned (a bot serving several tenants cannot tell whose it is).
    /// </summary>
    public async Task<ChatUser?> FindUserByEmailAsync(string email, CancellationToken cancellationToken)
    {
        if (await directory.HomeMemberByAddressAsync(email, cancellationToken) is not { AadObjectId: { Length: > 0 } objectId } member
            || !member.Id.StartsWith("29:", StringComparison.Ordinal))
        {
            return null;
        }

        var address = options.Value.UserEmailAttribute == "userPrincipalName" ? member.UserPrincipalName : member.Email;
        return new ChatUser(objectId, member.Name ?? address ?? objectId, address) { Channel = TeamsChannelId };
    }

    private static async Task<T> Delivering<T>(Func<Task<T>> send)
    {
        try
        {
            return await send();
        }
        catch (ConnectorCallException error) when (error.IsPermanent)
        {
            throw new ChatDeliveryException(error.Message, permanent: true, error);
        }
    }

    private static string ThreadConversation(ConversationRef conversation, string threadRoot) =>
        TeamsDirectory.ThreadRoot(conversation.ConversationId) + ";messageid=" + threadRoot;

    private static ConversationRef Require(ConversationRef conversation) =>
        conversation.ChannelId == TeamsChannelId
            ? conversation
            : throw new ArgumentException($"Conversation belongs to channel '{conversation.ChannelId}', not '{TeamsChannelId}'.", nameof(conversation));
}
