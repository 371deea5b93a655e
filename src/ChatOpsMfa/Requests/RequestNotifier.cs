using ChatOpsMfa.Cards;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Shows a request in the chat: the approval card in the support channel, the requester's status card, the lines in
/// the approval card's thread, and the private result. Each call either succeeds or throws, so the outbox knows
/// whether to try again.
/// </summary>
public sealed class RequestNotifier(
    ChannelRegistry channels, Func<OktaClient> oktaClients, OktaEndpoint okta, IOptionsMonitor<ActivationOptions> activation, ApprovalPolicy policy)
{
    /// <summary>Posts the approval card, or updates it in place. Returns the reference when it was posted just now.</summary>
    public Task<MessageRef?> ShowApprovalAsync(ResetRequest request, CancellationToken cancellationToken)
    {
        var channel = ChannelFor(request);
        return ShowAsync(channel, request.ApprovalMessage, channel.SupportConversation, RequestPresenter.ApprovalMessage(request), cancellationToken);
    }

    /// <summary>Posts the requester's status card, or updates it in place. Returns the reference when it was posted just now.</summary>
    public Task<MessageRef?> ShowStatusAsync(ResetRequest request, CancellationToken cancellationToken) =>
        ShowAsync(ChannelFor(request), request.StatusMessage, request.RequesterConversation, RequestPresenter.StatusMessage(request), cancellationToken);

    public async Task ReplyInThreadAsync(ResetRequest request, string line, CancellationToken cancellationToken)
    {
        var root = request.ApprovalMessage
            ?? throw new InvalidOperationException($"Request {request.Number}'s approval card is not posted yet, so its thread has no root.");
        await ChannelFor(request).ReplyInThreadAsync(root, new ChatMessage(line), cancellationToken);
    }

    /// <summary>A thread line that mentions the approvers (listed by chat id, or by email and found in chat), so they are notified.</summary>
    public async Task RemindInThreadAsync(ResetRequest request, string line, CancellationToken cancellationToken)
    {
        var root = request.ApprovalMessage
            ?? throw new InvalidOperationException($"Request {request.Number}'s approval card is not posted yet, so its thread has no root.");
        var channel = ChannelFor(request);
        var mentions = new List<ChatUser>();
        mentions.AddRange(policy.ListedChatIds().Select(id => new ChatUser(id, id) { Channel = channel.ChannelId }));
        foreach (var email in policy.ListedEmails())
        {
            if (await channel.FindUserByEmailAsync(email, cancellationToken) is { } found && mentions.All(m => m.Id != found.Id))
            {
                mentions.Add(found);
            }
        }

        await channel.ReplyInThreadAsync(root, new ChatMessage(line, Mentions: mentions), cancellationToken);
    }

    /// <summary>Posts the manager's private confirmation card, or updates it in place. Returns the reference when posted just now.</summary>
    public async Task<MessageRef?> ShowManagerCardAsync(ResetRequest request, CancellationToken cancellationToken)
    {
        if (request.Manager?.ChatUser is not { } manager)
        {
            return null;
        }

        var channel = ChannelFor(request);
        var message = RequestPresenter.ManagerMessage(request);
        if (request.ManagerCard is { } posted)
        {
            await channel.UpdateAsync(posted, message, cancellationToken);
            return null;
        }

        // Once the request has ended, or the manager was found unreachable, without the card ever going out, there is
        // nothing left to ask the manager.
        if (request.State != RequestState.AwaitingApproval || request.Manager.Problem is not null)
        {
            return null;
        }

        return await channel.PostAsync(await channel.OpenDirectAsync(manager, cancellationToken), message, cancellationToken);
    }

    /// <summary>
    /// Sends the private key card (factor id, setup key, QR code) to the person whose MFA it is, in their 1:1 chat:
    /// the requester, or the target of a help-desk request (never the help-desk member). Returns where it went, so it
    /// can be removed once the activation ends.
    /// </summary>
    public async Task<MessageRef> SendResultAsync(ResetRequest request, EnrollmentActivation secrets, CancellationToken cancellationToken)
    {
        var channel = ChannelFor(request);
        var image = await QrImageAsync(request, secrets, cancellationToken);
        return await channel.PostAsync(await OwnerConversationAsync(channel, request, cancellationToken),
            RequestPresenter.ResultMessage(request, secrets, image), cancellationToken);
    }

    /// <summary>Posts the owner's activation card, or updates it in place. Returns the reference when it was posted just now.</summary>
    public async Task<MessageRef?> ShowActivationAsync(ResetRequest request, CancellationToken cancellationToken)
    {
        if (RequestPresenter.ActivationMessage(request, activation.CurrentValue.MaxResends) is not { } message)
        {
            return null;
        }

        var channel = ChannelFor(request);
        if (request.ActivationMessage is { } posted)
        {
            await channel.UpdateAsync(posted, message, cancellationToken);
            return null;
        }

        return await channel.PostAsync(await OwnerConversationAsync(channel, request, cancellationToken), message, cancellationToken);
    }

    /// <summary>Replaces the key card with a note that the key was removed, and has the platform delete any file it kept.</summary>
    public async Task<bool> RemoveKeyAsync(ResetRequest request, CancellationToken cancellationToken)
    {
        if (request.KeyMessage is not { } posted)
        {
            return false;
        }

        await ChannelFor(request).RemoveSecretAsync(posted, RequestPresenter.KeyRemovedMessage(request), cancellationToken);
        return true;
    }

    /// <summary>Tells the target of a help-desk request about it, privately, with a button to object. Returns where it went.</summary>
    public async Task<MessageRef?> ShowTargetNoticeAsync(ResetRequest request, CancellationToken cancellationToken)
    {
        if (request.TargetChatUser is not { } target)
        {
            return null;
        }

        var channel = ChannelFor(request);
        var message = RequestPresenter.TargetNoticeMessage(request);
        if (request.TargetNotice is { } posted)
        {
            await channel.UpdateAsync(posted, message, cancellationToken);
            return null;
        }

        return await channel.PostAsync(await channel.OpenDirectAsync(target, cancellationToken), message, cancellationToken);
    }

    // The owner's 1:1 chat: where the key and the code card go, whoever asked.
    private static async Task<ConversationRef> OwnerConversationAsync(IChatChannel channel, ResetRequest request, CancellationToken cancellationToken) =>
        request.TargetChatUser is { } target ? await channel.OpenDirectAsync(target, cancellationToken)
        : request.RequesterConversation.IsGroup ? await channel.OpenDirectAsync(request.Requester, cancellationToken)
        : request.RequesterConversation;

    /// <summary>
    /// The QR picture for the key card: rendered here from the TOTP key (no outside service sees it), or Okta's own
    /// Okta Verify activation QR, fetched through the API. Null when there is none.
    /// </summary>
    private async Task<ChatImage?> QrImageAsync(ResetRequest request, EnrollmentActivation secrets, CancellationToken cancellationToken)
    {
        if (secrets.SharedSecret is { } secret && request.Factor.FactorType == "token:software:totp")
        {
            var issuer = activation.CurrentValue.TotpIssuer ?? okta.BaseUrl.Host;
            return QrCodeImage.Render(QrCodeImage.TotpUri(issuer, request.Target.Login, secret),
                $"QR code to add {request.Target.Login} to your authenticator app", $"{RequestPresenter.Reference(request)}-setup.png");
        }

        if (secrets.QrCodeUrl is { } link && request.Factor.FactorType == "push")
        {
            var image = await oktaClients().GetQrCodeImageAsync(link, cancellationToken);
            return image.IsSuccess
                ? new ChatImage(image.Value, "QR code to scan with Okta Verify", $"{RequestPresenter.Reference(request)}-okta-verify.png")
                : throw new ChatDeliveryException($"Okta's Okta Verify QR code could not be fetched: {image.Error.Message}", permanent: false);
        }

        return null;
    }

    private IChatChannel ChannelFor(ResetRequest request) =>
        channels.Find(request.RequesterConversation.ChannelId)
        ?? throw new ChatDeliveryException($"No chat channel '{request.RequesterConversation.ChannelId}' is configured.", permanent: true);

    private static async Task<MessageRef?> ShowAsync(
        IChatChannel channel, MessageRef? posted, ConversationRef conversation, ChatMessage message, CancellationToken cancellationToken)
    {
        if (posted is not null)
        {
            await channel.UpdateAsync(posted, message, cancellationToken);
            return null;
        }

        return await channel.PostAsync(conversation, message, cancellationToken);
    }
}
