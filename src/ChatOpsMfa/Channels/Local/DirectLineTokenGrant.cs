namespace ChatOpsMfa.Channels.Local;

/// <summary>What a Direct Line token allows: one conversation, optionally as one user, until it expires.</summary>
internal sealed record DirectLineTokenGrant(string ConversationId, ChatUser? User, DateTimeOffset ExpiresAt);
