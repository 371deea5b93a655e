using System.Globalization;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Channels.Local;

/// <summary>
/// The subset of Direct Line 3.0 that Bot Framework Web Chat uses when polling (<c>webSocket: false</c>).
/// Every route except token generation needs a bearer token, which is bound to one conversation and maybe one user.
/// </summary>
internal static class DirectLineEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var directLine = routes.MapGroup("/v3/directline");
        directLine.MapPost("/tokens/generate", GenerateTokenAsync);
        directLine.MapPost("/tokens/refresh", RefreshToken);
        directLine.MapPost("/conversations", StartConversationAsync);
        directLine.MapGet("/conversations/{conversationId}", Reconnect);
        directLine.MapPost("/conversations/{conversationId}/activities", PostActivityAsync);
        directLine.MapGet("/conversations/{conversationId}/activities", GetActivities);
    }

    /// <summary>Local stand-in for the secret-protected token call. Optional body: <c>{"user":{...}, "conversationId":"support"}</c>.</summary>
    private static async Task<IResult> GenerateTokenAsync(
        HttpRequest request, LocalConversationStore store, DirectLineTokenIssuer issuer, LocalChatChannel channel, CancellationToken cancellationToken)
    {
        var (body, readError) = await DirectLineRequestReader.ReadJsonAsync(request, cancellationToken);
        var (userId, userName, userError) = DirectLineRequestReader.ReadUser(body);
        if ((readError ?? userError) is { } error)
        {
            return DirectLineError.BadArgument(error);
        }

        var user = userId is null ? null : channel.UserFor(userId, userName);
        var requested = body?["conversationId"];
        if (requested is null)
        {
            if (store.TryCreatePersonal(user?.Id) is not { } created)
            {
                return DirectLineError.TooMany(store.CapReachedMessage);
            }

            // Nobody knows the new conversation yet: if no token can be issued for it, it goes again.
            if (issuer.TryIssue(created.Id, user) is not { } personalToken)
            {
                store.Discard(created);
                return DirectLineError.TooMany(issuer.CapReachedMessage);
            }

            return Results.Json(ConversationResponse(created.Id, personalToken, (int)issuer.Lifetime.TotalSeconds));
        }
        else if (requested is not JsonValue value || !value.TryGetValue<string>(out var requestedId))
        {
            return DirectLineError.BadArgument("conversationId must be a string.");
        }
        else if (store.Find(requestedId) is not { } existing)
        {
            return DirectLineError.ConversationNotFound();
        }
        else if (!existing.IsGroup && (user is null || existing.OwnerUserId != user.Id))
        {
            return DirectLineError.Forbidden("A personal conversation can only be rejoined by its own user.");
        }
        else if (issuer.TryIssue(existing.Id, user) is not { } token)
        {
            return DirectLineError.TooMany(issuer.CapReachedMessage);
        }
        else
        {
            return Results.Json(ConversationResponse(existing.Id, token, (int)issuer.Lifetime.TotalSeconds));
        }
    }

    private static IResult RefreshToken(HttpRequest request, DirectLineTokenIssuer issuer)
    {
        if (Authenticate(request, issuer) is not { } grant)
        {
            return AuthenticationFailure(request);
        }

        if (issuer.TryIssue(grant.ConversationId, grant.User) is not { } token)
        {
            return DirectLineError.TooMany(issuer.CapReachedMessage);
        }

        return Results.Json(ConversationResponse(grant.ConversationId, token, (int)issuer.Lifetime.TotalSeconds));
    }

    private static async Task<IResult> StartConversationAsync(
        HttpRequest request, LocalConversationStore store, DirectLineTokenIssuer issuer, CancellationToken cancellationToken)
    {
        if (Authenticate(request, issuer) is not { } grant)
        {
            return AuthenticationFailure(request);
        }

        var (body, readError) = await DirectLineRequestReader.ReadJsonAsync(request, cancellationToken);
        var (userId, _, userError) = DirectLineRequestReader.ReadUser(body);
        if ((readError ?? userError) is { } error)
        {
            return DirectLineError.BadArgument(error);
        }

        if (store.Find(grant.ConversationId) is not { } conversation)
        {
            return DirectLineError.ConversationNotFound();
        }

        if (userId is not null && grant.User is not null && grant.User.Id != userId)
        {
            return DirectLineError.Forbidden("The token belongs to another user.");
        }

        if (userId is not null && conversation.ClaimOwner(userId) is { } owner && !conversation.IsGroup && owner != userId)
        {
            return DirectLineError.Forbidden("The conversation belongs to another user.");
        }

        var token = BearerToken(request)!;
        return Results.Json(ConversationResponse(conversation.Id, token, issuer.SecondsLeft(grant)), statusCode: StatusCodes.Status201Created);
    }

    private static IResult Reconnect(string conversationId, HttpRequest request, LocalConversationStore store, DirectLineTokenIssuer issuer)
    {
        var (conversation, grant, failure) = Authorize(conversationId, request, store, issuer);
        if (failure is not null)
        {
            return failure;
        }

        return Results.Json(ConversationResponse(conversation!.Id, BearerToken(request)!, issuer.SecondsLeft(grant!)));
    }

    private static async Task<IResult> PostActivityAsync(
        string conversationId,
        HttpRequest request,
        LocalConversationStore store,
        DirectLineTokenIssuer issuer,
        LocalChatChannel channel,
        LocalInboundDispatcher dispatcher,
        CancellationToken cancellationToken)
    {
        var (conversation, grant, failure) = Authorize(conversationId, request, store, issuer);
        if (failure is not null)
        {
            return failure;
        }

        var (body, readError) = await DirectLineRequestReader.ReadJsonAsync(request, cancellationToken);
        if (readError is not null)
        {
            return DirectLineError.BadArgument(readError);
        }

        var (incoming, activityError) = DirectLineRequestReader.ReadActivity(body);
        if (incoming is null)
        {
            return DirectLineError.BadArgument(activityError!);
        }

        if (grant!.User is { } boundUser && boundUser.Id != incoming.FromId)
        {
            return DirectLineError.Forbidden("from.id does not match the token's user.");
        }

        if (conversation!.ClaimOwner(incoming.FromId) is { } owner && !conversation.IsGroup && owner != incoming.FromId)
        {
            return DirectLineError.Forbidden("The conversation belongs to another user.");
        }

        var sender = channel.UserFor(incoming.FromId, grant.User?.Name ?? incoming.FromName);
        var echoed = conversation.Append(id => Echo(incoming, conversation, sender, channel.Timestamp()), visibleToUserId: null);

        var inbound = new InboundMessage(
            LocalChatChannel.RefFor(conversation), sender, incoming.Text, incoming.Value, echoed.Id, incoming.ReplyToId);
        await dispatcher.DispatchAsync(inbound);

        return Results.Json(new JsonObject { ["id"] = echoed.Id });
    }

    private static IResult GetActivities(string conversationId, string? watermark, HttpRequest request, LocalConversationStore store, DirectLineTokenIssuer issuer)
    {
        var (conversation, grant, failure) = Authorize(conversationId, request, store, issuer);
        if (failure is not null)
        {
            return failure;
        }

        long after = 0;
        if (!string.IsNullOrEmpty(watermark) &&
            (!long.TryParse(watermark, NumberStyles.None, CultureInfo.InvariantCulture, out after)))
        {
            return DirectLineError.BadArgument("watermark must be a number returned by this server.");
        }

        var (activities, current) = conversation!.ReadAfter(after, grant!.User?.Id);
        return Results.Json(new JsonObject
        {
            ["activities"] = new JsonArray([.. activities]),
            ["watermark"] = current.ToString(CultureInfo.InvariantCulture),
        });
    }

    /// <summary>The user's activity as every client will see it: theirs, plus the server's id, time and identity fields.</summary>
    private static JsonObject Echo(IncomingActivity incoming, LocalConversation conversation, ChatUser sender, string timestamp)
    {
        // The clone keeps channelData.clientActivityID, which Web Chat uses to mark the message as sent.
        var echo = (JsonObject)incoming.Raw.DeepClone();
        echo["timestamp"] = timestamp;
        echo["channelId"] = LocalChatChannel.WireChannelId;
        echo["from"] = new JsonObject { ["id"] = sender.Id, ["name"] = sender.Name, ["role"] = "user" };
        echo["conversation"] = new JsonObject { ["id"] = conversation.Id, ["isGroup"] = conversation.IsGroup };
        echo["recipient"] = new JsonObject { ["id"] = LocalChatChannel.Bot.Id, ["name"] = LocalChatChannel.Bot.Name, ["role"] = "bot" };
        return echo;
    }

    private static (LocalConversation? Conversation, DirectLineTokenGrant? Grant, IResult? Failure) Authorize(
        string conversationId, HttpRequest request, LocalConversationStore store, DirectLineTokenIssuer issuer)
    {
        if (Authenticate(request, issuer) is not { } grant)
        {
            return (null, null, AuthenticationFailure(request));
        }

        if (store.Find(conversationId) is not { } conversation)
        {
            return (null, null, DirectLineError.ConversationNotFound());
        }

        if (grant.ConversationId != conversation.Id)
        {
            return (null, null, DirectLineError.Forbidden("The token is for another conversation."));
        }

        return (conversation, grant, null);
    }

    private static DirectLineTokenGrant? Authenticate(HttpRequest request, DirectLineTokenIssuer issuer) =>
        BearerToken(request) is { } token ? issuer.Find(token) : null;

    private static IResult AuthenticationFailure(HttpRequest request) =>
        BearerToken(request) is null ? DirectLineError.MissingToken() : DirectLineError.TokenExpired();

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && header.Length > scheme.Length
            ? header[scheme.Length..].Trim()
            : null;
    }

    private static JsonObject ConversationResponse(string conversationId, string token, int expiresInSeconds) => new()
    {
        ["conversationId"] = conversationId,
        ["token"] = token,
        ["expires_in"] = expiresInSeconds,
    };
}
