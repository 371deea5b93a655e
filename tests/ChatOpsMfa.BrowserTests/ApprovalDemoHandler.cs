using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ChatOpsMfa.Channels;

namespace ChatOpsMfa.BrowserTests;

/// <summary>
/// A stand-in bot: a text from the employee posts an approval card to the support channel; the approver's click
/// updates that card in place and tells both sides. Enough to drive every path of the local channel from a browser.
/// </summary>
internal sealed class ApprovalDemoHandler : IInboundHandler
{
    private readonly ConcurrentDictionary<string, (MessageRef Card, ConversationRef Requester)> pending = new();

    public async Task<InboundResult> HandleAsync(IChatChannel channel, InboundMessage message, CancellationToken cancellationToken)
    {
        if (message.Value is { } value && value["requestId"]?.GetValue<string>() is { } requestId && pending.TryRemove(requestId, out var request))
        {
            var approved = new CardContent("approval", new JsonObject
            {
                ["requestId"] = requestId,
                ["requester"] = value["requester"]?.GetValue<string>(),
                ["approvedBy"] = message.From.Name,
            });
            await channel.UpdateAsync(request.Card, new ChatMessage($"Request {requestId} approved by {message.From.Name}", approved), cancellationToken);
            await channel.ReplyInThreadAsync(request.Card, new ChatMessage($"Thanks {message.From.Name}, the reset for {requestId} is running."), cancellationToken);
            await channel.PostAsync(request.Requester, new ChatMessage($"Your request {requestId} was approved by {message.From.Name}."), cancellationToken);
            return InboundResult.None;
        }

        var id = $"req-{pending.Count + 1}";
        var card = new CardContent("approval", new JsonObject { ["requestId"] = id, ["requester"] = message.From.Name });
        var posted = await channel.PostAsync(channel.SupportConversation, new ChatMessage($"{message.From.Name} asks for an MFA reset ({id})", card), cancellationToken);
        pending[id] = (posted, message.Conversation);
        await channel.PostAsync(message.Conversation, new ChatMessage($"Request {id} sent to the support channel for approval."), cancellationToken);
        return InboundResult.None;
    }
}
