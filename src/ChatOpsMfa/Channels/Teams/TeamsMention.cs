namespace ChatOpsMfa.Channels.Teams;

/// <summary>Someone a Teams message mentions: their Teams id (<c>29:…</c> for people, <c>28:…</c> for bots) and display name.</summary>
internal sealed record TeamsMention(string Id, string? Name);
