namespace ChatOpsMfa.Channels.Local;

/// <summary>Settings for the local web chat (section <c>LocalChat</c>). Local mode exists for development only.</summary>
public sealed class LocalChatOptions
{
    public const string SectionName = "LocalChat";

    /// <summary>Defaults to true in Development and false elsewhere; enabling it outside Development stops startup.</summary>
    public bool Enabled { get; set; }

    /// <summary>The id of the well-known group conversation where approval cards go.</summary>
    public string SupportConversationId { get; set; } = "support";

    /// <summary>Local users get <c>{id}@{EmailDomain}</c> as their e-mail address.</summary>
    public string EmailDomain { get; set; } = "example.com";

    /// <summary>Shown on the page; the host sets it from the Okta options (false means a real Okta org is configured).</summary>
    public bool OktaIsSandbox { get; set; } = true;

    /// <summary>How many activities each conversation keeps; older ones are dropped.</summary>
    public int MaxActivitiesPerConversation { get; set; } = 500;

    /// <summary>Lifetime of a Direct Line token; Web Chat refreshes tokens every 15 minutes.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How many personal conversations the in-memory chat holds; the token endpoint is unauthenticated, so without
    /// a cap a loop of calls would fill the memory. Further ones are refused until the bot restarts.
    /// </summary>
    public int MaxConversations { get; set; } = 1000;

    /// <summary>How many live Direct Line tokens may exist at once; an expired token frees its place.</summary>
    public int MaxTokens { get; set; } = 1000;
}
